// The queue worker: takes detect jobs from Redis, reads each URI, inspects it on the CPU pool,
// writes one NDJSON line per finished job and returns the same document as the job's result.
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { errorDocument, type ErrorDocument } from '../../cli/output.js';
import type { Inspection } from '../media-ops.js';
import type { PoolResult } from '../pool-worker.js';
import { ServicePool } from '../pool.js';
import { QUEUE_NAME } from './connection.js';
import type { DetectJobData } from './jobs.js';
import type { ResultSink } from './sink.js';
import { isTransient, readSource, type SourceLimits } from './source.js';

export interface WorkerOptions {
  connection: Redis;
  concurrency: number;
  sink: ResultSink | null;
  key: Uint8Array | null;
  maxPixels?: number;
  source: SourceLimits;
  /** How long a dead worker's job stays claimed before another worker takes it, in ms. */
  stalledMs: number;
}

/** The line and job result: `detect --json`'s document for the URI, plus the job id. */
export type JobDocument = (Inspection | ErrorDocument) & { job: string };

export interface RunningWorker {
  worker: Worker<DetectJobData, JobDocument>;
  /** Stops taking jobs, finishes the active ones, then releases the pool. */
  drain(): Promise<void>;
}

/** The failure reason BullMQ stores starts with the code, so `queue report` can count by it. */
export const failureReason = (code: string, message: string) => `${code}: ${message}`;

export function startWorker(options: WorkerOptions): RunningWorker {
  const pool = new ServicePool({ threads: options.concurrency, queueLimit: 0 });

  /** Transient failures with tries left go back to BullMQ for a retry; anything else is final and leaves its line. */
  const finishFailed = async (job: Job<DetectJobData>, error: ErrorDocument['error'], transient: boolean): Promise<never> => {
    const attemptsLeft = (job.opts.attempts ?? 1) - (job.attemptsMade + 1);
    if (transient && attemptsLeft > 0) throw new Error(failureReason(error.code, error.message));
    const doc: JobDocument = { file: job.data.uri, error, job: job.id! };
    await options.sink?.append(doc);
    throw new UnrecoverableError(failureReason(error.code, error.message));
  };

  const process = async (job: Job<DetectJobData>): Promise<JobDocument> => {
    const { uri } = job.data;
    let bytes: Uint8Array;
    try {
      bytes = await readSource(uri, options.source);
    } catch (e) {
      return finishFailed(job, errorDocument(uri, e).error, isTransient(e));
    }
    let result: PoolResult;
    try {
      result = await pool.run({ op: 'detect', file: uri, bytes, key: options.key, maxPixels: options.maxPixels });
    } catch (e) {
      // A pool thread that died (out of memory, a crash) says nothing about the file: retry it.
      return finishFailed(job, { code: 'INTERNAL', message: (e as Error)?.message ?? String(e) }, true);
    }
    if (!result.ok) {
      // A file the library rejects is bad input: the same bytes would fail again.
      return finishFailed(job, result.error, false);
    }
    if (result.op !== 'detect') throw new Error('pool answered the wrong task');
    const doc: JobDocument = { ...result.inspection, job: job.id! };
    await options.sink?.append(doc);
    return doc;
  };

  const worker = new Worker<DetectJobData, JobDocument>(QUEUE_NAME, process, {
    connection: options.connection,
    concurrency: options.concurrency,
    lockDuration: options.stalledMs,
    stalledInterval: options.stalledMs,
    // A job is only lost to stalls after many crashes in a row; a single SIGKILL must not fail it.
    maxStalledCount: 10,
  });
  // Errors here are connection hiccups BullMQ recovers from; they must not crash the process.
  worker.on('error', () => {});

  return {
    worker,
    async drain() {
      await worker.close();
      await pool.destroy();
    },
  };
}
