// Queue throughput: node --import tsx bench/service/queue-throughput.ts [--files N]
// The same files detected by 1 worker process, by 2 worker processes (one job at a time each),
// and by 1 process running 2 at a time, on a real redis-server; plus what a job costs besides detection.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { markdownTable, reportHeader, writeFileAtomic } from '../lib/markdown.ts';
import { QUEUE_NAME } from '../../src/service/queue/connection.ts';
import { writeCorpus } from './corpus.ts';
import os from 'node:os';
import { ROOT, arg, buildDist, cli, cpuSeconds, startRedis, startWorker } from './harness.ts';

const FILES = arg('files', 300);
const EMPTY_JOBS = arg('empty-jobs', 400);
const CACHE = join(ROOT, 'bench/work/service');

async function waitFinished(queue: Queue, expected: number): Promise<void> {
  for (;;) {
    const c = await queue.getJobCounts('completed', 'failed');
    if (c.completed! + c.failed! >= expected) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Seconds for `processes` workers (each `--concurrency perProcess`) to finish every job of `dir`,
 * and the CPU seconds the workers used meanwhile (what the run costs, whatever else shares the cores).
 */
async function timeRun(redisUrl: string, client: Redis, queue: Queue, dir: string, count: number, processes: number, perProcess: number): Promise<{ seconds: number; cpu: number }> {
  await client.flushall();
  cli(['queue', 'add', '--redis', redisUrl, dir]);
  // Workers start paused-free but the clock starts only once all are connected and ready.
  await queue.pause();
  const workers = await Promise.all(Array.from({ length: processes }, () => startWorker(redisUrl, ['--concurrency', String(perProcess)])));
  const cpuOf = () => workers.reduce((sum, w) => sum + cpuSeconds(w.child.pid!), 0);
  const cpuBefore = cpuOf();
  const started = performance.now();
  await queue.resume();
  await waitFinished(queue, count);
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuOf() - cpuBefore;
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  return { seconds, cpu };
}

async function pingMs(client: Redis, n = 1000): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < n; i++) await client.ping();
  return (performance.now() - t) / n;
}

async function main(): Promise<void> {
  buildDist();
  await writeCorpus(join(CACHE, 'queue'), FILES);
  // Jobs that fail at once (not an image): what a job costs without detection.
  const emptyDir = join(CACHE, 'empty');
  await writeCorpus(emptyDir, 0);
  for (let i = 0; i < EMPTY_JOBS; i++) await writeFile(join(emptyDir, `e${i}.png`), 'GIF89a');

  const redis = await startRedis();
  const client = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE_NAME, { connection: client });
  const layouts = [
    { name: '1 process × 1', processes: 1, per: 1 },
    { name: '2 processes × 1', processes: 2, per: 1 },
    { name: '1 process × 2', processes: 1, per: 2 },
  ];
  // Two rounds, interleaved, so a shift in the shared machine's load hits every layout alike.
  const loadStart = os.loadavg()[0]!;
  const seconds = new Map<string, number[]>();
  const cpuPerFile = new Map<string, number[]>();
  for (let round = 0; round < 2; round++) {
    for (const l of layouts) {
      const r = await timeRun(redis.url, client, queue, join(CACHE, 'queue'), FILES, l.processes, l.per);
      console.log(l.name, round, r.seconds.toFixed(1), 's', r.cpu.toFixed(1), 'CPU s');
      seconds.set(l.name, [...(seconds.get(l.name) ?? []), r.seconds]);
      cpuPerFile.set(l.name, [...(cpuPerFile.get(l.name) ?? []), (r.cpu * 1000) / FILES]);
    }
  }
  const best = (name: string) => Math.min(...seconds.get(name)!);
  const cpuMs = (name: string) => Math.min(...cpuPerFile.get(name)!);
  const base = FILES / best(layouts[0]!.name);
  const loadEnd = os.loadavg()[0]!;

  const emptySeconds = (await timeRun(redis.url, client, queue, emptyDir, EMPTY_JOBS, 1, 1)).seconds;
  const ping = await pingMs(client);
  await queue.close();
  client.disconnect();
  await redis.stop();

  const rows = layouts.map((l) => {
    const rate = FILES / best(l.name);
    // With every core free, n one-job-at-a-time workers finish n × 1000/cpuMs files per second.
    const projected = (l.processes * l.per * cpuMs(layouts[0]!.name)) / cpuMs(l.name);
    return [l.name, seconds.get(l.name)!.map((s) => s.toFixed(1)).join(', '), rate.toFixed(2), `${(rate / base).toFixed(2)}×`, cpuMs(l.name).toFixed(1), `${projected.toFixed(2)}×`];
  });
  const perJobMs = (emptySeconds * 1000) / EMPTY_JOBS;
  const report = [
    reportHeader({
      title: 'Queue throughput (aigc-mark worker on BullMQ)',
      facts: [
        ['Command', `\`node --import tsx bench/service/queue-throughput.ts --files ${FILES}\``],
        ['Setup', `real redis-server on localhost; ${FILES} files = 16 distinct 256×256 PNG landscapes (unmarked: the full search runs) under distinct paths; jobs added with \`queue add\`, workers are \`node dist/src/cli/main.js worker\` started and ready before the clock starts (the queue is paused until then)`],
        ['Method', 'two interleaved rounds per layout; the rate uses the faster round (the machine is shared and noisy)'],
      ],
    }),
    '',
    markdownTable({ title: 'Files per second', headers: ['workers', 'seconds (rounds)', 'files/s', 'vs 1 process', 'worker CPU ms per file', 'with free cores vs 1 process'], rows }),
    '',
    `The machine's load average was ${loadStart.toFixed(1)} at the start and ${loadEnd.toFixed(1)} at the end on ${os.cpus().length} cores: other jobs held most of the CPU, so the measured`,
    '"vs 1 process" is what was left over, not what a second core gives. The last column takes the CPU the workers actually',
    'used per file (from /proc, all threads) and asks what n workers achieve when each has a core: n × (CPU per file with',
    '1 process) / (CPU per file in this layout). It stays below n only as far as the layout spends more CPU per file.',
    '',
    markdownTable({
      title: 'What a job costs besides detection',
      headers: ['measure', 'ms'],
      rows: [
        ['Redis PING round trip (ioredis, localhost)', ping.toFixed(3)],
        [`whole job that fails at once (${EMPTY_JOBS} jobs, 1 worker × 1): fetch from Redis, read file, pool hop, record the failure`, perJobMs.toFixed(2)],
      ],
    }),
    '',
    '**How it extends to N machines.** Workers take jobs from the one Redis on their own; there is no coordinator, so',
    'throughput grows with the cores doing detection until Redis or the shared storage saturates. Per job, BullMQ spends a',
    'handful of Redis round trips (take and lock, lock renewals while it runs, complete or fail). The whole cost of a job',
    `besides detection, measured above with jobs that fail at once, is ${perJobMs.toFixed(1)} ms of worker time on localhost, ${((100 * perJobMs) / (1000 / base)).toFixed(0)}% of`,
    `a detection here (${(1000 / base).toFixed(0)} ms per file per core); across a LAN add a few round trips at the network's latency. Redis`,
    'does on the order of 100,000 simple commands per second on one core; at about ten commands per job, one Redis can feed',
    'on the order of 10,000 jobs per second, hundreds of worker cores at this detection speed.',
    '',
  ].join('\n');
  writeFileAtomic(join(ROOT, 'bench/results/service-queue.md'), report);
  console.log(report);
}

await main();
