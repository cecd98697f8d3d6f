/**
 * Speed end to end: what users run, as whole processes (the CLI) and in process (the API),
 * with peers side by side in one run: each round runs every contender of a job once, in turn,
 * and a job's figures are medians over ROUNDS rounds. Ratio = contender ÷ ours (above 1: ours
 * is faster). Writes bench/results/speed-end-to-end.md.
 *
 * Contenders: this checkout's built CLI (npm run build first); the previous version, when
 * AIGC_PREVIOUS names a built checkout of it; the peers invisible-watermark (dwtDct, dwtDctSvd)
 * and audiowmark, found as peers.ts says; and plain decode + encode of the same file by
 * ImageMagick and sox, the floor any marker pays.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../lib/markdown.ts';
import { timeProcess as timed, type ProcessTiming } from '../lib/proc.ts';
import { median, timeMediansInterleaved } from '../lib/stats.ts';
import { speedInputs, WORK } from './inputs.ts';
import { findPeers } from './peers.ts';

const ROUNDS = Math.max(7, Number(process.env.ROUNDS ?? 7));
const OURS = resolve('dist/src/cli/main.js');
const PREVIOUS = process.env.AIGC_PREVIOUS ? resolve(process.env.AIGC_PREVIOUS) : null;
const PRODUCER = '91110000MA01ABCDEF123456789';
if (!existsSync(OURS)) throw new Error('Build first (npm run build): dist/src/cli/main.js is missing.');
if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time (Debian package "time") is needed for CPU time and peak memory.');

type Sample = Pick<ProcessTiming, 'wall' | 'cpu' | 'rssMb'>;
interface Contender {
  name: string;
  cmd: string[];
  /** A real peer (not ours, the previous version or a decode/encode floor). */
  peer?: boolean;
}
interface Job {
  name: string;
  contenders: Contender[];
}

const inputs = speedInputs();
const out = (name: string) => join(WORK, name);
const cli = (main: string, ...args: string[]) => ['node', main, ...args];
const aigc = (label: string, main: string) => ({
  version: { name: label, cmd: cli(main, '--version') },
  help: { name: label, cmd: cli(main, '--help') },
  markPng: { name: label, cmd: cli(main, 'mark', inputs.png, '-o', out(`${label}-marked.png`), '--producer', PRODUCER, '--force') },
  detectPng: { name: label, cmd: cli(main, 'detect', out('ours-marked.png')) },
  markPng8: { name: label, cmd: cli(main, 'mark', inputs.png8, '-o', out(`${label}-marked-8bit.png`), '--producer', PRODUCER, '--force') },
  detectPng8: { name: label, cmd: cli(main, 'detect', out('ours-marked-8bit.png')) },
  detectUnmarkedPng: { name: label, cmd: cli(main, 'detect', inputs.png) },
  detectUnmarkedJpeg: { name: label, cmd: cli(main, 'detect', inputs.jpeg) },
  mark30: { name: label, cmd: cli(main, 'mark', inputs.wav30, '-o', out(`${label}-marked-30s.wav`), '--producer', PRODUCER, '--force') },
  mark180: { name: label, cmd: cli(main, 'mark', inputs.wav180, '-o', out(`${label}-marked-180s.wav`), '--producer', PRODUCER, '--force') },
  detect30: { name: label, cmd: cli(main, 'detect', out('ours-marked-30s.wav')) },
  detectUnmarked30: { name: label, cmd: cli(main, 'detect', inputs.wav30) },
});
const ours = aigc('ours', OURS);
const previous = PREVIOUS ? aigc('previous', join(PREVIOUS, 'dist/src/cli/main.js')) : null;
// The files ours detects must exist before the first round.
for (const c of [ours.markPng, ours.markPng8, ours.mark30]) timed(c.cmd);

