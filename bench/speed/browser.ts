/**
 * Browser against Node: the same calls on the same inputs, in Debian's Chromium (the built bundle,
 * dist/browser, driven by playwright-core) and in this Node process (dist/src/node.js). Each side
 * times one call with performance.now() where it runs, so neither the page round trip nor the
 * transfer of inputs is counted. After WARMUP untimed calls per side, the calls alternate
 * (browser, Node, browser, Node, ...) so a busy moment on the shared machine hits both; figures
 * are medians of RUNS calls. Ratio = browser ÷ Node; the goal is within 2×.
 * Writes bench/results/speed-browser.md.
 *
 *   npm run build && npm run bench:browser
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { markdownTable, reportHeader, writeFileAtomic } from '../lib/markdown.ts';
import { fmt, median } from '../lib/stats.ts';
import { speedInputs } from './inputs.ts';

const RUNS = Math.max(7, Number(process.env.RUNS ?? 7));
const WARMUP = 2;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BUNDLE_DIR = resolve('dist/browser');
const PAGE_SCRIPT = resolve('bench/speed/browser-page.js');
const NODE_ENTRY = resolve('dist/src/node.js');
const PRODUCER = '91110000MA01ABCDEF123456789';
const PRODUCE_ID = 'AM2Q3WC88';
if (!existsSync(join(BUNDLE_DIR, 'aigc-mark.js')) || !existsSync(NODE_ENTRY)) throw new Error('Build first (npm run build): dist/browser and dist/src are needed.');
if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (Debian: apt-get install chromium), or set CHROMIUM_PATH.`);

const api = (await import(pathToFileURL(NODE_ENTRY).href)) as typeof import('../../src/node.ts');
const inputs = speedInputs();
const image = await api.decodeImageFile(new Uint8Array(readFileSync(inputs.png)));
const audio = await api.decodeAudioFile(new Uint8Array(readFileSync(inputs.wav30)));
const seconds = audio.channels[0]!.length / audio.sampleRate;
const label = api.createLabel({ producer: PRODUCER, produceId: PRODUCE_ID });
const markedImage = await api.embedImage(image.rgba, image.width, image.height, label);
const markedAudio = await api.embedAudio(audio.channels, audio.sampleRate, label);
const nodeCalls: Record<string, () => Promise<object>> = {
  embedImage: () => api.embedImage(image.rgba, image.width, image.height, label),
  detectImageUnmarked: () => api.detectImage(image.rgba, image.width, image.height),
  detectImageMarked: () => api.detectImage(markedImage.rgba, image.width, image.height),
  embedAudio: () => api.embedAudio(audio.channels, audio.sampleRate, label),
  detectAudioUnmarked: () => api.detectAudio(audio.channels, audio.sampleRate),
  detectAudioMarked: () => api.detectAudio(markedAudio.channels, audio.sampleRate),
};
const CALLS: [keyof typeof nodeCalls, string][] = [
  ['embedImage', 'embedImage, 1080p'],
  ['detectImageUnmarked', 'detectImage, unmarked 1080p'],
  ['detectImageMarked', 'detectImage, marked 1080p'],
  ['embedAudio', `embedAudio, ${seconds.toFixed(0)} s stereo`],
  ['detectAudioUnmarked', `detectAudio, unmarked ${seconds.toFixed(0)} s`],
  ['detectAudioMarked', `detectAudio, marked ${seconds.toFixed(0)} s`],
];

const sha256 = (arrays: ArrayBufferView[]) => {
  const h = createHash('sha256');
  for (const a of arrays) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
};
const pcm = new Float32Array(audio.channels.length * audio.channels[0]!.length);
audio.channels.forEach((c, i) => pcm.set(c, i * c.length));
const served: Record<string, [string, Uint8Array]> = {
  '/bench.html': ['text/html; charset=utf-8', new TextEncoder().encode('<!doctype html><meta charset="utf-8"><title>aigc-mark speed</title><script type="module" src="/bench-page.js"></script>')],
  '/bench-page.js': ['text/javascript; charset=utf-8', readFileSync(PAGE_SCRIPT)],
  '/input/image.rgba': ['application/octet-stream', new Uint8Array(image.rgba.buffer, image.rgba.byteOffset, image.rgba.byteLength)],
  '/input/audio.f32': ['application/octet-stream', new Uint8Array(pcm.buffer)],
};
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm' };

/** The page, its script and inputs from memory; the bundle and its cores from dist/browser. */
function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(BUNDLE_DIR, path));
    const [type, body] = served[path] ?? (file.startsWith(BUNDLE_DIR + sep) && existsSync(file) ? [TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file)] : [null, null]);
    if (!type) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

