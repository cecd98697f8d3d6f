// The browser bundle (dist/browser) in Debian's Chromium, driven by playwright-core: the WASM core
// loads from the bundle's directory, images and audio round-trip through real browser codecs
// (canvas JPEG q0.75, Web Audio resampling), and the demo page marks and detects a file.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectExplicitLabel, detectImage, drawExplicitLabel, readMetadataLabel, type AigcLabel, type ExplicitImageOptions, type WatermarkPayload } from '../../../src/node.js';
import { encodeMp3 } from '../../../src/audio/mp3.js';
import { speechLike, speechLikeWav } from '../../support/audio.js';
import { texturedImage } from '../../support/images.js';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const BUNDLE_DIR = join(ROOT, 'dist/browser');
const HARNESS_DIR = join(ROOT, 'test/interop/browser');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PRODUCER = '001191440300708461136T1XGW3';

/** Newest mtime under a directory (files only), for the bundle's staleness check. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Builds dist/browser when it is missing or older than src/, web/ or the build script. */
function ensureBundle(): void {
  const bundle = join(BUNDLE_DIR, 'aigc-mark.js');
  const inputs = Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'web')), statSync(join(ROOT, 'scripts/build-browser.mjs')).mtimeMs);
  if (existsSync(bundle) && existsSync(join(BUNDLE_DIR, 'index.html')) && statSync(bundle).mtimeMs >= inputs) return;
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-browser.mjs')], { cwd: ROOT, stdio: 'pipe' });
}

