// scan throughput with 1 and 2 worker threads, side by side in one run, over a mixed upload
// folder (marked, unmarked, stripped, metadata-edited, explicit-only, corrupt) drawn at bench time.
// Runs the CLI as a user would (a child process); repeats alternate so load drifts hit both.
//
//   node --import tsx bench/platform/scan-jobs.ts [--files 120] [--rounds 2]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import '../../src/wasm/node-source.ts';
import { drawExplicitLabel, readMetadataLabel, stripMetadataLabel, writeMetadataLabel } from '../../src/node.ts';
import { landscape } from '../image/procedural.ts';
import { toPng } from '../image/raster.ts';
import { markdownTable, reportHeader, writeFileAtomic } from '../lib/markdown.ts';
import { fmt, median } from '../lib/stats.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const FILES = arg('files', 120);
const ROUNDS = arg('rounds', 2);
const WORK = 'bench/work/platform';
const DIR = join(WORK, 'uploads');
const MAIN = 'src/cli/main.ts';

const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

rmSync(WORK, { recursive: true, force: true });
mkdirSync(DIR, { recursive: true });
const kinds = ['marked', 'unmarked', 'stripped', 'edited', 'explicit-only', 'corrupt'];
for (let i = 0; i < FILES; i++) {
  const kind = kinds[i % kinds.length];
  const side = 384 + (i % 5) * 64;
  const base = landscape(side, Math.round(side * 0.75), 500 + i);
  const plain = join(WORK, `plain-${i}.png`);
  writeFileSync(plain, await toPng(kind === 'explicit-only' ? { ...base, data: drawExplicitLabel(base.data, base.width, base.height).rgba } : base));
  let bytes: Uint8Array = new Uint8Array(await sharp(plain).png().toBuffer());
  if (kind !== 'unmarked' && kind !== 'explicit-only') {
    const marked = join(WORK, `marked-${i}.png`);
    const run = cli(['mark', plain, '-o', marked, '--producer', '001191440300708461136T1XGW3']);
    if (run.status !== 0) throw new Error(run.stderr);
    bytes = new Uint8Array(readFileSync(marked));
    if (kind === 'stripped') bytes = stripMetadataLabel(bytes);
    if (kind === 'edited') bytes = writeMetadataLabel(bytes, { ...readMetadataLabel(bytes)!, ContentProducer: 'SOMEONEELSE' });
    if (kind === 'corrupt') bytes = bytes.subarray(0, 700);
  }
  writeFileSync(join(DIR, `${String(i).padStart(4, '0')}-${kind}.png`), bytes);
}

const times: Record<number, number[]> = { 1: [], 2: [] };
for (let r = 0; r < ROUNDS; r++) {
  for (const jobs of r % 2 === 0 ? [1, 2] : [2, 1]) {
    const t = performance.now();
    const run = cli(['scan', DIR, '--jobs', String(jobs), '--json']);
    times[jobs].push((performance.now() - t) / 1000);
    if (run.status !== 0) throw new Error(run.stderr);
    console.error(`round ${r + 1} jobs ${jobs}: ${fmt(times[jobs].at(-1)!, 1)} s`);
  }
}
const m1 = median(times[1]), m2 = median(times[2]);
const report = [
  reportHeader({
    title: 'scan throughput: 1 against 2 worker threads',
    facts: [
      ['Command', `node --import tsx bench/platform/scan-jobs.ts --files ${FILES} --rounds ${ROUNDS}`],
      ['Corpus', `${FILES} PNG uploads (384-640 px wide), equal shares of ${kinds.join(', ')}; the CLI scans them with --json (process start-up included)`],
    ],
  }),
  markdownTable({
    headers: ['--jobs', 'median wall time (s)', 'files per second', 'speed-up'],
    rows: [
      ['1', fmt(m1, 1), fmt(FILES / m1, 1), '1.00'],
      ['2', fmt(m2, 1), fmt(FILES / m2, 1), fmt(m1 / m2, 2)],
    ],
  }),
  `\nEach figure is the median of ${ROUNDS} runs, alternating the order. The machine is shared; read the speed-up, not the absolute rates.\n`,
].join('\n');
writeFileAtomic('bench/results/platform-scan.md', report);
console.log(report);
