// Frame kernels of the audio watermark: embedding (keyed gains on band bins of
// non-overlapping frames) and analysis (band log-power, whitening, folding by
// block position, sync correlation, soft bits). Layout constants live in the
// TypeScript engine and arrive as arguments, except the frame geometry below,
// which both sides import from src/wasm/layout.ts.

import { fftComplex, ifftComplex } from '../fft';
import { AUDIO_BAND_BINS, AUDIO_BAND_LO, AUDIO_FRAME } from '../../src/wasm/layout';

export const FRAME: i32 = AUDIO_FRAME; // samples at the internal rate (11025 Hz): 23.2 ms
export const BAND_LO: i32 = AUDIO_BAND_LO; // first marked bin: 20 * 11025 / 256 = 861 Hz
export const BAND_BINS: i32 = AUDIO_BAND_BINS; // bins 20..99: 861..4264 Hz

// Work buffers for one complex FFT of FRAME points (16-byte aligned via heap.alloc).
let bufRe: usize = 0;
let bufIm: usize = 0;
let hann: usize = 0;

function init(): void {
  if (bufRe != 0) return;
  bufRe = heap.alloc(<usize>FRAME << 2);
  bufIm = heap.alloc(<usize>FRAME << 2);
  hann = heap.alloc(<usize>FRAME << 2);
  fadeTable = heap.alloc(<usize>(2 * FADE) << 2);
  for (let i = 0; i < 2 * FADE; i++) {
    store<f32>(fadeTable + (<usize>i << 2), <f32>(0.5 - 0.5 * Math.cos((Math.PI * <f64>i) / <f64>(2 * FADE))));
  }
  setWindowTaper(0.5);
}

/** Analysis window: Tukey with the given taper fraction each side (0.5 = Hann). */
export function setWindowTaper(taper: f64): void {
  if (hann == 0) { init(); return; }
  const tn = taper * <f64>FRAME;
  for (let n = 0; n < FRAME; n++) {
    let w = 1.0;
    const a = <f64>n + 0.5;
    const b = <f64>FRAME - a;
    const m = a < b ? a : b;
    if (m < tn) { const s = Math.sin((Math.PI * m) / (2 * tn)); w = s * s; }
    store<f32>(hann + (<usize>n << 2), <f32>w);
  }
}

/** re = window * x[a..a+FRAME), im = window * x[b..b+FRAME) (b < 0: zeros). */
function loadPair(x: usize, a: i32, b: i32, win: usize): void {
  const pa = x + (<usize>a << 2);
  if (ASC_FEATURE_SIMD) {
    for (let n: usize = 0; n < <usize>FRAME << 2; n += 16) {
      v128.store(bufRe + n, f32x4.mul(v128.load(pa + n), v128.load(win + n)));
    }
    if (b >= 0) {
      const pb = x + (<usize>b << 2);
      for (let n: usize = 0; n < <usize>FRAME << 2; n += 16) {
        v128.store(bufIm + n, f32x4.mul(v128.load(pb + n), v128.load(win + n)));
      }
    } else {
      memory.fill(bufIm, 0, <usize>FRAME << 2);
    }
  } else {
    for (let n: usize = 0; n < <usize>FRAME << 2; n += 4) store<f32>(bufRe + n, load<f32>(pa + n) * load<f32>(win + n));
    if (b >= 0) {
      const pb = x + (<usize>b << 2);
      for (let n: usize = 0; n < <usize>FRAME << 2; n += 4) store<f32>(bufIm + n, load<f32>(pb + n) * load<f32>(win + n));
    } else {
      memory.fill(bufIm, 0, <usize>FRAME << 2);
    }
  }
}

/** dst = window * x[a..a+FRAME). */
function loadWindowed(dst: usize, x: usize, a: i32): void {
  const pa = x + (<usize>a << 2);
  if (ASC_FEATURE_SIMD) {
    for (let n: usize = 0; n < <usize>FRAME << 2; n += 16) v128.store(dst + n, f32x4.mul(v128.load(pa + n), v128.load(hann + n)));
  } else {
    for (let n: usize = 0; n < <usize>FRAME << 2; n += 4) store<f32>(dst + n, load<f32>(pa + n) * load<f32>(hann + n));
  }
}

const HALF: f32 = 0.5;
const TWO: f32 = 2;
const QUARTER: f32 = 0.25;
/** Whitening predictors: time, frequency, both (4-neighbour), time +-2, time +-8 (audioWhitenFold). */
const PREDICTORS: usize = 5;

/** Half-length of the cross-fade between neighbouring frames' changes (10% of a frame). */
const FADE: i32 = 26;

let fadeTable: usize = 0; // f32[2 * FADE]: raised cosine from 0 to 1

@inline function fadeIn(t: i32): f32 {
  // t in [-FADE, FADE)
  return load<f32>(fadeTable + (<usize>(t + FADE) << 2));
}

/**
 * Gain G = exp(symbol * step_k) - 1 of one bin, where the log-magnitude step grows
 * for bins under their frame's mean band power: step_k = step * (mean / p)^tilt,
 * capped at maxStep. Weak bins next to strong ones are masked and cost little
 * energy, so they carry more of the mark (tilt 0 = the same step everywhere).
 */
