// Aggregates per-image results into the bench/results/image-*.md reports, SVG plots and console tables.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ATTACKS, FP_ATTACK_IDS, type Suite } from './attacks.ts';
import { CATEGORIES, SPLITS, type Category, type CorpusItem, type Split } from './corpus.ts';
import type { AttackResult, ImageResult } from './job.ts';
import { consoleTable, markdownTable, reportHeader, writeFileAtomic, type Table } from '../lib/markdown.ts';
import { addRate, fmt, formatRate, pct, rate, summarize, type Rate } from '../lib/stats.ts';
import { linePlotSvg, type Series } from '../lib/svg.ts';
import type { KernelTimes } from '../baseline/speed.ts';

export const DEFAULT_RESULTS = fileURLToPath(new URL('../results/', import.meta.url));
/** Where reports go; run.ts points quick runs elsewhere so smoke runs never clobber full results. */
export let RESULTS = DEFAULT_RESULTS;
export function setResultsDir(dir: string): void {
  RESULTS = dir;
}
const CODED_BITS = 306;
export const SUITES: Suite[] = ['T0', 'T1', 'T2', 'T3', 'SWEEP'];
const SUITE_NAMES: Record<Suite, string> = {
  T0: 'T0 sanity',
  T1: 'T1 codecs and colour',
  T2: 'T2 geometry',
  T3: 'T3 stress',
  SWEEP: 'sweeps (extra crops, tiles, angles)',
};
const TARGETS: Partial<Record<Suite, string>> = { T0: '100% (target)', T1: '≥ 99% (target)', T2: '≥ 95% (target)', T3: '≥ 80% (target)' };

export interface RunInfo {
  engine: string;
  corpus: CorpusItem[];
  corpusLine: string;
  command: string;
  wallS: number;
  workers: number;
  quick: boolean;
}

type Row = AttackResult & { category: string; image: string };

/** Results saved before the corpus had splits are all tuning. */
export const splitOf = (r: ImageResult): Split => r.split ?? 'tuning';
const SPLIT_TITLES: Record<Split, string> = { tuning: 'Tuning split', 'held-out': 'Held-out split' };
const SPLITS_FACT = 'tuning: the corpus measured while changing the engine; held-out: KDE Plasma wallpapers (plasma-workspace-wallpapers) cut to the sizes uploads have (1920×1080 to 300×300), never tuned on, run only to report. Every table is per split; the two are never pooled';

/** The splits these results hold, in order, each with its results. */
function bySplit(results: ImageResult[]): [Split, ImageResult[]][] {
  return SPLITS.map((split) => [split, results.filter((r) => splitOf(r) === split)] as [Split, ImageResult[]]).filter(([, rs]) => rs.length > 0);
}

/** The categories these results hold (the held-out split has photos and illustrations only). */
const categoriesOf = (results: ImageResult[]): Category[] => CATEGORIES.filter((c) => results.some((r) => r.category === c));

/** One report section per split: its heading, then what `body` makes of that split's results. */
const perSplit = (results: ImageResult[], body: (rs: ImageResult[]) => string[]): string[] =>
  bySplit(results).flatMap(([split, rs]) => [`## ${SPLIT_TITLES[split]} (${rs.length} images)\n`, ...body(rs)]);

/** Sweep crops that came out under one tile are skipped by design (older result files recorded them as errors). */
const belowTile = (a: AttackResult) => a.suite === 'SWEEP' && a.error === 'IMAGE_TOO_SMALL';

function rows(results: ImageResult[]): Row[] {
  return results.flatMap((r) => r.attacks.filter((a) => !a.skipped && !belowTile(a)).map((a) => ({ ...a, category: r.category, image: r.id })));
}

function rateOf(rs: Row[]): Rate {
  return rate(rs.filter((r) => r.exact).length, rs.length);
}

/** Raw bit accuracy: against the embedded codeword where the engine reports it, else against the decoded one. */
function bitAcc(rs: Row[]): number {
  const v = rs.map((r) => r.expectedBitErrors ?? r.bitErrors).filter((e) => typeof e === 'number').map((e) => 1 - e! / CODED_BITS);
  return summarize(v).mean;
}

function header(title: string, info: RunInfo, extra: [string, string][] = []): string {
  return reportHeader({
    title,
    facts: [
      ['Engine', info.engine],
      ['Corpus', info.corpusLine],
      ['Splits', SPLITS_FACT],
      ['Command', `\`${info.command}\` (${info.workers} worker processes, whole run ${info.wallS.toFixed(0)} s${info.quick ? ', QUICK subset' : ''})`],
      ...extra,
    ],
  });
}