const found = findPeers();
const notes = [
  'Image input: a 1920×1080 ImageMagick plasma, written as ImageMagick writes it, 16 bits per channel (`mark` keeps the input\'s bit depth, so it also writes 16 bits; invisible-watermark writes 8), and its 8-bit twin, as image generators write PNGs (the "8-bit" rows).',
  ...found.notes,
];
const peerCmd = (peer: typeof found.audiowmark) => (peer ? (...args: string[]) => [...peer.cmd, ...args] : null);
const audiowmark = peerCmd(found.audiowmark);
const imwatermark = peerCmd(found.imwatermark);
const AWM_MESSAGE = '0123456789abcdef0123456789abcdef';
const IW_TEXT = 'test';
const IW_METHODS = ['dwtDct', 'dwtDctSvd'] as const;
/** invisible-watermark on the 16-bit input or (`depth` '-8bit') its 8-bit twin. */
const iwMark = (method: string, depth = '') => imwatermark!('-a', 'encode', '-t', 'bytes', '-m', method, '-w', IW_TEXT, '-o', out(`iw-${method}${depth}.png`), depth ? inputs.png8 : inputs.png);
const iwDetect = (method: string, depth = '') => imwatermark!('-a', 'decode', '-t', 'bytes', '-m', method, '-l', String(IW_TEXT.length * 8), out(`iw-${method}${depth}.png`));
const awmMark = (src: string, seconds: number) => audiowmark!('add', src, out(`awm-${seconds}s.wav`), AWM_MESSAGE);
const awmDetect30 = () => audiowmark!('get', out('awm-30s.wav'));

/** Runs a peer untimed (exit 1: found nothing); its output lines, blanks squeezed. */
function runPeer(cmd: string[]): string[] {
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd.join(' ')}: exit ${r.status}\n${r.stderr.slice(-2000)}`);
  return `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim().replace(/\s+/g, ' '));
}
/** Runs a peer's detector on its own marked file; a note says what it found. */
function checkPeer(name: string, cmd: string[], expected: string) {
  const hit = runPeer(cmd).find((l) => l.includes(expected));
  notes.push(hit ? `${name} on its own marked file: \`${hit}\`.` : `${name} did NOT find its own mark: its timings are of a failed detection.`);
}
// The files the peers detect must exist before the first round, and must hold their marks.
if (imwatermark) {
  notes.push(`invisible-watermark: ${found.imwatermark!.about}; it marks the 4-byte text "${IW_TEXT}".`);
  for (const m of IW_METHODS) {
    for (const depth of ['', '-8bit']) {
      timed(iwMark(m, depth));
      checkPeer(`invisible-watermark ${m} decode${depth && ' (8-bit input)'}`, iwDetect(m, depth), IW_TEXT);
    }
  }
}
if (audiowmark) {
  notes.push(`audiowmark: ${found.audiowmark!.about}; it marks a 128-bit message at its default strength, WAV in, WAV out.`);
  const blocks = runPeer(awmMark(inputs.wav30, 30)).find((l) => l.startsWith('Data Blocks:'));
  if (blocks === 'Data Blocks: 0') notes.push('audiowmark add on 30 s reports `Data Blocks: 0`: 30 s is shorter than one of its data blocks, so its get finds the mark by its clip search (CLIP rows).');
  checkPeer('audiowmark get (30 s)', awmDetect30(), AWM_MESSAGE);
}

const peers = (job: keyof typeof ours): Contender[] => {
  const list: Contender[] = [];
  if (job === 'markPng') {
    list.push({ name: 'ImageMagick decode + encode', cmd: ['convert', inputs.png, out('im.png')] });
    if (imwatermark) for (const m of IW_METHODS) list.push({ name: `invisible-watermark ${m} encode`, cmd: iwMark(m), peer: true });
  }
  if (job === 'markPng8') {
    list.push({ name: 'ImageMagick decode + encode', cmd: ['convert', inputs.png8, out('im-8bit.png')] });
    if (imwatermark) for (const m of IW_METHODS) list.push({ name: `invisible-watermark ${m} encode`, cmd: iwMark(m, '-8bit'), peer: true });
  }
  if (job === 'detectPng' || job === 'detectUnmarkedPng') list.push({ name: 'ImageMagick decode', cmd: ['convert', inputs.png, 'null:'] });
  if (job === 'detectPng8') list.push({ name: 'ImageMagick decode', cmd: ['convert', inputs.png8, 'null:'] });
  if (job === 'detectPng' && imwatermark) for (const m of IW_METHODS) list.push({ name: `invisible-watermark ${m} decode`, cmd: iwDetect(m), peer: true });
  if (job === 'detectPng8' && imwatermark) for (const m of IW_METHODS) list.push({ name: `invisible-watermark ${m} decode`, cmd: iwDetect(m, '-8bit'), peer: true });
  if (job === 'mark30' || job === 'mark180') {
    const [src, seconds] = job === 'mark30' ? [inputs.wav30, 30] : [inputs.wav180, 180];
    list.push({ name: 'sox decode + encode', cmd: ['sox', src, out('sox.wav')] });
    if (audiowmark) list.push({ name: 'audiowmark add', cmd: awmMark(src, seconds), peer: true });
  }
  if (job === 'detect30' && audiowmark) list.push({ name: 'audiowmark get', cmd: awmDetect30(), peer: true });
  // The platform's common case: nothing to find, so every search runs to the end.
  if (job === 'detectUnmarked30' && audiowmark) list.push({ name: 'audiowmark get', cmd: audiowmark('get', inputs.wav30), peer: true });
  return list;
};
if (!PREVIOUS) notes.push('AIGC_PREVIOUS is not set: no column for the previous version.');

