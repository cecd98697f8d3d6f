import { describe, expect, it } from 'vitest';
import { getCore, loadCore } from '../../src/node.js';
import { imageKernels } from '../../src/image/kernels.js';
import { lcg } from '../support/images.js';

// applyMarkOver against its formulas written out in f32 steps, pixel for pixel: the SIMD
// core's vector body (four pixels a step) and the scalar formula of its tail and of the scalar core.
const TILE = 128;
const f = Math.fround;
const CHROMA_RG = f(-0.114 / 0.886);
const clampByte = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/** Round half to even, as WASM's f32 nearest. */
function nearest(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

interface Inputs {
  w: number;
  h: number;
  pix: Uint8Array;
  tile: Float32Array;
  mask: Float32Array;
  extra: Float32Array;
  alpha: number;
  chromaGain: number;
  headroom: number;
}

function expected({ w, h, pix, tile, mask, extra, alpha, chromaGain, headroom }: Inputs, vectorWidth: number): Uint8Array {
  const out = pix.slice();
  const cw = Math.ceil(w / 4);
  const cells = cw * Math.ceil(h / 4);
  const a = f(alpha);
  const gain = f(chromaGain);
  const perRoom = f(1 / f(headroom));
  const rgScale = f(1 / -CHROMA_RG);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const t = (y % TILE) * TILE + (x % TILE);
      const c = (y >> 2) * cw + (x >> 2);
      const ex = extra[y * w + x];
      const p = (y * w + x) * 4;
      const [r, g, b] = [pix[p], pix[p + 1], pix[p + 2]];
      const rgRoom = Math.min(Math.min(r, 255 - r), Math.min(g, 255 - g));
      const ease = Math.min(Math.max(f(Math.min(Math.min(b, 255 - b), f(rgRoom * rgScale)) * perRoom), 0), 1);
      let add: number[];
      if (x < vectorWidth) {
        const d = f(f(f(f(a * mask[c]) * tile[t]) + f(f(a * mask[cells + c]) * tile[TILE * TILE + t])) + ex);
        const cb = gain > 0 ? f(f(ex * ease) * gain) : 0;
        const crg = f(cb * CHROMA_RG);
        add = gain > 0 ? [f(d + crg), f(d + crg), f(d + cb)] : [d, d, d];
        for (let k = 0; k < 3; k++) out[p + k] = clampByte(nearest(f(pix[p + k] + add[k])));
      } else {
        const d = f(f(a * f(f(mask[c] * tile[t]) + f(mask[cells + c] * tile[TILE * TILE + t]))) + ex);
        const cb = gain > 0 ? f(f(gain * ex) * ease) : 0;
        const crg = f(CHROMA_RG * cb);
        for (let k = 0; k < 3; k++) out[p + k] = clampByte(nearest(f(f(pix[p + k] + d) + (k === 2 ? cb : crg))));
      }
    }
  }
  return out;
}

describe.each(['simd', 'scalar'] as const)('applyMarkOver on the %s core', (flavor) => {
  const core = () => (flavor === 'simd' ? getCore() : loadCore('scalar'));

  // Widths with and without a tail after the last group of four; pixels near 0 and 255 reach the
  // clamp and the chroma ease; half-level sums reach round-half-to-even.
  it.each([
    [256, 131, 0.9, 4],
    [203, 77, 1.7, 4],
    [130, 9, 1.1, 0],
  ])('%i×%i, alpha %f, chroma gain %f: the formulas, pixel for pixel', async (w, h, alpha, chromaGain) => {
    const c = await core();
    const k = imageKernels(c);
    const n = w * h;
    const cells = Math.ceil(w / 4) * Math.ceil(h / 4);
    const rand = lcg(w + h);
    const pix = Uint8Array.from({ length: n * 4 }, (_, i) => {
      const v = rand();
      return i % 4 === 3 ? Math.floor(v * 256) : v < 0.15 ? Math.floor(v * 40) : v > 0.85 ? 255 - Math.floor((1 - v) * 40) : Math.floor(v * 256);
    });
    const inputs: Inputs = {
      w,
      h,
      pix,
      tile: Float32Array.from({ length: 2 * TILE * TILE }, () => (rand() * 2 - 1) * 2),
      mask: Float32Array.from({ length: 2 * cells }, () => rand() * 3),
      extra: Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0.5 : (rand() * 2 - 1) * 3)),
      alpha,
      chromaGain,
      headroom: 48,
    };
    const at = c.exports.scratch(0, n * 4 + (inputs.tile.length + inputs.mask.length + n) * 4);
    const [tile, mask] = [at + n * 4, at + n * 4 + inputs.tile.length * 4];
    const extra = mask + inputs.mask.length * 4;
    c.u8(at, n * 4).set(pix);
    c.f32(tile, inputs.tile.length).set(inputs.tile);
    c.f32(mask, inputs.mask.length).set(inputs.mask);
    c.f32(extra, n).set(inputs.extra);
    const sse = k.applyMarkOver(at, w, h, tile, mask, alpha, extra, chromaGain, inputs.headroom);
    const want = expected(inputs, flavor === 'simd' ? w - (w % 4) : 0);
    const got = c.u8(at, n * 4);
    let wrong = 0;
    let changed = 0;
    let wantSse = 0;
    for (let i = 0; i < n * 4; i++) {
      if (got[i] !== want[i]) wrong++;
      if (want[i] !== pix[i]) changed++;
      wantSse += (want[i] - pix[i]) ** 2;
    }
    expect(changed).toBeGreaterThan(n / 2);
    expect(wrong).toBe(0);
    expect(sse).toBe(wantSse);
  });
});
