// One corpus image, end to end: embed, quality, every attack of the chosen suites, detection,
// and the false-positive probes on the unmarked original. Runs inside a worker process.
import { ATTACKS, FP_ATTACK_IDS, attackSeed, type Suite } from './attacks.ts';
import type { CorpusItem, Split } from './corpus.ts';
import { loadEngine, errorCode, PRODUCER, type EngineApi } from './engine.ts';
import { butteraugli, flattestRegion, psnr, ssimLuma } from './metrics.ts';
import { crop, isGray, readImage, sameAlpha, sharpOf, type Raster } from './raster.ts';
import { writeFileAtomic } from '../lib/markdown.ts';
import { prng } from '../lib/stats.ts';
import sharp from 'sharp';

export interface Job {
  item: CorpusItem;
  suites: Suite[];
  fpCrops: number; // random crops of the unmarked image to probe
  fpAttacks: boolean; // also probe attacked unmarked originals
  butteraugliMaxPixels: number;
  cropPngPath?: string; // write original | marked | 8× diff of the flattest 256² here
  wrongKey: boolean;
  /** Seeds each image's minted ProduceID (reproducible payloads); null mints a random one per run. */
  payloadSeed: number | null;
}

export interface AttackResult {
  attack: string;
  suite: Suite;
  exact: boolean;
  found: boolean;
  bitErrors?: number;
  /** Coded-bit errors against the embedded payload's codeword (engines that support `expect`). */
  expectedBitErrors?: number;
  score?: number;
  ms?: number; // detect
  attackMs?: number;
  size?: string;
  skipped?: string;
  error?: string;
}

export interface FpResult {
  kind: string;
  width: number;
  height: number;
  found: boolean;
  score?: number;
  error?: string;
}

export interface ImageResult {
  id: string;
  /** Absent in result files saved before the corpus had splits: those are all tuning. */
  split?: Split;
  category: string;
  width: number;
  height: number;
  embedError?: string;
  embedMs?: number;
  psnrEngine?: number;
  psnr?: number;
  ssim?: number;
  butteraugliMax?: number;
  butteraugli3?: number;
  alphaPreserved?: boolean;
  grayPreserved?: boolean;
  attacks: AttackResult[];
  fp: FpResult[];
  wallMs: number;
}

const BIG_SKIP_SWEEP = 4_000_000;

async function detect(engine: EngineApi, r: Raster, key?: Uint8Array, expect?: unknown) {
  return engine.detectImage(r.data, r.width, r.height, { ...(key && { key }), ...(expect !== undefined && { expect }) });
}