@inline function binGain(symbol: f32, p: f32, mean: f32, step: f32, tilt: f32, maxStep: f32): f32 {
  let s = step;
  if (tilt > 0 && p > 0) {
    s = step * Mathf.pow(mean / p, tilt);
    if (s > maxStep) s = maxStep;
  } else if (tilt > 0) s = maxStep;
  return Mathf.exp(symbol * s) - 1;
}

/**
 * Step multiplier of the frame starting at `start`: (refEnergy / frame energy)^frameTilt,
 * between frameFloor and frameCap (frameTilt 0 = 1). Quieter frames take a larger relative
 * step. The frame energy is the mean square of x, or with y != 0 of the mix (x + y) / 2.
 */
function frameBoost(x: usize, y: usize, start: i32, refEnergy: f32, frameTilt: f32, frameCap: f32, frameFloor: f32): f32 {
  if (frameTilt <= 0 || refEnergy <= 0) return 1;
  let e: f32 = 0;
  const p = x + (<usize>start << 2);
  const q = y + (<usize>start << 2);
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(0);
    const h = f32x4.splat(HALF);
    for (let n: usize = 0; n < <usize>FRAME << 2; n += 16) {
      const v = y != 0 ? f32x4.mul(h, f32x4.add(v128.load(p + n), v128.load(q + n))) : v128.load(p + n);
      acc = f32x4.add(acc, f32x4.mul(v, v));
    }
    e = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  } else {
    for (let n: usize = 0; n < <usize>FRAME << 2; n += 4) {
      const v = y != 0 ? HALF * (load<f32>(p + n) + load<f32>(q + n)) : load<f32>(p + n);
      e += v * v;
    }
  }
  e /= <f32>FRAME;
  if (e >= refEnergy && frameFloor >= 1) return 1;
  const b = Mathf.pow(refEnergy / (e + <f32>1e-20), frameTilt);
  return b > frameCap ? frameCap : b < frameFloor ? frameFloor : b;
}

/**
 * Stores bin k (byte offsets kk and mk of bins k and FRAME - k) of Z = D_A + i D_B, D_A and
 * D_B the spectra of two real changes: one inverse FFT then gives A in re and B in im.
 */
@inline function storeChangePair(kk: usize, mk: usize, dar: f32, dai: f32, dbr: f32, dbi: f32): void {
  store<f32>(bufRe + kk, dar - dbi);
  store<f32>(bufIm + kk, dai + dbr);
  store<f32>(bufRe + mk, dar + dbi);
  store<f32>(bufIm + mk, dbr - dai);
}

/** Zeroes every bin of the FFT buffers outside the band (and its mirror): only the change is synthesised. */
function clearOutsideBand(): void {
  const lo = BAND_LO;
  const hi = BAND_LO + BAND_BINS;
  memory.fill(bufRe, 0, <usize>lo << 2);
  memory.fill(bufIm, 0, <usize>lo << 2);
  memory.fill(bufRe + (<usize>hi << 2), 0, <usize>(FRAME - 2 * hi + 1) << 2);
  memory.fill(bufIm + (<usize>hi << 2), 0, <usize>(FRAME - 2 * hi + 1) << 2);
  memory.fill(bufRe + (<usize>(FRAME - lo + 1) << 2), 0, <usize>(lo - 1) << 2);
  memory.fill(bufIm + (<usize>(FRAME - lo + 1) << 2), 0, <usize>(lo - 1) << 2);
}

/** overlapFrame's weight of each of the FRAME + 2 * FADE positions from -FADE on, and the circular change laid out over them. */
let overlapWeights: usize = 0;
let overlapRun: usize = 0;
const OVERLAP: i32 = FRAME + 2 * FADE; // a multiple of 4

/** Adds frame f's circular change `src` (FRAME samples) into delta with flat-top cross-fades. */
function overlapFrame(src: usize, delta: usize, len: i32, start: i32): void {
  if (ASC_FEATURE_SIMD && start - FADE >= 0 && start + FRAME + FADE <= len) {
    // Inside the signal: the change unrolled over -FADE..FRAME+FADE, weighted and added four
    // samples at a time (the same product and sum per sample; the flat top's weight is 1).
    if (overlapWeights == 0) {
      overlapWeights = heap.alloc(<usize>OVERLAP << 2);
      overlapRun = heap.alloc(<usize>OVERLAP << 2);
      for (let t = -FADE; t < FRAME + FADE; t++) store<f32>(overlapWeights + (<usize>(t + FADE) << 2), overlapWeight(t));
    }
    const fadeBytes = <usize>FADE << 2;
    memory.copy(overlapRun, src + (<usize>(FRAME - FADE) << 2), fadeBytes);
    memory.copy(overlapRun + fadeBytes, src, <usize>FRAME << 2);
    memory.copy(overlapRun + fadeBytes + (<usize>FRAME << 2), src, fadeBytes);
    const o = delta + (<usize>(start - FADE) << 2);
    for (let k: usize = 0; k < <usize>OVERLAP << 2; k += 16) {
      v128.store(o + k, f32x4.add(v128.load(o + k), f32x4.mul(v128.load(overlapRun + k), v128.load(overlapWeights + k))));
    }
    return;
  }
  for (let t = -FADE; t < FRAME + FADE; t++) {
    const pos = start + t;
    if (pos < 0 || pos >= len) continue;
    const v = load<f32>(src + (<usize>((t + FRAME) % FRAME) << 2));
    const o = delta + (<usize>pos << 2);
    store<f32>(o, load<f32>(o) + v * overlapWeight(t));
  }
}