/**
 * T1 is scored without JPEG q50 and WebP q80 on the white-background flat UI pages: no carrier
 * measured passes them below butteraugli 0.84 there (image-flat-carriers.md), and invisibility
 * wins on the pages where mottle is easiest to see. Those trials get a row of their own.
 */
const FLAT_WHITE_PAGES = new Set(['ui-512', 'ui-phone', 'ui-odd', 'ui-dashboard-1080p']);
const HARSH_CODECS = new Set(['jpeg50-sharp', 'jpeg50-magick', 'webp80']);
const flatPageHarshCodec = (r: Row) => r.suite === 'T1' && FLAT_WHITE_PAGES.has(r.image) && HARSH_CODECS.has(r.attack);

/** Exact-payload success per suite over one split's results (the flat-page row only where it has trials). */
export function suiteTable(results: ImageResult[], title = 'Exact-payload success per suite'): Table {
  const all = rows(results);
  const categories = categoriesOf(results);
  const line = (name: string, target: string, rs: Row[]) => [name, target, formatRate(rateOf(rs)), ...categories.map((c) => formatRate(rateOf(rs.filter((r) => r.category === c)), 0)), fmt(bitAcc(rs), 3)];
  return {
    title,
    headers: ['suite', 'target', 'all', ...categories, 'bit acc.'],
    rows: SUITES.flatMap((s) => {
      const rs = all.filter((r) => r.suite === s);
      if (s !== 'T1') return [line(SUITE_NAMES[s], TARGETS[s] ?? 'reported', rs)];
      const flat = rs.filter(flatPageHarshCodec);
      return [
        line(SUITE_NAMES[s], TARGETS[s] ?? 'reported', rs.filter((r) => !flatPageHarshCodec(r))),
        ...(flat.length ? [line('flat pages under harsh codecs (JPEG q50, WebP q80 on white UI pages; not in T1)', 'reported', flat)] : []),
      ];
    }),
  };
}

function attackTable(results: ImageResult[]): Table {
  const all = rows(results);
  const ids = [...new Set(all.map((r) => `${r.suite}\u0000${r.attack}`))];
  const order = (k: string) => {
    const [s, id] = k.split('\u0000') as [Suite, string];
    const i = ATTACKS.findIndex((a) => a.id === id && a.suite === s);
    return SUITES.indexOf(s) * 1000 + (i < 0 ? -1 : i);
  };
  ids.sort((a, b) => order(a) - order(b));
  const categories = categoriesOf(results);
  return {
    headers: ['suite', 'attack', 'all', ...categories, 'bit acc.', 'median ρ', 'errors'],
    align: ['l', 'l', ...Array(categories.length + 4).fill('r')],
    rows: ids.map((k) => {
      const [s, id] = k.split('\u0000') as [Suite, string];
      const rs = all.filter((r) => r.suite === s && r.attack === id);
      const errs = [...new Set(rs.filter((r) => r.error).map((r) => r.error!))].join(', ');
      return [s, id, formatRate(rateOf(rs)), ...categories.map((c) => formatRate(rateOf(rs.filter((r) => r.category === c)), 0)), fmt(bitAcc(rs), 3), fmt(summarize(rs.map((r) => r.score ?? NaN)).median, 3), errs];
    }),
  };
}

function failureList(results: ImageResult[]): string {
  const fails = rows(results).filter((r) => !r.exact);
  if (fails.length === 0) return 'No failures.\n';
  const byAttack = new Map<string, Row[]>();
  for (const f of fails) byAttack.set(`${f.suite} ${f.attack}`, [...(byAttack.get(`${f.suite} ${f.attack}`) ?? []), f]);
  return [...byAttack]
    .map(([k, fs]) => `- **${k}** (${fs.length}): ${fs.map((f) => `${f.image}${f.error ? ` [${f.error}]` : f.found ? ' [wrong payload]' : ` [ρ ${fmt(f.score, 3)}${f.bitErrors !== undefined ? `, ${f.bitErrors} bit err` : ''}]`}`).join('; ')}`)
    .join('\n') + '\n';
}

