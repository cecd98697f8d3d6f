// Image bench: node --import tsx bench/image/run.ts [--suite T1[,T2]] [--split tuning|held-out|all] [--quick] [--only id,...] [--workers N] [--no-speed]
// Builds the corpus (tuning and held-out splits, reported apart), runs the suites in worker
// processes, then times the WASM flavours, and writes
// bench/results/image-{quality,robustness,speed,false-positives}.md plus SVG plots and PNG crops.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Suite } from './attacks.ts';
import { buildCorpus, corpusSummary, SPLITS, type CorpusItem, type Split } from './corpus.ts';
import { loadEngine, errorCode, useEngineRev, PRODUCER } from './engine.ts';
import type { ImageResult, Job } from './job.ts';
import { readImage, crop } from './raster.ts';
import { resize } from './attacks.ts';
import { DEFAULT_RESULTS, RESULTS, SUITES, setResultsDir, printConsole, writeFalsePositives, writePlots, writeQuality, writeRobustness, writeSpeed, type RunInfo, type SpeedRow } from './report.ts';
import { timeMedian, timeMediansInterleaved } from '../lib/stats.ts';
import { timeKernelPipelines } from '../baseline/speed.ts';
import { writeFileAtomic } from '../lib/markdown.ts';

const { values: args } = parseArgs({
  options: {
    suite: { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    split: { type: 'string', default: 'all' }, // tuning | held-out | all
    workers: { type: 'string', default: '2' },
    'no-speed': { type: 'boolean', default: false },
    'fp-crops': { type: 'string' },
    out: { type: 'string' },
    'from-json': { type: 'string' }, // re-render reports from a saved .cache/last-results.json
    'speed-only': { type: 'boolean', default: false }, // redo only the timing pass, reuse .cache/last-results.json
    'payload-seed': { type: 'string', default: '1' }, // 'random' mints fresh ProduceIDs every run
    'engine-rev': { type: 'string' }, // bench a committed engine (built in .cache/engine/<sha>) instead of the working tree
  },
});

const quick = args.quick!;
const suites: Suite[] = args.suite ? (args.suite.split(',').map((s) => s.trim().toUpperCase()) as Suite[]) : quick ? ['T0', 'T1', 'T2', 'T3'] : SUITES;
if (!suites.includes('T0')) suites.unshift('T0');
if (args.split !== 'all' && !SPLITS.includes(args.split as Split)) throw new Error(`--split ${args.split}: expected ${SPLITS.join(', ')} or all`);
const splits: Split[] = args.split === 'all' ? SPLITS : [args.split as Split];
// Only a full run writes bench/results/ (the committed figures); partial runs go to .cache/results-partial.
const partial = quick || args.split !== 'all' || Boolean(args.suite || args.only || args['fp-crops']);
setResultsDir(args.out ? resolve(args.out) : partial ? fileURLToPath(new URL('./.cache/results-partial/', import.meta.url)) : DEFAULT_RESULTS);
const workers = Math.max(1, Math.min(2, Number(args.workers)));
// Side-by-side crops are committed, so they come only from images we generate ourselves (no third-party media).
const CROP_IDS = ['grad-linear-1080p', 'ui-dashboard-1080p', 'text-zh-800x1000', 'landscape-1080p'];

function log(s: string) {
  process.stderr.write(`${s}\n`);
}

async function runJobs(jobs: Job[]): Promise<ImageResult[]> {
  const results: ImageResult[] = new Array(jobs.length);
  const order = jobs.map((j, i) => ({ j, i })).sort((a, b) => b.j.item.width * b.j.item.height - a.j.item.width * a.j.item.height);
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const workerUrl = fileURLToPath(new URL('./worker.ts', import.meta.url));
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const child: ChildProcess = fork(workerUrl, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, MAGICK_THREAD_LIMIT: '1', VIPS_CONCURRENCY: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const send = () => {
        if (next >= order.length) {
          child.disconnect();
          child.kill();
          resolve();
          return;
        }
        const { j, i } = order[next++]!;
        child.send({ job: j, seq: i });
      };
      child.on('message', (m: { ready?: boolean; seq?: number; result?: ImageResult; error?: string }) => {
        if (m.ready) return send();
        if (m.error) {
          log(`[bench] ${jobs[m.seq!]!.item.id} crashed: ${m.error}`);
          const it = jobs[m.seq!]!.item;
          results[m.seq!] = { id: it.id, split: it.split, category: it.category, width: it.width, height: it.height, embedError: 'bench crash', attacks: [], fp: [], wallMs: 0 };
        } else {
          results[m.seq!] = m.result!;
          const r = m.result!;
          const ok = r.attacks.filter((a) => a.exact).length;
          const n = r.attacks.filter((a) => !a.skipped).length;
          log(`[bench] ${++done}/${jobs.length} ${r.id.padEnd(26)} ${String(ok).padStart(3)}/${n} ok  PSNR ${r.psnr?.toFixed(1) ?? '–'}  BA3 ${r.butteraugli3?.toFixed(2) ?? '–'}  fp ${r.fp.filter((f) => f.found).length}/${r.fp.length}  ${(r.wallMs / 1000).toFixed(1)} s  (t=${((performance.now() - t0) / 1000).toFixed(0)} s)`);
        }
        send();
      });
      child.on('exit', (code) => {
        if (next < order.length || code) reject(new Error(`worker exited with ${code}`));
      });
    });
  await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, one));
  return results;
}