/** Uses of Node-only globals and modules in the bundle, each with the source module it came from. */
function nodeOnly(code: string): string[] {
  const found: string[] = [];
  let module = '?';
  for (const line of code.split('\n')) {
    const header = /^\/\/ (src\/\S+)$/.exec(line);
    if (header) module = header[1];
    else if (/\b(?:process\.|Buffer\.|require\(|__dirname|from ["']node:)/.test(line)) found.push(`${module}: ${line.trim().slice(0, 120)}`);
  }
  return found;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/** Static files: /test/* from test/interop/browser, everything else from dist/browser. */
function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const [base, rest] = path.startsWith('/test/') ? [HARNESS_DIR, path.slice(6)] : [BUNDLE_DIR, path.slice(1) || 'index.html'];
    const file = normalize(join(base, rest));
    if (!file.startsWith(base + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

let server: Server;
let browser: Browser;
let origin: string;
let harness: Page;
const pageErrors: string[] = [];

async function openPage(path: string): Promise<Page> {
  const page = await browser.newPage({ acceptDownloads: true });
  page.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`${path}: console: ${message.text()}`);
  });
  page.on('requestfailed', (request) => {
    // A media element cancels its own reads of a blob: clip as it buffers; that is not a failure.
    if (request.url().startsWith('blob:') && request.failure()?.errorText === 'net::ERR_ABORTED') return;
    pageErrors.push(`${path}: request failed: ${request.url()}`);
  });
  await page.goto(`${origin}${path}`);
  return page;
}

const fields = (label: string, produceId?: string) => ({ producer: PRODUCER, label, ...(produceId ? { produceId } : {}) });

interface Detection {
  found: boolean;
  payload: WatermarkPayload | null;
  score: number;
}

/** Found, and the 96-bit payload back field for field: label, producer hash and the exact minted ProduceID. */
function expectPayload(detection: Detection, embedded: WatermarkPayload, label: AigcLabel): void {
  expect(detection.found).toBe(true);
  expect(detection.payload).toEqual(embedded);
  expect(detection.payload?.label).toBe(label.Label);
  expect(detection.payload?.content).toEqual({ kind: 'minted', produceId: label.ProduceID });
}

describe('browser bundle in Chromium', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: the browser test needs it (Debian: apt-get install chromium; .ci/run installs it), ` +
          'or set CHROMIUM_PATH.',
      );
    }
    ensureBundle();
    server = await serve();
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    harness = await openPage('/test/harness.html');
    try {
      await harness.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 20_000 });
    } catch (error) {
      const offenders = nodeOnly(readFileSync(join(BUNDLE_DIR, 'aigc-mark.js'), 'utf8'));
      throw new Error(
        `The harness page did not start: ${pageErrors.join('; ') || String(error)}` +
          (offenders.length ? `. Node-only code in the universal bundle: ${offenders.join(' | ')}` : ''),
      );
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
  });

  it('bundle: one ES module with both cores beside it, and no Node-only globals', () => {
    const code = readFileSync(join(BUNDLE_DIR, 'aigc-mark.js'), 'utf8');
    expect(existsSync(join(BUNDLE_DIR, 'core.simd.wasm'))).toBe(true);
    expect(existsSync(join(BUNDLE_DIR, 'core.scalar.wasm'))).toBe(true);
    expect(code).toMatch(/new URL\(\s*(?:\/\*[^*]*\*\/\s*)?`\.\/\$\{\w+\}`,\s*import\.meta\.url/);
    expect(code).not.toMatch(/data:application\/wasm|import\.meta\.glob/);
    expect(nodeOnly(code), 'the universal entry (src/index.ts) must run without Node globals').toEqual([]);
  });

  it('loads the SIMD core from next to the bundle', async () => {
    const core = await harness.evaluate('harness.core()');
    expect(core).toMatchObject({ flavor: 'simd', simdSupported: true });
    expect(pageErrors).toEqual([]);
  });

  it('falls back to the scalar core where WebAssembly.validate rejects SIMD', async () => {
    const page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(`no-simd page: ${error.message}`));
    const fetched: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('.wasm')) fetched.push(new URL(request.url()).pathname);
    });
    // A browser without Wasm SIMD: validate() says no to any module using the 0xfd (SIMD) prefix.
    await page.addInitScript(() => {
      const validate = WebAssembly.validate.bind(WebAssembly);
      WebAssembly.validate = (bytes: BufferSource) => {
        const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        return !view.includes(0xfd) && validate(bytes);
      };
    });
    await page.goto(`${origin}/test/harness.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    expect(await page.evaluate('harness.core()')).toMatchObject({ flavor: 'scalar', simdSupported: false });
    const r = (await page.evaluate(`harness.image(256, 256, ${JSON.stringify(fields('1'))})`)) as {
      label: AigcLabel;
      embedded: WatermarkPayload;
      clean: Detection;
      jpeg: { detection: Detection };
    };
    expectPayload(r.clean, r.embedded, r.label);
    expectPayload(r.jpeg.detection, r.embedded, r.label);
    expect(fetched).toEqual(['/core.scalar.wasm']);
    await page.close();
  });

  it('loads either flavour on request, and each reads its own mark', async () => {
    const result = (await harness.evaluate('harness.bothFlavours()')) as Record<string, { loaded: string; found: boolean; produceId: string }> & {
      label: AigcLabel;
    };
    for (const flavor of ['simd', 'scalar']) {
      expect(result[flavor]).toMatchObject({ loaded: flavor, found: true, produceId: result.label.ProduceID });
    }
  });

  it.each([
    [512, 512, '1'],
    [1920, 1080, '2'],
  ])('image %i×%i, label %s: exact payload back, also after a canvas JPEG q0.75 re-encode', async (width, height, attr) => {
    const r = (await harness.evaluate(`harness.image(${width}, ${height}, ${JSON.stringify(fields(attr))})`)) as {
      label: AigcLabel;
      embedded: WatermarkPayload;
      psnr: number;
      changedBytes: number;
      clean: Detection;
      jpeg: { blobType: string; bytes: number; magic: number[]; meanAbsDiff: number; detection: Detection };
      unmarked: Detection;
      ms: Record<string, number>;
    };
    expect(r.label.Label).toBe(attr);
    expect(r.changedBytes).toBeGreaterThan(0);
    expect(r.psnr).toBeGreaterThan(40);
    expectPayload(r.clean, r.embedded, r.label);
    // A real lossy pass: Chromium's JPEG encoder, and decoded pixels that differ from the marked ones.
    expect(r.jpeg.blobType).toBe('image/jpeg');
    expect(r.jpeg.magic).toEqual([0xff, 0xd8, 0xff]);
    expect(r.jpeg.meanAbsDiff).toBeGreaterThan(0.5);
    expectPayload(r.jpeg.detection, r.embedded, r.label);
    expect(r.unmarked).toMatchObject({ found: false, payload: null });
    const ms = Object.entries(r.ms).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ');
    console.log(`chromium ${width}×${height}: PSNR ${r.psnr.toFixed(1)} dB, JPEG ${r.jpeg.bytes} B (mean |Δ| ${r.jpeg.meanAbsDiff.toFixed(2)}); ${ms}`);
  });

  it('audio 10 s stereo 44.1 kHz: label back, also after Web Audio resamples it to 48 kHz', async () => {
    const r = (await harness.evaluate(`harness.audio(${JSON.stringify(fields('3'))})`)) as {
      label: AigcLabel;
      embedded: WatermarkPayload;
      snr: number;
      clean: Detection;
      resampled: { rate: number; length: number; detection: Detection };
      unmarked: Detection;
      ms: Record<string, number>;
    };
    expect(r.snr).toBeGreaterThan(25);
    expectPayload(r.clean, r.embedded, r.label);
    expect(r.resampled.rate).toBe(48000);
    expect(r.resampled.length).toBe(480000);
    expectPayload(r.resampled.detection, r.embedded, r.label);
    expect(r.unmarked).toMatchObject({ found: false, payload: null });
    const ms = Object.entries(r.ms).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ');
    console.log(`chromium audio 10 s: SNR ${r.snr.toFixed(1)} dB; ${ms}`);
  });

  it('draws the visible label byte-identically to Node, with no fonts involved', async () => {
    for (const options of [{}, { text: '人工智能生成', position: 'top-left', heightFraction: 0.08 }, { text: 'AI合成', position: 'right', style: 'plate' }]) {
      const r = (await harness.evaluate(`harness.explicitLabel(320, 240, ${JSON.stringify(options)})`)) as { input: string; output: string; found: boolean };
      const input = new Uint8Array(Buffer.from(r.input, 'base64'));
      const node = drawExplicitLabel(input, 320, 240, options as ExplicitImageOptions);
      expect(Buffer.from(node.rgba).equals(Buffer.from(r.output, 'base64')), JSON.stringify(options)).toBe(true);
      expect(r.found).toBe(true);
    }
  });

  it('writes and reads the GB 45438 label in PNG XMP', async () => {
    const r = (await harness.evaluate(`harness.metadata(${JSON.stringify(fields('2', 'order-2026-0001'))})`)) as {
      label: AigcLabel;
      read: AigcLabel | null;
      before: AigcLabel | null;
    };
    expect(r.before).toBeNull();
    expect(r.read).toEqual(r.label);
    expect(r.read?.ProduceID).toBe('order-2026-0001');
  });

  it('demo page: marks a PNG with the explicit label, shows the verdict, the fields, where the marks are, and outlines the label', async () => {
    const page = await openPage('/index.html');
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.waitForFunction(() => document.body.dataset.core);
    expect(await page.evaluate(() => document.body.dataset.core)).toBe('simd');

    const width = 640;
    const height = 480;
    // Light grain: the picture stays photo-like and the screenshot stays small.
    const input = await sharp(Buffer.from(texturedImage(width, height, 5, 6)), { raw: { width, height, channels: 4 } }).png().toBuffer();
    await page.setInputFiles('#mark-file', { name: 'render.png', mimeType: 'image/png', buffer: input });
    await page.selectOption('#label', '2');
    await page.fill('#reserved1', 'demo');
    await page.check('#explicit');
    await page.selectOption('#explicit-position', 'top-right');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#mark')]);
    expect(download.suggestedFilename()).toBe('render.marked.png');
    const marked = readFileSync(await download.path());
    await page.waitForSelector('#mark-out[data-state="done"]');
    const cell = (root: string, field: string, source = 'td') => page.textContent(`${root} tr[data-field="${field}"] ${source}`).then((t) => t ?? '');
    expect(await cell('#mark-out', 'Label')).toBe('2');
    expect(await cell('#mark-out', 'ReservedCode1')).toBe('demo');
    const produceId = await cell('#mark-out', 'ProduceID');
    expect(await cell('#mark-out', 'watermark')).toContain(`ProduceID ${produceId}`);
    expect(await cell('#mark-out', 'explicit')).toMatch(/^"AI生成" at top-right/);

    // Cross-check the downloaded file with the Node build: XMP label, watermark, visible label.
    const label = readMetadataLabel(marked);
    expect(label).toMatchObject({ Label: '2', ContentProducer: PRODUCER, ProduceID: produceId, ReservedCode1: 'demo' });
    const { data, info } = await sharp(marked).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([width, height]);
    expect((await detectImage(data, width, height)).payload?.content).toEqual({ kind: 'minted', produceId });
    expect(detectExplicitLabel(data, width, height)).toMatchObject({ found: true, text: 'AI生成', position: 'top-right' });

    // Detect in the page: the marked PNG (all three layers), a JPEG q75 without metadata, the original.
    const detect = async (name: string, mimeType: string, buffer: Buffer) => {
      await page.evaluate(() => {
        document.getElementById('detect-out')!.dataset.state = 'busy';
      });
      await page.setInputFiles('#detect-file', { name, mimeType, buffer });
      await page.waitForSelector('#detect-out[data-state="done"], #detect-out[data-state="error"]');
      const badge = page.locator('#detect-out [data-role="verdict"]');
      return { tier: await badge.getAttribute('data-tier'), badge: await badge.textContent(), basis: await page.textContent('#detect-out [data-role="basis"]') };
    };
    const R = '#detect-out';
    expect(await detect('render.marked.png', 'image/png', marked)).toEqual({ tier: 'verified', badge: 'verified', basis: 'Label 1, from metadata+watermark' });
    expect(await cell(`${R} [data-role="label-fields"]`, 'Label', 'td[data-source="metadata"]')).toBe('2');
    expect(await cell(`${R} [data-role="label-fields"]`, 'Label', 'td[data-source="watermark"]')).toBe('2');
    expect(await cell(`${R} [data-role="label-fields"]`, 'ProduceID', 'td[data-source="metadata"]')).toBe(produceId);
    expect(await cell(`${R} [data-role="label-fields"]`, 'ProduceID', 'td[data-source="watermark"]')).toBe(produceId);
    expect(await cell(`${R} [data-role="label-fields"]`, 'ContentProducer', 'td[data-source="watermark"]')).toBe('✓ matches (hash)');
    expect(await cell(`${R} [data-role="label-fields"]`, 'ReservedCode1', 'td[data-source="metadata"]')).toBe('demo');
    expect(await cell(`${R} [data-role="watermark"]`, 'found')).toBe('yes');
    expect(await cell(`${R} [data-role="watermark"]`, 'offset')).toMatch(/^\d+, \d+ px$/);
    expect(await cell(`${R} [data-role="watermark"]`, 'orientation')).toBe('none');
    expect(await cell(`${R} [data-role="explicit"]`, 'found')).toBe('yes');
    expect(await cell(`${R} [data-role="explicit"]`, 'position')).toBe('top-right');
    expect(await page.locator(`${R} [data-role="findings"]`).count()).toBe(0);

    // The explicit label is outlined on the picture: the outline's top edge is drawn in the outline colour.
    const [x, y, w] = (await cell(`${R} [data-role="explicit"]`, 'box')).split(/[^\d]+/).map(Number);
    const line = Math.max(2, Math.round(Math.min(width, height) / 200));
    const pixel = await page.evaluate(
      ([px, py]) => Array.from((document.getElementById('preview') as HTMLCanvasElement).getContext('2d')!.getImageData(px, py, 1, 1).data),
      [x + Math.round(w / 2), y - line] as const,
    );
    expect(pixel).toEqual([255, 0, 170, 255]);
    // The README's picture of the page; a palette PNG keeps it small in the repository.
    await sharp(await page.screenshot({ fullPage: true })).png({ palette: true, colours: 64, dither: 0, compressionLevel: 9 }).toFile(join(ROOT, 'docs/demo.png'));

    const jpeg = await sharp(marked).jpeg({ quality: 75 }).toBuffer();
    expect(await detect('render.jpg', 'image/jpeg', jpeg)).toEqual({ tier: 'verified', badge: 'verified', basis: 'Label 1, from watermark' });
    expect(await cell(`${R} [data-role="label-fields"]`, 'ProduceID', 'td[data-source="metadata"]')).toBe('—');
    expect(await cell(`${R} [data-role="label-fields"]`, 'ProduceID', 'td[data-source="watermark"]')).toBe(produceId);
    expect(await page.getAttribute(`${R} [data-role="findings"] li`, 'data-code')).toBe('METADATA_STRIPPED');
    expect(await cell(`${R} [data-role="explicit"]`, 'found')).toBe('yes');

    expect(await detect('render.png', 'image/png', input)).toEqual({ tier: 'none', badge: 'none', basis: 'no label found' });
    expect(await cell(`${R} [data-role="watermark"]`, 'found')).toBe('no');
    expect(await cell(`${R} [data-role="explicit"]`, 'found')).toBe('no');
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('demo page: marks a WAV and an MP3 with the rhythm prompt, plays the result back, and detects it', async () => {
    const page = await openPage('/index.html');
    await page.waitForFunction(() => document.body.dataset.core);
    const seconds = 8;
    const wav = Buffer.from(speechLikeWav(seconds));
    const mp3 = Buffer.from(await encodeMp3(speechLike(seconds), 44100, 128));
    const cell = (root: string, field: string) => page.textContent(`${root} tr[data-field="${field}"] td`).then((t) => t ?? '');
    for (const [name, mimeType, buffer, where] of [['speech.wav', 'audio/wav', wav, 'end'], ['speech.mp3', 'audio/mpeg', mp3, 'start']] as const) {
      await page.setInputFiles('#audio-file', { name, mimeType, buffer });
      await page.selectOption('#audio-prompt-position', where);
      await page.click('#audio-mark');
      await page.waitForSelector('#audio-mark-out[data-state="done"], #audio-mark-out[data-state="error"]');
      expect(await cell('#audio-mark-out', 'explicit')).toMatch(new RegExp(`^rhythm prompt at the ${where}, `));
      const produceId = await cell('#audio-mark-out', 'ProduceID');
      // Playback: the player holds the marked clip, the prompt included, and plays it.
      await page.waitForFunction(() => Number.isFinite((document.getElementById('audio-player') as HTMLAudioElement).duration));
      const duration = await page.evaluate(() => (document.getElementById('audio-player') as HTMLAudioElement).duration);
      expect(duration).toBeGreaterThan(seconds + 1);
      await page.evaluate(() => (document.getElementById('audio-player') as HTMLAudioElement).play());
      await page.waitForFunction(() => (document.getElementById('audio-player') as HTMLAudioElement).currentTime > 0);
      await page.evaluate(() => (document.getElementById('audio-player') as HTMLAudioElement).pause());

      await page.evaluate(() => {
        document.getElementById('audio-out')!.dataset.state = 'busy';
      });
      await page.click('#audio-detect');
      await page.waitForSelector('#audio-out[data-state="done"], #audio-out[data-state="error"]');
      expect(await page.getAttribute('#audio-out [data-role="verdict"]', 'data-tier')).toBe('verified');
      expect(await page.textContent('#audio-out [data-role="basis"]')).toBe('Label 1, from metadata+watermark');
      expect(await page.textContent('#audio-out [data-role="label-fields"] tr[data-field="ProduceID"] td[data-source="watermark"]')).toBe(produceId);
      expect(await cell('#audio-out [data-role="watermark"]', 'found')).toBe('yes');
      expect(await cell('#audio-out [data-role="explicit"]', 'found')).toBe('yes');
      const [start] = (await cell('#audio-out [data-role="explicit"]', 'prompt')).match(/[\d.]+/)!.map(Number);
      expect(where === 'end' ? start > seconds - 0.5 : start < 0.5).toBe(true);
    }
    // The unmarked file, picked for detection: nothing there.
    await page.evaluate(() => {
      document.getElementById('audio-out')!.dataset.state = 'busy';
    });
    await page.setInputFiles('#audio-detect-file', { name: 'speech.wav', mimeType: 'audio/wav', buffer: wav });
    await page.waitForSelector('#audio-out[data-state="done"], #audio-out[data-state="error"]');
    expect(await page.getAttribute('#audio-out [data-role="verdict"]', 'data-tier')).toBe('none');
    expect(await cell('#audio-out [data-role="explicit"]', 'found')).toBe('no');
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