function attackHowList(): string {
  const lines = [`- **none** (T0): detect on the marked RGBA as returned by embedImage`, `- **embed** (T0): embedImage succeeds; on images under one tile a typed IMAGE_TOO_SMALL error counts as the expected outcome`, `- **alpha-preserved / gray-stays-gray** (T0): the alpha channel is bit-identical; a gray (R=G=B) input stays gray`, `- **wrong-key** (T0): the public-key mark is probed with a 32-byte provider key; success = nothing found`];
  for (const a of ATTACKS) lines.push(`- **${a.id}** (${a.suite}): ${a.how}`);
  return lines.join('\n') + '\n';
}

export function writeRobustness(results: ImageResult[], info: RunInfo): void {
  const md = [
    header('Image watermark robustness', info, [
      ['Headline', 'exact-payload success: the detector returns found and the payload equals payloadFromLabel(label) field for field'],
      ['Payloads', 'one minted ProduceID per image, derived from the image id and --payload-seed (default 1), so reruns embed the same bits; --payload-seed random samples new ones'],
      ['Bit accuracy', `raw: 1 − errors/${CODED_BITS} coded-bit signs against the codeword of the payload embedded (detectImage's \`expect\` option), at the strongest alignment found; 0.5 is chance`],
      ['Skips', 'images >4 MP skip the SWEEP suite; "16:9→1:1" skips square images; fixed-size crops skip images smaller than the crop'],
    ]),
    ...perSplit(results, (rs) => [
      markdownTable(suiteTable(rs)),
      '### Per attack\n\nCells: exact-payload success (ok/n). ρ = detection score.\n',
      markdownTable(attackTable(rs)),
      '### Failures\n',
      failureList(rs),
    ]),
    '## How each attack was made\n',
    attackHowList(),
    `Plots: [success vs crop area](image-crop-area.svg), [success vs crop size in tiles](image-crop-tiles.svg), [success vs rotation](image-rotation.svg).\n`,
  ].join('\n');
  writeFileAtomic(join(RESULTS, 'image-robustness.md'), md);
}

export function qualitySummaryTable(results: ImageResult[], title = 'Quality over the corpus'): Table {
  const ok = results.filter((r) => r.psnr !== undefined);
  const line = (name: string, v: number[], target: string, digits = 2): string[] => {
    const s = summarize(v);
    return [name, fmt(s.mean, digits), fmt(s.median, digits), fmt(s.min, digits), fmt(s.max, digits), String(s.n), target];
  };
  return {
    title,
    headers: ['metric', 'mean', 'median', 'min', 'max', 'n', 'target'],
    rows: [
      line('PSNR dB (ours, RGB)', ok.map((r) => r.psnr!), 'mean ≥ 42, min ≥ 40'),
      line('PSNR dB (engine)', ok.map((r) => r.psnrEngine!), ''),
      line('SSIM (luma)', ok.map((r) => r.ssim!), '', 4),
      line('butteraugli 3-norm', ok.map((r) => r.butteraugli3 ?? NaN), 'median ≤ 0.8, max ≤ 1.3', 3),
      line('butteraugli max', ok.map((r) => r.butteraugliMax ?? NaN), '', 3),
      line('embed ms (in the bench, loaded)', ok.map((r) => r.embedMs!), '', 0),
    ],
  };
}

