/**
 * Audio speed: embed and detect as multiples of real time (one thread), with the
 * WASM SIMD core, the WASM scalar core, and a plain-TypeScript port of the same
 * kernels (bench/audio/ts-kernels.ts) run side by side on the same clips. With
 * AIGC_PREVIOUS naming a built checkout of the previous version (AIGC_PREVIOUS_NAME says
 * which, for the report), first what users run on 180 s of loud music, side by side
 * with it: embedAudio in process, and the whole `mark` process (wall time and peak
 * memory under /usr/bin/time), with audiowmark's add of the same file beside them.
 * Writes bench/results/audio-speed.md; with AUDIO_SPEED_VERSUS_ONLY set (and AIGC_PREVIOUS),
 * only that first section, over the one in the file.
 */
import '../../src/wasm/node-source.js';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { arraySource } from '../../src/audio/channels.js';
import { channelDeltas } from '../../src/audio/embedding.js';
import { cellSymbols, layoutFor } from '../../src/audio/layout.js';
import { loadInternalMono, searchSync } from '../../src/audio/sync-search.js';
import { detectAudio, embedAudio } from '../../src/audio/index.js';
import { DEFAULT_STEP, MAX_STEP, SPEECH_FRAMES, STEP_TILT } from '../../src/audio/params.js';
import { parseWav } from '../../src/audio/wav.js';
import { createLabel } from '../../src/label/create.js';
import { PUBLIC_KEY } from '../../src/payload/key.js';
import { loadCore, preferCoreFlavor, type Core } from '../../src/wasm/core.js';
import { timeProcess } from '../lib/proc.js';
import { findPeers } from '../speed/peers.js';
import { speedInputs, WORK } from '../speed/inputs.js';
import { buildCorpus } from './corpus.js';
import { tsCore } from './ts-kernels.js';

