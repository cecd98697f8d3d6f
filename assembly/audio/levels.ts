// Signal levels the embedder decides on: the stereo mix the detector hears and the energy
// of every frame. Each computed in the order and precision the TypeScript engine used
// (f64 sums, sample by sample), so the decisions taken on them do not move by a bit.

/** mix[i] = 0.5 * (l[i] + r[i]) in f64, stored as f32, for i in [0, n). */
export function audioStereoMix(l: usize, r: usize, n: i32, mix: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const half = f64x2.splat(0.5);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const a = v128.load(l + o);
      const b = v128.load(r + o);
      const lo = f64x2.mul(half, f64x2.add(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b)));
      const hi = f64x2.mul(half, f64x2.add(f64x2.promote_low_f32x4(i32x4.shuffle(a, a, 2, 3, 0, 1)), f64x2.promote_low_f32x4(i32x4.shuffle(b, b, 2, 3, 0, 1))));
      v128.store(mix + o, i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(mix + o, <f32>(0.5 * (<f64>load<f32>(l + o) + <f64>load<f32>(r + o))));
  }
}

/** The f64 sum of v * v over `width` f32 from p, in order. */
@inline function sumOfSquares(p: usize, width: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < width; i++) {
    const v = <f64>load<f32>(p + (<usize>i << 2));
    s += v * v;
  }
  return s;
}

/**
 * out[f] (f64) = the mean square of frame f, the `width` f32 from x + f * width, for f in
 * [0, frames): each sum in sample order, four frames at a time so their additions overlap.
 */
export function audioFrameEnergies(x: usize, frames: i32, width: i32, out: usize): void {
  const row = <usize>width << 2;
  const w = <f64>width;
  let f = 0;
  for (; f + 4 <= frames; f += 4) {
    const p = x + <usize>f * row;
    let s0: f64 = 0;
    let s1: f64 = 0;
    let s2: f64 = 0;
    let s3: f64 = 0;
    for (let i: usize = 0; i < row; i += 4) {
      const v0 = <f64>load<f32>(p + i);
      const v1 = <f64>load<f32>(p + row + i);
      const v2 = <f64>load<f32>(p + 2 * row + i);
      const v3 = <f64>load<f32>(p + 3 * row + i);
      s0 += v0 * v0;
      s1 += v1 * v1;
      s2 += v2 * v2;
      s3 += v3 * v3;
    }
    const o = out + (<usize>f << 3);
    store<f64>(o, s0 / w);
    store<f64>(o + 8, s1 / w);
    store<f64>(o + 16, s2 / w);
    store<f64>(o + 24, s3 / w);
  }
  for (; f < frames; f++) store<f64>(out + (<usize>f << 3), sumOfSquares(x + <usize>f * row, width) / w);
}
