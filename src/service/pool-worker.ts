// Piscina worker for the service and the queue worker: all decoding, detection and embedding
// happens on these threads, so the event loop stays free for health checks and I/O.
import '../node-platform.js';
import { errorCode } from '../cli/output.js';
import type { LabelAttribute } from '../label/index.js';
import { detectBytes, markBytes, mediaTypeOf, propagateBytes, type EngineOptions, type Inspection, type MarkedFile, type PropagatedFile } from './media-ops.js';

export type PoolTask =
  | ({ op: 'detect'; file: string; bytes: Uint8Array } & EngineOptions)
  | ({ op: 'mark'; bytes: Uint8Array; producer: string; produceId?: string; label: LabelAttribute; strength?: number } & EngineOptions)
  | ({ op: 'propagate'; file: string; bytes: Uint8Array; propagator: string; propagateId?: string; declared?: boolean } & EngineOptions);

/** Errors cross the thread boundary as plain data: an AigcError's class does not survive the copy. */
export interface PoolFailure {
  ok: false;
  error: { code: string; message: string };
}

export type PoolResult =
  | { ok: true; op: 'detect'; inspection: Inspection }
  | ({ ok: true; op: 'mark'; mediaType: string } & MarkedFile)
  | ({ ok: true; op: 'propagate'; mediaType: string } & PropagatedFile)
  | PoolFailure;

export default async function runTask(task: PoolTask): Promise<PoolResult> {
  const options: EngineOptions = { key: task.key, maxPixels: task.maxPixels };
  try {
    switch (task.op) {
      case 'detect':
        return { ok: true, op: 'detect', inspection: await detectBytes(task.file, task.bytes, options) };
      case 'mark': {
        const marked = await markBytes(task.bytes, task, options);
        return { ok: true, op: 'mark', mediaType: mediaTypeOf(marked.bytes), ...marked };
      }
      case 'propagate': {
        const done = await propagateBytes(task.file, task.bytes, task, options);
        return { ok: true, op: 'propagate', mediaType: mediaTypeOf(task.bytes), ...done };
      }
    }
  } catch (e) {
    return { ok: false, error: { code: errorCode(e), message: (e as Error)?.message ?? String(e) } };
  }
}
