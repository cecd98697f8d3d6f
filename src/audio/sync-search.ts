/**
 * Sync search: downmix -> internal rate -> for each sample offset, band log-power, whitening
 * and folding by block position (WASM) -> sync correlation over block phases.
 */
import type { Core } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import { audioKernels } from './kernels.js';
import { cutoff, internalLength, rowMeans } from './frames.js';
import type { Layout } from './layout.js';
import { ABS_FLOOR, ANALYSIS_BINS, BAND_BINS, BLOCK_FRAMES, CELLS, CELL_NOISE_KAPPA, CELL_NOISE_QUANTILE, CELL_RADIUS, CODED_BITS, FLOOR_RATIO, FRAME, INTERNAL_RATE, MAX_CANDIDATES, MIN_VARIANCE, OFFSET_STEP, QUIET_KAPPA, QUIET_POWER, QUIET_QUANTILE, RESIDUAL_CLIP } from './params.js';

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
 * the best (offset, fold) by sync z-score, best phases first (the first `limit`).
 */
export function searchSync(
  core: Core,
  signal: { ptr: number; length: number },
  layout: Layout,
  offsetStep = OFFSET_STEP,
  reliability = true,
  limit = MAX_CANDIDATES,
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
  return (best.filter(Boolean) as SyncCandidate[]).sort((a, b) => b.z - a.z).slice(0, limit);
}
