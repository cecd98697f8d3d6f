/**
 * Audio speed: embed and detect as multiples of real time (one thread), with the
 * WASM SIMD core, the WASM scalar core, and a plain-TypeScript port of the same
 * kernels (bench/audio/ts-kernels.ts) run side by side on the same clips.
 * Writes bench/results/audio-speed.md.
 */
import '../../src/wasm/node-source.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { arraySource } from '../../src/audio/channels.js';
import { channelDelta } from '../../src/audio/embedding.js';
import { cellSymbols, layoutFor } from '../../src/audio/layout.js';
import { loadInternalMono, searchSync } from '../../src/audio/sync-search.js';
import { detectAudio, embedAudio } from '../../src/audio/index.js';
import { DEFAULT_STEP, FRAME_STEP_CAP, MAX_STEP, SPEECH_FRAME_TILT, STEP_TILT } from '../../src/audio/params.js';
import { parseWav } from '../../src/audio/wav.js';
import { createLabel } from '../../src/label/create.js';
import { PUBLIC_KEY } from '../../src/payload/key.js';
import { loadCore, preferCoreFlavor, type Core } from '../../src/wasm/core.js';
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
const corpus = buildCorpus(true);
const pick = ['speech-en-us', 'music-dense-pad', 'speech-en-us-180s', 'music-pluck-melody-180s'];
const clips = pick.map((n) => corpus.find((c) => c.name === n)!);
const simd = await loadCore('simd');
const scalar = await loadCore('scalar');
const ts = tsCore();
const layout = layoutFor(simd, PUBLIC_KEY);
const symbols = cellSymbols(layout, new Uint8Array(306).map((_, i) => (i * 7) & 1));
// The speech shape (frame tilt on): the costlier path.
const shape = { step: DEFAULT_STEP, tilt: STEP_TILT, maxStep: MAX_STEP, frameTilt: SPEECH_FRAME_TILT, frameCap: FRAME_STEP_CAP };

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
  const embedK = (core: Core) => () => channels.map((_, c) => channelDelta(core, arraySource(channels), c, sampleRate, symbols, shape));
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
