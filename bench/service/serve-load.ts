// serve under load: node --import tsx bench/service/serve-load.ts [--requests N] [--memory-requests N]
// autocannon posts 1080p JPEG and 512² PNG uploads to /v1/detect of the built `aigc-mark serve`,
// at 8 and 32 connections, while a prober times /healthz; a long run samples the server's memory.
import autocannon from 'autocannon';
import { join } from 'node:path';
import os from 'node:os';
import { markdownTable, reportHeader, writeFileAtomic } from '../lib/markdown.ts';
import { ROOT, arg, buildDist, quantile, sampleRss, startServe, uploads } from './harness.ts';

const REQUESTS = arg('requests', 400);
const MEMORY_REQUESTS = arg('memory-requests', 2000);

interface LoadResult {
  seconds: number;
  ok: number;
  busy: number;
  otherStatus: number;
  socketErrors: number;
  timeouts: number;
  p50: number;
  p99: number;
  health: number[];
}

/** Times GET /healthz every 100 ms while a load runs. */
function probeHealth(url: string): { stop(): Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
      latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return latencies;
    },
  };
}

async function load(url: string, body: Buffer, type: string, connections: number, amount: number): Promise<LoadResult> {
  const prober = probeHealth(url);
  let busy = 0;
  let otherStatus = 0;
  const r = await autocannon({
    url: `${url}/v1/detect`,
    method: 'POST',
    body,
    headers: { 'content-type': type },
    connections,
    amount,
    timeout: 120,
    setupClient: (client) => {
      client.on('response', (status: number) => {
        if (status === 503) busy++;
        else if (status !== 200) otherStatus++;
      });
    },
  });
  return {
    seconds: r.duration,
    ok: r['2xx'],
    busy,
    otherStatus,
    socketErrors: r.errors,
    timeouts: r.timeouts,
    p50: r.latency.p50,
    p99: r.latency.p99,
    health: await prober.stop(),
  };
}

const f1 = (x: number) => x.toFixed(1);
const f0 = (x: number) => x.toFixed(0);

