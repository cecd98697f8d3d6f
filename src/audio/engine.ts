/**
 * The audio watermark pipeline on planar Float32 channels (docs/audio.md).
 * Embed: each channel -> internal rate -> keyed per-chip gains on the band bins of
 * every frame (WASM) -> the change alone back at the input rate -> added under a
 * limiter. Detect: downmix -> internal rate -> for each sample offset, band
 * log-power, whitening and folding by block position (WASM) -> sync correlation
 * over block phases -> soft Viterbi on the best candidates -> check code and an
 * agreement gate.
 */
import type { WatermarkKey } from '../payload/key.js';
import { SLOT } from '../wasm/slots.js';
import { getCore, type Core } from '../wasm/core.js';
import { audioKernels } from './kernels.js';
import { checkSamples } from './validate.js';
import {
  AGREEMENT_GATE,
  ANALYSIS_BINS,
  BAND_BINS,
  BLOCK_FRAMES,
  CELLS,
  CODED_BITS,
  ABS_FLOOR,
  CELL_NOISE_KAPPA,
  CELL_NOISE_QUANTILE,
  CELL_RADIUS,
  FLOOR_RATIO,
  FRAME,
  INTERNAL_RATE,
  LOUD_FRAME_QUANTILE,
  MAX_CANDIDATES,
  MIN_VARIANCE,
  OFFSET_STEP,
  QUIET_KAPPA,
  QUIET_POWER,
  QUIET_QUANTILE,
  RESAMPLE_CUTOFF_HZ,
  RESIDUAL_CLIP,
  SPEECH_FLUX_DB,
  SPEED_COARSE_SECONDS,
  SPEED_COARSE_STEP,
  SPEED_COARSE_STEPS,
  SPEED_FINE_SECONDS,
  SPEED_FINE_STEP,
  SPEED_FINE_STEPS,
  SPEECH_PAUSES,
  SYNC_CHIPS,
} from './params.js';

export interface Layout {
  /** Coded-bit index of each (frame, bin) cell of the block; -1 = sync chip. */
  chipBit: Int32Array;
  /** Keyed sign of each cell. */
  chipSign: Float32Array;
  /** chipSign on sync cells, 0 elsewhere (the sync correlator's template). */
  sync: Float32Array;
}

const layouts = new Map<string, Layout>();

/** The keyed block layout (cached per key). */
export function layoutFor(core: Core, key: WatermarkKey): Layout {
  const id = `${key.seed[0]}:${key.seed[1]}`;
  let layout = layouts.get(id);
  if (layout) return layout;
  const k = audioKernels(core);
  const base = k.scratch(SLOT.audioE, CELLS * 12);
  k.audioChipMap(key.seed[0] >>> 0, key.seed[1] >>> 0, CELLS, CODED_BITS, SYNC_CHIPS, base, base + CELLS * 4, base + CELLS * 8);
  const chipBit = core.i32(base, CELLS).slice();
  const chipSign = core.f32(base + CELLS * 4, CELLS).slice();
  const sync = new Float32Array(CELLS);
  for (let i = 0; i < CELLS; i++) if (chipBit[i] < 0) sync[i] = chipSign[i];
  layout = { chipBit, chipSign, sync };
  layouts.set(id, layout);
  return layout;
}

/** Per-cell symbol (+1 raise, -1 lower) for the coded bits (coded bit 0 -> +1 times the keyed sign). */
export function cellSymbols(layout: Layout, coded: Uint8Array): Float32Array {
  const symbols = new Float32Array(CELLS);
  for (let i = 0; i < CELLS; i++) {
    const b = layout.chipBit[i];
    symbols[i] = (b < 0 ? 1 : coded[b] ? -1 : 1) * layout.chipSign[i];
  }
  return symbols;
}

export interface StepShape {
  step: number;
  tilt: number;
  maxStep: number;
  /** Quieter frames take a step larger by (loud frame energy / frame energy)^frameTilt, at most frameCap. */
  frameTilt: number;
  frameCap: number;
}

export function internalLength(length: number, rate: number): number {
  return rate === INTERNAL_RATE ? length : Math.floor((length * INTERNAL_RATE) / rate);
}

