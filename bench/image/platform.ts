// T4 "platform pipelines": large photos and illustrations marked at full size, then served the way
// upload pipelines serve them (long side resized, JPEG 4:2:0 or WebP), detected blind.
//   node --import tsx bench/image/platform.ts [--split tuning|held-out|all] [--workers N] [--only id,...] [--reuse-baseline]
// --reuse-baseline takes the "tile only" rows from the last run (.cache/platform-last.json) instead of
// re-running them: they do not depend on the working-size layer.
// Writes bench/results/image-platform.md (a partial run with --only writes .cache/results-partial/).
// The corpus is Debian wallpaper packages fetched with `apt-get download` at bench time (never
// committed). The held-out split is a different package from the tuning split, run only to report.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readImage, type Raster } from './raster.ts';
import { PIPELINES, SIDES, SOURCES, sourcePath, type Source, type Split } from './platform-corpus.ts';
import { butteraugli, psnr } from './metrics.ts';
import { loadEngine, loadEngineTuning, useEngineRev, PRODUCER } from './engine.ts';
import { produceIdFor } from './job.ts';
import { markdownTable, reportHeader, writeFileAtomic } from '../lib/markdown.ts';
import { forkShards, shardOf } from '../lib/shards.ts';
import { median } from '../lib/stats.ts';

interface Trial { source: string; split: Split; kind: string; config: string; pipeline: string; side: number; found: boolean; layer: string | null; bitErrors: number | null }
interface Quality { source: string; split: Split; kind: string; config: string; width: number; height: number; psnr: number; butteraugli: number | null; embedMs: number }
interface ShardResult { trials: Trial[]; quality: Quality[]; payloadSeed?: number | null }

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Long sides from which an image carries the working-size layer: never, or where the engine puts it (null). */
const CONFIGS: Record<string, number | null> = { 'tile only': Infinity, 'tile + working-size': null };

async function runShard(sources: Source[], configs: [string, number | null][], payloadSeed: number | null): Promise<ShardResult> {
  const engine = await loadEngine();
  const { WORKING } = await loadEngineTuning();
  const shipped = WORKING.minImageLongSide;
  const trials: Trial[] = [];
  const quality: Quality[] = [];
  for (const s of sources) {
    const path = sourcePath(s);
    if (!path) throw new Error(`${s.pkg} has no ${s.rel}: install it or allow apt-get download`);
    const original = await readImage(path);
    for (const [config, minLongSide] of configs) {
      WORKING.minImageLongSide = minLongSide ?? shipped;
      const label = engine.createLabel({ producer: PRODUCER, produceId: produceIdFor(engine, s.id, payloadSeed) });
      const t0 = performance.now();
      const marked = await engine.embedImage(original.data, original.width, original.height, label);
      const embedMs = performance.now() - t0;
      const markedRaster: Raster = { data: marked.rgba, width: original.width, height: original.height };
      const ba = await butteraugli(original, markedRaster);
      quality.push({ source: s.id, split: s.split, kind: s.kind, config, width: original.width, height: original.height, psnr: psnr(original, markedRaster), butteraugli: ba?.pnorm3 ?? null, embedMs });
      for (const p of PIPELINES) {
        if (p.side > Math.max(original.width, original.height)) continue;
        const attacked = await p.apply(markedRaster);
        const d = await engine.detectImage(attacked.data, attacked.width, attacked.height, { expect: marked.payload });
        trials.push({ source: s.id, split: s.split, kind: s.kind, config, pipeline: p.id, side: p.side, found: d.found, layer: (d.layer as string) ?? null, bitErrors: d.expectedBitErrors ?? null });
      }
      process.stderr.write(`[T4] ${s.id} ${config}: ${trials.filter((t) => t.source === s.id && t.config === config && t.found).length} found\n`);
    }
  }
  return { trials, quality };
}

const pct = (ok: number, n: number) => (n ? `${((100 * ok) / n).toFixed(1)}% (${ok}/${n})` : '–');

