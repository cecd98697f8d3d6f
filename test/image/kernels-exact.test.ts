import { describe, expect, it } from 'vitest';
import { getCore, loadCore } from '../../src/node.js';
import { imageKernels } from '../../src/image/kernels.js';
import { WHITEN } from '../../src/image/tuning.js';
import { foldTiles, orientCoefficients } from '../../bench/baseline/image-kernels.js';
import { lcg } from '../support/images.js';

// The detector's vector kernels against the plain-TS port (bench/baseline), bit for bit: a
// faster formulation (vector shuffles, pmin/pmax clips) must not move a single soft bit.
const TILE = 128;
const TABLE = 64 * 256 * 5; // phases × blocks × coefficients
const bits = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

describe.each(['simd', 'scalar'] as const)('detection kernels on the %s core equal the plain-TS port bit for bit', (flavor) => {
  const core = () => (flavor === 'simd' ? getCore() : loadCore('scalar'));

  it('orientCoefficients, all 8 flips and quarter turns', async () => {
    const c = await core();
    const k = imageKernels(c);
    const base = c.exports.scratch(0, 2 * TABLE * 4);
    const own = base;
    const derived = own + TABLE * 4;
    const rand = lcg(5);
    const table = Float32Array.from({ length: TABLE }, () => rand() * 2 - 1);
    c.f32(own, TABLE).set(table);
    for (let orient = 0; orient < 8; orient++) {
      k.orientCoefficients(own, derived, orient);
      const got = c.f32(derived, TABLE);
      expect(bits(got).equals(bits(orientCoefficients(table, orient))), `orientation ${orient}`).toBe(true);
    }
  });

  // Odd widths reach the vector body and the scalar tail; readings past ±clip reach the clip.
  it.each([
    [301, 203],
    [130, 7],
  ])('foldTiles, %i×%i', async (w, h) => {
    const c = await core();
    const k = imageKernels(c);
    const n = w * h;
    const cells = Math.ceil(w / 4) * Math.ceil(h / 4);
    const base = c.exports.scratch(0, (n + cells + TILE * TILE) * 4);
    const z = base;
    const weights = z + n * 4;
    const folded = weights + cells * 4;
    const rand = lcg(9);
    const plane = Float32Array.from({ length: n }, () => (rand() * 2 - 1) * 6);
    const cellWeights = Float32Array.from({ length: cells }, () => rand() * 0.8);
    c.f32(z, n).set(plane);
    c.f32(weights, cells).set(cellWeights);
    k.foldTiles(z, w, h, weights, folded, WHITEN.clip);
    const want = foldTiles(plane, w, h, cellWeights, WHITEN.clip);
    expect(Array.from(want).some((v) => Math.abs(v) > 0)).toBe(true);
    expect(bits(c.f32(folded, TILE * TILE)).equals(bits(want))).toBe(true);
  });
});