const JOBS: [keyof typeof ours, string][] = [
  ['version', 'aigc-mark --version'],
  ['help', 'aigc-mark --help'],
  ['markPng', 'mark a 1080p PNG'],
  ['detectPng', 'detect a marked 1080p PNG'],
  ['markPng8', 'mark a 1080p PNG, 8-bit'],
  ['detectPng8', 'detect a marked 1080p PNG, 8-bit'],
  ['detectUnmarkedPng', 'detect an unmarked 1080p PNG'],
  ['detectUnmarkedJpeg', 'detect an unmarked 1080p JPEG'],
  ['mark30', 'mark 30 s of loud music (WAV)'],
  ['mark180', 'mark 180 s of loud music (WAV)'],
  ['detect30', 'detect 30 s (WAV, marked)'],
  ['detectUnmarked30', 'detect 30 s (WAV, unmarked)'],
];
const jobs: Job[] = JOBS.map(([key, name]) => ({ name, contenders: [ours[key], ...(previous ? [previous[key]] : []), ...peers(key)] }));

const rows: string[][] = [];
const peerRows: string[][] = [];
const figures = (s: { wall: number; cpu: number; rssMb: number }) => [s.wall.toFixed(3), s.cpu.toFixed(3), s.rssMb.toFixed(0)];
for (const job of jobs) {
  const samples = job.contenders.map(() => [] as Sample[]);
  for (let round = 0; round < ROUNDS; round++) job.contenders.forEach((c, i) => samples[i].push(timed(c.cmd)));
  const summary = samples.map((s) => ({ wall: median(s.map((x) => x.wall)), cpu: median(s.map((x) => x.cpu)), rssMb: Math.max(...s.map((x) => x.rssMb)) }));
  const [base] = summary;
  job.contenders.forEach((c, i) => {
    const s = summary[i];
    const ratio = (a: number, b: number) => (i === 0 ? '1' : (a / b).toFixed(2));
    rows.push([job.name, c.name, ...figures(s), ratio(s.wall, base.wall), ratio(s.cpu, base.cpu)]);
    if (c.peer) peerRows.push([job.name, c.name, ...figures(base), ...figures(s), ratio(s.wall, base.wall), ratio(s.cpu, base.cpu)]);
  });
  console.log(rows.filter((r) => r[0] === job.name).map((r) => r.join(' | ')).join('\n'));
}

// In process: the API on the same inputs, this checkout against the previous version.
const api = await import('../../src/node.ts');
const prevApi = PREVIOUS ? ((await import(join(PREVIOUS, 'dist/src/node.js'))) as typeof api) : null;
const label = api.createLabel({ producer: PRODUCER, produceId: 'AM2Q3WC88' });
const loud = await api.decodeAudioFile(new Uint8Array(readFileSync(inputs.wav180)));
const image = await api.decodeImageFile(new Uint8Array(readFileSync(inputs.png)));
const seconds = loud.channels[0].length / loud.sampleRate;
const inProcess: string[][] = [];
const pair = async (name: string, unit: (ms: number) => string, fn: (a: typeof api) => Promise<unknown>) => {
  const fns = [() => fn(api), ...(prevApi ? [() => fn(prevApi)] : [])];
  const [mine, prev] = await timeMediansInterleaved(fns, ROUNDS);
  inProcess.push([name, `${mine.median.toFixed(1)} ms (${unit(mine.median)})`, prev ? `${prev.median.toFixed(1)} ms (${unit(prev.median)})` : '–', prev ? (prev.median / mine.median).toFixed(2) : '–']);
  console.log(inProcess[inProcess.length - 1].join(' | '));
};
const realTime = (ms: number) => `${((seconds * 1000) / ms).toFixed(0)}x real time`;
await pair('embedAudio, 180 s loud music, stereo', realTime, (a) => a.embedAudio(loud.channels, loud.sampleRate, label));
await pair('markFile, 180 s loud music WAV (decode, embed, encode)', realTime, (a) => a.markFile(new Uint8Array(readFileSync(inputs.wav180)), label));
const markedImage = await api.embedImage(image.rgba, image.width, image.height, label);
await pair('embedImage, 1080p', () => 'in process', (a) => a.embedImage(image.rgba, image.width, image.height, label));
await pair('detectImage, unmarked 1080p', () => 'in process', (a) => a.detectImage(image.rgba, image.width, image.height));
await pair('detectImage, marked 1080p', () => 'in process', (a) => a.detectImage(markedImage.rgba, image.width, image.height));

