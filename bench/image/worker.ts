// Child process: receives image jobs from run.ts over IPC and answers with results.
import sharp from 'sharp';
import { runImageJob, type Job } from './job.ts';

sharp.concurrency(1);
sharp.cache(false);

process.on('message', async (msg: { job: Job; seq: number }) => {
  try {
    const result = await runImageJob(msg.job);
    process.send!({ seq: msg.seq, result });
  } catch (e) {
    process.send!({ seq: msg.seq, error: String((e as Error)?.stack ?? e) });
  }
});
process.send!({ ready: true });