const RUNS = Number(process.env.RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Every run's wall time in ms, after a warm-up (JIT, plan tables). */
async function runTimes(fn: () => Promise<unknown> | unknown, runs = RUNS): Promise<number[]> {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return t;
}
const time = async (fn: () => Promise<unknown> | unknown, runs = RUNS) => median(await runTimes(fn, runs));

const label = createLabel({ producer: '91110000MA01ABCDEF123456789', produceId: 'AM2Q3WC88' });
const previous = process.env.AIGC_PREVIOUS ? resolve(process.env.AIGC_PREVIOUS) : null;
const versus = previous ? await againstPrevious(previous) : ['AIGC_PREVIOUS is not set: no side-by-side figures against the previous version.'];
if (process.env.AUDIO_SPEED_VERSUS_ONLY) {
  // Only the side-by-side section, written over the same section of the last full report.
  const report = readFileSync('bench/results/audio-speed.md', 'utf8');
  const from = report.indexOf('## Loud music, 180 s stereo');
  const to = report.indexOf('## API');
  if (from < 0 || to < from) throw new Error('bench/results/audio-speed.md has no side-by-side section to replace: run the whole bench.');
  const section = ['## Loud music, 180 s stereo: this version against the previous one', '', `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores shared with other jobs), Node ${process.version}.`, '', ...versus, '', ''];
  writeFileSync('bench/results/audio-speed.md', report.slice(0, from) + section.join('\n') + report.slice(to));
  process.exit(0);
}
const corpus = buildCorpus(true);
const pick = ['speech-en-us', 'music-dense-pad', 'speech-en-us-180s', 'music-pluck-melody-180s'];
const clips = pick.map((n) => corpus.find((c) => c.name === n)!);
const simd = await loadCore('simd');
const scalar = await loadCore('scalar');
const ts = tsCore();
const layout = layoutFor(simd, PUBLIC_KEY);
const symbols = cellSymbols(layout, new Uint8Array(306).map((_, i) => (i * 7) & 1));
// The speech shape (frame tilt on): the costlier path.
const shape = { step: DEFAULT_STEP, tilt: STEP_TILT, maxStep: MAX_STEP, ...SPEECH_FRAMES };

const api: string[] = ['| clip | seconds | embed ms (SIMD) | embed x RT | embed x RT, fastest run | detect ms (SIMD) | detect x RT | embed x RT (scalar core) | detect x RT (scalar core) |', '|---|---|---|---|---|---|---|---|---|'];
const kernels: string[] = ['| clip | phase | WASM SIMD ms | WASM scalar ms | plain TS ms | SIMD vs TS | SIMD vs scalar |', '|---|---|---|---|---|---|---|'];
for (const clip of clips) {
  const { channels, sampleRate } = parseWav(new Uint8Array(readFileSync(clip.path)));
  const seconds = channels[0].length / sampleRate;
  const runs = seconds > 60 ? 3 : RUNS;
  const row: number[] = [];
  let fastestEmbed = Infinity;
  for (const flavor of ['simd', 'scalar'] as const) {
    preferCoreFlavor(flavor);
    const marked = await embedAudio(channels, sampleRate, label);
    const embeds = await runTimes(() => embedAudio(channels, sampleRate, label), runs);
    if (flavor === 'simd') fastestEmbed = Math.min(...embeds);
    const d = await time(() => detectAudio(marked.channels, sampleRate), runs);
    row.push(median(embeds), d);
  }
  preferCoreFlavor(null);
  const xRT = (ms: number) => `${((seconds * 1000) / ms).toFixed(0)}x`;
  api.push(`| ${clip.name} | ${seconds} | ${row[0].toFixed(0)} | ${xRT(row[0])} | ${xRT(fastestEmbed)} | ${row[1].toFixed(0)} | ${xRT(row[1])} | ${xRT(row[2])} | ${xRT(row[3])} |`);
  if (seconds > 60) continue;
  const embedK = (core: Core) => () => channelDeltas(core, arraySource(channels), sampleRate, symbols, shape);
  const detectK = (core: Core) => () => searchSync(core, loadInternalMono(core, channels, sampleRate), layout);
  for (const [phase, make] of [['embed kernels (resample, frames, resample back; 2 ch)', embedK], ['detect kernels (resample, 32-offset sync search)', detectK]] as const) {
    const a = await time(make(simd), 3);
    const b = await time(make(scalar), 3);
    const c = await time(make(ts), 2);
    kernels.push(`| ${clip.name} | ${phase} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${c.toFixed(1)} | ${(c / a).toFixed(1)}x | ${(b / a).toFixed(2)}x |`);
  }
  console.log(api[api.length - 1]);
}
const md = [
  '# Audio watermark speed (bench/audio/speed.ts)',
  '',
  `Generated ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores shared with other jobs), Node ${process.version}, one thread. Median of ${RUNS} runs (3 for 180 s) after a warm-up; the fastest run is shown too, since other jobs on the shared cores only ever slow a run down. Stereo 44.1 kHz clips from the bench corpus. x RT = seconds of audio per second of wall time. Embed includes validation, the speech heuristic, the SNR budget and the limiter; detect includes the downmix, the 32-offset sync search and up to 4 Viterbi decodes.`,
  '',
  '## Loud music, 180 s stereo: this version against the previous one',
  '',
  ...versus,
  '',
  '## API',
  '',
  ...api,
  '',
  '## Kernels side by side',
  '',
  'The engine (src/audio/) run on three cores: the WASM build with f32x4 SIMD, the WASM build without it, and bench/audio/ts-kernels.ts, a plain-TypeScript port of the same kernels (same FFT, resampler, whitening and sync correlation).',
  '',
  ...kernels,
  '',
  'audiowmark 0.6.5 on this machine class: embed 375-600x real time, detect 18-22x on 30 s clips and 71-79x on 180 s.',
  '',
];
console.log(kernels.join('\n'));
writeFileSync('bench/results/audio-speed.md', md.join('\n'));

/**
 * What users run on 180 s of loud music (bench/speed/inputs.ts: stereo 44.1 kHz 16-bit,
 * peaks at -0.1 dBFS, so the limiter works throughout), this checkout and the built
 * checkout at `root` side by side in one run: embedAudio in process, interleaved run by
 * run, and the whole `mark` process, alternating; plus whether both mark a 30 s clip
 * to the same bytes. Markdown lines.
 */
async function againstPrevious(root: string): Promise<string[]> {
  const cliOf = (dir: string) => join(dir, 'dist/src/cli/main.js');
  if (!existsSync(cliOf('.')) || !existsSync(cliOf(root))) throw new Error(`Build both first: ${cliOf('.')} and ${cliOf(root)}.`);
  const inputs = speedInputs();
  const ours = await import('../../src/node.js');
  const theirs = (await import(join(root, 'dist/src/node.js'))) as typeof ours;
  const loud = parseWav(new Uint8Array(readFileSync(inputs.wav180)));
  const seconds = loud.channels[0].length / loud.sampleRate;
  const runs = Math.max(7, RUNS);
  // In process, interleaved call by call after a warm-up of each: wall time, and the CPU time of
  // the whole process over the call (steadier on shared cores; it counts the GC's helpers too).
  const apis = [ours, theirs];
  for (const api of apis) await api.embedAudio(loud.channels, loud.sampleRate, label);
  const calls = apis.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let i = 0; i < runs; i++) {
    for (const [k, api] of apis.entries()) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      await api.embedAudio(loud.channels, loud.sampleRate, label);
      calls[k].wall.push(performance.now() - start);
      const used = process.cpuUsage(cpu);
      calls[k].cpu.push((used.user + used.system) / 1000);
    }
  }
  const [mine, prev] = calls.map((c) => ({ wall: median(c.wall), fastest: Math.min(...c.wall), cpu: median(c.cpu) }));
  const xRT = (ms: number) => `${((seconds * 1000) / ms).toFixed(0)}x`;
  const lines = [
    `Previous version: ${describeCheckout(root)}. Ratio = previous / this (above 1: this version is faster or smaller).`,
    '',
    '| what | this version | previous | ratio |',
    '|---|---|---|---|',
    `| embedAudio in process, median of ${runs} interleaved calls: wall | ${mine.wall.toFixed(0)} ms (${xRT(mine.wall)} real time) | ${prev.wall.toFixed(0)} ms (${xRT(prev.wall)}) | ${(prev.wall / mine.wall).toFixed(2)} |`,
    `| the same, CPU time of the process over the call | ${mine.cpu.toFixed(0)} ms (${xRT(mine.cpu)}) | ${prev.cpu.toFixed(0)} ms (${xRT(prev.cpu)}) | ${(prev.cpu / mine.cpu).toFixed(2)} |`,
    `| embedAudio, fastest call | ${mine.fastest.toFixed(0)} ms (${xRT(mine.fastest)}) | ${prev.fastest.toFixed(0)} ms (${xRT(prev.fastest)}) | ${(prev.fastest / mine.fastest).toFixed(2)} |`,
  ];
  // The whole process as users start it, under /usr/bin/time, round by round with audiowmark's add
  // of the same file when it is installed: CPU seconds (user + system), wall seconds, peak memory.
  const markCmd = (cli: string, input: string, out: string) => ['node', cli, 'mark', input, '-o', out, '--producer', '91110000MA01ABCDEF123456789', '--produce-id', 'AM2Q3WC88', '--force'];
  const awm = findPeers().audiowmark;
  const contenders = [
    { name: 'this version', cmd: markCmd(cliOf('.'), inputs.wav180, join(WORK, 'audio-ours-180s.wav')) },
    { name: 'previous', cmd: markCmd(cliOf(root), inputs.wav180, join(WORK, 'audio-previous-180s.wav')) },
    ...(awm ? [{ name: 'audiowmark add', cmd: [...awm.cmd, 'add', inputs.wav180, join(WORK, 'audio-awm-180s.wav'), '0123456789abcdef0123456789abcdef'] }] : []),
  ];
  const rounds = Math.max(5, RUNS);
  const timings = contenders.map(() => [] as ReturnType<typeof timeProcess>[]);
  for (let i = 0; i < rounds; i++) contenders.forEach((c, k) => timings[k].push(timeProcess(c.cmd)));
  const whole = timings.map((t) => ({ cpu: median(t.map((x) => x.cpu)), wall: median(t.map((x) => x.wall)), mb: Math.max(...t.map((x) => x.rssMb)) }));
  lines.push(
    '',
    `\`aigc-mark mark\` on the 180 s WAV as a whole process, ${rounds} rounds, each running every contender once in turn: medians of CPU (user + system) and wall seconds, and the largest peak resident set. Ratio = contender / this version (CPU: below 1, the contender is cheaper).`,
    '',
    '| contender | CPU s | wall s | peak MB | CPU ratio |',
    '|---|---:|---:|---:|---:|',
    ...contenders.map((c, k) => `| ${c.name} | ${whole[k].cpu.toFixed(2)} | ${whole[k].wall.toFixed(2)} | ${whole[k].mb.toFixed(0)} | ${(whole[k].cpu / whole[0].cpu).toFixed(2)} |`),
  );
  if (!awm) lines.push('', 'audiowmark is not installed: its row is left out.');
  const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
  const mark = (cli: string, input: string, out: string) => timeProcess(markCmd(cli, input, out));
  mark(cliOf('.'), inputs.wav30, join(WORK, 'audio-ours-30s.wav'));
  mark(cliOf(root), inputs.wav30, join(WORK, 'audio-previous-30s.wav'));
  const [h1, h2] = [digest(join(WORK, 'audio-ours-30s.wav')), digest(join(WORK, 'audio-previous-30s.wav'))];
  lines.push('', `The two versions mark the 30 s clip to ${h1 === h2 ? 'the same bytes' : 'different bytes'} (SHA-256 ${h1}${h1 === h2 ? '' : ` and ${h2}`}), and the 180 s clip to ${digest(join(WORK, 'audio-ours-180s.wav')) === digest(join(WORK, 'audio-previous-180s.wav')) ? 'the same bytes' : 'different bytes'}.`);
  console.log(lines.join('\n'));
  return lines;
}

/** The previous version as AIGC_PREVIOUS_NAME names it (a commit, say), else the commit of the git work tree at `root`, else its path. */
function describeCheckout(root: string): string {
  if (process.env.AIGC_PREVIOUS_NAME) return `${process.env.AIGC_PREVIOUS_NAME} (built at ${process.env.AIGC_PREVIOUS})`;
  const git = (...args: string[]) => spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' }).stdout?.trim() ?? '';
  // Only a work tree of its own: a build copied inside this checkout would report this checkout's commit.
  if (git('rev-parse', '--show-toplevel') === root) return `commit ${git('log', '-1', '--format=%h %s')} (built at ${process.env.AIGC_PREVIOUS})`;
  return `the built checkout at ${process.env.AIGC_PREVIOUS}`;
}
