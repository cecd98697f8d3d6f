// The Article 6 inspection of one file lives in src/platform; the commands, the service and the
// demo import it from here.
export { inspectBytes } from './platform/inspect-file.js';
export type { Inspection, InspectOptions, WatermarkReport } from './platform/inspect-file.js';
