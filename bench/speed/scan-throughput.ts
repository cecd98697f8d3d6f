/**
 * scan throughput on 1080p JPEG uploads, mostly unmarked: what a platform runs on every upload.
 * The built CLI scans one folder as a whole process under /usr/bin/time (start-up included),
 * with --jobs 1 and --jobs 2; files per second of wall time, and files per CPU-second (the
 * rate per core). With AIGC_PREVIOUS naming a built checkout, the previous version scans the
 * same folder in the same rounds: each round runs every contender once, in alternating order,
 * and the figures are medians over ROUNDS rounds. Every run's verdicts are checked against the
 * others' and against what the folder holds. Writes bench/results/speed-scan.md.
 *
 *   npm run build && AIGC_PREVIOUS=/path/to/checkout npm run bench:scan
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { markdownTable, reportHeader, writeFileAtomic } from '../lib/markdown.ts';
import { timeProcess, type ProcessTiming } from '../lib/proc.ts';
import { fmt, median } from '../lib/stats.ts';
import { scanCorpus } from './scan-corpus.ts';

const ROUNDS = Math.max(3, Number(process.env.ROUNDS ?? 3));
const JOBS = [1, 2];
const OURS = resolve('dist/src/cli/main.js');
const PREVIOUS = process.env.AIGC_PREVIOUS ? resolve(process.env.AIGC_PREVIOUS) : null;
if (!existsSync(OURS)) throw new Error('Build first (npm run build): dist/src/cli/main.js is missing.');
if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time (Debian package "time") is needed for CPU time.');
if (PREVIOUS && !existsSync(join(PREVIOUS, 'dist/src/cli/main.js'))) throw new Error(`AIGC_PREVIOUS=${PREVIOUS}: dist/src/cli/main.js is missing; build that checkout first.`);

const contenders = [{ name: 'ours', main: OURS }, ...(PREVIOUS ? [{ name: 'previous', main: join(PREVIOUS, 'dist/src/cli/main.js') }] : [])];
const corpus = await scanCorpus(OURS, (line) => console.error(line));
const loadAtStart = loadavg()[0]!;

/** What scan --json said of each file: "Label 1 (verified, watermark)", "none" or "error CODE". */
function verdicts(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const doc = JSON.parse(line) as { file: string; verdict?: { label: string | null; tier: string; basis: string }; error?: { code: string } };
    const v = doc.error ? `error ${doc.error.code}` : doc.verdict?.label ? `Label ${doc.verdict.label} (${doc.verdict.tier}, ${doc.verdict.basis})` : 'none';
    out.set(basename(doc.file), v);
  }
  return out;
}

interface Run {
  timing: ProcessTiming;
  verdicts: Map<string, string>;
}
const runs = new Map<string, Run[]>(); // key: contender/jobs
const key = (name: string, jobs: number) => `${name}/${jobs}`;
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? contenders : [...contenders].reverse();
  for (const jobs of JOBS) {
    for (const c of order) {
      const timing = timeProcess(['node', c.main, 'scan', corpus.dir, '--jobs', String(jobs), '--json']);
      if (timing.status !== 0) throw new Error(`${c.name} scan --jobs ${jobs}: exit ${timing.status}`);
      const run = { timing, verdicts: verdicts(timing.stdout) };
      if (run.verdicts.size !== corpus.files) throw new Error(`${c.name} scan --jobs ${jobs}: ${run.verdicts.size} results for ${corpus.files} files`);
      runs.set(key(c.name, jobs), [...(runs.get(key(c.name, jobs)) ?? []), run]);
      console.error(`round ${round + 1}, ${c.name}, --jobs ${jobs}: ${fmt(timing.wall, 2)} s wall, ${fmt(timing.cpu, 2)} s CPU`);
    }
  }
}

// Throughput: medians over the rounds; ratios previous ÷ ours (above 1: ours is faster).
const summary = (name: string, jobs: number) => {
  const t = runs.get(key(name, jobs))!.map((r) => r.timing);
  return { wall: median(t.map((x) => x.wall)), cpu: median(t.map((x) => x.cpu)), rssMb: Math.max(...t.map((x) => x.rssMb)) };
};
const throughputRows: string[][] = [];
for (const jobs of JOBS) {
  const ours = summary('ours', jobs);
  for (const c of contenders) {
    const s = summary(c.name, jobs);
    const ratio = (a: number, b: number) => (c.name === 'ours' ? '1' : fmt(a / b, 2));
    throughputRows.push([
      c.name, String(jobs), fmt(s.wall, 2), fmt(s.cpu, 2), fmt(corpus.files / s.wall, 2), fmt(corpus.files / s.cpu, 2),
      fmt((1000 * s.cpu) / corpus.files, 0), fmt(s.rssMb, 0), ratio(s.wall, ours.wall), ratio(s.cpu, ours.cpu),
    ]);
  }
}
const scalingRows = contenders.map((c) => {
  const [one, two] = JOBS.map((jobs) => summary(c.name, jobs));
  return [c.name, fmt(one!.wall / two!.wall, 2), fmt(two!.cpu / one!.cpu, 2)];
});