/** The cross-fade weight at position t of a frame (t in [-FADE, FRAME + FADE)): up over the first 2 * FADE, flat, down over the last. */
@inline function overlapWeight(t: i32): f32 {
  let w: f32 = 1;
  if (t < FADE) w = fadeIn(t);
  else if (t >= FRAME - FADE) w = <f32>1.0 - fadeIn(t - FRAME);
  return w;
}

/**
 * Watermark delta for one channel at the internal rate. For every whole frame f:
 * D = G[f mod blockFrames] .* FFT(hann * x_f) on the band bins (phase kept,
 * magnitude scaled by 1 + G), and the change is IFFT(D) laid down flat over the
 * frame with short raised-cosine cross-fades (FADE samples each side) into its
 * neighbours. The detector's Hann frame then sees almost exactly (1 + G) X: the
 * flat top keeps the circular change intact where the window has its weight,
 * and the fades hide the seams. `gains` holds blockFrames x BAND_BINS f32
 * (G = exp(delta * symbol) - 1). Samples after the last whole frame get only
 * its fade. With frameTilt > 0, a frame of mean-square energy e takes
 * step * (refEnergy / e)^frameTilt, kept between frameFloor and frameCap: quiet frames
 * carry a larger share.
 */
export function audioEmbedDelta(
  x: usize,
  len: i32,
  symbols: usize,
  blockFrames: i32,
  step: f32,
  tilt: f32,
  maxStep: f32,
  delta: usize,
  refEnergy: f32,
  frameTilt: f32,
  frameCap: f32,
  frameFloor: f32,
): void {
  init();
  memory.fill(delta, 0, <usize>len << 2);
  const frames = len / FRAME;
  for (let f = 0; f < frames; f += 2) {
    const hasB = f + 1 < frames;
    loadPair(x, f * FRAME, hasB ? (f + 1) * FRAME : -1, hann);
    fftComplex(bufRe, bufIm, FRAME);
    const ga = symbols + ((<usize>(f % blockFrames) * <usize>BAND_BINS) << 2);
    const gb = symbols + ((<usize>((f + 1) % blockFrames) * <usize>BAND_BINS) << 2);
    // Mean band power of each frame (for the level-dependent step).
    let meanA: f32 = 0;
    let meanB: f32 = 0;
    for (let k = BAND_LO; k < BAND_LO + BAND_BINS; k++) {
      const zr = load<f32>(bufRe + (<usize>k << 2)), zi = load<f32>(bufIm + (<usize>k << 2));
      const yr = load<f32>(bufRe + (<usize>(FRAME - k) << 2)), yi = load<f32>(bufIm + (<usize>(FRAME - k) << 2));
      const ar = zr + yr, ai = zi - yi, br = zi + yi, bi = yr - zr;
      meanA += ar * ar + ai * ai;
      meanB += br * br + bi * bi;
    }
    meanA /= <f32>BAND_BINS;
    meanB /= <f32>BAND_BINS;
    const stepA = step * frameBoost(x, 0, f * FRAME, refEnergy, frameTilt, frameCap, frameFloor);
    const stepB = hasB ? step * frameBoost(x, 0, (f + 1) * FRAME, refEnergy, frameTilt, frameCap, frameFloor) : step;
    // Split the two spectra, scale the band, and rebuild a Hermitian pair in place.
    // Bins outside the band are zeroed: only the change is synthesised.
    const hi = BAND_LO + BAND_BINS;
    const lo = BAND_LO;
    for (let k = lo; k < hi; k++) {
      const kk = <usize>k << 2;
      const mk = <usize>(FRAME - k) << 2;
      const zr = load<f32>(bufRe + kk), zi = load<f32>(bufIm + kk);
      const yr = load<f32>(bufRe + mk), yi = load<f32>(bufIm + mk);
      const ar = zr + yr, ai = zi - yi, br = zi + yi, bi = yr - zr;
      const gA = binGain(load<f32>(ga + (<usize>(k - lo) << 2)), ar * ar + ai * ai, meanA, stepA, tilt, maxStep);
      const gB: f32 = hasB ? binGain(load<f32>(gb + (<usize>(k - lo) << 2)), br * br + bi * bi, meanB, stepB, tilt, maxStep) : 0;
      const dar = HALF * (zr + yr) * gA;
      const dai = HALF * (zi - yi) * gA;
      const dbr = HALF * (zi + yi) * gB;
      const dbi = HALF * (yr - zr) * gB;
      storeChangePair(kk, mk, dar, dai, dbr, dbi);
    }
    clearOutsideBand();
    ifftComplex(bufRe, bufIm, FRAME);
    overlapFrame(bufRe, delta, len, f * FRAME);
    if (hasB) overlapFrame(bufIm, delta, len, (f + 1) * FRAME);
  }
}

/**
 * audioEmbedDelta for a stereo clip, steered by the mix M = (L + R) / 2 that the
 * detector reads. The steps come from the mix's spectrum, and channel c's bin k changes
 * by a_c G_k M_k: in phase with the mix in both channels, so none of the change goes
 * into the channels' difference, which the mix cancels (and a joint-stereo codec spends
 * few bits on). The shares a_L + a_R = 2, so the mix changes by exactly G_k M_k, and no
 * channel changes by more than G_k times its own magnitude (a_c |M_k| <= |X_k|): a
 * channel quiet in a bin, or silent, carries no more than a change of its own content
 * would. With r_c = |X_k| / |M_k|: a_c = r_c when r_c < 1, 2 - r_o when the other
 * channel's r_o is under 1 (both cannot be: r_L + r_R >= 2), else 1. One complex FFT
 * holds both channels' frames and one inverse FFT gives both changes, as audioEmbedDelta
 * does for two frames of one channel. The frame step multiplier (frameTilt) uses the
 * mix's frame energy.
 */