function cutoff(a: number, b: number): number {
  return Math.min(RESAMPLE_CUTOFF_HZ, 0.47 * Math.min(a, b));
}


/** The mean of each `width`-long row of `x` (of its squares with `squared`): frame energies, frame band levels. */
function rowMeans(x: ArrayLike<number>, rows: number, width: number, squared: boolean): Float64Array {
  const means = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = r * width; i < (r + 1) * width; i++) s += squared ? x[i] * x[i] : x[i];
    means[r] = s / width;
  }
  return means;
}

/** Mean-square energy of the loud frames of an internal-rate signal (the LOUD_FRAME_QUANTILE quantile of frame energies). */
function loudFrameEnergy(core: Core, ptr: number, length: number): number {
  const x = core.f32(ptr, length);
  const frames = Math.floor(length / FRAME);
  if (frames < 1) return 0;
  const e = Float32Array.from(rowMeans(x, frames, FRAME, true)).sort();
  return e[Math.floor(LOUD_FRAME_QUANTILE * (frames - 1))];
}

/**
 * The watermark change for one channel, at the channel's own rate. With `onInternal`,
 * the channel at the internal rate is shown to the callback before the kernels reuse it.
 */
export function channelDelta(
  core: Core,
  channel: Float32Array,
  rate: number,
  symbols: Float32Array,
  shape: StepShape,
  onInternal?: (signal: { ptr: number; length: number }) => void,
): { delta: Float32Array; energy: number; peak: number; change: number } {
  const k = audioKernels(core);
  const n = channel.length;
  const len = internalLength(n, rate);
  const pIn = k.scratch(SLOT.audioA, n * 4);
  const pInt = k.scratch(SLOT.audioB, len * 4);
  const pDeltaInt = k.scratch(SLOT.audioC, len * 4);
  const pOut = k.scratch(SLOT.audioD, n * 4);
  const pGains = k.scratch(SLOT.audioE, CELLS * 12);
  core.f32(pGains, CELLS).set(symbols);
  core.f32(pIn, n).set(channel);
  // Scan the samples where they already are: energy, peak, and NaN/Inf (a non-finite sum).
  const pPeak = pGains + CELLS * 4;
  const energy = k.audioStats(pIn, n, pPeak);
  const peak = core.f32(pPeak, 1)[0];
  checkSamples(channel, energy, 1);
  if (rate === INTERNAL_RATE) {
    onInternal?.({ ptr: pIn, length: n });
    const ref = shape.frameTilt > 0 ? loudFrameEnergy(core, pIn, n) : 0;
    k.audioEmbedDelta(pIn, n, pGains, BLOCK_FRAMES, shape.step, shape.tilt, shape.maxStep, pOut, ref, shape.frameTilt, shape.frameCap);
  } else {
    k.resample(pIn, n, rate, pInt, len, INTERNAL_RATE, cutoff(rate, INTERNAL_RATE));
    onInternal?.({ ptr: pInt, length: len });
    const ref = shape.frameTilt > 0 ? loudFrameEnergy(core, pInt, len) : 0;
    k.audioEmbedDelta(pInt, len, pGains, BLOCK_FRAMES, shape.step, shape.tilt, shape.maxStep, pDeltaInt, ref, shape.frameTilt, shape.frameCap);
    k.resample(pDeltaInt, len, INTERNAL_RATE, pOut, n, rate, cutoff(rate, INTERNAL_RATE));
  }
  const change = k.audioStats(pOut, n, pPeak);
  return { delta: core.f32(pOut, n).slice(), energy, peak, change };
}

/** Mono downmix resampled to the internal rate, left in slot audioB; returns its length. */
export function loadInternalMono(core: Core, channels: readonly Float32Array[], rate: number): { ptr: number; length: number } {
  const k = audioKernels(core);
  const n = channels[0].length;
  const len = internalLength(n, rate);
  const pIn = k.scratch(SLOT.audioA, n * 4);
  const pInt = k.scratch(SLOT.audioB, len * 4);
  const mono = core.f32(pIn, n);
  if (channels.length === 1) mono.set(channels[0]);
  else {
    mono.set(channels[0]);
    for (let c = 1; c < channels.length; c++) {
      const ch = channels[c];
      for (let i = 0; i < n; i++) mono[i] += ch[i];
    }
    const s = 1 / channels.length;
    for (let i = 0; i < n; i++) mono[i] *= s;
  }
  if (rate === INTERNAL_RATE) {
    core.f32(pInt, n).set(mono);
  } else {
    k.resample(pIn, n, rate, pInt, len, INTERNAL_RATE, cutoff(rate, INTERNAL_RATE));
  }
  return { ptr: pInt, length: len };
}

