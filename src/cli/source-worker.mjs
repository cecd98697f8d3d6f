// Pool workers' entry when aigc-mark runs from source (node --import tsx); the build never uses it.
// A worker thread gets tsx's require hook but not its import() hook, so piscina would load the
// TypeScript worker as CommonJS, and its lazy import()s (media.ts loads each medium's modules on
// demand) would find no .ts file. This registers tsx's hooks in the thread, then loads the worker
// named in workerData as an ES module, so the whole worker is one module graph.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const handler = import(workerData.sourceWorker).then((module) => module.default);

export default async function runSourceWorker(task) {
  return (await handler)(task);
}