export function audioEmbedDeltaStereo(
  left: usize,
  right: usize,
  len: i32,
  symbols: usize,
  blockFrames: i32,
  step: f32,
  tilt: f32,
  maxStep: f32,
  deltaLeft: usize,
  deltaRight: usize,
  refEnergy: f32,
  frameTilt: f32,
  frameCap: f32,
  frameFloor: f32,
): void {
  init();
  memory.fill(deltaLeft, 0, <usize>len << 2);
  memory.fill(deltaRight, 0, <usize>len << 2);
  const frames = len / FRAME;
  const hi = BAND_LO + BAND_BINS;
  const lo = BAND_LO;
  for (let f = 0; f < frames; f++) {
    loadWindowed(bufRe, left, f * FRAME);
    loadWindowed(bufIm, right, f * FRAME);
    fftComplex(bufRe, bufIm, FRAME);
    const g = symbols + ((<usize>(f % blockFrames) * <usize>BAND_BINS) << 2);
    let meanM: f32 = 0;
    for (let k = lo; k < hi; k++) {
      const zr = load<f32>(bufRe + (<usize>k << 2)), zi = load<f32>(bufIm + (<usize>k << 2));
      const yr = load<f32>(bufRe + (<usize>(FRAME - k) << 2)), yi = load<f32>(bufIm + (<usize>(FRAME - k) << 2));
      const mr = HALF * ((zr + yr) + (zi + yi)), mi = HALF * ((zi - yi) + (yr - zr)); // 2 M_k
      meanM += mr * mr + mi * mi;
    }
    meanM /= <f32>BAND_BINS;
    const stepF = step * frameBoost(left, right, f * FRAME, refEnergy, frameTilt, frameCap, frameFloor);
    // A channel whose every share is 0 (silent in this frame) gets no change at all, not
    // the rounding residue of the other channel's inverse FFT.
    let anyL = false;
    let anyR = false;
    for (let k = lo; k < hi; k++) {
      const kk = <usize>k << 2;
      const mk = <usize>(FRAME - k) << 2;
      const zr = load<f32>(bufRe + kk), zi = load<f32>(bufIm + kk);
      const yr = load<f32>(bufRe + mk), yi = load<f32>(bufIm + mk);
      const ar = zr + yr, ai = zi - yi, br = zi + yi, bi = yr - zr; // 2 L_k, 2 R_k
      const mr = HALF * (ar + br), mi = HALF * (ai + bi); // 2 M_k
      const pm = mr * mr + mi * mi;
      let gL: f32 = 0;
      let gR: f32 = 0;
      if (pm > 0) {
        const rL = Mathf.sqrt((ar * ar + ai * ai) / pm);
        const rR = Mathf.sqrt((br * br + bi * bi) / pm);
        const aL: f32 = rL < 1 ? rL : rR < 1 ? TWO - rR : 1;
        const aR: f32 = rR < 1 ? rR : rL < 1 ? TWO - rL : 1;
        const gain = binGain(load<f32>(g + (<usize>(k - lo) << 2)), pm, meanM, stepF, tilt, maxStep);
        gL = aL * gain;
        gR = aR * gain;
        anyL = anyL || gL != 0;
        anyR = anyR || gR != 0;
      }
      // D_L = gL M and D_R = gR M, packed as Z = D_L + i D_R: both real changes out of one inverse FFT.
      const dar = HALF * mr * gL, dai = HALF * mi * gL;
      const dbr = HALF * mr * gR, dbi = HALF * mi * gR;
      storeChangePair(kk, mk, dar, dai, dbr, dbi);
    }
    clearOutsideBand();
    ifftComplex(bufRe, bufIm, FRAME);
    if (anyL) overlapFrame(bufRe, deltaLeft, len, f * FRAME);
    if (anyR) overlapFrame(bufIm, deltaRight, len, f * FRAME);
  }
}

export const ANALYSIS_BINS: i32 = BAND_BINS + 2; // one guard bin each side for whitening

/**
 * Band power of `frames` Hann-windowed frames starting at `offset`:
 * pow[f * ANALYSIS_BINS + i] = |X_f(BAND_LO - 1 + i)|^2. Returns the mean band power.
 */