export interface SyncCandidate {
  offset: number; // internal-rate samples
  phase: number; // block row of fold row 0
  z: number;
  fold: Float32Array;
}

/** The quiet floor of the analysed frames (params QUIET_*): QUIET_KAPPA x the QUIET_QUANTILE quantile of their mean band power. */
function quietFloor(core: Core, pPow: number, frames: number): number {
  const pow = core.f32(pPow, frames * ANALYSIS_BINS);
  const levels = Float32Array.from(rowMeans(pow, frames, ANALYSIS_BINS, false)).sort();
  return QUIET_KAPPA * Math.max(levels[Math.floor(QUIET_QUANTILE * (frames - 1))], 1e-12);
}

/**
 * The noise power per analysis bin for the reliability weighting (params CELL_NOISE_*):
 * CELL_NOISE_KAPPA x the CELL_NOISE_QUANTILE quantile of all band cells of the
 * analysed frames. Under added white noise most cells of weak-band content are noise,
 * whose power is exponentially distributed: the 10th percentile is 0.105 x its mean.
 */
function cellNoiseFloor(core: Core, pPow: number, frames: number, pOut: number): void {
  const all = core.f32(pPow, frames * ANALYSIS_BINS).slice().sort();
  const v = CELL_NOISE_KAPPA * Math.max(all[Math.floor(CELL_NOISE_QUANTILE * (all.length - 1))], 1e-12);
  core.f32(pOut, ANALYSIS_BINS).fill(v);
}

/**
 * Folds the whitened band log-power at every offset step and correlates it with
 * the sync template over all block phases. With `reliability`, every offset is
 * folded twice, plain and with each cell weighted by its reliability against the
 * estimated noise (docs/audio.md, detection steps 4 and 6). Returns, per phase,
 * the best (offset, fold) by sync z-score, best phases first.
 */
