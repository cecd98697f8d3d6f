// What a stronger working-size layer would buy at thumbnail sizes, and what it costs in butteraugli:
// the T4 material (platform-corpus.ts) marked with variants of the layer's strength, then served at
// 720, 480 and 256 px through the T4 pipelines, detected blind (exact payload only).
//   node --import tsx bench/image/platform-options.ts [--split held-out|tuning] [--sides 720,480,256]
//     [--variants name,...] (names without commas) [--only id,...] [--workers N] [--engine-rev REV]
// A variant changes the engine's WORKING constants in the bench's own process only. "B amplitude" is
// how far B moves per unit of the layer's upsampled ΔY before the gain steps (the shipped 4 × 0.5).
// Writes bench/results/image-platform-options-<split>.md (the splits are never pooled). This measures
// options for a decision; it tunes nothing, so it may run on the held-out split.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readImage, type Raster } from './raster.ts';
import { PIPELINES, SOURCES, sourcePath, type Split } from './platform-corpus.ts';
import { butteraugli } from './metrics.ts';
import { loadEngine, loadEngineTuning, useEngineRev, PRODUCER } from './engine.ts';
import { produceIdFor } from './job.ts';
import { markdownTable, reportHeader, writeFileAtomic } from '../lib/markdown.ts';
import { forkShards, shardOf } from '../lib/shards.ts';
import { median } from '../lib/stats.ts';

interface Variant {
  /** Gain steps of the luma layer (the first is every smooth photo's). */
  gains: number[];
  /** B's move per unit of the layer's ΔY, whatever gain step the image takes. */
  bAmplitude: number;
}
const SHIPPED_GAINS = [0.5, 0.6, 0.7, 0.85, 1];
const VARIANTS: Record<string, Variant> = {
  shipped: { gains: SHIPPED_GAINS, bAmplitude: 2 },
  'luma ≥ 0.75': { gains: [0.75, 0.85, 1], bAmplitude: 2 },
  'luma 1': { gains: [1], bAmplitude: 2 },
  'B 3 (6×)': { gains: SHIPPED_GAINS, bAmplitude: 3 },
  'B 4 (8×)': { gains: SHIPPED_GAINS, bAmplitude: 4 },
  'luma ≥ 0.75 + B 3': { gains: [0.75, 0.85, 1], bAmplitude: 3 },
};

interface Trial { source: string; variant: string; pipeline: string; side: number; found: boolean; bitErrors: number | null }
interface Quality { source: string; variant: string; butteraugli: number | null }
interface ShardResult { trials: Trial[]; quality: Quality[] }

const { values: args } = parseArgs({
  options: {
    split: { type: 'string', default: 'held-out' },
    sides: { type: 'string', default: '720,480,256' },
    variants: { type: 'string', default: Object.keys(VARIANTS).join(',') },
    workers: { type: 'string', default: '2' },
    only: { type: 'string' },
    shard: { type: 'string' },
    'payload-seed': { type: 'string', default: '1' },
    'engine-rev': { type: 'string' },
  },
});
const sides = args.sides.split(',').map(Number);
const variantNames = args.variants.split(',');
for (const v of variantNames) if (!VARIANTS[v]) throw new Error(`unknown variant ${v}; known: ${Object.keys(VARIANTS).join(', ')}`);
const split = args.split as Split;
if (split !== 'tuning' && split !== 'held-out') throw new Error('--split is tuning or held-out: the splits are reported apart');
const chosen = SOURCES.filter((s) => s.split === split && (!args.only || args.only.split(',').some((o) => s.id.includes(o))));
const pipelines = PIPELINES.filter((p) => sides.includes(p.side) && !p.id.includes('crop 50%'));
const payloadSeed = Number(args['payload-seed']);

