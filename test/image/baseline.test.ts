import { describe, expect, it } from 'vitest';
import { getCore, loadCore } from '../../src/node.js';
import { openWorkspace } from '../../src/image/workspace.js';
import { buildSlotMap } from '../../bench/baseline/image-kernels.js';
import { CODED_BITS, detectAlignedTs, detectAlignedWasm, detectSearchTs, detectSearchWasm, embedImageTs, embedImageWasm, type Seed } from '../../bench/baseline/image-pipeline.js';
import { lcg, texturedImage } from '../support/images.js';

// The plain-TS port (bench/baseline) against the WASM core: a broken kernel on either side fails here.
const W = 300;
const H = 200;
const SEED: Seed = [0x9e3779b9, 0x7f4a7c15];
const rnd = lcg(42);
const coded = Uint8Array.from({ length: CODED_BITS }, () => (rnd() < 0.5 ? 1 : 0));
const image = texturedImage(W, H, 3);

const rms = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
/** Largest |a − b| relative to max(|b|, rms(b)), so near-zero soft bits do not blow up the ratio. */
function relativeError(a: Float32Array, b: Float32Array): number {
  const scale = rms(b);
  return Math.max(...Array.from(b, (x, i) => Math.abs(a[i]! - x) / Math.max(Math.abs(x), scale)));
}

describe.each(['simd', 'scalar'] as const)('plain-TS image kernels vs the %s WASM core', (flavor) => {
  const core = () => (flavor === 'simd' ? getCore() : loadCore('scalar'));

  it('draws the same keyed slot map', async () => {
    const c = await core();
    const ws = openWorkspace(c, image, W, H, { keyed: false, seed: SEED, macKey: null }, W * H);
    const map = buildSlotMap(SEED[0], SEED[1], CODED_BITS);
    expect(Array.from(map.bit)).toEqual(Array.from(c.i32(ws.aux.slotBit, map.bit.length)));
    expect(Array.from(map.sign)).toEqual(Array.from(c.f32(ws.aux.slotSign, map.sign.length)));
  });

  it('marks the same RGBA bytes and reads the same soft bits', async () => {
    const c = await core();
    const wasm = embedImageWasm(c, image, W, H, coded, SEED);
    const ts = embedImageTs(image, W, H, coded, SEED);
    expect(ts.alpha).toBeCloseTo(wasm.alpha, 5);
    let changed = 0;
    let offByOne = 0;
    let worst = 0;
    for (let i = 0; i < ts.rgba.length; i++) {
      const d = Math.abs(ts.rgba[i]! - wasm.rgba[i]!);
      worst = Math.max(worst, d);
      if (d) offByOne++;
      if (wasm.rgba[i] !== image[i]) changed++;
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(offByOne).toBeLessThanOrEqual(ts.rgba.length * 0.001);
    expect(changed).toBeGreaterThan(ts.rgba.length / 10); // the mark really was applied

    const softWasm = detectAlignedWasm(c, wasm.rgba, W, H, SEED);
    const softTs = detectAlignedTs(wasm.rgba, W, H, SEED);
    expect(relativeError(softTs, softWasm)).toBeLessThan(1e-3);
    // ...and they carry the mark (bit 1 is a negative chip); the channel code mends the rest.
    const agree = Array.from(softWasm).filter((s, i) => s < 0 === (coded[i] === 1)).length;
    expect(agree).toBeGreaterThan(CODED_BITS * 0.75);
  });

  it('finds the same alignments in the full search', async () => {
    const c = await core();
    const marked = embedImageWasm(c, image, W, H, coded, SEED).rgba;
    const wasm = detectSearchWasm(c, marked, W, H, SEED);
    const ts = detectSearchTs(marked, W, H, SEED);
    expect(ts.alignments[0]).toMatchObject({ phase: 0, shift: 0, tag: 0 });
    expect(wasm.alignments[0]).toMatchObject({ phase: 0, shift: 0, tag: 0 });
    expect(ts.alignments[0]!.score).toBeCloseTo(wasm.alignments[0]!.score, 2);
    expect(relativeError(ts.soft[0]!, wasm.soft[0]!)).toBeLessThan(1e-3);
  });
});
