import { describe, expect, it } from 'vitest';
import { loadCore } from '../../src/node.js';
import { imageKernels } from '../../src/image/kernels.js';
import { lcg } from '../support/images.js';

// The lattice estimate's spectra (assembly/image/sync.ts): the SIMD core's vector loops (mirrored
// power bins, tapers, 4×4 transposes, the flattening division) must give the scalar core's bits.
describe('addPowerSpectra and flattenedAutocorrelation: the SIMD core agrees with the scalar core bit for bit', () => {
  // 150 rows < n reaches the transform's zero-row skip; 197 columns, the scalar tails; windows
  // at odd columns, cell weights that change within a vector.
  it.each([
    [302, 233, 197, 150, 256],
    [64, 40, 64, 40, 64],
    [70, 45, 61, 39, 64],
  ])('%i×%i image, %i×%i windows, n = %i', async (w, h, dw, dh, n) => {
    const run = async (flavor: 'simd' | 'scalar') => {
      const core = await loadCore(flavor);
      const k = imageKernels(core);
      const cells = Math.ceil(w / 4) * Math.ceil(h / 4);
      const planes = [w * h, cells, n * n, n * n, n * n, n * n, n * n, n];
      const base = core.exports.scratch(0, planes.reduce((s, p) => s + p, 0) * 4);
      const [z, weights, power, re, im, tmp, acfIm, acc] = planes.reduce<number[]>((at, _, i) => [...at, i ? at[i - 1]! + planes[i - 1]! * 4 : base], []);
      const rand = lcg(13);
      core.f32(z, w * h).set(Float32Array.from({ length: w * h }, (_, i) => (rand() * 2 - 1) * 4 + Math.sin(i * 0.21)));
      core.f32(weights, cells).set(Float32Array.from({ length: cells }, () => 0.2 + rand()));
      core.f32(power, n * n).fill(0);
      k.addPowerSpectra(z, weights, w, 0, 0, w - dw, h - dh, dw, dh, 3, n, power, re, im, tmp);
      k.addPowerSpectra(z, weights, w, (w - dw) >> 1, (h - dh) >> 1, -1, -1, dw, dh, 3, n, power, re, im, tmp);
      const spectrum = core.f32(power, n * n).slice();
      k.flattenedAutocorrelation(power, n, re, acfIm, tmp, acc);
      return { spectrum, acf: core.f32(re, n * n).slice() };
    };
    const [simd, scalar] = [await run('simd'), await run('scalar')];
    const bits = (v: Float32Array) => Buffer.from(v.buffer);
    expect(simd.spectrum.some((v) => v > 0)).toBe(true);
    expect(bits(simd.spectrum).equals(bits(scalar.spectrum))).toBe(true);
    expect(bits(simd.acf).equals(bits(scalar.acf))).toBe(true);
  });
});