async function runShard(sources: typeof chosen): Promise<ShardResult> {
  const engine = await loadEngine();
  const { WORKING } = await loadEngineTuning();
  const trials: Trial[] = [];
  const quality: Quality[] = [];
  for (const s of sources) {
    const original = await readImage(sourcePath(s)!);
    for (const name of variantNames) {
      const v = VARIANTS[name]!;
      WORKING.gains = v.gains;
      WORKING.chroma.gain = v.bAmplitude / v.gains[0]!;
      const label = engine.createLabel({ producer: PRODUCER, produceId: produceIdFor(engine, s.id, payloadSeed) });
      const marked = await engine.embedImage(original.data, original.width, original.height, label);
      const markedRaster: Raster = { data: marked.rgba, width: original.width, height: original.height };
      const ba = await butteraugli(original, markedRaster);
      quality.push({ source: s.id, variant: name, butteraugli: ba?.pnorm3 ?? null });
      for (const p of pipelines) {
        if (p.side > Math.max(original.width, original.height)) continue;
        const attacked = await p.apply(markedRaster);
        const d = await engine.detectImage(attacked.data, attacked.width, attacked.height, { expect: marked.payload });
        trials.push({ source: s.id, variant: name, pipeline: p.id, side: p.side, found: d.found, bitErrors: d.expectedBitErrors ?? null });
      }
      process.stderr.write(`[options] ${s.id} ${name}: ba ${ba?.pnorm3.toFixed(2)}, ${trials.filter((t) => t.source === s.id && t.variant === name && t.found).length} found\n`);
    }
  }
  return { trials, quality };
}

const pct = (ok: number, n: number) => (n ? `${((100 * ok) / n).toFixed(1)}% (${ok}/${n})` : '–');

function report(all: ShardResult, engineLine: string): string {
  const out = [
    reportHeader({
      title: 'Image T4 at thumbnail sizes: what a stronger working-size layer buys',
      facts: [
        ['Engine', engineLine],
        ['Command', `\`node --import tsx bench/image/platform-options.ts --split ${args.split} --sides ${args.sides}\``],
        ['Split', `${split} (${chosen.length} images of the T4 corpus, see image-platform.md)`],
        ['Pipelines', `the T4 pipelines at ${sides.join('/')} px: JPEG q70, q85, WebP q75, 1° turn + 90% crop + JPEG q80; exact payload, payload seed ${payloadSeed}`],
        ['Variants', 'luma gain steps of the working-size layer, and B amplitude (B\'s move per unit of the layer\'s ΔY; shipped: 4 × the first step 0.5 = 2)'],
      ],
    }),
  ];
  const rows = variantNames.map((name) => {
    const ts = all.trials.filter((t) => t.variant === name);
    const bas = all.quality.filter((q) => q.variant === name && q.butteraugli !== null).map((q) => q.butteraugli!);
    return [
      name,
      VARIANTS[name]!.gains.join(', '),
      String(VARIANTS[name]!.bAmplitude),
      ...sides.map((side) => { const s = ts.filter((t) => t.side === side); return pct(s.filter((t) => t.found).length, s.length); }),
      bas.length ? median(bas).toFixed(2) : '–',
      bas.length ? Math.max(...bas).toFixed(2) : '–',
    ];
  });
  out.push(markdownTable({ headers: ['variant', 'luma gain steps', 'B amplitude', ...sides.map((s) => `${s} px exact`), 'butteraugli median', 'butteraugli max'], rows }));
  out.push('\nBy pipeline (exact payloads; median coded-bit errors of 306 against the embedded payload):\n');
  out.push(markdownTable({
    headers: ['pipeline', ...variantNames],
    rows: pipelines.map((p) => [p.id, ...variantNames.map((name) => {
      const ts = all.trials.filter((t) => t.variant === name && t.pipeline === p.id);
      const errs = ts.map((t) => t.bitErrors).filter((e): e is number => e !== null);
      return `${ts.filter((t) => t.found).length}/${ts.length} (${errs.length ? median(errs) : '–'})`;
    })]),
  }));
  out.push('\nButteraugli (3-norm) at full size, per image:\n');
  out.push(markdownTable({
    headers: ['image', ...variantNames],
    rows: chosen.map((s) => [s.id, ...variantNames.map((name) => all.quality.find((q) => q.source === s.id && q.variant === name)?.butteraugli?.toFixed(2) ?? '–')]),
  }));
  return out.join('\n') + '\n';
}

if (args.shard) {
  process.send!(await runShard(shardOf(chosen, args.shard)));
} else {
  const engineLine = useEngineRev(args['engine-rev']);
  for (const s of chosen) if (!sourcePath(s)) throw new Error(`${s.pkg} has no ${s.rel}: install it or allow apt-get download`);
  const parts = await forkShards<ShardResult>(fileURLToPath(import.meta.url), Math.max(1, Number(args.workers)));
  const all: ShardResult = { trials: parts.flatMap((p) => p.trials), quality: parts.flatMap((p) => p.quality) };
  const path = fileURLToPath(new URL(`../results/image-platform-options-${split}.md`, import.meta.url));
  writeFileAtomic(path, report(all, engineLine));
  process.stderr.write(`wrote ${path}\n`);
}