export async function runImageJob(job: Job): Promise<ImageResult> {
  const t0 = performance.now();
  const engine = await loadEngine();
  const { item } = job;
  const res: ImageResult = { id: item.id, split: item.split, category: item.category, width: item.width, height: item.height, attacks: [], fp: [], wallMs: 0 };
  const orig = await readImage(item.path);
  const label = engine.createLabel({ producer: PRODUCER, produceId: produceIdFor(engine, item.id, job.payloadSeed) });
  const payload = engine.payloadFromLabel(label, false);
  const expected = JSON.stringify(payload);

  // ---- false positives on the unmarked original (done first: independent of embedding) ----
  const fpProbe = async (kind: string, r: Raster) => {
    try {
      const d = await detect(engine, r);
      res.fp.push({ kind, width: r.width, height: r.height, found: d.found, score: d.score });
    } catch (e) {
      res.fp.push({ kind, width: r.width, height: r.height, found: false, error: errorCode(e) });
    }
  };
  if (!item.t0Only) {
    await fpProbe('original', orig);
    if (job.fpAttacks && item.width * item.height <= BIG_SKIP_SWEEP)
      for (const id of FP_ATTACK_IDS) {
        const a = ATTACKS.find((x) => x.id === id)!;
        if (a.skip?.(orig)) continue;
        await fpProbe(`attacked:${id}`, await a.apply(orig, attackSeed(item.id, `fp/${id}`)));
      }
    const rand = prng(0xf00d ^ item.width ^ (item.height << 12));
    for (let c = 0; c < job.fpCrops; c++) {
      const maxSide = Math.min(item.width, item.height);
      if (maxSide < 128) break;
      const w = Math.round(128 + rand() * (Math.min(item.width, 1024) - 128));
      const h = Math.round(128 + rand() * (Math.min(item.height, 1024) - 128));
      const r = crop(orig, Math.floor(rand() * (item.width - w + 1)), Math.floor(rand() * (item.height - h + 1)), w, h);
      await fpProbe('random-crop', r);
    }
  }

  // ---- embed ----
  let marked: Raster;
  try {
    const e0 = performance.now();
    const out = await engine.embedImage(orig.data, orig.width, orig.height, label);
    res.embedMs = performance.now() - e0;
    marked = { data: out.rgba, width: orig.width, height: orig.height };
    res.psnrEngine = out.psnr;
  } catch (e) {
    res.embedError = errorCode(e);
    // A typed IMAGE_TOO_SMALL on an image below one tile is the expected outcome, not a failure.
    const expectedError = res.embedError === 'IMAGE_TOO_SMALL' && (item.width < 128 || item.height < 128);
    res.attacks.push({ attack: 'embed', suite: 'T0', exact: expectedError, found: false, error: res.embedError });
    if (!expectedError)
      for (const a of ATTACKS)
        if (job.suites.includes(a.suite) && (!item.t0Only || a.suite === 'T0'))
          res.attacks.push({ attack: a.id, suite: a.suite, exact: false, found: false, error: `embed failed: ${res.embedError}` });
    res.wallMs = performance.now() - t0;
    return res;
  }
  res.psnr = psnr(orig, marked);
  res.ssim = ssimLuma(orig, marked);
  res.attacks.push({ attack: 'embed', suite: 'T0', exact: true, found: false });
  if (item.hasAlpha) {
    res.alphaPreserved = sameAlpha(orig, marked);
    res.attacks.push({ attack: 'alpha-preserved', suite: 'T0', exact: res.alphaPreserved, found: false });
  }
  if (isGray(orig)) {
    res.grayPreserved = isGray(marked);
    res.attacks.push({ attack: 'gray-stays-gray', suite: 'T0', exact: res.grayPreserved, found: false });
  }
  if (item.width * item.height <= job.butteraugliMaxPixels) {
    try {
      const b = await butteraugli(orig, marked);
      if (b) [res.butteraugliMax, res.butteraugli3] = [b.max, b.pnorm3];
    } catch (e) {
      console.warn(`[butteraugli] ${item.id}: ${errorCode(e)}`);
    }
  }
  if (job.cropPngPath) await writeSideBySide(orig, marked, job.cropPngPath);

  // ---- attacks ----
  const runOne = async (id: string, suite: Suite, make: () => Promise<Raster>, key?: Uint8Array, expectFound = true) => {
    const row: AttackResult = { attack: id, suite, exact: false, found: false };
    let attacked: Raster;
    try {
      const a0 = performance.now();
      attacked = await make();
      row.attackMs = performance.now() - a0;
    } catch (e) {
      row.error = `attack failed: ${errorCode(e)}`;
      res.attacks.push(row);
      return;
    }
    row.size = `${attacked.width}×${attacked.height}`;
    try {
      const d0 = performance.now();
      const d = await detect(engine, attacked, key, expectFound && !key ? payload : undefined);
      row.ms = performance.now() - d0;
      row.found = d.found;
      row.score = d.score;
      if (typeof d.bitErrors === 'number') row.bitErrors = d.bitErrors;
      if (typeof d.expectedBitErrors === 'number') row.expectedBitErrors = d.expectedBitErrors;
      row.exact = expectFound ? d.found && JSON.stringify(d.payload) === expected : !d.found;
    } catch (e) {
      row.error = errorCode(e);
    }
    res.attacks.push(row);
  };

  await runOne('none', 'T0', async () => marked);
  for (const a of ATTACKS) {
    if (!job.suites.includes(a.suite)) continue;
    if (item.t0Only && a.suite !== 'T0') continue;
    if (a.suite === 'SWEEP' && item.width * item.height > BIG_SKIP_SWEEP) continue;
    const why = a.skip?.(marked);
    if (why) {
      res.attacks.push({ attack: a.id, suite: a.suite, exact: false, found: false, skipped: why });
      continue;
    }
    await runOne(a.id, a.suite, () => a.apply(marked, attackSeed(item.id, a.id)));
  }
  if (job.wrongKey && !item.t0Only) {
    // A mark made with the public key must not decode under a provider key (and vice versa):
    // recorded as "exact" when nothing is found.
    const k1 = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 255);
    await runOne('wrong-key', 'T0', async () => marked, k1, false);
  }
  res.wallMs = performance.now() - t0;
  return res;
}

/** A minted ProduceID (35-bit content) derived from the image id and seed, so reruns embed the same payload. */
export function produceIdFor(engine: EngineApi, imageId: string, seed: number | null): string | undefined {
  if (seed === null || !engine.encodeMintedId) return undefined;
  const rand = attackSeed(imageId, `payload/${seed}`);
  return engine.encodeMintedId(Math.floor(rand() * 2 ** 23) * 2 ** 12 + Math.floor(rand() * 2 ** 12));
}

/** original | marked | 128 + 8·(marked − original), for the flattest 256×256 window. */
async function writeSideBySide(orig: Raster, marked: Raster, path: string): Promise<void> {
  const size = Math.min(256, orig.width, orig.height);
  const { left, top } = flattestRegion(orig, size);
  const a = crop(orig, left, top, size, size);
  const b = crop(marked, left, top, size, size);
  const diff = { data: new Uint8ClampedArray(a.data.length), width: size, height: size };
  for (let i = 0; i < a.data.length; i += 4) {
    for (let c = 0; c < 3; c++) diff.data[i + c] = 128 + 8 * (b.data[i + c]! - a.data[i + c]!);
    diff.data[i + 3] = 255;
  }
  const gap = 6;
  const png = await sharp({ create: { width: size * 3 + gap * 2, height: size, channels: 4, background: '#ffffff' } })
    .composite([
      { input: await sharpOf(a).png().toBuffer(), left: 0, top: 0 },
      { input: await sharpOf(b).png().toBuffer(), left: size + gap, top: 0 },
      { input: await sharpOf(diff).png().toBuffer(), left: 2 * (size + gap), top: 0 },
    ])
    .png()
    .toBuffer();
  writeFileAtomic(path, png);
}