export function audioAnalyze(x: usize, offset: i32, frames: i32, pow: usize): f64 {
  init();
  let total: f64 = 0;
  for (let f = 0; f < frames; f += 2) {
    const hasB = f + 1 < frames;
    loadPair(x, offset + f * FRAME, hasB ? offset + (f + 1) * FRAME : -1, hann);
    fftComplex(bufRe, bufIm, FRAME);
    const pa = pow + ((<usize>f * <usize>ANALYSIS_BINS) << 2);
    const pb = pa + (<usize>ANALYSIS_BINS << 2);
    let sum: f32 = 0;
    for (let i = 0; i < ANALYSIS_BINS; i++) {
      const k = BAND_LO - 1 + i;
      const zr = load<f32>(bufRe + (<usize>k << 2)), zi = load<f32>(bufIm + (<usize>k << 2));
      const yr = load<f32>(bufRe + (<usize>(FRAME - k) << 2)), yi = load<f32>(bufIm + (<usize>(FRAME - k) << 2));
      const ar = zr + yr, ai = zi - yi; // 2 * Xa
      const p = QUARTER * (ar * ar + ai * ai);
      store<f32>(pa + (<usize>i << 2), p);
      sum += p;
      if (hasB) {
        const br = zi + yi, bi = yr - zr; // 2 * Xb
        const q = QUARTER * (br * br + bi * bi);
        store<f32>(pb + (<usize>i << 2), q);
        sum += q;
      }
    }
    total += <f64>sum;
  }
  return frames > 0 ? total / (<f64>frames * <f64>ANALYSIS_BINS) : 0;
}

// log2 for x > 0 (under 1e-5 absolute error): exponent plus a polynomial on the mantissa.
@inline function fastLog2(x: f32): f32 {
  const bits = reinterpret<i32>(x);
  const e = <f32>((bits >> 23) - 127);
  const m = reinterpret<f32>((bits & 0x007fffff) | 0x3f800000) - 1.0;
  // least-squares fit of log2(1 + m) on [0, 1)
  const p = m * (1.442517 + m * (-0.7178984 + m * (0.4568942 + m * (-0.2773651 + m * (0.1219141 + m * -0.0260663)))));
  return e + p;
}

/**
 * Turns band power into folded, weighted log residuals:
 * 1. log2(pow + floor_f) in place, floor_f = max(floorRatio * mean band power of
 *    frame f, absFloor): bins far under their frame's level (where codecs leave
 *    only noise) and digital silence go flat;
 * 2. whitening by the best of five predictors of each cell from its neighbours:
 *    time (mean of the same bin in frames f-1, f+1: removes steady tones),
 *    frequency (mean of bins k-1, k+1: removes the spectral envelope of speech
 *    whose harmonics move), both (the 4-neighbour Laplacian), and two longer
 *    time predictors for stationary music, where averaging more frames adds less
 *    of their noise to the residual: the mean of frames f+-1 and f+-2, and
 *    the mean of frames f-8..f+8 without f (a sliding sum). Each frame uses the
 *    predictor with the smallest residual energy over it and its two neighbours.
 *    Residuals are clipped to +-clip. Measured on the bench corpus, choosing per
 *    frame beat the fixed Laplacian by 1.2-1.6x in sync correlation; the two long
 *    predictors raised the soft-bit SNR of the dense pad 1.5x after MP3 32k and
 *    1.8x after reverb;
 * 3. maximum-ratio weighting: the mark's log step is about the same in every
 *    frame while the host residual is not, so each frame is weighted by
 *    1 / max(that residual energy per cell, minVar); with noise > 0, also by
 *    (m / (m + noise))^gamma, m the frame's mean band power: frames at the
 *    clip's quiet floor (silence, dither, codec noise) carry no mark;
 *    with cellNoise != 0, also each cell by its reliability c = h / (h + n),
 *    n = cellNoise[bin], h = max(0, mean raw power of the bin over frames
 *    f-cellRadius..f+cellRadius - n), stored in cellW (frames x BAND_BINS);
 *    the predictor choice and the frame variance then use the weighted
 *    residuals (the variance per unit of mean c^2). cellNoise holds
 *    ANALYSIS_BINS f32 followed by `frames` f32 of scratch;
 * 4. folding: added into fold[(f mod blockFrames) * BAND_BINS + k].
 * `resid` holds 5 x frames x BAND_BINS f32 and `varScratch` 6 x frames f32.
 * fold must be zeroed by the caller.
 */
