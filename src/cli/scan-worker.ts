// Piscina worker for `scan`: inspects one file and returns a JSON-safe result.
import '../node-platform.js';
import { readInput } from './common.js';
import { inspectBytes, type Inspection } from '../inspect.js';
import { errorDocument, exitCodeFor, type ErrorDocument } from './output.js';

export interface ScanTask {
  file: string;
  key: Uint8Array | null;
  maxPixels?: number;
  declared?: boolean;
}

export type ScanResult = { ok: true; inspection: Inspection } | { ok: false; exit: number; doc: ErrorDocument };

export default async function scanOne(task: ScanTask): Promise<ScanResult> {
  try {
    const bytes = await readInput(task.file);
    return { ok: true, inspection: await inspectBytes(task.file, bytes, { key: task.key, maxPixels: task.maxPixels, declared: task.declared }) };
  } catch (e) {
    return { ok: false, exit: exitCodeFor(e), doc: errorDocument(task.file, e) };
  }
}