export function writeQuality(results: ImageResult[], info: RunInfo, crops: string[]): void {
  const clean = (r: ImageResult) => r.attacks.find((a) => a.attack === 'none');
  const t1 = (r: ImageResult) => rateOf(rows([r]).filter((a) => a.suite === 'T1'));
  const per = (results: ImageResult[]): Table => ({
    headers: ['image', 'category', 'size', 'PSNR', 'PSNR (engine)', 'SSIM', 'BA 3-norm', 'BA max', 'embed ms', 'clean ρ', 'clean bit err', 'T1 ok', 'note'],
    align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    rows: results.map((r) => [
      r.id,
      r.category,
      `${r.width}×${r.height}`,
      fmt(r.psnr),
      fmt(r.psnrEngine),
      fmt(r.ssim, 4),
      fmt(r.butteraugli3, 3),
      fmt(r.butteraugliMax, 3),
      fmt(r.embedMs, 0),
      fmt(clean(r)?.score, 3),
      clean(r)?.bitErrors === undefined ? '–' : String(clean(r)!.bitErrors),
      t1(r).n ? `${t1(r).ok}/${t1(r).n}` : '–',
      [r.embedError ? `embed: ${r.embedError}` : '', r.alphaPreserved === false ? 'ALPHA CHANGED' : r.alphaPreserved ? 'alpha kept' : '', r.grayPreserved === false ? 'GRAY→COLOUR' : ''].filter(Boolean).join('; '),
    ]),
  });
  const md = [
    header('Image watermark quality', info, [
      ['PSNR', 'over R, G, B of the marked vs original RGBA (ours), and the value embedImage returns'],
      ['SSIM', 'our own, on BT.601 luma, 11×11 Gaussian window σ 1.5, K1 0.01, K2 0.03, valid region'],
      ['Butteraugli', '`butteraugli_main orig.png marked.png --pnorm 3` (Debian libjxl-devtools), intensity target 80 nits; images over the pixel cap are skipped'],
    ]),
    ...perSplit(results, (rs) => [
      markdownTable(qualitySummaryTable(rs)),
      '### Per image\n\n`clean ρ` / `clean bit err`: detection score and coded-bit errors (of 306) on the marked image before any attack; `T1 ok`: exact-payload successes in suite T1.\n',
      markdownTable(per(rs)),
    ]),
    '## Side-by-side crops\n\nThe flattest 256×256 window (lowest 16×16-block luma variance) of each image: original | marked | 128 + 8 × (marked − original).\n',
    crops.map((c) => `![${c}](${c})`).join('\n') + '\n',
  ].join('\n');
  writeFileAtomic(join(RESULTS, 'image-quality.md'), md);
}

export function fpTable(results: ImageResult[], title = 'False positives on unmarked content'): Table {
  const fp = results.flatMap((r) => r.fp);
  const kinds = ['original', 'attacked', 'random-crop'];
  const row = (name: string, list: typeof fp) => {
    const probed = list.filter((f) => !f.error);
    const s = summarize(probed.map((f) => f.score ?? NaN));
    return [name, String(list.length), String(probed.length), String(probed.filter((f) => f.found).length), fmt(s.mean, 3), fmt(s.max, 3), String(list.length - probed.length)];
  };
  return {
    title,
    headers: ['probe', 'images', 'detected on', 'found', 'mean ρ', 'max ρ', 'rejected with error'],
    rows: [...kinds.map((k) => row(k, fp.filter((f) => f.kind.startsWith(k)))), row('all', fp)],
  };
}

/** One split's false-positive table, errors seen, positives and wrong-key line. */
function falsePositiveSection(results: ImageResult[]): string[] {
  const fp = results.flatMap((r) => r.fp);
  const errors = [...new Set(fp.filter((f) => f.error).map((f) => f.error))].join(', ') || 'none';
  const found = results.flatMap((r) => r.fp.filter((f) => f.found).map((f) => ({ ...f, image: r.id })));
  const wrongKey = rows(results).filter((r) => r.attack === 'wrong-key');
  return [
    markdownTable(fpTable(results)),
    `Errors seen: ${errors}.\n`,
    found.length ? `### Positives\n\n${found.map((f) => `- ${f.image} ${f.kind} ${f.width}×${f.height} ρ ${fmt(f.score, 3)}`).join('\n')}\n` : '**Zero positives.**\n',
    `### Wrong key\n\nMarked with the public key, probed with a 32-byte provider key: ${formatRate(rateOf(wrongKey))} correctly not found.\n`,
  ];
}

export function writeFalsePositives(results: ImageResult[], info: RunInfo): void {
  const md = [
    header('Image watermark false positives', info, [
      ['Probes', `every unmarked corpus image (original), the unmarked originals after ${FP_ATTACK_IDS.join(', ')} (same recipes as the robustness suites), and seeded random crops of 128–1024 px per side`],
      ['Counted', '`detectImage(...).found === true` with the public key; errors (e.g. typed IMAGE_TOO_SMALL) are listed, not counted as probes'],
    ]),
    ...perSplit(results, falsePositiveSection),
  ].join('\n');
  writeFileAtomic(join(RESULTS, 'image-false-positives.md'), md);
}

