import { describe, expect, it } from 'vitest';
import { getCore, loadCore } from '../../src/node.js';
import { imageKernels } from '../../src/image/kernels.js';
import { WHITEN } from '../../src/image/tuning.js';
import { SLOT } from '../../src/wasm/slots.js';

// The detector's whitening (assembly/image/detect.ts, over the box blurs of assembly/filters.ts)
// against a plain transcription of what it computes, one f32 rounding per operation as the
// core does: the fused, SIMD and ring-buffered kernels must not move a single bit.
const f = Math.fround;
const clamp = (i: number, n: number) => (i < 0 ? 0 : i >= n ? n - 1 : i);

/** Box (2r+1)², edges replicated: running sums along x, then along y. */
function boxBlurReference(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const norm = f(1 / (2 * r + 1));
  const tmp = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let sum = 0;
    for (let k = -r; k <= r; k++) sum = f(sum + src[row + clamp(k, w)]!);
    for (let x = 0; x < w; x++) {
      tmp[row + x] = f(sum * norm);
      sum = f(sum + f(src[row + clamp(x + r + 1, w)]! - src[row + clamp(x - r, w)]!));
    }
  }
  const dst = new Float32Array(w * h);
  const acc = new Float32Array(w);
  for (let k = -r; k <= r; k++) for (let x = 0; x < w; x++) acc[x] = f(acc[x]! + tmp[clamp(k, h) * w + x]!);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      dst[y * w + x] = f(acc[x]! * norm);
      acc[x] = f(f(acc[x]! + tmp[clamp(y + r + 1, h) * w + x]!) - tmp[clamp(y - r, h) * w + x]!);
    }
  }
  return dst;
}

/** Mean of (y − blurred)² per 4×4 cell, pixels added row by row. */
function residualEnergyReference(y: Float32Array, blurred: Float32Array, w: number, h: number): Float32Array {
  const cw = Math.ceil(w / 4);
  const energy = new Float32Array(cw * Math.ceil(h / 4));
  for (let py = 0; py < h; py++) {
    for (let px = 0; px < w; px++) {
      const v = f(y[py * w + px]! - blurred[py * w + px]!);
      const c = (py >> 2) * cw + (px >> 2);
      energy[c] = f(energy[c]! + f(v * v));
    }
  }
  return energy.map((e) => f(e * f(1 / 16)));
}

interface WhitenSettings {
  floor: number;
  small: number;
  large: number;
  smoothKnee: number;
  weightBlur: number;
}

function whitenReference(y: Float32Array, w: number, h: number, s: WhitenSettings): { z: Float32Array; weights: Float32Array } {
  const near = boxBlurReference(y, w, h, s.small);
  const far = boxBlurReference(y, w, h, s.large);
  const nearEnergy = residualEnergyReference(y, near, w, h);
  const farEnergy = residualEnergyReference(y, far, w, h);
  const smooth = nearEnergy.map((e, c) => {
    const leak = f(Math.sqrt(Math.max(f(farEnergy[c]! - e), 0)));
    return s.smoothKnee > 0 ? Math.max(0, f(1 - f(leak / s.smoothKnee))) : 0;
  });
  const cw = Math.ceil(w / 4);
  const weights = boxBlurReference(nearEnergy, cw, Math.ceil(h / 4), s.weightBlur).map((e) => f(1 / f(f(Math.sqrt(Math.max(e, 0))) + s.floor)));
  const z = new Float32Array(w * h);
  for (let py = 0; py < h; py++) {
    for (let px = 0; px < w; px++) {
      const i = py * w + px;
      const t = smooth[(py >> 2) * cw + (px >> 2)]!;
      z[i] = f(y[i]! - f(near[i]! + f(t * f(far[i]! - near[i]!))));
    }
  }
  return { z, weights };
}

const TUNED: WhitenSettings = { floor: WHITEN.floor, small: WHITEN.small, large: WHITEN.large, smoothKnee: WHITEN.smoothKnee, weightBlur: WHITEN.weightBlur };

describe.each(['simd', 'scalar'] as const)('whiten (%s core) equals the plain reference bit for bit', (flavor) => {
  // 101×37 reaches every path: four rows at a time, sixteen, four and one pixel per step, clamped ends;
  // 37×13 is shorter than the large blur's ring of rows, 5×3 shorter than any window.
  it.each([
    [101, 37, TUNED],
    [37, 13, TUNED],
    [5, 3, TUNED],
    [96, 70, { floor: 0.5, small: 3, large: 9, smoothKnee: 4, weightBlur: 2 }],
  ])('%i×%i', async (w, h, settings) => {
    const core = flavor === 'simd' ? await getCore() : await loadCore('scalar');
    const k = imageKernels(core);
    const e = core.exports;
    const n = w * h;
    const cellBytes = Math.ceil(w / 4) * Math.ceil(h / 4) * 4;
    const y = e.scratch(SLOT.imagePlaneD, n * 4);
    const z = e.scratch(SLOT.imagePlaneA, n * 4);
    const a = e.scratch(SLOT.imagePlaneB, n * 4);
    const b = e.scratch(SLOT.imagePlaneC, n * 4);
    const weights = e.scratch(SLOT.imageCellsA, 2 * cellBytes);
    const acc = e.scratch(SLOT.imageCellsB, w * 4);
    // A step edge across a noisy ramp: smooth cells, structured cells and noise all occur.
    const plane = new Float32Array(n);
    let seed = 11;
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const px = i % w;
      plane[i] = (px < w / 2 ? 40 : 190) + px * 0.37 + (seed % 4096) / 256;
    }
    core.f32(y, n).set(plane);
    k.whiten(y, w, h, z, a, b, weights, weights + cellBytes, acc, settings.floor, settings.small, settings.large, settings.smoothKnee, settings.weightBlur);
    const expected = whitenReference(plane, w, h, settings);
    expect(Array.from(core.f32(z, n))).toEqual(Array.from(expected.z));
    expect(Array.from(core.f32(weights, cellBytes / 4))).toEqual(Array.from(expected.weights));
  });
});