export function audioWhitenFold(
  pow: usize,
  frames: i32,
  floorRatio: f32,
  absFloor: f32,
  clip: f32,
  minVar: f32,
  resid: usize,
  varScratch: usize,
  fold: usize,
  blockFrames: i32,
  noise: f32,
  gamma: f32,
  cellNoise: usize,
  cellW: usize,
  cellRadius: i32,
): void {
  const row = <usize>ANALYSIS_BINS << 2;
  const brow = <usize>BAND_BINS << 2;
  if (winSum == 0) winSum = heap.alloc(row);
  const levels = varScratch + PREDICTORS * (<usize>frames << 2);
  const cellDen = cellNoise + (<usize>ANALYSIS_BINS << 2);
  if (ones == 0) {
    ones = heap.alloc(brow);
    for (let k: usize = 0; k < brow; k += 4) store<f32>(ones + k, 1);
  }
  if (cellNoise != 0) {
    // Reliability of each cell: c = h / (h + n), n the bin's noise power and h the
    // host power over it, estimated as the mean power of frames f-R..f+R minus n
    // (averaging tells a steady host from a noise cell that happens to be loud).
    if (cellSum == 0) cellSum = heap.alloc(row);
    let count = 0;
    for (let f = 0; f < frames; f++) {
      count = slideWindow(cellSum, pow, row, frames, f, cellRadius, count);
      const inv: f32 = <f32>1.0 / <f32>count;
      const cw = cellW + <usize>f * brow;
      let den: f32 = 0;
      if (ASC_FEATURE_SIMD) {
        const iv = f32x4.splat(inv);
        const zero = f32x4.splat(0);
        const tiny = f32x4.splat(1e-30);
        let acc = f32x4.splat(0);
        for (let o: usize = 0; o < brow; o += 16) {
          const n = v128.load(cellNoise + o + 4);
          const h = f32x4.max(zero, f32x4.sub(f32x4.mul(v128.load(cellSum + o + 4), iv), n));
          const c = f32x4.div(h, f32x4.add(f32x4.add(h, n), tiny));
          v128.store(cw + o, c);
          acc = f32x4.add(acc, f32x4.mul(c, c));
        }
        den = hsum(acc);
      } else {
        for (let o: usize = 0; o < brow; o += 4) {
          const n = load<f32>(cellNoise + o + 4);
          let h = load<f32>(cellSum + o + 4) * inv - n;
          if (h < 0) h = 0;
          const c = h / (h + n + <f32>1e-30);
          store<f32>(cw + o, c);
          den += c * c;
        }
      }
      store<f32>(cellDen + (<usize>f << 2), den / <f32>BAND_BINS);
    }
  }
  for (let f = 0; f < frames; f++) {
    const cur = pow + <usize>f * row;
    let sum: f32 = 0;
    for (let i: usize = 0; i < row; i += 4) sum += load<f32>(cur + i);
    store<f32>(levels + (<usize>f << 2), sum / <f32>ANALYSIS_BINS);
    let eps = (sum / <f32>ANALYSIS_BINS) * floorRatio;
    if (eps < absFloor) eps = absFloor;
    for (let i: usize = 0; i < row; i += 4) store<f32>(cur + i, fastLog2(load<f32>(cur + i) + eps));
  }
  if (frames < 3) return;
  const plane = <usize>frames * brow; // one predictor's residuals
  const vplane = <usize>frames << 2;
  let winCount = 0;
  for (let f = 0; f < frames; f++) {
    const cur = pow + <usize>f * row;
    const prev = f > 0 ? cur - row : cur + row;
    const next = f + 1 < frames ? cur + row : cur - row;
    const outT = resid + <usize>f * brow;
    const outF = outT + plane;
    const outL = outF + plane;
    const outB = outL + plane;
    winCount = slideWindow(winSum, pow, row, frames, f, LONG, winCount);
    const inv: f32 = <f32>1.0 / <f32>(winCount - 1);
    const prev2 = f > 1 ? cur - 2 * row : prev;
    const next2 = f + 2 < frames ? cur + 2 * row : next;
    const outM = outB + plane;
    let sqM: f32 = 0;
    let sqB: f32 = 0;
    let sqT: f32 = 0;
    let sqF: f32 = 0;
    let sqL: f32 = 0;
    if (ASC_FEATURE_SIMD) {
      const hv = f32x4.splat(HALF);
      const qv = f32x4.splat(QUARTER);
      const iv = f32x4.splat(inv);
      const cv = f32x4.splat(clip);
      const ncv = f32x4.splat(-clip);
      let aT = f32x4.splat(0);
      let aF = f32x4.splat(0);
      let aL = f32x4.splat(0);
      let aB = f32x4.splat(0);
      let aM = f32x4.splat(0);
      const wrow = cellNoise != 0 ? cellW + <usize>f * brow : ones;
      for (let o: usize = 0; o < brow; o += 16) {
        const c = o + 4;
        const cwv = v128.load(wrow + o);
        const x = v128.load(cur + c);
        const t = f32x4.mul(hv, f32x4.add(v128.load(prev + c), v128.load(next + c)));
        const q = f32x4.mul(hv, f32x4.add(v128.load(cur + c - 4), v128.load(cur + c + 4)));
        const rt = f32x4.max(ncv, f32x4.min(cv, f32x4.sub(x, t)));
        const rf = f32x4.max(ncv, f32x4.min(cv, f32x4.sub(x, q)));
        const rl = f32x4.max(ncv, f32x4.min(cv, f32x4.sub(x, f32x4.mul(hv, f32x4.add(t, q)))));
        const rb = f32x4.max(ncv, f32x4.min(cv, f32x4.sub(x, f32x4.mul(f32x4.sub(v128.load(winSum + c), x), iv))));
        const pm = f32x4.add(f32x4.mul(hv, t), f32x4.mul(qv, f32x4.add(v128.load(prev2 + c), v128.load(next2 + c))));
        const rm = f32x4.max(ncv, f32x4.min(cv, f32x4.sub(x, pm)));
        v128.store(outT + o, rt);
        v128.store(outF + o, rf);
        v128.store(outL + o, rl);
        v128.store(outB + o, rb);
        v128.store(outM + o, rm);
        const wt = f32x4.mul(rt, cwv), wf = f32x4.mul(rf, cwv), wl = f32x4.mul(rl, cwv), wb = f32x4.mul(rb, cwv), wm = f32x4.mul(rm, cwv);
        aT = f32x4.add(aT, f32x4.mul(wt, wt));
        aF = f32x4.add(aF, f32x4.mul(wf, wf));
        aL = f32x4.add(aL, f32x4.mul(wl, wl));
        aB = f32x4.add(aB, f32x4.mul(wb, wb));
        aM = f32x4.add(aM, f32x4.mul(wm, wm));
      }
      sqT = hsum(aT);
      sqF = hsum(aF);
      sqL = hsum(aL);
      sqB = hsum(aB);
      sqM = hsum(aM);
    } else {
      const wrow = cellNoise != 0 ? cellW + <usize>f * brow : ones;
      for (let k = 0; k < BAND_BINS; k++) {
        const c = <usize>(k + 1) << 2;
        const x = load<f32>(cur + c);
        const t = HALF * (load<f32>(prev + c) + load<f32>(next + c));
        const q = HALF * (load<f32>(cur + c - 4) + load<f32>(cur + c + 4));
        const rt = clampf(x - t, clip);
        const rf = clampf(x - q, clip);
        const rl = clampf(x - HALF * (t + q), clip);
        const rb = clampf(x - (load<f32>(winSum + c) - x) * inv, clip);
        const rm = clampf(x - (HALF * t + QUARTER * (load<f32>(prev2 + c) + load<f32>(next2 + c))), clip);
        const o = <usize>k << 2;
        store<f32>(outT + o, rt);
        store<f32>(outF + o, rf);
        store<f32>(outL + o, rl);
        store<f32>(outB + o, rb);
        store<f32>(outM + o, rm);
        const cw = load<f32>(wrow + o);
        const c2 = cw * cw;
        sqT += rt * rt * c2;
        sqF += rf * rf * c2;
        sqL += rl * rl * c2;
        sqB += rb * rb * c2;
        sqM += rm * rm * c2;
      }
    }
    const vo = varScratch + (<usize>f << 2);
    store<f32>(vo, sqT / <f32>BAND_BINS);
    store<f32>(vo + vplane, sqF / <f32>BAND_BINS);
    store<f32>(vo + 2 * vplane, sqL / <f32>BAND_BINS);
    store<f32>(vo + 3 * vplane, sqB / <f32>BAND_BINS);
    store<f32>(vo + 4 * vplane, sqM / <f32>BAND_BINS);
  }
  for (let f = 0; f < frames; f++) {
    const fa = <usize>(f > 0 ? f - 1 : f + 1) << 2;
    const fb = <usize>f << 2;
    const fc = <usize>(f + 1 < frames ? f + 1 : f - 1) << 2;
    let best: f32 = 3.4e38;
    let which: usize = 0;
    for (let m: usize = 0; m < PREDICTORS; m++) {
      const base = varScratch + m * vplane;
      const v = load<f32>(base + fa) + load<f32>(base + fb) + load<f32>(base + fc);
      if (v < best) {
        best = v;
        which = m;
      }
    }
    let v = best / 3;
    const src0 = resid + which * plane + <usize>f * brow;
    if (cellNoise != 0) {
      // Per unit of weight.
      const d = load<f32>(cellDen + fb);
      v = d > 0 ? v / d : minVar;
    }
    if (v < minVar) v = minVar;
    let w: f32 = <f32>1.0 / v;
    if (noise > 0) {
      const m = load<f32>(levels + fb);
      const a = m / (m + noise);
      w *= gamma == 1 ? a : Mathf.pow(a, gamma);
    }
    const src = src0;
    const dst = fold + ((<usize>(f % blockFrames) * <usize>BAND_BINS) << 2);
    const wrow = cellNoise != 0 ? cellW + <usize>f * brow : ones;
    if (ASC_FEATURE_SIMD) {
      const wv = f32x4.splat(w);
      for (let k: usize = 0; k < brow; k += 16) v128.store(dst + k, f32x4.add(v128.load(dst + k), f32x4.mul(f32x4.mul(v128.load(src + k), v128.load(wrow + k)), wv)));
    } else {
      for (let k: usize = 0; k < brow; k += 4) store<f32>(dst + k, load<f32>(dst + k) + load<f32>(src + k) * load<f32>(wrow + k) * w);
    }
  }
}