export function searchSync(
  core: Core,
  signal: { ptr: number; length: number },
  layout: Layout,
  offsetStep = OFFSET_STEP,
  reliability = true,
): SyncCandidate[] {
  const k = audioKernels(core);
  const maxFrames = Math.floor(signal.length / FRAME);
  // Scratch: band power, its copy, 5 residual planes, 6 frame rows, cell weights, noise row and one frame row.
  const pPow = k.scratch(SLOT.audioC, (maxFrames * (2 * ANALYSIS_BINS + 6 * BAND_BINS + 7) + ANALYSIS_BINS) * 4);
  const pRaw = pPow + maxFrames * ANALYSIS_BINS * 4;
  const pResid = pRaw + maxFrames * ANALYSIS_BINS * 4;
  const pVar = pResid + 5 * maxFrames * BAND_BINS * 4;
  const pCellW = pVar + maxFrames * 6 * 4;
  const pCellNoise = pCellW + maxFrames * BAND_BINS * 4;
  const pTables = k.scratch(SLOT.audioE, CELLS * 12);
  const pWork = k.scratch(SLOT.audioF, (CELLS + BLOCK_FRAMES + CODED_BITS) * 4);
  const pFold = pWork;
  const pScores = pWork + CELLS * 4;
  core.f32(pTables, CELLS).set(layout.sync);
  const best: (SyncCandidate | null)[] = new Array(BLOCK_FRAMES).fill(null);
  const variants = reliability ? [false, true] : [false];
  let noise = -1;
  for (let offset = 0; offset < FRAME; offset += offsetStep) {
    const frames = Math.floor((signal.length - offset) / FRAME);
    if (frames < 2) continue;
    const mean = k.audioAnalyze(signal.ptr, offset, frames, pPow);
    if (!(mean > 0)) continue;
    if (noise < 0) {
      noise = quietFloor(core, pPow, frames);
      if (variants.includes(true)) cellNoiseFloor(core, pPow, frames, pCellNoise);
    }
    const n = frames * ANALYSIS_BINS;
    if (variants.length > 1) core.f32(pRaw, n).set(core.f32(pPow, n));
    for (let v = 0; v < variants.length; v++) {
      if (v > 0) core.f32(pPow, n).set(core.f32(pRaw, n));
      core.f32(pFold, CELLS).fill(0);
      k.audioWhitenFold(pPow, frames, FLOOR_RATIO, ABS_FLOOR, RESIDUAL_CLIP, MIN_VARIANCE, pResid, pVar, pFold, BLOCK_FRAMES, noise, QUIET_POWER, variants[v] ? pCellNoise : 0, pCellW, CELL_RADIUS);
      k.audioSyncScores(pFold, pTables, BLOCK_FRAMES, pScores);
      const scores = core.f32(pScores, BLOCK_FRAMES);
      let sum = 0;
      let sq = 0;
      for (let p = 0; p < BLOCK_FRAMES; p++) {
        sum += scores[p];
        sq += scores[p] * scores[p];
      }
      const mu = sum / BLOCK_FRAMES;
      const sd = Math.sqrt(Math.max(1e-30, sq / BLOCK_FRAMES - mu * mu));
      let fold: Float32Array | null = null;
      for (let p = 0; p < BLOCK_FRAMES; p++) {
        const z = (scores[p] - mu) / sd;
        const current = best[p];
        if (!current || z > current.z) {
          fold ??= core.f32(pFold, CELLS).slice();
          best[p] = { offset, phase: p, z, fold };
        }
      }
    }
  }
  return (best.filter(Boolean) as SyncCandidate[]).sort((a, b) => b.z - a.z).slice(0, MAX_CANDIDATES);
}

/** Soft coded bits of one candidate (positive = coded bit 0), scaled to unit RMS. */
export function softBits(core: Core, candidate: SyncCandidate, layout: Layout): Float32Array {
  const k = audioKernels(core);
  const pTables = k.scratch(SLOT.audioE, CELLS * 12);
  const pWork = k.scratch(SLOT.audioF, (CELLS + BLOCK_FRAMES + CODED_BITS) * 4);
  const pFold = pWork;
  const pSoft = pWork + (CELLS + BLOCK_FRAMES) * 4;
  core.i32(pTables, CELLS).set(layout.chipBit);
  core.f32(pTables + CELLS * 4, CELLS).set(layout.chipSign);
  core.f32(pFold, CELLS).set(candidate.fold);
  k.audioSoftBits(pFold, pTables, pTables + CELLS * 4, BLOCK_FRAMES, candidate.phase, pSoft, CODED_BITS);
  const soft = core.f32(pSoft, CODED_BITS).slice();
  let sq = 0;
  for (const v of soft) sq += v * v;
  const scale = sq > 0 ? 1 / Math.sqrt(sq / CODED_BITS) : 0;
  for (let i = 0; i < soft.length; i++) soft[i] *= scale;
  return soft;
}

export { AGREEMENT_GATE };

/** One channel resampled with the core's windowed-sinc resampler (low-pass at 0.47 x the lower rate). */
export async function resampleChannel(channel: Float32Array, from: number, to: number): Promise<Float32Array> {
  if (from === to) return channel.slice();
  const core = await getCore();
  const k = audioKernels(core);
  const outLen = Math.floor((channel.length * to) / from);
  const pIn = k.scratch(SLOT.audioA, channel.length * 4);
  const pOut = k.scratch(SLOT.audioD, outLen * 4);
  core.f32(pIn, channel.length).set(channel);
  k.resample(pIn, channel.length, from, pOut, outLen, to, 0.47 * Math.min(from, to));
  return core.f32(pOut, outLen).slice();
}