// Verdicts: every run of every contender against the first, file by file, and against the folder's truth.
const all = [...runs.entries()].flatMap(([k, list]) => list.map((r, i) => ({ label: `${k.replace('/', ' --jobs ')} round ${i + 1}`, verdicts: r.verdicts })));
const reference = all[0]!;
const disagreements: string[] = [];
for (const run of all.slice(1)) {
  for (const [file, v] of reference.verdicts) {
    if (run.verdicts.get(file) !== v) disagreements.push(`${file}: ${reference.label} says ${v}, ${run.label} says ${run.verdicts.get(file) ?? 'nothing'}`);
  }
}
const countRows = contenders.map((c) => {
  const v = runs.get(key(c.name, 1))![0]!.verdicts;
  const count = (pred: (file: string, verdict: string) => boolean) => [...v].filter(([f, x]) => pred(f, x)).length;
  return [
    c.name,
    String(count((_, x) => x.startsWith('Label 1'))),
    String(count((_, x) => x.startsWith('Label 2'))),
    String(count((_, x) => x.startsWith('Label 3'))),
    String(count((_, x) => x === 'none')),
    String(count((_, x) => x.startsWith('error'))),
    `${count((f, x) => f.includes('-marked-') && x.startsWith('Label 1'))}/${corpus.marked}`,
    `${count((f, x) => f.includes('-unmarked') && x !== 'none')}/${corpus.files - corpus.marked}`,
  ];
});

const command = `${PREVIOUS ? `AIGC_PREVIOUS=${process.env.AIGC_PREVIOUS} ` : ''}${ROUNDS !== 3 ? `ROUNDS=${ROUNDS} ` : ''}npm run bench:scan`;
const report = [
  reportHeader({
    title: 'scan throughput: 1080p JPEG uploads',
    facts: [
      ['Command', `\`${command}\` (bench/speed/scan-throughput.ts)`],
      ['Run', `\`node dist/src/cli/main.js scan ${corpus.dir} --jobs N --json\`, a whole process under /usr/bin/time, start-up included`],
      ['Corpus', `${corpus.about}; made at bench time in ${corpus.dir}`],
      ['Load', `1-minute load average ${fmt(loadAtStart, 1)} at the start, ${fmt(loadavg()[0], 1)} at the end, on ${JOBS.at(-1)} cores shared with other jobs: wall times and the --jobs 2 speed-up shrink as it grows, CPU seconds much less`],
      ['Contenders', PREVIOUS ? `ours (this checkout) and previous (${process.env.AIGC_PREVIOUS})` : 'ours only (set AIGC_PREVIOUS to a built checkout for a previous-version column)'],
    ],
  }),
  '',
  `Medians of ${ROUNDS} rounds; each round runs every contender at each --jobs once, in turn, the contenders' order reversed every other round, ` +
    'so a busy moment on the shared machine hits them alike. CPU = user + system seconds of the whole process, all threads. ' +
    'Files per CPU-second is the rate one core sustains; it is steadier than wall time when other jobs share the cores. ' +
    'Ratio = previous ÷ ours: above 1, ours is faster.',
  '',
  markdownTable({
    title: 'Throughput',
    headers: ['contender', '--jobs', 'wall s', 'CPU s', 'files/s', 'files per CPU-second (per core)', 'CPU ms per file', 'peak MB', 'wall ratio', 'CPU ratio'],
    rows: throughputRows,
  }),
  markdownTable({
    title: '--jobs 2 against --jobs 1',
    headers: ['contender', 'wall speed-up', 'CPU ratio (2 ÷ 1)'],
    rows: scalingRows,
  }),
  markdownTable({
    title: 'Verdicts (first --jobs 1 run of each contender)',
    headers: ['contender', 'Label 1 (verified)', 'Label 2 (possibly)', 'Label 3 (suspected)', 'none', 'errors', 'marked files found', 'unmarked files flagged'],
    rows: countRows,
  }),
  disagreements.length === 0
    ? `All ${all.length} runs (${contenders.map((c) => c.name).join(' and ')}, --jobs ${JOBS.join(' and ')}, every round) gave the same verdict for each of the ${corpus.files} files.\n`
    : `The runs disagree on ${disagreements.length} verdicts:\n\n${disagreements.map((d) => `- ${d}`).join('\n')}\n`,
].join('\n');
writeFileAtomic('bench/results/speed-scan.md', report);
console.log(report);