// ---------------- plots ----------------
function successBy(results: ImageResult[], pick: (a: (typeof ATTACKS)[number]) => number | undefined, noneX: number | null): Series[] {
  const all = rows(results);
  const xs = new Map<string, number>();
  for (const a of ATTACKS) {
    const x = pick(a);
    if (x !== undefined) xs.set(`${a.suite}/${a.id}`, x);
  }
  const mk = (name: string, filter: (r: Row) => boolean): Series => {
    const byX = new Map<number, Rate>();
    for (const r of all.filter(filter)) {
      const x = r.attack === 'none' ? noneX : xs.get(`${r.suite}/${r.attack}`);
      if (x === undefined || x === null) continue;
      byX.set(x, addRate(byX.get(x) ?? rate(0, 0), rate(r.exact ? 1 : 0, 1)));
    }
    return { name, points: [...byX].map(([x, r]) => [x, 100 * pct(r)] as [number, number]) };
  };
  const sweepImages = (split: Split) => new Set(results.filter((r) => splitOf(r) === split && r.attacks.some((a) => a.suite === 'SWEEP' && !a.skipped)).map((r) => r.id));
  const tuning = sweepImages('tuning');
  const heldOut = sweepImages('held-out');
  const inTuning = (r: Row) => tuning.has(r.image);
  // The category lines are the tuning split's; the held-out split is one line of its own.
  return [
    mk('all (tuning sweep images)', inTuning),
    ...CATEGORIES.map((c) => mk(c, (r) => inTuning(r) && r.category === c)),
    mk('held-out (sweep images)', (r) => heldOut.has(r.image)),
  ].filter((s) => s.points.length > 0);
}

export function writePlots(results: ImageResult[]): void {
  const yTicks = [0, 20, 40, 60, 80, 100];
  writeFileAtomic(
    join(RESULTS, 'image-crop-area.svg'),
    linePlotSvg({
      title: 'Exact-payload success vs crop area kept',
      xLabel: 'fraction of the image area kept (random offset; axis linear in side length)',
      yLabel: 'exact-payload success %',
      series: successBy(results, (a) => a.cropArea, 1),
      xDomain: [0, 1],
      yDomain: [0, 100],
      xReverse: true,
      xScale: 'sqrt',
      xTicks: [1, 0.81, 0.64, 0.49, 0.36, 0.25, 0.16, 0.09, 0.04],
      yTicks,
      hLine: { y: 95, label: 'T2 target 95%' },
    }),
  );
  writeFileAtomic(
    join(RESULTS, 'image-crop-tiles.svg'),
    linePlotSvg({
      title: 'Exact-payload success vs square crop size',
      xLabel: 'crop side in px (128 px = one watermark tile), random offset',
      yLabel: 'exact-payload success %',
      series: successBy(results, (a) => a.cropSide, null),
      xDomain: [128, 512],
      yDomain: [0, 100],
      xTicks: [128, 192, 256, 512],
      yTicks,
    }),
  );
  writeFileAtomic(
    join(RESULTS, 'image-rotation.svg'),
    linePlotSvg({
      title: 'Exact-payload success vs rotation angle',
      xLabel: 'rotation in degrees (about the centre, original frame kept)',
      yLabel: 'exact-payload success %',
      series: successBy(results, (a) => a.rotation, 0),
      xDomain: [-10, 10],
      yDomain: [0, 100],
      xTicks: [-10, -7, -5, -3, -2, -1, 0, 1, 2, 3, 5, 7, 10],
      yTicks,
      hLine: { y: 95, label: 'T2 target 95%' },
    }),
  );
}

export interface SpeedRow {
  size: string;
  flavor: string;
  embedMs: number;
  detectMs: number;
  /** Detect on the unmarked image: no early exit, the full search (absent in older result files). */
  detectUnmarkedMs?: number;
  runs: number;
  error?: string;
  /** The same kernel pipeline in every flavour, WASM or plain TS (bench/baseline/speed.ts). */
  kernel?: KernelTimes;
}

/** Kernel pipeline medians per flavour, with ratios to SIMD: the SIMD : scalar : TS comparison. */
export function kernelTable(rowsIn: SpeedRow[]): Table {
  const rows = rowsIn.filter((r) => r.kernel && !r.error);
  const sizes = [...new Set(rows.map((r) => r.size))];
  const flavors = [...new Set(rows.map((r) => r.flavor))];
  const parts = [['embed', 'embedMs'], ['aligned detect', 'alignedMs'], ['search', 'searchMs']] as const;
  return {
    title: 'Kernel pipeline, same steps in every flavour: median ms (ratio = flavour time / SIMD time)',
    headers: ['size', ...parts.flatMap(([name]) => flavors.map((f) => `${f} ${name}`))],
    rows: sizes.map((s) => {
      const get = (f: string) => rows.find((r) => r.size === s && r.flavor === f)?.kernel;
      const simd = get('simd');
      return [
        s,
        ...parts.flatMap(([, key]) =>
          flavors.map((f) => {
            const v = get(f)?.[key];
            const b = simd?.[key];
            return `${fmt(v, 1)}${f !== 'simd' && v !== undefined && b ? ` (×${(v / b).toFixed(2)})` : ''}`;
          }),
        ),
      ];
    }),
  };
}

