import { describe, expect, it } from 'vitest';
import { fft } from '../../src/explicit/fft.js';

/** The discrete Fourier transform by its definition, for reference. */
function dft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n), outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * k * t) / n;
      outRe[k] += re[t] * Math.cos(a) - im[t] * Math.sin(a);
      outIm[k] += re[t] * Math.sin(a) + im[t] * Math.cos(a);
    }
  }
  return [outRe, outIm];
}

describe('fft (the rhythm detector’s transform)', () => {
  it('matches the DFT at every size it plans, and again on a second call of the same size', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5;
    for (const n of [1, 2, 8, 64, 256, 64]) {
      const re = Float64Array.from({ length: n }, rnd), im = Float64Array.from({ length: n }, rnd);
      const [wantRe, wantIm] = dft(re, im);
      fft(re, im);
      for (let k = 0; k < n; k++) {
        expect(re[k]).toBeCloseTo(wantRe[k], 9);
        expect(im[k]).toBeCloseTo(wantIm[k], 9);
      }
    }
  });
});
