// `queue report`: where the queue stands, from what BullMQ keeps of every job.
import type { Job, Queue } from 'bullmq';
import type { DetectJobData } from './jobs.js';
import type { JobDocument } from './worker.js';

export interface QueueReport {
  total: number;
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  /** Completed jobs by Article 6 verdict label ("none" when nothing was found). */
  verdicts: Record<string, number>;
  /** Failed jobs by error code. */
  errors: Record<string, number>;
  /** Finished jobs per second, from the first job started to the last one finished; null before any finished. */
  throughput: number | null;
}

const PAGE = 1000;

async function eachJob(queue: Queue<DetectJobData, JobDocument>, state: 'completed' | 'failed', visit: (job: Job<DetectJobData, JobDocument>) => void): Promise<void> {
  for (let start = 0; ; start += PAGE) {
    const jobs = await queue.getJobs([state], start, start + PAGE - 1, true);
    for (const job of jobs) if (job) visit(job);
    if (jobs.length < PAGE) return;
  }
}

export async function queueReport(queue: Queue<DetectJobData, JobDocument>): Promise<QueueReport> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'paused', 'prioritized', 'waiting-children');
  const verdicts: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let firstStart = Infinity;
  let lastFinish = -Infinity;
  const span = (job: Job) => {
    if (job.processedOn) firstStart = Math.min(firstStart, job.processedOn);
    if (job.finishedOn) lastFinish = Math.max(lastFinish, job.finishedOn);
  };
  await eachJob(queue, 'completed', (job) => {
    span(job);
    const doc = job.returnvalue;
    const label = doc && 'verdict' in doc ? (doc.verdict.label ?? 'none') : 'unknown';
    verdicts[label] = (verdicts[label] ?? 0) + 1;
  });
  await eachJob(queue, 'failed', (job) => {
    span(job);
    const code = /^([A-Z][A-Z0-9_]*):/.exec(job.failedReason ?? '')?.[1] ?? 'INTERNAL';
    errors[code] = (errors[code] ?? 0) + 1;
  });
  const finished = (counts.completed ?? 0) + (counts.failed ?? 0);
  const seconds = (lastFinish - firstStart) / 1000;
  const waiting = (counts.waiting ?? 0) + (counts.paused ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0);
  return {
    total: waiting + (counts.active ?? 0) + (counts.delayed ?? 0) + finished,
    waiting,
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    completed: counts.completed ?? 0,
    failed: counts.failed ?? 0,
    verdicts,
    errors,
    throughput: finished > 0 && seconds > 0 ? Math.round((finished / seconds) * 100) / 100 : null,
  };
}