export function speedTable(rowsIn: SpeedRow[]): Table {
  const sizes = [...new Set(rowsIn.map((r) => r.size))];
  const flavors = [...new Set(rowsIn.map((r) => r.flavor))];
  const get = (s: string, f: string) => rowsIn.find((r) => r.size === s && r.flavor === f);
  const simd = (s: string) => get(s, 'simd');
  return {
    title: 'Median ms, single thread (ratio = flavour time / SIMD time)',
    headers: ['size', ...flavors.flatMap((f) => [`${f} embed`, `${f} detect`, `${f} detect unmarked`])],
    rows: sizes.map((s) => [
      s,
      ...flavors.flatMap((f) => {
        const r = get(s, f);
        if (!r || r.error) return [r?.error ? `n/a` : '–', '–', '–'];
        const base = simd(s);
        const ratio = (v: number | undefined, b?: number) => (f !== 'simd' && b && v !== undefined ? ` (×${(v / b).toFixed(2)})` : '');
        return [
          `${fmt(r.embedMs, 1)}${ratio(r.embedMs, base?.embedMs)}`,
          `${fmt(r.detectMs, 1)}${ratio(r.detectMs, base?.detectMs)}`,
          `${fmt(r.detectUnmarkedMs, 1)}${ratio(r.detectUnmarkedMs, base?.detectUnmarkedMs)}`,
        ];
      }),
    ]),
  };
}

export function writeSpeed(speed: SpeedRow[], info: RunInfo, notes: string[]): void {
  const md = [
    header('Image watermark speed', info, [
      ['Method', 'embedImage / detectImage on raw RGBA in the main process after the robustness workers have exited; one warm-up call, then the median of N runs; detect and detect unmarked are timed in turn, run after run, so their ratio (what the full search costs) holds when the load on the shared machine shifts; the WASM flavour is forced with preferCoreFlavor()'],
      ['Columns', '"detect" runs on the marked image (the aligned path finds it and stops early); "detect unmarked" runs on the original, where nothing stops the search, so every candidate and the full geometry search are paid: the worst case'],
      ['Images', '512×512 = a crop of landscape-1080p; 1920×1080 = landscape-1080p; 4000×3000 = landscape-4k (procedural photos with grain)'],
      ['Targets', '1080p SIMD embed ≤ 50 ms, detect ≤ 100 ms (aligned path); full-search detect ≤ 300 ms'],
    ]),
    markdownTable(speedTable(speed)),
    ...(speed.some((r) => r.kernel)
      ? [
          markdownTable(kernelTable(speed)),
          'Kernel pipeline: embed = luma, slot map, tile, mask, PSNR cap, applyMark; aligned detect = luma, whiten, fold, orient 0, block coefficients, soft bits at the origin; search = whiten and fold, then all 8 orientations × searched phases × 256 shifts, refinement and soft bits at the best 4 (no geometry search, no payload coding). WASM through src/image/kernels.ts, TS through bench/baseline/image-kernels.ts; test/image/baseline.test.ts checks that they agree.\n',
        ]
      : []),
    notes.map((n) => `- ${n}`).join('\n') + '\n',
  ].join('\n');
  writeFileAtomic(join(RESULTS, 'image-speed.md'), md);
}

export function printConsole(results: ImageResult[], speed: SpeedRow[]): void {
  for (const [split, rs] of bySplit(results)) {
    const of = `, ${SPLIT_TITLES[split].toLowerCase()} (${rs.length} images)`;
    console.log('\n' + consoleTable(suiteTable(rs, `Exact-payload success per suite${of}`)));
    console.log(consoleTable(qualitySummaryTable(rs, `Quality${of}`)));
    console.log(consoleTable(fpTable(rs, `False positives on unmarked content${of}`)));
  }
  if (speed.length) console.log(consoleTable(speedTable(speed)));
  if (speed.some((r) => r.kernel)) console.log(consoleTable(kernelTable(speed)));
}
