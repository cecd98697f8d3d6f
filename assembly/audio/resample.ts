// Band-limited resampling by a Kaiser-windowed sinc (8 zero crossings each
// side, beta 5.65: about 60 dB stop band, a transition of 3.6 x cutoff / 8; at the
// 5.5 kHz cutoff the band the mark uses, up to 4.26 kHz, passes and aliases stay
// 60 dB down, under a mark that is itself 30 dB under the host). For rate pairs with a short period
// (44100 <-> 11025 has 1 or 4 phases, 48000 -> 11025 has 147) the weights of
// every phase are tabulated once and each output sample is one f32x4 dot product.

import { addStats, audioStatsSpan } from './frames';

const ZEROS: i32 = 8;
const BETA: f64 = 5.65;
const PROTO_RES: i32 = 512; // prototype samples per zero crossing
const MAX_TABLE_FLOATS: i32 = 1 << 20;

let proto: usize = 0; // f32[ZEROS * PROTO_RES + 2]

function besselI0(x: f64): f64 {
  let sum = 1.0;
  let term = 1.0;
  const q = (x * x) / 4.0;
  for (let k = 1; k < 40; k++) {
    term *= q / (<f64>k * <f64>k);
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

function buildProto(): void {
  if (proto != 0) return;
  const count = ZEROS * PROTO_RES + 2;
  proto = heap.alloc(<usize>count << 2);
  const norm = besselI0(BETA);
  for (let i = 0; i < count; i++) {
    const x = <f64>i / <f64>PROTO_RES;
    let v = 0.0;
    if (x < <f64>ZEROS) {
      const r = x / <f64>ZEROS;
      const sinc = x == 0 ? 1.0 : Math.sin(Math.PI * x) / (Math.PI * x);
      v = (sinc * besselI0(BETA * Math.sqrt(1 - r * r))) / norm;
    }
    store<f32>(proto + (<usize>i << 2), <f32>v);
  }
}

@inline function protoAt(x: f64): f32 {
  // x >= 0 in zero-crossing units
  const pos = x * <f64>PROTO_RES;
  const i = <i32>pos;
  if (i >= ZEROS * PROTO_RES) return 0;
  const f = <f32>(pos - <f64>i);
  const a = load<f32>(proto + (<usize>i << 2));
  const b = load<f32>(proto + (<usize>(i + 1) << 2));
  return a + (b - a) * f;
}

function gcd(a: i64, b: i64): i64 {
  while (b != 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// One cached plan (weights per phase); embed alternates two rate pairs, so keep two.
class Plan {
  inRate: i32 = 0;
  outRate: i32 = 0;
  cutoff: f64 = 0;
  phases: i32 = 0; // 0 = weights computed per output sample
  half: i32 = 0; // taps j = i0 - half + 1 .. i0 + half
  taps4: i32 = 0; // 2*half rounded up to a multiple of 4
  fcNorm: f64 = 0;
  weights: usize = 0;
  bytes: usize = 0;
  /** For upsampling by a whole factor that is a multiple of 4: the weights of each 4 phases interleaved by tap (upsamplePair); else 0. */
  grouped: usize = 0;
  groupedTable: usize = 0;
  groupedBytes: usize = 0;
}
const plans = new StaticArray<Plan>(2);
plans[0] = new Plan();
plans[1] = new Plan();
let nextPlan: i32 = 0;

function fillWeights(plan: Plan, frac: f64, out: usize): void {
  let sum: f64 = 0;
  for (let m = 0; m < plan.taps4; m++) {
    let w: f32 = 0;
    if (m < 2 * plan.half) {
      const d = Math.abs(<f64>(m - plan.half + 1) - frac) * plan.fcNorm;
      w = protoAt(d);
    }
    store<f32>(out + (<usize>m << 2), w);
    sum += w;
  }
  const s = <f32>(sum != 0 ? 1.0 / sum : 0);
  for (let m = 0; m < plan.taps4; m++) store<f32>(out + (<usize>m << 2), load<f32>(out + (<usize>m << 2)) * s);
}

function getPlan(inRate: i32, outRate: i32, cutoff: f64): Plan {
  for (let i = 0; i < 2; i++) {
    const p = unchecked(plans[i]);
    if (p.inRate == inRate && p.outRate == outRate && p.cutoff == cutoff) return p;
  }
  buildProto();
  const plan = unchecked(plans[nextPlan]);
  nextPlan ^= 1;
  plan.inRate = inRate;
  plan.outRate = outRate;
  plan.cutoff = cutoff;
  let fcNorm = (2.0 * cutoff) / <f64>inRate;
  if (fcNorm > 1.0) fcNorm = 1.0;
  plan.fcNorm = fcNorm;
  plan.half = <i32>Math.ceil(<f64>ZEROS / fcNorm);
  plan.taps4 = (2 * plan.half + 3) & ~3;
  const g = gcd(<i64>inRate, <i64>outRate);
  const phases = <i32>(<i64>outRate / g);
  plan.phases = <i64>phases * <i64>plan.taps4 <= <i64>MAX_TABLE_FLOATS ? phases : 0;
  const tables: i32 = plan.phases > 0 ? plan.phases : 1;
  const need = <usize>tables * (<usize>plan.taps4 << 2);
  if (plan.bytes < need) {
    if (plan.bytes > 0) heap.free(plan.weights);
    plan.weights = heap.alloc(need);
    plan.bytes = need;
  }
  for (let ph = 0; ph < plan.phases; ph++) {
    fillWeights(plan, (<f64>ph * <f64>g) / <f64>outRate, plan.weights + ((<usize>ph * <usize>plan.taps4) << 2));
  }
  plan.grouped = 0;
  if (g == inRate && plan.phases == phases && phases % 4 == 0) {
    if (plan.groupedBytes < need) {
      if (plan.groupedBytes > 0) heap.free(plan.groupedTable);
      plan.groupedTable = heap.alloc(need);
      plan.groupedBytes = need;
    }
    const taps4 = <usize>plan.taps4;
    for (let ph: usize = 0; ph < <usize>phases; ph++) {
      for (let m: usize = 0; m < taps4; m++) {
        const from = plan.weights + ((ph * taps4 + m) << 2);
        store<f32>(plan.groupedTable + ((((ph & ~3) * taps4) + m * 4 + (ph & 3)) << 2), load<f32>(from));
      }
    }
    plan.grouped = plan.groupedTable;
  }
  return plan;
}

/** Input samples each side of an output's position that resampling from inRate to outRate reads (for span margins). */
export function resampleReach(inRate: i32, outRate: i32, cutoffHz: f64): i32 {
  return getPlan(inRate, outRate, cutoffHz).taps4;
}

/**
 * Resamples `inLen` f32 at `inPtr` (rate inRate) to `outLen` f32 at `outPtr`
 * (rate outRate), low-passing at `cutoffHz` (clamped to the input Nyquist).
 * Output sample n sits at input position n * inRate / outRate; outside the
 * input counts as silence.
 */
export function resample(inPtr: usize, inLen: i32, inRate: i32, outPtr: usize, outLen: i32, outRate: i32, cutoffHz: f64): void {
  resampleSpan(inPtr, 0, inLen, inRate, outPtr, 0, outLen, outRate, cutoffHz);
}

/**
 * Output samples [outStart, outStart + outCount) of resample() over an inLen-sample
 * signal, written from outPtr on, bit for bit what resample() writes there. inPtr holds
 * the input from sample inFirst on, covering every input sample those outputs read:
 * from outStart * inRate / outRate - resampleReach() to (outStart + outCount) * inRate / outRate
 * + resampleReach(), within [0, inLen). So a long signal goes through in spans.
 */
export function resampleSpan(
  inPtr: usize,
  inFirst: i32,
  inLen: i32,
  inRate: i32,
  outPtr: usize,
  outStart: i32,
  outCount: i32,
  outRate: i32,
  cutoffHz: f64,
): void {
  resampleSpanWithStats(inPtr, inFirst, inLen, inRate, outPtr, outStart, outCount, outRate, cutoffHz, 0, 0, 0, 0);
}

/**
 * resampleSpan, and audioStatsSpan(state, last) over its input samples [inStart, inEnd)
 * (inside what inPtr holds), with the same sums in the same order. With SIMD the sums
 * follow the resampler through its input, so their chain of dependent additions runs
 * alongside its arithmetic instead of in a pass of its own.
 */
export function resampleSpanInputStats(
  inPtr: usize,
  inFirst: i32,
  inLen: i32,
  inRate: i32,
  outPtr: usize,
  outStart: i32,
  outCount: i32,
  outRate: i32,
  cutoffHz: f64,
  state: usize,
  inStart: i32,
  inEnd: i32,
  last: i32,
): void {
  if (ASC_FEATURE_SIMD) {
    resampleSpanWithStats(inPtr, inFirst, inLen, inRate, outPtr, outStart, outCount, outRate, cutoffHz, last, state, inStart, inEnd);
  } else {
    audioStatsSpan(inPtr + (<usize>(inStart - inFirst) << 2), inEnd - inStart, state, last);
    resampleSpanWithStats(inPtr, inFirst, inLen, inRate, outPtr, outStart, outCount, outRate, cutoffHz, 0, 0, 0, 0);
  }
}

/** resampleSpan; with SIMD and a stats `inState`, also audioStatsSpan over the inputs [inStart, inEnd). */
function resampleSpanWithStats(
  inPtr: usize,
  inFirst: i32,
  inLen: i32,
  inRate: i32,
  outPtr: usize,
  outStart: i32,
  outCount: i32,
  outRate: i32,
  cutoffHz: f64,
  last: i32,
  inState: usize,
  inStart: i32,
  inEnd: i32,
): void {
  assert(inState == 0 || last != 0 || ((inEnd - inStart) & 3) == 0, 'resampleSpanInputStats: a span before the last must hold a multiple of 4 samples');
  // Inputs from inStart already in the stats' running sums (audioStatsSpan's state layout).
  if (ASC_FEATURE_SIMD && statsTop == 0) statsTop = heap.alloc(16);
  let inSummed = 0;
  const inSpan = inPtr + (<usize>(inStart - inFirst) << 2);
  if (ASC_FEATURE_SIMD && inState != 0) startStats(inState, statsTop);
  const plan = getPlan(inRate, outRate, cutoffHz);
  const g = <i32>gcd(<i64>inRate, <i64>outRate);
  const inStep = inRate / g;
  const outPeriod = outRate / g;
  const taps4 = plan.taps4;
  const half = plan.half;
  // n · inRate = i0 · outRate + phase · g, tracked by addition: a division per sample cost more than the dot product.
  const stepWhole = inStep / outPeriod;
  const stepRest = inStep - stepWhole * outPeriod;
  const pos = <i64>outStart * <i64>inRate;
  let i0 = <i32>(pos / <i64>outRate);
  let phase = <i32>((pos - <i64>i0 * <i64>outRate) / <i64>g);
  const base = inPtr - (<usize>inFirst << 2); // address of input sample 0 (may lie outside the buffer; only read at j >= inFirst)
  const end = outStart + outCount;
  let n = outStart;
  while (n < end) {
    // The squares of the inputs before the next output's first tap, which the last steps have read.
    if (ASC_FEATURE_SIMD && inState != 0) inSummed = addStats(inState, statsTop, inSpan, inSummed, min(inEnd, i0 - half + 1) - inStart);
    if (ASC_FEATURE_SIMD && plan.phases == 1 && outPeriod == 1 && n + DECIMATE_GROUP <= end) {
      // Decimation by a whole factor, eight outputs whose taps all lie inside the input.
      const j0 = i0 - half + 1;
      if (j0 >= 0 && j0 + (DECIMATE_GROUP - 1) * inStep + taps4 <= inLen) {
        decimateGroup(base + (<usize>j0 << 2), inStep, plan.weights, taps4, outPtr + (<usize>(n - outStart) << 2));
        n += DECIMATE_GROUP;
        i0 += DECIMATE_GROUP * inStep;
        continue;
      }
    }
    if (ASC_FEATURE_SIMD && phase == 0 && plan.grouped != 0 && n + 2 * outPeriod <= end) {
      const j0 = i0 - half + 1;
      if (j0 >= 0 && j0 + 1 + taps4 <= inLen) {
        // Two input positions, 2 x outPeriod outputs, four phases per vector (upsamplePair).
        upsamplePair(plan, base + (<usize>j0 << 2), outPtr + (<usize>(n - outStart) << 2), outPeriod);
        n += 2 * outPeriod;
        i0 += 2;
        continue;
      }
    }
    if (plan.phases > 0 && plan.grouped == 0 && n + 4 <= end) {
      // Four outputs at once when all four read inside the input: four independent sums
      // keep the adder busy where one waited on its own previous add.
      let i1 = i0 + stepWhole, p1 = phase + stepRest;
      if (p1 >= outPeriod) { i1++; p1 -= outPeriod; }
      let i2 = i1 + stepWhole, p2 = p1 + stepRest;
      if (p2 >= outPeriod) { i2++; p2 -= outPeriod; }
      let i3 = i2 + stepWhole, p3 = p2 + stepRest;
      if (p3 >= outPeriod) { i3++; p3 -= outPeriod; }
      if (i0 - half + 1 >= 0 && i3 - half + 1 + taps4 <= inLen) {
        const table = plan.weights;
        const row = <usize>taps4 << 2;
        dot4(
          base + (<usize>(i0 - half + 1) << 2), table + <usize>phase * row,
          base + (<usize>(i1 - half + 1) << 2), table + <usize>p1 * row,
          base + (<usize>(i2 - half + 1) << 2), table + <usize>p2 * row,
          base + (<usize>(i3 - half + 1) << 2), table + <usize>p3 * row,
          row, outPtr + (<usize>(n - outStart) << 2),
        );
        n += 4;
        i0 = i3 + stepWhole;
        phase = p3 + stepRest;
        if (phase >= outPeriod) { i0++; phase -= outPeriod; }
        continue;
      }
    }
    let w: usize;
    if (plan.phases > 0) {
      w = plan.weights + ((<usize>phase * <usize>taps4) << 2);
    } else {
      w = plan.weights;
      fillWeights(plan, <f64>phase / <f64>outPeriod, w);
    }
    const j0 = i0 - half + 1;
    let acc: f32 = 0;
    if (j0 >= 0 && j0 + taps4 <= inLen) {
      const src = base + (<usize>j0 << 2);
      if (ASC_FEATURE_SIMD) {
        let v = f32x4.splat(0);
        for (let m: usize = 0; m < <usize>taps4 << 2; m += 16) {
          v = f32x4.add(v, f32x4.mul(v128.load(src + m), v128.load(w + m)));
        }
        acc = f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
      } else {
        for (let m: usize = 0; m < <usize>taps4 << 2; m += 4) acc += load<f32>(src + m) * load<f32>(w + m);
      }
    } else {
      for (let m = 0; m < taps4; m++) {
        const j = j0 + m;
        if (j >= 0 && j < inLen) acc += load<f32>(base + (<usize>j << 2)) * load<f32>(w + (<usize>m << 2));
      }
    }
    store<f32>(outPtr + (<usize>(n - outStart) << 2), acc);
    n++;
    i0 += stepWhole;
    phase += stepRest;
    if (phase >= outPeriod) {
      i0++;
      phase -= outPeriod;
    }
  }
  if (ASC_FEATURE_SIMD && inState != 0) endStats(inState, statsTop, inSpan, addStats(inState, statsTop, inSpan, inSummed, inEnd - inStart), inEnd - inStart, last);
}

let statsTop: usize = 0; // the inputs' running peak, four lanes

/** Takes up audioStatsSpan's running peak from `state` in four lanes at `top`. */
function startStats(state: usize, top: usize): void {
  v128.store(top, f32x4.splat(<f32>load<f64>(state + 24)));
}

/** Ends a span as audioStatsSpan does: the peak back into `state`, and after the last span the tail and the total. */
function endStats(state: usize, topAt: usize, x: usize, from: i32, n: i32, last: i32): void {
  const acc = v128.load(state);
  const top = v128.load(topAt);
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  let peak = Mathf.max(Mathf.max(f32x4.extract_lane(top, 0), f32x4.extract_lane(top, 1)), Mathf.max(f32x4.extract_lane(top, 2), f32x4.extract_lane(top, 3)));
  if (last != 0) {
    for (let i = from; i < n; i++) {
      const v = load<f32>(x + (<usize>i << 2));
      sum += <f64>(v * v);
      const a = Mathf.abs(v);
      if (a > peak) peak = a;
    }
    store<f64>(state + 16, sum);
  }
  store<f64>(state + 24, <f64>peak);
}

/** Outputs per decimateGroup call. */
const DECIMATE_GROUP: i32 = 8;

/** The four vectors' lane sums, ((l0 + l1) + l2) + l3 each as the one-output loop adds them, in lanes 0-3. */
@inline function laneSums4(v0: v128, v1: v128, v2: v128, v3: v128): v128 {
  const lo01 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
  const lo23 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
  const hi01 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
  const hi23 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
  const l0 = i64x2.shuffle(lo01, lo23, 0, 2);
  const l1 = i64x2.shuffle(lo01, lo23, 1, 3);
  const l2 = i64x2.shuffle(hi01, hi23, 0, 2);
  const l3 = i64x2.shuffle(hi01, hi23, 1, 3);
  return f32x4.add(f32x4.add(f32x4.add(l0, l1), l2), l3);
}

/**
 * DECIMATE_GROUP outputs of a decimation by the whole `factor` (one weight table for every
 * output), output t reading taps4 inputs from src + t * factor on. Each output's sum is
 * the one-output loop's, tap group by tap group into a vector whose lanes are added in
 * lane order at the end; eight of them run side by side on one load of each weight vector.
 */
@inline function decimateGroup(src: usize, factor: i32, weights: usize, taps4: i32, out: usize): void {
  const stride = <usize>factor << 2;
  const x1 = src + stride, x2 = src + 2 * stride, x3 = src + 3 * stride;
  const x4 = src + 4 * stride, x5 = src + 5 * stride, x6 = src + 6 * stride, x7 = src + 7 * stride;
  let v0 = f32x4.splat(0);
  let v1 = f32x4.splat(0);
  let v2 = f32x4.splat(0);
  let v3 = f32x4.splat(0);
  let v4 = f32x4.splat(0);
  let v5 = f32x4.splat(0);
  let v6 = f32x4.splat(0);
  let v7 = f32x4.splat(0);
  for (let m: usize = 0; m < <usize>taps4 << 2; m += 16) {
    const w = v128.load(weights + m);
    v0 = f32x4.add(v0, f32x4.mul(v128.load(src + m), w));
    v1 = f32x4.add(v1, f32x4.mul(v128.load(x1 + m), w));
    v2 = f32x4.add(v2, f32x4.mul(v128.load(x2 + m), w));
    v3 = f32x4.add(v3, f32x4.mul(v128.load(x3 + m), w));
    v4 = f32x4.add(v4, f32x4.mul(v128.load(x4 + m), w));
    v5 = f32x4.add(v5, f32x4.mul(v128.load(x5 + m), w));
    v6 = f32x4.add(v6, f32x4.mul(v128.load(x6 + m), w));
    v7 = f32x4.add(v7, f32x4.mul(v128.load(x7 + m), w));
  }
  v128.store(out, laneSums4(v0, v1, v2, v3));
  v128.store(out, laneSums4(v4, v5, v6, v7), 16);
}

/**
 * The 2 x outPeriod outputs of the input positions at src and src + 4 when upsampling by a
 * whole factor (a multiple of 4, outputs at out and out + outPeriod * 4): the per-sample dot
 * product turned sideways. Lane q of accumulator r sums x[j0 + m] * w_q[m] over m = r,
 * r + 4, ..., as lane r of the per-sample loop does for phase q, and the four accumulators
 * are added in that loop's lane order: the same operations in the same order, so the same
 * bits, without a horizontal sum per sample. Each weight vector is loaded once for both
 * positions.
 */
@inline function upsamplePair(plan: Plan, src: usize, out: usize, outPeriod: i32): void {
  const taps4 = <usize>plan.taps4;
  const next = out + (<usize>outPeriod << 2);
  for (let q = 0; q < outPeriod; q += 4) {
    let w = plan.grouped + ((<usize>q * taps4) << 2);
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    let b0 = f32x4.splat(0);
    let b1 = f32x4.splat(0);
    let b2 = f32x4.splat(0);
    let b3 = f32x4.splat(0);
    for (let m: usize = 0; m < taps4 << 2; m += 16) {
      const w0 = v128.load(w);
      const w1 = v128.load(w + 16);
      const w2 = v128.load(w + 32);
      const w3 = v128.load(w + 48);
      a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(src + m), w0));
      b0 = f32x4.add(b0, f32x4.mul(v128.load32_splat(src + m + 4), w0));
      a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(src + m + 4), w1));
      b1 = f32x4.add(b1, f32x4.mul(v128.load32_splat(src + m + 8), w1));
      a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(src + m + 8), w2));
      b2 = f32x4.add(b2, f32x4.mul(v128.load32_splat(src + m + 12), w2));
      a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(src + m + 12), w3));
      b3 = f32x4.add(b3, f32x4.mul(v128.load32_splat(src + m + 16), w3));
      w += 64;
    }
    v128.store(out + (<usize>q << 2), f32x4.add(f32x4.add(f32x4.add(a0, a1), a2), a3));
    v128.store(next + (<usize>q << 2), f32x4.add(f32x4.add(f32x4.add(b0, b1), b2), b3));
  }
}