async function speedBench(corpus: CorpusItem[]): Promise<{ rows: SpeedRow[]; notes: string[] }> {
  const engine = await loadEngine();
  const notes: string[] = [];
  const find = (id: string) => corpus.find((c) => c.id === id);
  const src1080 = find('landscape-1080p');
  const src4k = find('landscape-4k');
  if (!src1080) return { rows: [], notes: ['landscape-1080p not in this corpus subset; speed skipped'] };
  const img1080 = await readImage(src1080.path);
  const sizes = [
    { size: '512×512', img: crop(img1080, 700, 300, 512, 512), runs: quick ? 5 : 15 },
    { size: '1920×1080', img: img1080, runs: quick ? 3 : 9 },
    ...(src4k ? [{ size: '4000×3000', img: await readImage(src4k.path), runs: quick ? 1 : 5 }] : quick ? [] : [{ size: '4000×3000', img: await resize(img1080, 4000, 3000), runs: 5 }]),
  ];
  const label = engine.createLabel({ producer: PRODUCER });
  const rows: SpeedRow[] = [];
  // Each flavour also times the same kernel pipeline (bench/baseline): 'ts' is the plain-TypeScript
  // port, which has no engine of its own, so its embed/detect columns are that pipeline's.
  for (const flavor of ['simd', 'scalar', 'ts'] as const) {
    for (const { size, img, runs: allRuns } of sizes) {
      // The TS port is slow at 4K: fewer repetitions there.
      const runs = flavor === 'ts' && img.width * img.height > 4e6 ? Math.min(allRuns, 3) : allRuns;
      try {
        const kernel = await timeKernelPipelines(flavor, img, runs);
        log(`[speed] ${flavor} ${size} kernels: embed ${kernel.embedMs.toFixed(1)} ms, aligned ${kernel.alignedMs.toFixed(1)} ms, search ${kernel.searchMs.toFixed(1)} ms (median of ${runs})`);
        if (flavor === 'ts') {
          rows.push({ size, flavor, embedMs: kernel.embedMs, detectMs: kernel.alignedMs, runs, kernel });
          continue;
        }
        engine.preferCoreFlavor?.(flavor);
        const marked = await engine.embedImage(img.data, img.width, img.height, label);
        const e = await timeMedian(() => engine.embedImage(img.data, img.width, img.height, label), runs);
        // Unmarked input never exits early: every candidate and the whole geometry search run.
        // Timed in turn with the marked one, so their ratio (the full search's cost) holds under load.
        const [d, u] = await timeMediansInterleaved([() => engine.detectImage(marked.rgba, img.width, img.height), () => engine.detectImage(img.data, img.width, img.height)], runs);
        rows.push({ size, flavor, embedMs: e.median, detectMs: d.median, detectUnmarkedMs: u.median, runs, kernel });
        log(`[speed] ${flavor} ${size}: embed ${e.median.toFixed(1)} ms, detect ${d.median.toFixed(1)} ms, unmarked ${u.median.toFixed(1)} ms (median of ${runs})`);
      } catch (err) {
        rows.push({ size, flavor, embedMs: NaN, detectMs: NaN, runs, error: errorCode(err) });
        notes.push(`${flavor} ${size}: failed (${errorCode(err)})`);
        log(`[speed] ${flavor} ${size}: ${String((err as Error)?.stack ?? err).split('\n').slice(0, 3).join(' | ')}`);
        if (flavor === 'ts') break;
      }
    }
  }
  engine.preferCoreFlavor?.(null);
  notes.push(
    'ts: the plain-TypeScript port of the kernels (bench/baseline/image-kernels.ts), which has no payload coding: its embed/detect columns time the kernel pipeline only (embed; luma, whiten, fold and soft bits at the origin), and it has no geometry search, hence no unmarked column. The kernel pipeline table compares like with like.',
  );
  notes.push('The machine was shared with other sessions while this ran; medians, not minima, are quoted.');
  return { rows, notes };
}

