// Fault test at scale: node --import tsx bench/service/fault.ts [--files N]
// Enqueue N files, run two workers into one results file, SIGKILL one mid-run, restart it;
// then check that every file has exactly one line: none lost, none doubled.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { markdownTable, reportHeader, writeFileAtomic } from '../lib/markdown.ts';
import { QUEUE_NAME } from '../../src/service/queue/connection.ts';
import { writeCorpus } from './corpus.ts';
import { ROOT, arg, buildDist, cli, startRedis, startWorker } from './harness.ts';

const FILES = arg('files', 2000);
const CACHE = join(ROOT, 'bench/work/service');

async function lines(path: string): Promise<{ file: string; job: string; error?: unknown }[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
}

async function main(): Promise<void> {
  buildDist();
  const dir = join(CACHE, 'fault');
  const paths = await writeCorpus(dir, FILES, 192);
  await writeCorpus(join(CACHE, 'fault-sink'), 0);
  const sink = join(CACHE, 'fault-sink', 'results.ndjson');

  const redis = await startRedis();
  const client = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE_NAME, { connection: client });
  const added = cli(['queue', 'add', '--redis', redis.url, dir]).trim();
  const started = performance.now();

  const args = ['--concurrency', '1', '--results', sink];
  const survivor = await startWorker(redis.url, args);
  let victim = await startWorker(redis.url, args);
  while ((await lines(sink)).length < FILES / 4) await new Promise((r) => setTimeout(r, 100));
  victim.child.kill('SIGKILL');
  await victim.exited;
  const atKill = (await lines(sink)).length;
  const heldByDead = (await queue.getJobCounts('active')).active!;
  victim = await startWorker(redis.url, args);

  for (;;) {
    const c = await queue.getJobCounts('completed', 'failed');
    if (c.completed! + c.failed! >= FILES) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (performance.now() - started) / 1000;
  for (const w of [survivor, victim]) w.child.kill('SIGTERM');
  const exits = await Promise.all([survivor.exited, victim.exited]);
  const counts = await queue.getJobCounts('completed', 'failed', 'active', 'waiting');
  await queue.close();
  client.disconnect();
  await redis.stop();

  const all = await lines(sink);
  const perFile = new Map<string, number>();
  for (const l of all) perFile.set(l.file, (perFile.get(l.file) ?? 0) + 1);
  const missing = paths.filter((p) => !perFile.has(p)).length;
  const doubled = [...perFile.values()].filter((n) => n > 1).length;
  const errors = all.filter((l) => l.error).length;
  const pass = missing === 0 && doubled === 0 && all.length === FILES;

  const report = [
    reportHeader({
      title: 'Fault test: a worker SIGKILLed mid-run (aigc-mark worker on BullMQ)',
      facts: [
        ['Command', `\`node --import tsx bench/service/fault.ts --files ${FILES}\``],
        ['Setup', `real redis-server; ${FILES} files (16 distinct 192×192 PNG landscapes under distinct paths), \`queue add\` (${added}); two \`worker --concurrency 1\` processes share one results file`],
        ['Fault', 'at a quarter of the lines, one worker gets SIGKILL and is started again; jobs it held go back to the queue once their lock lapses (--stalled-after, default 30 s)'],
      ],
    }),
    '',
    markdownTable({
      title: pass ? 'Result: every file has exactly one line' : 'Result: FAILED',
      headers: ['measure', 'value'],
      rows: [
        ['files enqueued', String(FILES)],
        ['lines when the worker was killed', String(atKill)],
        ['jobs active right after the kill (the dead one\'s, plus the survivor\'s if it was busy)', String(heldByDead)],
        ['lines in the results file at the end', String(all.length)],
        ['files with no line', String(missing)],
        ['files with more than one line', String(doubled)],
        ['error lines', String(errors)],
        ['BullMQ completed / failed / active / waiting', `${counts.completed} / ${counts.failed} / ${counts.active} / ${counts.waiting}`],
        ['worker exit codes after SIGTERM', exits.join(', ')],
        ['wall time, seconds (includes the 30 s lock lapse)', seconds.toFixed(0)],
      ],
    }),
    '',
  ].join('\n');
  writeFileAtomic(join(ROOT, 'bench/results/service-fault.md'), report);
  console.log(report);
  if (!pass) process.exitCode = 1;
}

await main();