/**
 * Is this speech? A heuristic on the internal-rate mono mix, used only to pick the
 * SNR the mark may cost (docs/audio.md): speech jumps in level from one 23 ms frame
 * to the next (syllables) and pauses; music moves smoothly. Mean absolute level
 * change between active frames >= 4.5 dB and >= 5% pause frames: speech. On the
 * bench corpus speech scores 5.6-15 dB, music 0.8-2.4 dB. Anything in between
 * counts as music, the stricter budget.
 */
export function looksLikeSpeech(core: Core, signal: { ptr: number; length: number }): boolean {
  const x = core.f32(signal.ptr, signal.length);
  const frames = Math.floor(x.length / FRAME);
  if (frames < 8) return false;
  const level = rowMeans(x, frames, FRAME, true).map((e) => 10 * Math.log10(e + 1e-12));
  const top = Float64Array.from(level).sort()[Math.floor(0.95 * frames)];
  let pauses = 0;
  let flux = 0;
  let counted = 0;
  for (let f = 0; f < frames; f++) {
    if (level[f] < top - 25) pauses++;
    if (f > 0 && (level[f] > top - 35 || level[f - 1] > top - 35)) {
      flux += Math.abs(level[f] - level[f - 1]);
      counted++;
    }
  }
  return counted > 0 && flux / counted >= SPEECH_FLUX_DB && pauses / frames >= SPEECH_PAUSES;
}

export interface SpeedCandidate extends SyncCandidate {
  /** Playback speed of the input relative to the marked original (sox speed s: s > 1 is faster). */
  speed: number;
  /** Internal-rate sample of the input where the searched window starts. */
  windowStart: number;
}

/** `length` samples of the internal-rate signal from `start`, played back at 1/speed (undoing a speed change), into slot audioD. */
function unSped(core: Core, signal: { ptr: number; length: number }, start: number, length: number, speed: number) {
  const k = audioKernels(core);
  const inRate = Math.round(INTERNAL_RATE / speed);
  const outLen = Math.floor((length * INTERNAL_RATE) / inRate);
  const ptr = k.scratch(SLOT.audioD, outLen * 4);
  k.resample(signal.ptr + start * 4, length, inRate, ptr, outLen, INTERNAL_RATE, 5000);
  return { signal: { ptr, length: outLen }, speed: INTERNAL_RATE / inRate };
}

/**
 * Speed search, for when the block grid does not line up because the audio was
 * played faster or slower (resampled without changing the rate, as `sox speed`
 * does: time and pitch together). Coarse: the middle 5 s, un-sped at every 0.2%
 * from -2% to +2%, sync-searched at 8 offsets. Fine: around the best, every 0.05%
 * over the middle 15 s (at most) at 16 offsets, where the grid drifts at most a
 * fifth of a frame.
 * Returns the best candidate of the best speed (one check-code test).
 */
export function searchSpeed(core: Core, signal: { ptr: number; length: number }, layout: Layout): SpeedCandidate | null {
  const window = (seconds: number) => {
    const length = Math.min(signal.length, Math.round(seconds * INTERNAL_RATE));
    return { start: Math.floor((signal.length - length) / 2), length };
  };
  const coarse = window(SPEED_COARSE_SECONDS);
  let bestSpeed = 1;
  let bestZ = -Infinity;
  for (let i = -SPEED_COARSE_STEPS; i <= SPEED_COARSE_STEPS; i++) {
    if (i === 0) continue;
    const { signal: z, speed } = unSped(core, signal, coarse.start, coarse.length, 1 + i * SPEED_COARSE_STEP);
    const top = searchSync(core, z, layout, 4 * OFFSET_STEP, false)[0];
    if (top && top.z > bestZ) {
      bestZ = top.z;
      bestSpeed = speed;
    }
  }
  const fine = window(SPEED_FINE_SECONDS);
  let best: SpeedCandidate | null = null;
  for (let j = -SPEED_FINE_STEPS; j <= SPEED_FINE_STEPS; j++) {
    const { signal: z, speed } = unSped(core, signal, fine.start, fine.length, bestSpeed * (1 + j * SPEED_FINE_STEP));
    const top = searchSync(core, z, layout, 2 * OFFSET_STEP, false)[0];
    if (top && (!best || top.z > best.z)) best = { ...top, speed, windowStart: fine.start };
  }
  return best;
}
