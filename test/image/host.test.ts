import { describe, expect, it } from 'vitest';
import { getCore, loadCore } from '../../src/node.js';
import { imageKernels } from '../../src/image/kernels.js';
import { WHITEN } from '../../src/image/tuning.js';
import { SLOT } from '../../src/wasm/slots.js';

// The detector's host removal (assembly/image/host.ts): a 2-level mark beside a 200-level
// edge must come through, where a box mean would bury it under the edge's leak.
const W = 96;
const H = 64;
const EDGE = 48;
const mark = (x: number, y: number) => 2 * Math.sin((2 * Math.PI * x) / 16) * Math.cos((2 * Math.PI * y) / 16);

describe.each(['simd', 'scalar'] as const)('rangeResidual (%s core)', (flavor) => {
  it('keeps a weak mark on both sides of a strong edge and leaves no edge leak', async () => {
    const core = flavor === 'simd' ? await getCore() : await loadCore('scalar');
    const k = imageKernels(core);
    const n = W * H;
    const e = core.exports;
    const y = e.scratch(SLOT.imagePlaneY, n * 4);
    const out = e.scratch(SLOT.imagePlaneD, n * 4);
    const plane = core.f32(y, n);
    for (let py = 0; py < H; py++) for (let px = 0; px < W; px++) plane[py * W + px] = (px < EDGE ? 30 : 230) + mark(px, py);
    k.rangeResidual(y, W, H, out, e.scratch(SLOT.imagePlaneA, n * 4), e.scratch(SLOT.imagePlaneB, n * 4), WHITEN.hostRadius, WHITEN.hostStep, WHITEN.hostTau);
    const residual = core.f32(out, n);
    let worstNearEdge = 0;
    let dot = 0;
    let markEnergy = 0;
    let residualEnergy = 0;
    for (let py = 0; py < H; py++) {
      for (let px = 0; px < W; px++) {
        const r = residual[py * W + px]!;
        if (Math.abs(px - EDGE) <= 4) worstNearEdge = Math.max(worstNearEdge, Math.abs(r));
        dot += r * mark(px, py);
        markEnergy += mark(px, py) ** 2;
        residualEnergy += r * r;
      }
    }
    expect(worstNearEdge).toBeLessThan(4); // a 9×9 box mean would leave up to ~90 here
    const correlation = dot / Math.sqrt(markEnergy * residualEnergy);
    expect(correlation).toBeGreaterThan(0.9);
  });
});

describe('rangeResidual: the SIMD core agrees with the scalar core bit for bit', () => {
  // Odd sizes reach every path: eight pixels at a time, four, the scalar tail, and the edge rows.
  it.each([
    [101, 37, WHITEN.hostRadius, WHITEN.hostStep],
    [64, 23, 6, 2],
  ])('%i×%i, radius %i, step %i', async (w, h, radius, step) => {
    const run = async (flavor: 'simd' | 'scalar') => {
      const core = await loadCore(flavor);
      const e = core.exports;
      const n = w * h;
      const y = e.scratch(SLOT.imagePlaneY, n * 4);
      const out = e.scratch(SLOT.imagePlaneD, n * 4);
      const plane = core.f32(y, n);
      let seed = 7;
      for (let i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        plane[i] = ((i % w) < w / 2 ? 40 : 200) + (seed >>> 24) / 8;
      }
      imageKernels(core).rangeResidual(y, w, h, out, e.scratch(SLOT.imagePlaneA, n * 4), e.scratch(SLOT.imagePlaneB, n * 4), radius, step, WHITEN.hostTau);
      return core.f32(out, n).slice();
    };
    const [simd, scalar] = [await run('simd'), await run('scalar')];
    expect(Array.from(simd).some((v) => v !== 0)).toBe(true);
    expect(Buffer.from(simd.buffer).equals(Buffer.from(scalar.buffer))).toBe(true);
  });
});