async function main(): Promise<void> {
  buildDist();
  const loadStart = os.loadavg()[0]!;
  const files = await uploads();
  const cases = [
    { name: '512² PNG', body: files.png512, type: 'image/png' },
    { name: '1080p JPEG', body: files.jpeg1080, type: 'image/jpeg' },
  ];

  // Queue limit 32: every connection is admitted, so latency shows queueing rather than shedding.
  const server = await startServe(['--queue-limit', '32']);
  const rows: string[][] = [];
  const measured = new Map<string, LoadResult>();
  const p50Of = (name: string, connections: number) => measured.get(`${name}/${connections}`)!.p50;
  const rateOf = (name: string, connections: number) => {
    const r = measured.get(`${name}/${connections}`)!;
    return r.ok / r.seconds;
  };
  for (const c of cases) {
    await load(server.url, c.body, c.type, 2, 20); // warm the pool threads
    for (const connections of [8, 32]) {
      const r = await load(server.url, c.body, c.type, connections, REQUESTS);
      console.log(c.name, connections, r);
      measured.set(`${c.name}/${connections}`, r);
      rows.push([c.name, String(connections), String(REQUESTS), f1(r.ok / r.seconds), f0(r.p50), f0(r.p99), f1(quantile(r.health, 0.5)), f1(quantile(r.health, 0.99)), f1(Math.max(...r.health)), String(r.otherStatus + r.busy + r.socketErrors + r.timeouts)]);
    }
  }

  // Memory over a long run: the same upload again and again; RSS must level off, not climb.
  const sampler = sampleRss(server.child.pid!, 2000);
  const long = await load(server.url, files.png512, 'image/png', 8, MEMORY_REQUESTS);
  const samples = sampler.stop();
  server.child.kill('SIGTERM');
  const exitCode = await server.exited;
  const at = (fraction: number) => samples[Math.min(samples.length - 1, Math.round(fraction * (samples.length - 1)))]!;
  const memoryRows = [0, 0.1, 0.25, 0.5, 0.75, 1].map((q) => [`${q * 100}%`, f0(at(q).t), f0(at(q).mib)]);

  // Shedding: the default queue limit (4 per thread) under 32 connections answers 503 with Retry-After.
  const shedding = await startServe([]);
  await load(shedding.url, files.png512, 'image/png', 2, 10);
  const shed = await load(shedding.url, files.png512, 'image/png', 32, REQUESTS);
  shedding.child.kill('SIGTERM');
  await shedding.exited;

  const report = [
    reportHeader({
      title: 'Service under load (aigc-mark serve)',
      facts: [
        ['Command', `\`node --import tsx bench/service/serve-load.ts --requests ${REQUESTS} --memory-requests ${MEMORY_REQUESTS}\``],
        ['Server', '`node dist/src/cli/main.js serve --queue-limit 32` (2 pool threads, one per core); the load generator (autocannon 8.0.0) runs on the same 2 cores'],
        ['Uploads', `POST /v1/detect, raw body: 512×512 PNG (${(files.png512.length / 1024).toFixed(0)} KiB) and 1920×1080 JPEG q85 (${(files.jpeg1080.length / 1024).toFixed(0)} KiB), procedural landscapes, unmarked (the full search runs: the worst case)`],
        ['Scale', `${REQUESTS} requests per row and ${MEMORY_REQUESTS} in the memory run, not 10,000: at the measured rate 10,000 uploads take over half an hour of both shared cores per row`],
        ['Machine load', `load average ${loadStart.toFixed(1)} at the start and ${os.loadavg()[0]!.toFixed(1)} at the end on ${os.cpus().length} cores (other jobs share them)`],
        ['Health', '/healthz timed every 100 ms by a prober during each row (target: under 50 ms while the pool is saturated)'],
      ],
    }),
    '',
    markdownTable({
      title: 'Throughput and latency',
      headers: ['upload', 'connections', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'healthz p50 ms', 'healthz p99 ms', 'healthz max ms', 'errors'],
      rows,
    }),
    '',
    `Requests per second are successful answers over the row's wall time; errors counts every answer other than 200, socket errors and time-outs. With 2 threads, a 32-connection row queues up to 30 requests behind the 2 running, so latency grows with the connections (p50 at 32 / p50 at 8: ${cases.map((c) => `${c.name} ${(p50Of(c.name, 32) / p50Of(c.name, 8)).toFixed(1)}×`).join(', ')}) while throughput is bounded by the 2 threads at both (both rows keep the threads busy); the measured req/s at 32 / at 8 (${cases.map((c) => `${c.name} ${(rateOf(c.name, 32) / rateOf(c.name, 8)).toFixed(2)}×`).join(', ')}) shows how far the shared machine's load moved between rows.`,
    '',
    markdownTable({
      title: `Memory over ${MEMORY_REQUESTS} requests (512² PNG, 8 connections): server RSS, threads included`,
      headers: ['into the run', 'seconds', 'RSS MiB'],
      rows: memoryRows,
    }),
    '',
    `${long.ok} of ${MEMORY_REQUESTS} answered 200; errors ${long.otherStatus + long.busy + long.socketErrors + long.timeouts}. Server exit code after SIGTERM: ${exitCode}.`,
    '',
    markdownTable({
      title: 'Shedding: default queue limit (8 places for 2 threads), 32 connections, 512² PNG',
      headers: ['requests', '200', '503 (Retry-After)', 'other errors', 'healthz p99 ms', 'healthz max ms'],
      rows: [[String(REQUESTS), String(shed.ok), String(shed.busy), String(shed.otherStatus + shed.socketErrors + shed.timeouts), f1(quantile(shed.health, 0.99)), f1(Math.max(...shed.health))]],
    }),
    '',
    'A 503 is the service refusing work it cannot start soon, answered at once without reading the body; autocannon then sends the next request on that connection immediately.',
    '',
  ].join('\n');
  writeFileAtomic(join(ROOT, 'bench/results/service-load.md'), report);
  console.log(report);
}

await main();
