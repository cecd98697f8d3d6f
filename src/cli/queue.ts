import { Queue } from 'bullmq';
import { Command } from 'commander';
import type { Redis } from 'ioredis';
import { QUEUE_NAME, connectRedis } from '../service/queue/connection.js';
import { enqueueSources, resolveSources } from '../service/queue/enqueue.js';
import type { DetectJobData } from '../service/queue/jobs.js';
import { queueReport, type QueueReport } from '../service/queue/report.js';
import type { JobDocument } from '../service/queue/worker.js';
import { EXIT, Output, type CliIo, type ExitCode } from './output.js';

interface QueueOptions {
  redis: string;
  json?: boolean;
}

export function queueCommand(io: CliIo): Command {
  const queue = new Command('queue').description('distributed scanning on Redis: add files and URLs, report progress (see `worker`)');
  queue
    .command('add')
    .description('enqueue detect jobs: files, directories (their media files) and http(s) URLs; re-adding an unchanged file adds nothing')
    .argument('<inputs...>', 'files, directories or URLs; paths are stored absolute, so workers need the same shared storage')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://host:6379')
    .action(async (inputs: string[], options: QueueOptions) => {
      io.exit(await runAdd(inputs, options, io));
    });
  queue
    .command('report')
    .description('summarise the queue: totals, verdicts, errors by code, throughput')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://host:6379')
    .option('--json', 'print the summary as one JSON document')
    .action(async (options: QueueOptions) => {
      io.exit(await runReport(options, io));
    });
  // The program configures its direct commands; these nested ones need the same: stderr, and exit 2 on usage errors.
  for (const sub of queue.commands) sub.configureOutput({ writeOut: io.stderr, writeErr: io.stderr }).exitOverride();
  return queue;
}

/** Opens the shared queue for one command and always closes it, so the process can exit. */
async function withQueue<T>(url: string, use: (queue: Queue<DetectJobData, JobDocument>, redis: Redis) => Promise<T>): Promise<T> {
  const redis = await connectRedis(url);
  const queue = new Queue<DetectJobData, JobDocument>(QUEUE_NAME, { connection: redis });
  try {
    return await use(queue, redis);
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

async function runAdd(inputs: string[], options: QueueOptions, io: CliIo): Promise<ExitCode> {
  const out = new Output(false, io);
  try {
    const sources = await resolveSources(inputs);
    const { added, existing } = await withQueue(options.redis, (queue, redis) => enqueueSources(queue, redis, sources));
    out.line(`added ${added} job${added === 1 ? '' : 's'}${existing ? ` (${existing} already queued)` : ''}`);
    return EXIT.OK;
  } catch (e) {
    return out.failure(null, e);
  }
}

async function runReport(options: QueueOptions, io: CliIo): Promise<ExitCode> {
  const out = new Output(options.json ?? false, io);
  try {
    const report = await withQueue(options.redis, (queue) => queueReport(queue));
    out.result(report, () => describeReport(report));
    return EXIT.OK;
  } catch (e) {
    return out.failure(null, e);
  }
}

function describeReport(r: QueueReport): string {
  const rows: [string, string | number][] = [
    ['total', r.total],
    ['waiting', r.waiting],
    ['active', r.active],
    ['delayed (retrying)', r.delayed],
    ['completed', r.completed],
    ['failed', r.failed],
    ...Object.entries(r.verdicts).sort().map(([label, n]): [string, number] => [`  verdict ${label === 'none' ? 'none' : `Label ${label}`}`, n]),
    ...Object.entries(r.errors).sort().map(([code, n]): [string, number] => [`  error ${code}`, n]),
    ['throughput (files/s)', r.throughput ?? '-'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${String(v).padStart(8)}`).join('\n');
}
