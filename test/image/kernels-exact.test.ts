import { describe, expect, it } from 'vitest';
import { getCore, loadCore } from '../../src/node.js';
import { imageKernels } from '../../src/image/kernels.js';
import { PHASE_STEP, SCORE_BITS, WHITEN } from '../../src/image/tuning.js';
import { CODED_BITS } from '../../src/image/workspace.js';
import { axisTaps } from '../../src/image/resample.js';
import { foldTiles, orientCoefficients, rangeResidual } from '../../bench/baseline/image-kernels.js';
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

  // The row pass streams into a ring of 2r+1 rows: images taller than it, and shorter (the ring
  // is then the whole image); odd widths reach eight, four and one pixel per step.
  it.each([
    [101, 37, WHITEN.hostRadius, WHITEN.hostStep],
    [64, 23, 6, 2],
    [45, 10, 4, 3],
    [50, 5, WHITEN.hostRadius, WHITEN.hostStep],
  ])('rangeResidual, %i×%i, radius %i, step %i', async (w, h, radius, step) => {
    const c = await core();
    const n = w * h;
    const base = c.exports.scratch(0, 4 * n * 4);
    const [y, out, sums, counts] = [0, 1, 2, 3].map((i) => base + i * n * 4);
    const rand = lcg(17);
    // Two flat panels with noise a tent's width: weights of 0, 1 and between all occur.
    const plane = Float32Array.from({ length: n }, (_, i) => (i % w < w / 2 ? 40 : 200) + rand() * 24);
    c.f32(y, n).set(plane);
    imageKernels(c).rangeResidual(y, w, h, out, sums, counts, radius, step, WHITEN.hostTau);
    const want = rangeResidual(plane, w, h, radius, step, WHITEN.hostTau);
    expect(Array.from(want).some((v) => v !== 0)).toBe(true);
    expect(bits(c.f32(out, n)).equals(bits(want))).toBe(true);
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

describe('searchAlignment and refineAlignments: the SIMD core agrees with the scalar core bit for bit', () => {
  // The SIMD search scores four shifts per vector from precomputed chip offsets, and sums
  // four phases' energies at once; the scalar core scores one alignment at a time.
  it('keeps the same alignments with the same scores over all 8 orientations', async () => {
    const keep = 24;
    const run = async (flavor: 'simd' | 'scalar') => {
      const c = await loadCore(flavor);
      const k = imageKernels(c);
      const slots = 256 * 5;
      const sizes = [TABLE, TABLE, slots, slots, slots, slots, 512, keep * 4];
      const base = c.exports.scratch(0, sizes.reduce((s, n) => s + n, 0) * 4);
      const [own, coefs, slotBit, slotSign, perm, list, soft, best] = sizes.reduce<number[]>((at, _, i) => [...at, i ? at[i - 1]! + sizes[i - 1]! * 4 : base], []);
      k.buildSlotMap(0x1234, 0x5678, CODED_BITS, slotBit, slotSign, perm);
      const rand = lcg(21);
      c.f32(own, TABLE).set(Float32Array.from({ length: TABLE }, () => rand() * 2 - 1));
      k.resetAlignments(best, keep);
      for (let orient = 0; orient < 8; orient++) {
        k.orientCoefficients(own, coefs, orient);
        k.searchAlignment(coefs, slotBit, slotSign, CODED_BITS, soft, best, keep, PHASE_STEP, orient, SCORE_BITS, list);
      }
      const searched = c.f32(best, keep * 4).slice();
      for (let orient = 0; orient < 8; orient++) {
        k.orientCoefficients(own, coefs, orient);
        k.refineAlignments(coefs, slotBit, slotSign, CODED_BITS, soft, best, keep, orient, list);
      }
      return { searched, refined: c.f32(best, keep * 4).slice() };
    };
    const [simd, scalar] = [await run('simd'), await run('scalar')];
    expect(simd.searched.filter((_, i) => i % 4 === 0).every((score) => score > 0)).toBe(true);
    expect(bits(simd.searched).equals(bits(scalar.searched))).toBe(true);
    expect(bits(simd.refined).equals(bits(scalar.refined))).toBe(true);
  });
});

describe('resampleRows: the SIMD core agrees with the scalar core bit for bit', () => {
  // Four rows at a time over interleaved columns: down and up, edges clamped, widths and
  // heights that leave scalar tails.
  it.each([
    [301, 23, 97],
    [130, 9, 517],
    [64, 4, 61],
  ])('%i×%i rows to %i samples', async (w, h, dw) => {
    const taps = axisTaps(w, dw);
    const run = async (flavor: 'simd' | 'scalar') => {
      const c = await loadCore(flavor);
      const sizes = [w * h, dw * h, dw, taps.weights.length];
      const base = c.exports.scratch(0, sizes.reduce((s, n) => s + n, 0) * 4);
      const [src, dst, starts, weights] = sizes.reduce<number[]>((at, _, i) => [...at, i ? at[i - 1]! + sizes[i - 1]! * 4 : base], []);
      const rand = lcg(23);
      c.f32(src, w * h).set(Float32Array.from({ length: w * h }, () => rand() * 255));
      c.i32(starts, dw).set(taps.start);
      c.f32(weights, taps.weights.length).set(taps.weights);
      imageKernels(c).resampleRows(src, w, h, dst, dw, starts, weights, taps.count);
      return c.f32(dst, dw * h).slice();
    };
    const [simd, scalar] = [await run('simd'), await run('scalar')];
    expect(simd.some((v) => v > 0)).toBe(true);
    expect(bits(simd).equals(bits(scalar))).toBe(true);
  });
});
