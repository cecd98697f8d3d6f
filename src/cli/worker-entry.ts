// Where a piscina pool starts its worker module: the module itself when built; from source,
// source-worker.mjs, which first gives the thread tsx's import() hook.
import { fileURLToPath } from 'node:url';

export interface WorkerEntry {
  filename: string;
  workerData?: { sourceWorker: string };
}

/** The pool options that run `name` (e.g. 'scan-worker'), the module beside `moduleUrl` (the caller's import.meta.url). */
export function workerEntry(moduleUrl: string, name: string): WorkerEntry {
  const fromSource = moduleUrl.endsWith('.ts');
  const worker = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, moduleUrl);
  if (!fromSource) return { filename: fileURLToPath(worker) };
  return { filename: fileURLToPath(new URL('./source-worker.mjs', import.meta.url)), workerData: { sourceWorker: worker.href } };
}