/**
 * Slides `sum` (one f32 per bin) to the frames [f - radius, f + radius] of `pow`, clamped
 * to the clip; call it with f = 0, 1, 2, ... Returns how many frames the window holds.
 */
function slideWindow(sum: usize, pow: usize, row: usize, frames: i32, f: i32, radius: i32, count: i32): i32 {
  if (f == 0) {
    memory.fill(sum, 0, row);
    count = 0;
    for (let j = 0; j <= radius && j < frames; j++) {
      addRow(sum, pow + <usize>j * row, 1);
      count++;
    }
    return count;
  }
  if (f + radius < frames) {
    addRow(sum, pow + <usize>(f + radius) * row, 1);
    count++;
  }
  if (f - radius - 1 >= 0) {
    addRow(sum, pow + <usize>(f - radius - 1) * row, -1);
    count--;
  }
  return count;
}

/** Frames each side in the long time predictor of the whitening. */
const LONG: i32 = 8;
let winSum: usize = 0; // f32[ANALYSIS_BINS]
let ones: usize = 0; // f32[BAND_BINS] of 1
let cellSum: usize = 0; // f32[ANALYSIS_BINS]

function addRow(dst: usize, src: usize, sign: f32): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = f32x4.splat(sign);
    for (; i + 16 <= <usize>ANALYSIS_BINS << 2; i += 16) v128.store(dst + i, f32x4.add(v128.load(dst + i), f32x4.mul(sv, v128.load(src + i))));
  }
  for (; i < <usize>ANALYSIS_BINS << 2; i += 4) store<f32>(dst + i, load<f32>(dst + i) + sign * load<f32>(src + i));
}

@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

@inline function clampf(x: f32, c: f32): f32 {
  return x > c ? c : x < -c ? -c : x;
}

