// Separable resampling of f32 planes by tap tables (axisTaps, the port of src/image/resample.ts):
// output sample i of an axis is Σ_t weights[i·taps + t] · source[clamp(starts[i] + t)].
// The working-size layer uses it to bring luma down to the working size and its ΔY back up.

import { storeTransposed } from '../filters';

// The SIMD row pass's four rows interleaved column by column (16 bytes a column), grown on demand.
let fourRows: usize = 0;
let fourRowsWidth: i32 = 0;

/** Each row of src (w × h) to dw samples: dst is dw × h. */
export function resampleRows(src: usize, w: i32, h: i32, dst: usize, dw: i32, starts: usize, weights: usize, taps: i32): void {
  let y = 0;
  if (ASC_FEATURE_SIMD) {
    if (fourRowsWidth < w) {
      if (fourRows) heap.free(fourRows);
      fourRows = heap.alloc(<usize>w << 4);
      fourRowsWidth = w;
    }
    for (; y + 4 <= h; y += 4) resampleFourRows(src + (<usize>(y * w) << 2), w, dst + (<usize>(y * dw) << 2), dw, starts, weights, taps, fourRows);
  }
  for (; y < h; y++) {
    const row = src + (<usize>(y * w) << 2);
    const out = dst + (<usize>(y * dw) << 2);
    for (let x = 0; x < dw; x++) {
      const first = load<i32>(starts + (<usize>x << 2));
      const wt = weights + (<usize>(x * taps) << 2);
      let sum: f32 = 0;
      if (first >= 0 && first + taps <= w) {
        const s = row + (<usize>first << 2);
        for (let t = 0; t < taps; t++) sum += load<f32>(wt + (<usize>t << 2)) * load<f32>(s + (<usize>t << 2));
      } else {
        for (let t = 0; t < taps; t++) {
          const i = clampIndex(first + t, w);
          sum += load<f32>(wt + (<usize>t << 2)) * load<f32>(row + (<usize>i << 2));
        }
      }
      store<f32>(out + (<usize>x << 2), sum);
    }
  }
}

/**
 * Four rows of resampleRows at once: the rows interleaved into `cols` (one f32x4 per column,
 * lane i from row i), so each tap is one load, one multiply and one add for all four. Each lane
 * takes its row's products in the same order from the same zero, so the sums are the scalar's.
 */
function resampleFourRows(row: usize, w: i32, out: usize, dw: i32, starts: usize, weights: usize, taps: i32, cols: usize): void {
  const stride = <usize>w << 2;
  let x = 0;
  for (; x + 4 <= w; x += 4) {
    const o = row + (<usize>x << 2);
    const c = cols + (<usize>x << 4);
    storeTransposed(v128.load(o), v128.load(o + stride), v128.load(o + 2 * stride), v128.load(o + 3 * stride), c, c + 16, c + 32, c + 48);
  }
  for (; x < w; x++) {
    const o = row + (<usize>x << 2);
    v128.store(cols + (<usize>x << 4), f32x4(load<f32>(o), load<f32>(o + stride), load<f32>(o + 2 * stride), load<f32>(o + 3 * stride)));
  }
  const outStride = <usize>dw << 2;
  let ox = 0;
  for (; ox + 4 <= dw; ox += 4) {
    const o = out + (<usize>ox << 2);
    storeTransposed(
      fourRowSum(cols, w, ox, starts, weights, taps),
      fourRowSum(cols, w, ox + 1, starts, weights, taps),
      fourRowSum(cols, w, ox + 2, starts, weights, taps),
      fourRowSum(cols, w, ox + 3, starts, weights, taps),
      o, o + outStride, o + 2 * outStride, o + 3 * outStride,
    );
  }
  for (; ox < dw; ox++) {
    const v = fourRowSum(cols, w, ox, starts, weights, taps);
    const o = out + (<usize>ox << 2);
    store<f32>(o, f32x4.extract_lane(v, 0));
    store<f32>(o + outStride, f32x4.extract_lane(v, 1));
    store<f32>(o + 2 * outStride, f32x4.extract_lane(v, 2));
    store<f32>(o + 3 * outStride, f32x4.extract_lane(v, 3));
  }
}

