import { describe, expect, it } from 'vitest';
import { getCore, loadCore } from '../../src/node.js';
import { imageKernels } from '../../src/image/kernels.js';
import { axisTaps } from '../../src/image/resample.js';
import { lcg } from '../support/images.js';

// The working-size layer's arithmetic and the resampler's tap tables, made in the core, against
// the TypeScript formulas in double precision rounded to f32 once: bit for bit, on both cores.
const TILE = 128;
const bits = (v: Float32Array | Int32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

describe.each(['simd', 'scalar'] as const)('working-size kernels on the %s core equal the TypeScript formulas', (flavor) => {
  const core = () => (flavor === 'simd' ? getCore() : loadCore('scalar'));

  it.each([
    [1920, 1080],
    [1080, 1920],
    [480, 270],
    [270, 480],
    [300, 200],
    [131, 150],
    [200, 150],
    [500, 400],
    [7, 3],
  ])('axisTaps %i → %i', async (from, to) => {
    const c = await core();
    const k = imageKernels(c);
    const want = axisTaps(from, to);
    expect(k.axisTapCount(from, to)).toBe(want.count);
    const starts = c.exports.scratch(0, to * (1 + want.count) * 4);
    const weights = starts + to * 4;
    k.axisTaps(from, to, starts, weights);
    expect(bits(c.i32(starts, to).slice()).equals(bits(want.start))).toBe(true);
    expect(bits(c.f32(weights, to * want.count).slice()).equals(bits(want.weights))).toBe(true);
  });

  it('markDelta, addScaledPlane and scalePlane', async () => {
    const c = await core();
    const k = imageKernels(c);
    // Odd sizes: the last cell row and column are partial, the tile wraps across the plane.
    const [w, h] = [301, 203];
    const n = w * h;
    const cw = Math.ceil(w / 4);
    const cells = cw * Math.ceil(h / 4);
    const rand = lcg(23);
    const tile = Float32Array.from({ length: 2 * TILE * TILE }, () => rand() * 2 - 1);
    const mask = Float32Array.from({ length: 2 * cells }, () => rand() * 3);
    const host = Float32Array.from({ length: n }, () => rand() * 255);
    const alpha = 0.7316;
    const base = c.exports.scratch(0, (tile.length + mask.length + 3 * n) * 4);
    const [tileAt, maskAt] = [base, base + tile.length * 4];
    const [out, hostAt, mixed] = [0, 1, 2].map((i) => maskAt + mask.length * 4 + i * n * 4);
    c.f32(tileAt, tile.length).set(tile);
    c.f32(maskAt, mask.length).set(mask);
    c.f32(hostAt, n).set(host);

    const delta = new Float32Array(n);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const t = (y % TILE) * TILE + (x % TILE);
        const cell = (y >> 2) * cw + (x >> 2);
        delta[y * w + x] = alpha * (mask[cell] * tile[t] + mask[cells + cell] * tile[TILE * TILE + t]);
      }
    }
    k.markDelta(w, h, tileAt, maskAt, alpha, out);
    expect(bits(c.f32(out, n).slice()).equals(bits(delta))).toBe(true);

    const gain = 1.37;
    k.addScaledPlane(mixed, hostAt, out, gain, n);
    expect(bits(c.f32(mixed, n).slice()).equals(bits(host.map((v, i) => v + gain * delta[i])))).toBe(true);

    k.scalePlane(out, n, gain);
    expect(bits(c.f32(out, n).slice()).equals(bits(delta.map((v) => v * gain)))).toBe(true);
  });
});
