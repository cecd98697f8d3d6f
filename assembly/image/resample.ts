// Separable resampling of f32 planes by tap tables the caller computes (src/image/resample.ts):
// output sample i of an axis is Σ_t weights[i·taps + t] · source[clamp(starts[i] + t)].
// The working-size layer uses it to bring luma down to the working size and its ΔY back up.

/** Each row of src (w × h) to dw samples: dst is dw × h. */
export function resampleRows(src: usize, w: i32, h: i32, dst: usize, dw: i32, starts: usize, weights: usize, taps: i32): void {
  for (let y = 0; y < h; y++) {
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