// The whole-process figures measured before the speed work (medians of 7 paired runs, wall time
// unless marked CPU; ratio = peer ÷ ours), each beside this run's rows of the same jobs.
const BEFORE: { job: string; ours: string; peer: string; ratio: string; now: [string, string][] }[] = [
  { job: 'mark a 1080p PNG', ours: '0.76 s', peer: 'dwtDct 0.51 s', ratio: '0.70', now: [['mark a 1080p PNG', 'invisible-watermark dwtDct encode'], ['mark a 1080p PNG, 8-bit', 'invisible-watermark dwtDct encode']] },
  { job: 'detect a 1080p PNG', ours: '0.45 s', peer: 'dwtDct 0.34 s', ratio: '0.78', now: [['detect a marked 1080p PNG', 'invisible-watermark dwtDct decode'], ['detect a marked 1080p PNG, 8-bit', 'invisible-watermark dwtDct decode']] },
  { job: 'mark 30 s of music (WAV)', ours: '0.54 s CPU', peer: 'audiowmark add 0.05 s', ratio: '0.09 (CPU)', now: [['mark 30 s of loud music (WAV)', 'audiowmark add']] },
  { job: 'mark 180 s of music (WAV)', ours: '2.3 s, 586 MB peak', peer: 'audiowmark add 0.27 s, 11 MB', ratio: '0.10', now: [['mark 180 s of loud music (WAV)', 'audiowmark add']] },
  { job: 'detect 30 s (WAV)', ours: '0.47 s', peer: 'audiowmark get 1.31 s', ratio: '2.8', now: [['detect 30 s (WAV, marked)', 'audiowmark get']] },
];
const beforeRows = BEFORE.flatMap((b) => b.now.map(([job, peer], i) => {
  const r = peerRows.find((x) => x[0] === job && x[1] === peer);
  const now = r ? [job, `${r[3]} s CPU, ${r[4]} MB peak`, `${r[6]} s CPU`, r[9]] : [job, '–', 'peer not installed', '–'];
  return i === 0 ? [b.job, b.ours, b.peer, b.ratio, ...now] : ['', '', '', '', ...now];
}));

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const md = [
  '# Speed end to end (bench/speed/run.ts)',
  '',
  `Generated ${new Date().toISOString().slice(0, 10)} on ${cpu} (${cpus().length} cores, shared with other jobs), Node ${process.version}. ` +
    `Whole processes under /usr/bin/time; medians of ${ROUNDS} rounds, each round running every contender of a job once in turn, so a busy moment hits them alike. ` +
    'Ratio = contender ÷ ours: above 1, ours is faster. CPU = user + system seconds, steadier than wall time on a shared machine. Peak = the largest resident set of any round.',
  '',
  ...notes.map((n) => `- ${n}`),
  '',
  '## Against the peers',
  '',
  'The peers\' rows of the whole-process table below, each beside ours from the same rounds.',
  '',
  '| job | peer | ours wall s | ours CPU s | ours peak MB | peer wall s | peer CPU s | peer peak MB | wall ratio | CPU ratio |',
  '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...(peerRows.length ? peerRows.map((r) => `| ${r.join(' | ')} |`) : ['| – | no peer installed | | | | | | | | |']),
  '',
  '## Before the speed work, and now',
  '',
  'The whole-process figures measured before the speed work (a quieter machine; wall time unless marked CPU), each beside this run\'s rows of the same job against the same peer.',
  '',
  '| job | before: ours | before: peer | before: ratio | this run: job | ours | peer | CPU ratio |',
  '|---|---|---|---:|---|---|---|---:|',
  ...beforeRows.map((r) => `| ${r.join(' | ')} |`),
  '',
  '## Whole process',
  '',
  '| job | contender | wall s | CPU s | peak MB | wall ratio | CPU ratio |',
  '|---|---|---:|---:|---:|---:|---:|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  '',
  '## In process',
  '',
  `| call | ours | previous | ratio |`,
  '|---|---:|---:|---:|',
  ...inProcess.map((r) => `| ${r.join(' | ')} |`),
  '',
];
writeFileAtomic('bench/results/speed-end-to-end.md', md.join('\n'));
