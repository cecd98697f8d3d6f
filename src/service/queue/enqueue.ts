// `queue add`: turn paths, directories and URLs into jobs, skipping those already queued.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { listMedia } from '../../cli/scan.js';
import { AigcError } from '../../errors.js';
import { jobIdFor, type SourceIdentity } from './job-id.js';
import { JOB_OPTIONS, type DetectJobData } from './jobs.js';
import { isUrl } from './source.js';

/** Expands inputs into sources: a directory's media files, a file, or a URL; paths become absolute. */
export async function resolveSources(inputs: readonly string[], urlTimeoutMs = 10_000): Promise<SourceIdentity[]> {
  const sources: SourceIdentity[] = [];
  for (const input of inputs) {
    if (isUrl(input)) {
      sources.push(await urlIdentity(input, urlTimeoutMs));
      continue;
    }
    const path = resolve(input);
    const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
      throw new AigcError('IO_ERROR', `Cannot read ${input}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.code}.`, { cause: e });
    });
    const files = info.isDirectory() ? await listMedia(path) : [path];
    for (const file of files) {
      const s = file === path ? info : await stat(file);
      sources.push({ uri: file, size: s.size, version: String(Math.trunc(s.mtimeMs)) });
    }
  }
  return sources;
}

/** A URL's size and version come from a HEAD request; a server that will not say leaves the URI alone as identity. */
async function urlIdentity(url: string, timeoutMs: number): Promise<SourceIdentity> {
  try {
    const head = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    if (!head.ok) return { uri: url, size: null, version: null };
    const length = head.headers.get('content-length');
    return { uri: url, size: length === null ? null : Number(length), version: head.headers.get('etag') ?? head.headers.get('last-modified') };
  } catch {
    return { uri: url, size: null, version: null };
  }
}

export interface EnqueueResult {
  added: number;
  existing: number;
}

/** Adds one job per source whose id is not in the queue yet, in batches. */
export async function enqueueSources(queue: Queue<DetectJobData>, redis: Redis, sources: readonly SourceIdentity[], batch = 500): Promise<EnqueueResult> {
  const result: EnqueueResult = { added: 0, existing: 0 };
  const unique = new Map(sources.map((s) => [jobIdFor(s), s]));
  const entries = [...unique.entries()];
  for (let i = 0; i < entries.length; i += batch) {
    const slice = entries.slice(i, i + batch);
    const pipeline = redis.pipeline();
    for (const [id] of slice) pipeline.exists(queue.toKey(id));
    const found = (await pipeline.exec()) ?? [];
    const fresh = slice.filter((_, k) => found[k]?.[1] !== 1);
    result.existing += slice.length - fresh.length;
    // BullMQ itself ignores an id it already holds, so a race with another `queue add` adds nothing twice.
    await queue.addBulk(fresh.map(([id, s]) => ({ name: 'detect', data: { uri: s.uri }, opts: { ...JOB_OPTIONS, jobId: id } })));
    result.added += fresh.length;
  }
  return result;
}
