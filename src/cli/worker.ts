import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import type { Redis } from 'ioredis';
import { connectRedis } from '../service/queue/connection.js';
import { ResultSink } from '../service/queue/sink.js';
import { startWorker } from '../service/queue/worker.js';
import { parseMaxPixels, parsePositiveInt, readKeyFile } from './common.js';
import { EXIT, Output, type CliIo, type ExitCode } from './output.js';

interface WorkerCliOptions {
  redis: string;
  concurrency?: number;
  results?: string;
  keyFile?: string;
  maxPixels?: number;
  maxBytes: number;
  fetchTimeout: number;
  stalledAfter: number;
}

export function workerCommand(io: CliIo): Command {
  return new Command('worker')
    .description('take detect jobs from Redis (see `queue add`) until SIGTERM; one NDJSON line per finished job')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://host:6379')
    .option('--concurrency <n>', 'jobs at a time, one CPU thread each (default: the number of CPUs)', parsePositiveInt)
    .option('--results <file>', 'append one `detect --json` line per finished job (with its job id); safe to share between workers on one file system')
    .option('--key-file <file>', 'secret key for the watermark; default: the public key')
    .option('--max-pixels <n>', 'refuse images over this many pixels (default 100000000)', parseMaxPixels)
    .option('--max-bytes <n>', 'refuse sources over this many bytes (default 209715200)', parsePositiveInt, 200 * 1024 * 1024)
    .option('--fetch-timeout <seconds>', 'time limit for fetching one URL (default 60)', parsePositiveInt, 60)
    .option('--stalled-after <seconds>', 'a dead worker\'s job goes back to the queue after this long (default 30)', parsePositiveInt, 30)
    .action(async (options: WorkerCliOptions) => {
      io.exit(await runWorker(options, io));
    });
}

async function runWorker(options: WorkerCliOptions, io: CliIo): Promise<ExitCode> {
  const out = new Output(false, io);
  let key: Uint8Array | null;
  let sink: ResultSink | null = null;
  let connection: Redis;
  try {
    key = await readKeyFile(options.keyFile);
    connection = await connectRedis(options.redis);
    if (options.results) sink = await ResultSink.open(options.results);
  } catch (e) {
    return out.failure(null, e);
  }
  const concurrency = options.concurrency ?? availableParallelism();
  const running = startWorker({
    connection,
    concurrency,
    sink,
    key,
    maxPixels: options.maxPixels,
    source: { maxBytes: options.maxBytes, timeoutMs: options.fetchTimeout * 1000 },
    stalledMs: options.stalledAfter * 1000,
  });
  await running.worker.waitUntilReady();
  out.note(`aigc-mark worker: ${concurrency} at a time${sink ? `, results in ${sink.path}` : ''}`);

  // SIGTERM drains: no new jobs, the active ones finish and are recorded, then exit.
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  out.note(`aigc-mark worker: ${signal}, finishing active jobs`);
  await running.drain();
  await sink?.close();
  connection.disconnect();
  out.note('aigc-mark worker: stopped');
  return EXIT.OK;
}