/** Output sample x of the four interleaved rows in `cols`. */
@inline function fourRowSum(cols: usize, w: i32, x: i32, starts: usize, weights: usize, taps: i32): v128 {
  const first = load<i32>(starts + (<usize>x << 2));
  const wt = weights + (<usize>(x * taps) << 2);
  let sum = f32x4.splat(0);
  if (first >= 0 && first + taps <= w) {
    const c = cols + (<usize>first << 4);
    for (let t = 0; t < taps; t++) sum = f32x4.add(sum, f32x4.mul(f32x4.splat(load<f32>(wt + (<usize>t << 2))), v128.load(c + (<usize>t << 4))));
  } else {
    for (let t = 0; t < taps; t++) {
      const c = cols + (<usize>clampIndex(first + t, w) << 4);
      sum = f32x4.add(sum, f32x4.mul(f32x4.splat(load<f32>(wt + (<usize>t << 2))), v128.load(c)));
    }
  }
  return sum;
}

/** Each column of src (w × h) to dh samples: dst is w × dh. Whole rows are weighed at once (f32x4). */
export function resampleColumns(src: usize, w: i32, h: i32, dst: usize, dh: i32, starts: usize, weights: usize, taps: i32): void {
  for (let y = 0; y < dh; y++) {
    const out = dst + (<usize>(y * w) << 2);
    memory.fill(out, 0, <usize>w << 2);
    const first = load<i32>(starts + (<usize>y << 2));
    for (let t = 0; t < taps; t++) {
      const weight = load<f32>(weights + (<usize>(y * taps + t) << 2));
      if (weight == 0) continue;
      const row = src + (<usize>(clampIndex(first + t, h) * w) << 2);
      let x = 0;
      if (ASC_FEATURE_SIMD) {
        const wv = f32x4.splat(weight);
        for (; x + 4 <= w; x += 4) {
          const o = out + (<usize>x << 2);
          v128.store(o, f32x4.add(v128.load(o), f32x4.mul(wv, v128.load(row + (<usize>x << 2)))));
        }
      }
      for (; x < w; x++) {
        const o = out + (<usize>x << 2);
        store<f32>(o, load<f32>(o) + weight * load<f32>(row + (<usize>x << 2)));
      }
    }
  }
}

@inline function clampIndex(i: i32, n: i32): i32 {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/** Catmull-Rom (Keys' cubic, a = −0.5), as src/image/resample.ts computes it. */
@inline function cubic(t: f64): f64 {
  const x = Math.abs(t);
  if (x < 1) return 1.5 * x * x * x - 2.5 * x * x + 1;
  if (x < 2) return -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2;
  return 0;
}

/** Taps per output sample of axisTaps(from, to). */
export function axisTapCount(from: i32, to: i32): i32 {
  const widen = Math.max(1, 1 / (<f64>to / <f64>from));
  return <i32>Math.ceil(2 * (2 * widen)) + 1;
}

/**
 * The tap table taking `from` samples to `to` along one axis: axisTaps of src/image/resample.ts,
 * bit for bit (the same double-precision steps, each weight rounded to f32 as its Float32Array
 * does). `starts` gets `to` first indices, `weights` to · axisTapCount(from, to) weights.
 */
export function axisTaps(from: i32, to: i32, starts: usize, weights: usize): void {
  const scale = <f64>to / <f64>from;
  const widen = Math.max(1, 1 / scale); // a downscale widens the kernel, an upscale does not
  const support = 2 * widen;
  const count = <i32>Math.ceil(2 * support) + 1;
  for (let i = 0; i < to; i++) {
    const centre = (<f64>i + 0.5) / scale - 0.5;
    const first = <i32>Math.floor(centre - support) + 1;
    store<i32>(starts + (<usize>i << 2), first);
    const row = weights + (<usize>(i * count) << 2);
    let sum: f64 = 0;
    for (let t = 0; t < count; t++) {
      const w = cubic((<f64>(first + t) - centre) / widen);
      store<f32>(row + (<usize>t << 2), <f32>w);
      sum += w;
    }
    for (let t = 0; t < count; t++) {
      const p = row + (<usize>t << 2);
      store<f32>(p, <f32>(<f64>load<f32>(p) / sum));
    }
  }
}
