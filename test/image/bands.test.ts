import { describe, expect, it } from 'vitest';
import { getCore, loadCore } from '../../src/node.js';
import { BAND_ROWS, forEachBand } from '../../src/image/bands.js';
import { imageKernels } from '../../src/image/kernels.js';
import { axisTaps } from '../../src/image/resample.js';
import { resizePlaneInCore } from '../../src/image/resample-core.js';
import { openLumaWorkspace } from '../../src/image/workspace.js';
import { PUBLIC_KEY } from '../../src/payload/key.js';
import { SLOT } from '../../src/wasm/slots.js';
import { lcg } from '../support/images.js';

// Whole-image passes run as calls over bands of rows (src/image/bands.ts); the result must be
// the one whole-image call's, bit for bit.
const bits = (v: Float32Array | Uint8Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

describe.each(['simd', 'scalar'] as const)('banded passes on the %s core equal one whole-image call', (flavor) => {
  const core = () => (flavor === 'simd' ? getCore() : loadCore('scalar'));

  it('forEachBand covers every row once, in order', () => {
    const seen: number[] = [];
    forEachBand(2 * BAND_ROWS + 5, (first, end) => {
      for (let y = first; y < end; y++) seen.push(y);
    });
    expect(seen).toEqual(Array.from({ length: 2 * BAND_ROWS + 5 }, (_, y) => y));
  });

  // Odd sizes: bands that end mid-cell and mid-tile, a width with a scalar tail.
  it('applyMarkRows over bands of 37 rows: the same pixels and squared change as applyMarkOver', async () => {
    const c = await core();
    const k = imageKernels(c);
    const [w, h] = [203, 301];
    const n = w * h;
    const cells = Math.ceil(w / 4) * Math.ceil(h / 4);
    const rand = lcg(11);
    const pixels = Uint8Array.from({ length: n * 4 }, (_, i) => (i % 4 === 3 ? 255 : Math.floor(rand() * 256)));
    const tileValues = Float32Array.from({ length: 2 * 128 * 128 }, () => rand() * 2 - 1);
    const maskValues = Float32Array.from({ length: 2 * cells }, () => rand() * 3);
    const extraValues = Float32Array.from({ length: n }, () => rand() * 4 - 2);
    const base = c.exports.scratch(0, n * 4 * 2 + tileValues.length * 4 + maskValues.length * 4 + n * 4);
    const [whole, banded] = [base, base + n * 4];
    const tile = base + 2 * n * 4;
    const mask = tile + tileValues.length * 4;
    const extra = mask + maskValues.length * 4;
    c.f32(tile, tileValues.length).set(tileValues);
    c.f32(mask, maskValues.length).set(maskValues);
    c.f32(extra, n).set(extraValues);
    c.u8(whole, n * 4).set(pixels);
    c.u8(banded, n * 4).set(pixels);
    const sse = k.applyMarkOver(whole, w, h, tile, mask, 1.3, extra, 0.7, 12);
    let bandedSse = 0;
    for (let first = 0; first < h; first += 37) bandedSse += k.applyMarkRows(banded, w, h, tile, mask, 1.3, extra, 0.7, 12, first, Math.min(h, first + 37));
    expect(bits(c.u8(whole, n * 4)).equals(bits(pixels))).toBe(false);
    expect(bits(c.u8(banded, n * 4)).equals(bits(c.u8(whole, n * 4)))).toBe(true);
    expect(bandedSse).toBe(sse);
  });

  it.each([
    [300, 200, 90, 61],
    [131, 150, 500, 403],
  ])('resizePlaneInCore %i×%i → %i×%i: the whole-plane kernel calls, bit for bit', async (w, h, dw, dh) => {
    const c = await core();
    const k = imageKernels(c);
    const plane = Float32Array.from({ length: w * h }, (_, i) => 60 * Math.sin(i * 0.37) + (i % w));
    const ws = openLumaWorkspace(c, plane, w, h, PUBLIC_KEY, 1e8);
    const tmp = c.exports.scratch(SLOT.imagePlaneB, Math.max(dw, w) * Math.max(dh, h) * 4);
    const dst = c.exports.scratch(SLOT.imagePlaneC, dw * dh * 4);
    resizePlaneInCore(ws, ws.y, w, h, tmp, dst, dw, dh);
    const got = c.f32(dst, dw * dh).slice();
    // The same passes in one call each, taps laid out as resizePlaneInCore lays them out.
    const across = axisTaps(w, dw);
    const down = axisTaps(h, dh);
    const at = c.exports.scratch(SLOT.imageTaps, (across.start.length + across.weights.length + down.start.length + down.weights.length) * 4);
    const [rowStarts, rowWeights, colStarts] = [at, at + across.start.length * 4, at + (across.start.length + across.weights.length) * 4];
    const colWeights = colStarts + down.start.length * 4;
    c.i32(rowStarts, across.start.length).set(across.start);
    c.f32(rowWeights, across.weights.length).set(across.weights);
    c.i32(colStarts, down.start.length).set(down.start);
    c.f32(colWeights, down.weights.length).set(down.weights);
    if (dw * dh < w * h) {
      k.resampleColumns(ws.y, w, h, tmp, dh, colStarts, colWeights, down.count);
      k.resampleRows(tmp, w, dh, dst, dw, rowStarts, rowWeights, across.count);
    } else {
      k.resampleRows(ws.y, w, h, tmp, dw, rowStarts, rowWeights, across.count);
      k.resampleColumns(tmp, dw, h, dst, dh, colStarts, colWeights, down.count);
    }
    expect(bits(got).equals(bits(c.f32(dst, dw * dh)))).toBe(true);
  });
});