const LAST_JSON = fileURLToPath(new URL('./.cache/last-results.json', import.meta.url));

function writeAll(results: ImageResult[], speed: { rows: SpeedRow[]; notes: string[] }, info: RunInfo, crops: string[]): void {
  writeRobustness(results, info);
  writeQuality(results, info, crops);
  writeFalsePositives(results, info);
  writePlots(results);
  writeSpeed(speed.rows, info, speed.notes);
  printConsole(results, speed.rows);
}

async function main() {
  if (args['from-json'] || args['speed-only']) {
    const from = args['from-json'] ?? LAST_JSON;
    const saved = JSON.parse(readFileSync(from, 'utf8')) as { info: RunInfo; results: ImageResult[]; speed: { rows: SpeedRow[]; notes: string[] }; crops: string[] };
    if (!args.out) setResultsDir(DEFAULT_RESULTS);
    if (args['speed-only']) {
      const engineLine = useEngineRev(args['engine-rev']);
      saved.speed = await speedBench(await buildCorpus({ log }));
      saved.speed.notes.push(`Timing pass redone alone (--speed-only) on the engine at ${engineLine}; the other reports are from the run above.`);
      writeFileAtomic(from, JSON.stringify(saved));
    }
    writeAll(saved.results, saved.speed, saved.info, saved.crops ?? []);
    log(`[bench] re-rendered ${relative(process.cwd(), RESULTS) || '.'} from ${from}`);
    return;
  }
  const t0 = performance.now();
  const engineLine = useEngineRev(args['engine-rev']);
  await loadEngine(); // fail fast if the engine does not load
  log(`[bench] engine: ${engineLine}`);
  const corpus = await buildCorpus({ quick, only: args.only?.split(','), splits, log });
  log(`[bench] corpus: ${corpusSummary(corpus)}; suites ${suites.join(', ')}`);
  const fpCrops = args['fp-crops'] ? Number(args['fp-crops']) : quick ? 4 : 17;
  const crops: string[] = [];
  const jobs: Job[] = corpus.map((item) => {
    const wantCrop = CROP_IDS.includes(item.id);
    if (wantCrop) crops.push(`image-crop-${item.id}.png`);
    return {
      item,
      suites,
      fpCrops,
      fpAttacks: !quick,
      butteraugliMaxPixels: quick ? 2_100_000 : 13_000_000,
      wrongKey: true,
      payloadSeed: args['payload-seed'] === 'random' ? null : Number(args['payload-seed']),
      cropPngPath: wantCrop ? join(RESULTS, `image-crop-${item.id}.png`) : undefined,
    };
  });
  const results = await runJobs(jobs);
  const speed = args['no-speed'] ? { rows: [], notes: ['skipped (--no-speed)'] } : await speedBench(corpus);
  const info: RunInfo = {
    engine: `src/node.ts embedImage/detectImage (public key, default strength), ${engineLine}`,
    corpus,
    corpusLine: `${corpusSummary(corpus)}; recipes in bench/image/corpus.ts and the per-image table of image-quality.md`,
    command: `node --import tsx bench/image/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
    wallS: (performance.now() - t0) / 1000,
    workers,
    quick,
  };
  writeFileAtomic(LAST_JSON, JSON.stringify({ info: { ...info, corpus: [] }, results, speed, crops }));
  writeAll(results, speed, info, crops);
  log(`[bench] wrote ${relative(process.cwd(), RESULTS) || '.'}/image-*.md/.svg/.png in ${info.wallS.toFixed(0)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
