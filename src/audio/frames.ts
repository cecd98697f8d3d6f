/** Frame helpers shared by the audio stages: lengths at the internal rate, resampling cut-off, per-frame means. */
import { INTERNAL_RATE, RESAMPLE_CUTOFF_HZ } from './params.js';

export function internalLength(length: number, rate: number): number {
  return rate === INTERNAL_RATE ? length : Math.floor((length * INTERNAL_RATE) / rate);
}

export function cutoff(a: number, b: number): number {
  return Math.min(RESAMPLE_CUTOFF_HZ, 0.47 * Math.min(a, b));
}


/** The mean of each `width`-long row of `x` (of its squares with `squared`): frame energies, frame band levels. */
export function rowMeans(x: ArrayLike<number>, rows: number, width: number, squared: boolean): Float64Array {
  const means = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = r * width; i < (r + 1) * width; i++) s += squared ? x[i] * x[i] : x[i];
    means[r] = s / width;
  }
  return means;
}
