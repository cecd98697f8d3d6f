// The commands' view of one file's Article 6 inspection, which lives in src/platform.
export { inspectBytes } from '../platform/inspect-file.js';
export type { Inspection, InspectOptions } from '../platform/inspect-file.js';
