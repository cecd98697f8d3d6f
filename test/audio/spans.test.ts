import { describe, expect, it } from 'vitest';
import { arraySource } from '../../src/audio/channels.js';
import { audioKernels } from '../../src/audio/kernels.js';
import { readAtInternalRate, SpanStats } from '../../src/audio/spans.js';
import { cutoff } from '../../src/audio/frames.js';
import { INTERNAL_RATE } from '../../src/audio/params.js';
import { loadCore, type Core } from '../../src/wasm/core.js';
import { SLOT } from '../../src/wasm/slots.js';
import '../../src/wasm/node-source.js';

/** A loud, busy signal: two swept tones and deterministic noise. */
function signal(n: number): Float32Array {
  let s = 11;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  return Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(i * 0.01 + 3 * Math.sin(i * 0.0013)) + 0.3 * Math.sin(i * 0.37) + 0.2 * rand());
}

/** Where two signals first differ in any bit (-1: nowhere), so a failure reports one index instead of diffing arrays. */
const firstDifference = (a: Float32Array, b: Float32Array) => {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  if (x.length !== y.length) return 0;
  return x.findIndex((v, i) => v !== y[i]);
};
const wholeResample = (core: Core, x: Float32Array, from: number, to: number, cutoff: number) => {
  const k = audioKernels(core);
  const len = Math.floor((x.length * to) / from);
  const pIn = k.scratch(SLOT.audioA, x.length * 4);
  const pOut = k.scratch(SLOT.audioB, len * 4);
  core.f32(pIn, x.length).set(x);
  k.resample(pIn, x.length, from, pOut, len, to, cutoff);
  return core.f32(pOut, len).slice();
};

describe.each(['simd', 'scalar'] as const)('spans through the %s core give the whole-signal bits', (flavor) => {
  // Down and up between the common rates and the internal one, the whole-factor upsampling the core does four phases at a time,
  // and the whole-factor decimation (by 2, 4 and 8) it does eight outputs at a time.
  const pairs = [[88200, INTERNAL_RATE], [44100, INTERNAL_RATE], [INTERNAL_RATE, 44100], [48000, INTERNAL_RATE], [INTERNAL_RATE, 48000], [22050, INTERNAL_RATE], [INTERNAL_RATE, 88200], [8000, INTERNAL_RATE], [44100, 10290]];
  it.each(pairs)('resampleSpan %i -> %i over uneven spans equals resample over the whole', async (from, to) => {
    const core = await loadCore(flavor);
    const k = audioKernels(core);
    const x = signal(50_021);
    const cut = cutoff(from, to);
    const want = wholeResample(core, x, from, to, cut);
    const got = new Float32Array(want.length);
    const reach = k.resampleReach(from, to, cut);
    const window = k.scratch(SLOT.audioC, 8000 * 4);
    const out = k.scratch(SLOT.audioD, 4000 * 4);
    for (let start = 0; start < want.length; start += 1237) {
      const count = Math.min(1237, want.length - start);
      // Only the input these outputs read is in memory.
      const first = Math.max(0, Math.floor((start * from) / to) - reach);
      const last = Math.min(x.length, Math.ceil(((start + count) * from) / to) + reach + 1);
      core.f32(window, last - first).set(x.subarray(first, last));
      k.resampleSpan(window, first, x.length, from, out, start, count, to, cut);
      got.set(core.f32(out, count), start);
    }
    expect(want.some((v) => v !== 0)).toBe(true);
    expect(firstDifference(got, want)).toBe(-1);
    // One output per call never takes the four-phases or eight-outputs-at-a-time paths: the plain dot product gives the same bits.
    const single = new Float32Array(3000);
    const head = Math.min(x.length, Math.ceil((single.length * from) / to) + reach + 1);
    const whole = k.scratch(SLOT.audioE, head * 4);
    core.f32(whole, head).set(x.subarray(0, head));
    for (let n = 0; n < single.length; n++) {
      k.resampleSpan(whole, 0, x.length, from, out, n, 1, to, cut);
      single[n] = core.f32(out, 1)[0];
    }
    expect(firstDifference(single, want.subarray(0, single.length))).toBe(-1);
  });

  it('audioStatsSpan over spans gives audioStats of the whole, NaN included', async () => {
    const core = await loadCore(flavor);
    const k = audioKernels(core);
    for (const x of [signal(10_003), signal(4096), signal(10_003).fill(NaN, 7000, 7001)]) {
      const p = k.scratch(SLOT.audioA, x.length * 4 + 64);
      core.f32(p, x.length).set(x);
      const energy = k.audioStats(p, x.length, p + x.length * 4);
      const peak = core.f32(p + x.length * 4, 1)[0];
      const stats = new SpanStats(core, p + x.length * 4 + 16);
      for (let start = 0; start < x.length; start += 1000) stats.add(p + start * 4, Math.min(1000, x.length - start), start + 1000 >= x.length);
      expect(stats.result().energy).toBe(energy);
      if (!Number.isNaN(energy)) expect(Math.fround(stats.result().peak)).toBe(peak);
    }
  });

  it('readAtInternalRate: a 44.1 kHz channel read in spans is the whole channel resampled, with its energy and peak', async () => {
    const core = await loadCore(flavor);
    const k = audioKernels(core);
    const x = signal(200_000); // three spans and a part
    const want = wholeResample(core, x, 44100, INTERNAL_RATE, cutoff(44100, INTERNAL_RATE));
    const pWant = k.scratch(SLOT.audioD, x.length * 4 + 16);
    core.f32(pWant, x.length).set(x);
    const energy = k.audioStats(pWant, x.length, pWant + x.length * 4);
    const into = k.scratch(SLOT.audioB, want.length * 4);
    const stats = new SpanStats(core, k.scratch(SLOT.audioE, SpanStats.BYTES));
    const [got] = readAtInternalRate(core, arraySource([x]), [{ c: 0, into, stats }], 44100);
    expect(firstDifference(core.f32(into, want.length).slice(), want)).toBe(-1);
    expect(got.energy).toBe(energy);
    expect(Math.fround(got.peak)).toBe(core.f32(pWant + x.length * 4, 1)[0]);
  });
});
