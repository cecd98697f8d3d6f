// The CPU pool behind serve and worker, with admission control: a request is admitted only while
// the threads plus a bounded queue have room, so overload turns into 503s instead of memory.
import { Piscina } from 'piscina';
import { workerEntry } from '../cli/worker-entry.js';
import type { PoolResult, PoolTask } from './pool-worker.js';

export interface PoolOptions {
  threads: number;
  /** How many admitted requests may wait for a thread beyond those running. */
  queueLimit: number;
}

export class ServicePool {
  readonly threads: number;
  readonly queueLimit: number;
  private readonly piscina: Piscina<PoolTask, PoolResult>;
  private admitted = 0;
  /** Mean seconds per task (exponential average), for Retry-After. */
  private meanTaskSeconds = 0.5;

  constructor(options: PoolOptions) {
    this.threads = options.threads;
    this.queueLimit = options.queueLimit;
    this.piscina = new Piscina({ ...workerEntry(import.meta.url, 'pool-worker'), minThreads: options.threads, maxThreads: options.threads, idleTimeout: 60_000 });
  }

  /** Claims a place for one request; false when the pool and its queue are full. */
  tryAdmit(): boolean {
    if (this.admitted >= this.threads + this.queueLimit) return false;
    this.admitted++;
    return true;
  }

  release(): void {
    this.admitted = Math.max(0, this.admitted - 1);
  }

  /** Seconds until a place is likely free: the work ahead of a new request spread over the threads. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.meanTaskSeconds * (this.admitted + 1)) / this.threads));
  }

  async run(task: PoolTask, signal?: AbortSignal): Promise<PoolResult> {
    const started = performance.now();
    const result = await this.piscina.run(task, { signal });
    const seconds = (performance.now() - started) / 1000;
    this.meanTaskSeconds = 0.9 * this.meanTaskSeconds + 0.1 * seconds;
    return result;
  }

  get stats(): { threads: number; admitted: number; running: number; queued: number } {
    const queued = this.piscina.queueSize;
    return { threads: this.threads, admitted: this.admitted, running: Math.max(0, this.admitted - queued), queued };
  }

  destroy(): Promise<void> {
    return this.piscina.destroy();
  }
}
