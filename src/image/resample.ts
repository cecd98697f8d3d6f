/**
 * Separable resampling of a float plane, for the working-size layer: down to the working
 * size (where the kernel widens by the downscale factor, so detail above the new Nyquist
 * is averaged away instead of aliased into the mark's band) and back up (plain Catmull-Rom).
 * Pixel centres map onto pixel centres, as in sharp and ImageMagick, so a layer computed at
 * one size lands where a platform's resize of the whole image puts it.
 */

/** Catmull-Rom (Keys' cubic, a = −0.5): sharp, without the ringing of Lanczos on a smooth residual. */
function cubic(t: number): number {
  const x = Math.abs(t);
  if (x < 1) return 1.5 * x * x * x - 2.5 * x * x + 1;
  if (x < 2) return -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2;
  return 0;
}

export interface Taps {
  /** First source index of each output sample. */
  start: Int32Array;
  /** Taps per output sample (all rows padded to the same count). */
  count: number;
  weights: Float32Array;
}

/** The weights that take `from` samples to `to` samples along one axis (edges clamped). */
export function axisTaps(from: number, to: number): Taps {
  const scale = to / from;
  const widen = Math.max(1, 1 / scale); // a downscale widens the kernel, an upscale does not
  const support = 2 * widen;
  const count = Math.ceil(2 * support) + 1;
  const start = new Int32Array(to);
  const weights = new Float32Array(to * count);
  for (let i = 0; i < to; i++) {
    const centre = (i + 0.5) / scale - 0.5;
    const first = Math.floor(centre - support) + 1;
    start[i] = first;
    let sum = 0;
    for (let t = 0; t < count; t++) {
      const w = cubic((first + t - centre) / widen);
      weights[i * count + t] = w;
      sum += w;
    }
    for (let t = 0; t < count; t++) weights[i * count + t] /= sum;
  }
  return { start, count, weights };
}

/** `src` (width × height, row-major) resampled to dw × dh. */
export function resizePlane(src: Float32Array, width: number, height: number, dw: number, dh: number): Float32Array {
  // Rows first into a dw × height plane, then columns.
  const across = axisTaps(width, dw);
  const mid = new Float32Array(dw * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < dw; x++) {
      const first = across.start[x];
      const base = x * across.count;
      let sum = 0;
      for (let t = 0; t < across.count; t++) {
        const sx = first + t;
        sum += across.weights[base + t] * src[row + (sx < 0 ? 0 : sx >= width ? width - 1 : sx)];
      }
      mid[y * dw + x] = sum;
    }
  }
  const down = axisTaps(height, dh);
  const out = new Float32Array(dw * dh);
  for (let y = 0; y < dh; y++) {
    const first = down.start[y];
    const base = y * down.count;
    const o = y * dw;
    for (let t = 0; t < down.count; t++) {
      const w = down.weights[base + t];
      if (w === 0) continue;
      const sy = first + t;
      const row = (sy < 0 ? 0 : sy >= height ? height - 1 : sy) * dw;
      for (let x = 0; x < dw; x++) out[o + x] += w * mid[row + x];
    }
  }
  return out;
}