/** scores[p] = sum_r dot(fold[r], sync[(r + p) mod B]) for every block phase p. */
export function audioSyncScores(fold: usize, sync: usize, blockFrames: i32, scores: usize): void {
  const row = <usize>BAND_BINS << 2;
  for (let p = 0; p < blockFrames; p++) {
    let acc: f32 = 0;
    for (let r = 0; r < blockFrames; r++) {
      const a = fold + <usize>r * row;
      const b = sync + <usize>((r + p) % blockFrames) * row;
      if (ASC_FEATURE_SIMD) {
        let v = f32x4.splat(0);
        for (let k: usize = 0; k < row; k += 16) v = f32x4.add(v, f32x4.mul(v128.load(a + k), v128.load(b + k)));
        acc += f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
      } else {
        for (let k: usize = 0; k < row; k += 4) acc += load<f32>(a + k) * load<f32>(b + k);
      }
    }
    store<f32>(scores + (<usize>p << 2), acc);
  }
}

/**
 * Soft coded bits for block phase p: soft[b] = sum of sign * fold over the chips
 * of coded bit b (chipBit = -1 marks a sync chip). Positive means coded bit 0.
 */
export function audioSoftBits(fold: usize, chipBit: usize, chipSign: usize, blockFrames: i32, p: i32, soft: usize, bits: i32): void {
  memory.fill(soft, 0, <usize>bits << 2);
  for (let r = 0; r < blockFrames; r++) {
    const q = (r + p) % blockFrames;
    const a = fold + ((<usize>r * <usize>BAND_BINS) << 2);
    const base = <usize>q * <usize>BAND_BINS;
    for (let k = 0; k < BAND_BINS; k++) {
      const slot = (base + <usize>k) << 2;
      const b = load<i32>(chipBit + slot);
      if (b >= 0) {
        const o = soft + (<usize>b << 2);
        store<f32>(o, load<f32>(o) + load<f32>(chipSign + slot) * load<f32>(a + (<usize>k << 2)));
      }
    }
  }
}

/** Bytes of audioStatsSpan's state: two running sums, the total, the peak (f64 each). */
const STATS_STATE_BYTES: usize = 32;
let statsState: usize = 0; // audioStats' own audioStatsSpan state

/**
 * Sum of squares (returned) and peak |x| (stored as f32 at peakOut) of n f32.
 * A NaN or Infinity sample makes the sum non-finite, which the caller tests.
 */
export function audioStats(x: usize, n: i32, peakOut: usize): f64 {
  if (statsState == 0) statsState = heap.alloc(STATS_STATE_BYTES);
  memory.fill(statsState, 0, STATS_STATE_BYTES);
  audioStatsSpan(x, n, statsState, 1);
  store<f32>(peakOut, <f32>load<f64>(statsState + 24));
  return load<f64>(statsState + 16);
}

let statsTop: usize = 0; // audioStatsSpan's running peaks, four lanes

/**
 * Adds the squares of x[from, to) to the running sums in `state` (audioStatsSpan's layout) and
 * their magnitudes to the running peaks at `topAt`, four samples at a time; returns how far it
 * got (to, less any remainder under four). The resampler's fused stats use it too, so both keep
 * the same sums in the same order.
 */
export function addStats(state: usize, topAt: usize, x: usize, from: i32, to: i32): i32 {
  let acc = v128.load(state);
  let top = v128.load(topAt);
  let i = from;
  for (; i + 4 <= to; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const sq = f32x4.mul(v, v);
    acc = f64x2.add(acc, f64x2.promote_low_f32x4(sq));
    acc = f64x2.add(acc, f64x2.promote_low_f32x4(i32x4.shuffle(sq, sq, 2, 3, 0, 1)));
    top = f32x4.max(top, f32x4.abs(v));
  }
  v128.store(state, acc);
  v128.store(topAt, top);
  return i;
}

/**
 * audioStats over a signal that arrives in spans, with the same sums in the same order,
 * so the same bits: `state` (STATS_STATE_BYTES, zeroed before the first span) carries the
 * running sums and the peak from span to span. Every span but the last must hold a
 * multiple of 4 samples. After the span with `last` set, state + 16 holds the sum of
 * squares (f64) and state + 24 the peak (f64).
 */
export function audioStatsSpan(x: usize, n: i32, state: usize, last: i32): void {
  assert(last != 0 || (n & 3) == 0, 'audioStatsSpan: a span before the last must hold a multiple of 4 samples');
  let sum: f64 = load<f64>(state);
  let peak: f32 = <f32>load<f64>(state + 24);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (statsTop == 0) statsTop = heap.alloc(16);
    v128.store(statsTop, f32x4.splat(peak));
    i = addStats(state, statsTop, x, 0, n);
    const acc = v128.load(state);
    const top = v128.load(statsTop);
    sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    peak = Mathf.max(Mathf.max(f32x4.extract_lane(top, 0), f32x4.extract_lane(top, 1)), Mathf.max(f32x4.extract_lane(top, 2), f32x4.extract_lane(top, 3)));
  }
  if (ASC_FEATURE_SIMD && last == 0) {
    store<f64>(state + 24, <f64>peak);
    return;
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    sum += <f64>(v * v);
    const a = Mathf.abs(v);
    if (a > peak) peak = a;
  }
  if (!ASC_FEATURE_SIMD) store<f64>(state, sum);
  if (last != 0) store<f64>(state + 16, sum);
  store<f64>(state + 24, <f64>peak);
}