const server = await serve();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
const rows: string[][] = [];
let made: { flavor: string; image: string; audio: string; userAgent: string };
try {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/bench.html`);
  await page.waitForFunction(() => document.body?.dataset.ready === 'true', undefined, { timeout: 30_000 }).catch(() => {
    throw new Error(`The bench page did not start: ${errors.join('; ') || 'no error reported'}`);
  });
  made = await page.evaluate(
    (spec) => (window as unknown as { bench: { load: (s: typeof spec) => Promise<typeof made> } }).bench.load(spec),
    { width: image.width, height: image.height, sampleRate: audio.sampleRate, channelCount: audio.channels.length, producer: PRODUCER, produceId: PRODUCE_ID },
  );
  const inPage = (name: string) =>
    page.evaluate((n) => (window as unknown as { bench: { time: (n: string) => Promise<{ ms: number; found: boolean | null }> } }).bench.time(n), name);
  const inNode = async (name: string) => {
    const t0 = performance.now();
    const r = await nodeCalls[name]!();
    return { ms: performance.now() - t0, found: 'found' in r ? (r.found as boolean) : null };
  };
  for (const [name, title] of CALLS) {
    for (let i = 0; i < WARMUP; i++) {
      await inPage(name);
      await inNode(name);
    }
    const b: { ms: number; found: boolean | null }[] = [];
    const n: { ms: number; found: boolean | null }[] = [];
    for (let i = 0; i < RUNS; i++) {
      b.push(await inPage(name));
      n.push(await inNode(name));
    }
    const [bm, nm] = [median(b.map((x) => x.ms)), median(n.map((x) => x.ms))];
    const found = (xs: typeof b) => (xs[0]!.found === null ? '–' : xs.every((x) => x.found === xs[0]!.found) ? (xs[0]!.found ? 'found' : 'not found') : 'varies');
    rows.push([title, fmt(bm, 1), fmt(nm, 1), fmt(bm / nm, 2), bm / nm <= 2 ? 'yes' : 'NO', `${found(b)} / ${found(n)}`]);
    console.error(rows.at(-1)!.join(' | '));
  }
  if (errors.length) throw new Error(`The bench page reported errors: ${errors.join('; ')}`);
} finally {
  await browser.close();
  server.close();
}

const nodeCore = await api.getCore();
const same = (a: string, b: string) => (a === b ? 'identical' : 'DIFFERENT');
const report = [
  reportHeader({
    title: 'Browser against Node: the same calls on the same inputs',
    facts: [
      ['Command', `\`${RUNS !== 7 ? `RUNS=${RUNS} ` : ''}npm run bench:browser\` (bench/speed/browser.ts)`],
      ['Browser', `${made!.userAgent.match(/(?:Headless)?Chrome\/[\d.]+/)?.[0] ?? made!.userAgent} (${CHROMIUM}, headless, playwright-core), the bundle dist/browser/aigc-mark.js; WASM core: ${made!.flavor}`],
      ['Node', `${process.version}, dist/src/node.js in process; WASM core: ${nodeCore.flavor}`],
      ['Inputs', `${inputs.png} (${image.width}×${image.height}, ImageMagick plasma) and ${inputs.wav30} (${seconds.toFixed(0)} s, ${audio.channels.length} channels, ${audio.sampleRate} Hz, loud music); the page gets the decoded RGBA and float samples Node decoded, byte for byte`],
      ['Same output', `marked image ${same(made!.image, sha256([markedImage.rgba]))}, marked audio ${same(made!.audio, sha256(markedAudio.channels))} (SHA-256 of the page's and Node's results)`],
    ],
  }),
  '',
  `Medians of ${RUNS} calls per side after ${WARMUP} warm-up calls per side, browser and Node alternating call by call. ` +
    'Each side times a call with performance.now() where it runs: the page round trip and input transfer are not counted. ' +
    'Ratio = browser ÷ Node; the goal is within 2×.',
  '',
  markdownTable({
    headers: ['call', 'browser ms', 'Node ms', 'browser ÷ Node', 'within 2×', 'result (browser / Node)'],
    align: ['l', 'r', 'r', 'r', 'l', 'l'],
    rows,
  }),
].join('\n');
writeFileAtomic('bench/results/speed-browser.md', report);
console.log(report);