function report(r: ShardResult, splits: Split[], engineLine: string): string {
  const configs = Object.keys(CONFIGS);
  const out: string[] = [
    reportHeader({
      title: 'Image T4: platform pipelines',
      facts: [
        ['Engine', engineLine],
        ['Command', '`node --import tsx bench/image/platform.ts`'],
        ['Payloads', payloadSeed === null ? 'fresh ProduceIDs minted every run' : `ProduceIDs derived from each image's id and payload seed ${payloadSeed}, so reruns and other engines embed the same payloads`],
        ['Corpus', 'tuning: MATE wallpapers (mate-backgrounds: 9 photos, 2 renders); held out: KDE Plasma wallpapers (plasma-workspace-wallpapers: 10 photos, 2 renders), 1,600–5,120 px, never tuned on'],
        ['Pipelines', 'long side → 1,920/1,280/1,080/720/480/256 px (lanczos3), then JPEG q70 or q85 4:2:0 (sharp), WebP q75, or a 1° rotation with a 90% centre crop before the resize and JPEG q80; and a 50%-area centre crop → 1,080 px + JPEG q80. Sizes at or above the image are served without resizing. Detection is blind (public key), exact payload only.'],
        ['Configs', '"tile only": the native 128 px tile alone (the working-size layer switched off); "tile + working-size": the shipped engine'],
      ],
    }),
  ];
  for (const split of splits) {
    const trials = r.trials.filter((t) => t.split === split);
    out.push(`\n## ${split === 'tuning' ? 'Tuning split' : 'Held-out split'}\n`);
    const rows = [...SIDES.map((side) => ({ name: `${side} px`, pick: (t: Trial) => t.side === side && !t.pipeline.includes('crop 50%') })), { name: '50% crop → 1,080', pick: (t: Trial) => t.pipeline.includes('crop 50%') }, { name: 'all', pick: () => true }];
    out.push(markdownTable({ headers: ['served', ...configs.map((c) => `exact, ${c}`)], rows: rows.map((row) => [row.name, ...configs.map((c) => { const ts = trials.filter((t) => t.config === c && row.pick(t)); return pct(ts.filter((t) => t.found).length, ts.length); })]) }));
    out.push('\nBy pipeline (tile + working-size; found by which layer):\n');
    const shipped = trials.filter((t) => t.config === 'tile + working-size');
    out.push(markdownTable({ headers: ['pipeline', 'exact', 'tile', 'working-size', 'median bit errors (of 306)'], rows: PIPELINES.map((p) => { const ts = shipped.filter((t) => t.pipeline === p.id); const errs = ts.map((t) => t.bitErrors ?? 306); return [p.id, pct(ts.filter((t) => t.found).length, ts.length), String(ts.filter((t) => t.layer === 'tile').length), String(ts.filter((t) => t.layer === 'working-size').length), ts.length ? String(median(errs)) : '–']; }) }));
    out.push('\nInvisibility at full size (butteraugli 3-norm, PSNR):\n');
    const q = r.quality.filter((x) => x.split === split);
    out.push(markdownTable({ headers: ['image', 'size', ...configs.flatMap((c) => [`butteraugli, ${c}`, `PSNR, ${c}`])], rows: [...new Set(q.map((x) => x.source))].map((id) => { const qs = configs.map((c) => q.find((x) => x.source === id && x.config === c)!); return [id, `${qs[0]!.width}×${qs[0]!.height}`, ...qs.flatMap((x) => [x.butteraugli?.toFixed(2) ?? '–', x.psnr.toFixed(1)])]; }) }));
    const summary = configs.map((c) => { const b = q.filter((x) => x.config === c && x.butteraugli !== null).map((x) => x.butteraugli!); return `${c}: median ${b.length ? median(b).toFixed(2) : '–'}, max ${b.length ? Math.max(...b).toFixed(2) : '–'}`; });
    out.push(`\nButteraugli ${summary.join('; ')}.\n`);
  }
  return out.join('\n');
}

const { values: args } = parseArgs({
  options: {
    split: { type: 'string', default: 'all' },
    workers: { type: 'string', default: '2' },
    only: { type: 'string' },
    shard: { type: 'string' },
    'reuse-baseline': { type: 'boolean', default: false },
    'payload-seed': { type: 'string', default: '1' }, // 'random' mints fresh ProduceIDs every run
    'engine-rev': { type: 'string' }, // bench a committed engine instead of the working tree
  },
});
const payloadSeed = args['payload-seed'] === 'random' ? null : Number(args['payload-seed']);
const LAST = join(HERE, '.cache', 'platform-last.json');
const reused: ShardResult | null = args['reuse-baseline'] ? (JSON.parse(readFileSync(LAST, 'utf8')) as ShardResult) : null;
if (reused && reused.payloadSeed !== payloadSeed) throw new Error(`--reuse-baseline: the last run used payload seed ${reused.payloadSeed ?? 'random'}, this one ${args['payload-seed']}`);
const runConfigs = Object.entries(CONFIGS).filter(([c]) => !(reused && c === 'tile only'));
const splits: Split[] = args.split === 'all' ? ['tuning', 'held-out'] : [args.split as Split];
const chosen = SOURCES.filter((s) => splits.includes(s.split) && (!args.only || args.only.split(',').some((o) => s.id.includes(o))));

if (args.shard) {
  const result = await runShard(shardOf(chosen, args.shard), runConfigs, payloadSeed);
  process.send!(result);
} else {
  const workers = Math.max(1, Number(args.workers));
  const engineLine = useEngineRev(args['engine-rev']);
  for (const s of chosen) sourcePath(s); // fetch once, before the workers race for it
  const parts = await forkShards<ShardResult>(fileURLToPath(import.meta.url), workers);
  const baseline = (rows: { config: string; source: string }[]) => rows.filter((r) => r.config === 'tile only' && chosen.some((s) => s.id === r.source));
  const all: ShardResult = {
    payloadSeed,
    trials: [...(reused ? (baseline(reused.trials) as Trial[]) : []), ...parts.flatMap((p) => p.trials)],
    quality: [...(reused ? (baseline(reused.quality) as Quality[]) : []), ...parts.flatMap((p) => p.quality)],
  };
  const partial = Boolean(args.only) || args.split !== 'all';
  const dir = partial ? join(HERE, '.cache', 'results-partial') : fileURLToPath(new URL('../results/', import.meta.url));
  writeFileSync(LAST, JSON.stringify(all));
  writeFileAtomic(join(dir, 'image-platform.md'), report(all, splits, engineLine));
  process.stderr.write(`wrote ${join(dir, 'image-platform.md')}\n`);
}