/**
 * Four dot products of `bytes` / 4 taps (x_k at sk, weights at wk) into out[0..3], each
 * summed exactly as the one-output loop in resampleSpan sums it, interleaved.
 */
@inline function dot4(s0: usize, w0: usize, s1: usize, w1: usize, s2: usize, w2: usize, s3: usize, w3: usize, bytes: usize, out: usize): void {
  if (ASC_FEATURE_SIMD) {
    let v0 = f32x4.splat(0);
    let v1 = f32x4.splat(0);
    let v2 = f32x4.splat(0);
    let v3 = f32x4.splat(0);
    for (let m: usize = 0; m < bytes; m += 16) {
      v0 = f32x4.add(v0, f32x4.mul(v128.load(s0 + m), v128.load(w0 + m)));
      v1 = f32x4.add(v1, f32x4.mul(v128.load(s1 + m), v128.load(w1 + m)));
      v2 = f32x4.add(v2, f32x4.mul(v128.load(s2 + m), v128.load(w2 + m)));
      v3 = f32x4.add(v3, f32x4.mul(v128.load(s3 + m), v128.load(w3 + m)));
    }
    store<f32>(out, f32x4.extract_lane(v0, 0) + f32x4.extract_lane(v0, 1) + f32x4.extract_lane(v0, 2) + f32x4.extract_lane(v0, 3));
    store<f32>(out + 4, f32x4.extract_lane(v1, 0) + f32x4.extract_lane(v1, 1) + f32x4.extract_lane(v1, 2) + f32x4.extract_lane(v1, 3));
    store<f32>(out + 8, f32x4.extract_lane(v2, 0) + f32x4.extract_lane(v2, 1) + f32x4.extract_lane(v2, 2) + f32x4.extract_lane(v2, 3));
    store<f32>(out + 12, f32x4.extract_lane(v3, 0) + f32x4.extract_lane(v3, 1) + f32x4.extract_lane(v3, 2) + f32x4.extract_lane(v3, 3));
  } else {
    let a0: f32 = 0;
    let a1: f32 = 0;
    let a2: f32 = 0;
    let a3: f32 = 0;
    for (let m: usize = 0; m < bytes; m += 4) {
      a0 += load<f32>(s0 + m) * load<f32>(w0 + m);
      a1 += load<f32>(s1 + m) * load<f32>(w1 + m);
      a2 += load<f32>(s2 + m) * load<f32>(w2 + m);
      a3 += load<f32>(s3 + m) * load<f32>(w3 + m);
    }
    store<f32>(out, a0);
    store<f32>(out + 4, a1);
    store<f32>(out + 8, a2);
    store<f32>(out + 12, a3);
  }
}
