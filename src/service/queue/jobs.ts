// What a job carries and how it is retried: a URI, never the bytes.
import type { JobsOptions } from 'bullmq';

export interface DetectJobData {
  uri: string;
}

export const JOB_OPTIONS: JobsOptions = {
  // Transient I/O gets five tries with exponential backoff (1 s, 2 s, 4 s, 8 s); bad input fails at once.
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  // Finished jobs stay: they make re-adding idempotent and feed `queue report`.
  removeOnComplete: false,
  removeOnFail: false,
};
