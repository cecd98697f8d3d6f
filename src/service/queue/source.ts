// Reading a job's source: a path on shared storage, or an http(s) URL fetched with a size
// and a time limit. Jobs carry only the URI; the bytes are read here, by the worker.
import { open } from 'node:fs/promises';
import { AigcError } from '../../errors.js';

export interface SourceLimits {
  maxBytes: number;
  timeoutMs: number;
}

export const isUrl = (uri: string) => /^https?:\/\//i.test(uri);

/** Errno codes of a file system having a bad moment (network storage, descriptor pressure): worth a retry. */
const TRANSIENT_ERRNO = new Set(['EIO', 'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'ETIMEDOUT', 'ESTALE', 'ECONNRESET', 'EINTR']);

/** Marks a fetch failure that may pass: a network error, a time-out, a 5xx or a 429. */
class TransientCause extends Error {}

/** Whether a failure is worth retrying; everything else is the input's fault and fails at once. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof AigcError)) return false;
  const cause = error.cause;
  if (error.code === 'FETCH_FAILED') return cause instanceof TransientCause;
  if (error.code === 'IO_ERROR') return TRANSIENT_ERRNO.has((cause as NodeJS.ErrnoException)?.code ?? '');
  return false;
}

export function readSource(uri: string, limits: SourceLimits): Promise<Uint8Array> {
  return isUrl(uri) ? fetchSource(uri, limits) : readPath(uri, limits);
}

const tooLarge = (uri: string, limit: number) =>
  new AigcError('INPUT_TOO_LARGE', `${uri} is over the ${limit}-byte source limit; raise --max-bytes if it should be read.`);

async function readPath(path: string, limits: SourceLimits): Promise<Uint8Array> {
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > limits.maxBytes) throw tooLarge(path, limits.maxBytes);
      const buf = await handle.readFile();
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    } finally {
      await handle.close();
    }
  } catch (e) {
    if (e instanceof AigcError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? (e as Error).message);
    throw new AigcError('IO_ERROR', `Cannot read ${path}: ${why}.`, { cause: e });
  }
}

async function fetchSource(url: string, limits: SourceLimits): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const response = await fetch(url, { signal, redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel();
      const passing = response.status >= 500 || response.status === 429;
      const cause = passing ? new TransientCause(`HTTP ${response.status}`) : new Error(`HTTP ${response.status}`);
      throw new AigcError('FETCH_FAILED', `${url} answered HTTP ${response.status}.`, { cause });
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > limits.maxBytes) {
      await response.body?.cancel();
      throw tooLarge(url, limits.maxBytes);
    }
    // The declared length may be absent or wrong: count what actually arrives.
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = response.body?.getReader();
    for (let part = await reader?.read(); part && !part.done; part = await reader!.read()) {
      total += part.value.length;
      if (total > limits.maxBytes) {
        await reader!.cancel().catch(() => {});
        throw tooLarge(url, limits.maxBytes);
      }
      chunks.push(part.value);
    }
    return new Uint8Array(Buffer.concat(chunks));
  } catch (e) {
    if (e instanceof AigcError) throw e;
    const why = signal.aborted ? `no complete answer within ${limits.timeoutMs} ms` : (e as Error).message;
    throw new AigcError('FETCH_FAILED', `Cannot fetch ${url}: ${why}.`, { cause: new TransientCause(why, { cause: e }) });
  }
}
