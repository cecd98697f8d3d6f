import { createServer, type Server } from 'node:http';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAME } from '../../src/service/queue/connection.js';
import { bin, cli, jsonLines, png, tempDir } from '../cli/helpers.js';
import { startRedis, startWorker, type Started } from './processes.js';

const PRODUCER = '001191440300708461136T1XGW3';

let redis: { url: string; stop(): Promise<void> };
let client: Redis;
let queue: Queue;
const workers: Started[] = [];

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url, { maxRetriesPerRequest: null });
  queue = new Queue(QUEUE_NAME, { connection: client });
});

afterEach(async () => {
  for (const w of workers.splice(0)) if (w.child.exitCode === null && w.child.signalCode === null) (w.child.kill('SIGKILL'), await w.exited);
  await client.flushall();
});

afterAll(async () => {
  await queue?.close();
  client?.disconnect();
  await redis?.stop();
});

async function worker(args: string[]): Promise<Started> {
  const w = await startWorker(['--redis', redis.url, ...args]);
  workers.push(w);
  return w;
}

async function report(): Promise<any> {
  const run = await bin(['queue', 'report', '--redis', redis.url, '--json']);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

/** Polls until every job has finished (completed or failed for good). */
async function waitFinished(expected: number, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const c = await queue.getJobCounts('completed', 'failed');
    if (c.completed! + c.failed! >= expected) return;
    if (Date.now() > until) throw new Error(`only ${c.completed} completed and ${c.failed} failed of ${expected}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const readLines = async (path: string) => jsonLines(await readFile(path, 'utf8'));

async function stop(w: Started): Promise<number | null> {
  w.child.kill('SIGTERM');
  return w.exited;
}

describe('queue add, worker, queue report on a real redis-server', () => {
  it('detects every file once, fails bad input at once with its code, and does not re-add unchanged files', async () => {
    const dir = await tempDir();
    for (let i = 0; i < 5; i++) await writeFile(join(dir, `plain${i}.png`), await png(200 + i * 8, 160));
    const source = join(dir, 'source.png');
    await writeFile(source, await png(320, 240));
    const marked = join(dir, 'marked.png');
    expect((await cli(['mark', source, '-o', marked, '--producer', PRODUCER])).code).toBe(0);
    await writeFile(join(dir, 'cut.png'), (await png(300, 200)).subarray(0, 500));
    await writeFile(join(dir, 'really-a.gif.png'), Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;'));
    await writeFile(join(dir, 'notes.txt'), 'not media');
    const total = 9; // 5 plain + source + marked + cut + gif; the .txt is not media

    const added = await bin(['queue', 'add', '--redis', redis.url, dir]);
    expect(added.code).toBe(0);
    expect(added.stdout.trim()).toBe(`added ${total} jobs`);
    const again = await bin(['queue', 'add', '--redis', redis.url, dir, marked]);
    expect(again.stdout.trim()).toBe(`added 0 jobs (${total} already queued)`);
    // A changed file (new modification time) is new work.
    await utimes(source, new Date(), new Date(Date.now() + 5000));
    expect((await bin(['queue', 'add', '--redis', redis.url, source])).stdout.trim()).toBe('added 1 job');

    const results = join(dir, 'results.ndjson');
    const w = await worker(['--concurrency', '2', '--results', results]);
    await waitFinished(total + 1);
    expect(await stop(w)).toBe(0);

    const lines = await readLines(results);
    expect(lines).toHaveLength(total + 1);
    expect(new Set(lines.map((l) => l.job)).size).toBe(total + 1);
    const byFile = (name: string) => lines.filter((l) => l.file === join(dir, name));
    expect(byFile('source.png')).toHaveLength(2);

    // A line is `detect --json`'s document for the file, plus the job id; the job's result is the same.
    const [line] = byFile('marked.png');
    const [expected] = jsonLines((await cli(['detect', marked, '--json'])).stdout);
    const { job, ...doc } = line;
    expect(doc).toEqual(expected);
    expect(doc.verdict).toEqual({ label: '1', basis: 'metadata+watermark', tier: 'verified' });
    expect((await queue.getJob(job))!.returnvalue).toEqual(line);

    expect(byFile('cut.png')[0].error.code).toBe('CORRUPT_FILE');
    expect(byFile('really-a.gif.png')[0].error.code).toBe('UNSUPPORTED_FORMAT');
    for (const bad of [...byFile('cut.png'), ...byFile('really-a.gif.png')]) {
      const j = (await queue.getJob(bad.job))!;
      expect(j.attemptsMade).toBe(1); // no retries for bad input
      expect(j.failedReason).toMatch(/^(CORRUPT_FILE|UNSUPPORTED_FORMAT): /);
    }

    const r = await report();
    expect(r).toMatchObject({ total: total + 1, waiting: 0, active: 0, completed: total - 1, failed: 2 });
    expect(r.verdicts).toEqual({ '1': 1, none: total - 2 });
    expect(r.errors).toEqual({ CORRUPT_FILE: 1, UNSUPPORTED_FORMAT: 1 });
    expect(r.throughput).toBeGreaterThan(0);
    const human = await bin(['queue', 'report', '--redis', redis.url]);
    expect(human.stdout).toMatch(/error CORRUPT_FILE\s+1/);
  });

  it('fetches http(s) URLs with size limits, retries a server error with backoff, and fails a 404 at once', async () => {
    const image = await png(256, 192);
    let flakyCalls = 0;
    const server: Server = createServer((req, res) => {
      if (req.url === '/ok.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(image);
      if (req.url === '/flaky.png') {
        // Answers HEAD and the first GET with 503: a transient failure the worker must retry.
        if (req.method === 'GET' && ++flakyCalls > 1) return res.writeHead(200).end(image);
        return res.writeHead(503).end();
      }
      if (req.url === '/huge.png') {
        // No Content-Length: the worker must count the bytes itself.
        res.writeHead(200, { 'content-type': 'image/png' });
        res.write(image);
        return res.end(Buffer.alloc(300_000));
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const urls = ['/ok.png', '/flaky.png', '/huge.png', '/missing.png'].map((p) => base + p);
      expect((await bin(['queue', 'add', '--redis', redis.url, ...urls])).stdout.trim()).toBe('added 4 jobs');
      const results = join(await tempDir(), 'results.ndjson');
      const w = await worker(['--concurrency', '2', '--results', results, '--max-bytes', '200000']);
      await waitFinished(4, 60_000);
      expect(await stop(w)).toBe(0);
      const lines = await readLines(results);
      const of = (p: string) => lines.find((l) => l.file === base + p)!;
      expect(lines).toHaveLength(4);
      expect(of('/ok.png').verdict).toEqual({ label: null, basis: 'none', tier: 'none' });
      expect(of('/flaky.png').media).toBe('image');
      expect((await queue.getJob(of('/flaky.png').job))!.attemptsMade).toBe(2);
      expect(of('/huge.png').error.code).toBe('INPUT_TOO_LARGE');
      expect(of('/missing.png').error.code).toBe('FETCH_FAILED');
      expect((await queue.getJob(of('/missing.png').job))!.attemptsMade).toBe(1);
    } finally {
      server.close();
    }
  });
});

describe('faults: a worker killed mid-run loses nothing and doubles nothing', () => {
  it('SIGKILL one worker mid-job, start another: every file has exactly one line', async () => {
    const dir = await tempDir();
    const count = 120;
    const image = await png(160, 140);
    // The same bytes under different paths: the URI is part of a job's identity.
    for (let i = 0; i < count; i++) await writeFile(join(dir, `f${String(i).padStart(4, '0')}.png`), image);
    expect((await bin(['queue', 'add', '--redis', redis.url, dir])).stdout.trim()).toBe(`added ${count} jobs`);
    const results = join(dir, 'results.ndjson');

    const first = await worker(['--concurrency', '2', '--results', results, '--stalled-after', '2']);
    while ((await readLines(results).catch(() => [])).length < 20) await new Promise((r) => setTimeout(r, 100));
    first.child.kill('SIGKILL');
    await first.exited;
    // The dead worker still held jobs: they are active in Redis with nobody working on them.
    expect((await queue.getJobCounts('active')).active).toBeGreaterThanOrEqual(1);
    const before = (await readLines(results)).length;
    expect(before).toBeLessThan(count);

    const second = await worker(['--concurrency', '2', '--results', results, '--stalled-after', '2']);
    await waitFinished(count);
    expect(await stop(second)).toBe(0);

    const lines = await readLines(results);
    const files = lines.map((l) => l.file).sort();
    expect(files).toEqual(Array.from({ length: count }, (_, i) => join(dir, `f${String(i).padStart(4, '0')}.png`)));
    expect(lines.every((l) => l.media === 'image')).toBe(true);
    expect(await report()).toMatchObject({ total: count, completed: count, failed: 0, active: 0, waiting: 0 });
  });
});
