// The audio kernels that took over loops the TypeScript engine ran: each gives exactly the
// numbers of the TypeScript it replaced (kept here as the reference), on both WASM cores,
// so a file marks to the same bytes whichever runs.
import { describe, expect, it } from 'vitest';
import { arraySink, arraySource } from '../../src/audio/channels.js';
import { cutoff, rowMeans } from '../../src/audio/frames.js';
import { audioKernels } from '../../src/audio/kernels.js';
import { limitChannels } from '../../src/audio/limiter.js';
import { CEILING, FRAME, INTERNAL_RATE } from '../../src/audio/params.js';
import { createWav, pcm16WavInfo, readWavHeader, wavSource } from '../../src/audio/wav.js';
import '../../src/wasm/node-source.js';
import { loadCore, type Core } from '../../src/wasm/core.js';
import { SLOT } from '../../src/wasm/slots.js';

const flavors = ['simd', 'scalar'] as const;

/** Samples that probe every rounding rule: ties, near-ties, full scale and past it, NaN and infinities, plain noise. */
function awkwardSamples(): Float32Array {
  const values: number[] = [0, -0, 1, -1, 1.5, -1.5, 2, 0.99999, -1.00001, Infinity, -Infinity, NaN, 32767 / 32768, -32768 / 32768];
  for (let k = -40; k <= 40; k++) values.push((k + 0.5) / 32768, Math.fround((k + 0.49999) / 32768), Math.fround((k + 0.50001) / 32768));
  for (let k = 0; k < 3001; k++) values.push(Math.fround(Math.sin(k * 1.37) * 1.02));
  return Float32Array.from(values);
}

/** A stereo clip near full scale with a mark-sized change per channel. */
function loudStereo(n: number): { x: Float32Array[]; d: Float32Array[] } {
  let s = 11;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const x = [new Float32Array(n), new Float32Array(n)];
  const d = [new Float32Array(n), new Float32Array(n)];
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2; c++) {
      const v = 0.6 * Math.sin(i * (0.031 + c * 0.007)) + 0.35 * Math.sin(i * 0.113) + 0.08 * rand();
      x[c][i] = Math.max(-CEILING, Math.min(CEILING, v));
      d[c][i] = 0.02 * rand();
    }
  }
  return { x, d };
}

/** The marked 16-bit WAV bytes of `channels` written span by span through the core (or, without it, in TypeScript). */
function writeThrough(core: Core | undefined, channels: Float32Array[], span: number): Uint8Array {
  const n = channels[0].length;
  const out = createWav(pcm16WavInfo(channels.length, 44100), channels.length, n, core);
  const k = core && audioKernels(core);
  const ptr = k ? k.scratch(SLOT.audioA, span * 4) : 0;
  for (let start = 0; start < n; start += span) {
    for (let c = 0; c < channels.length; c++) {
      const part = channels[c].subarray(start, Math.min(n, start + span));
      const from = core ? core.f32(ptr, part.length) : part;
      if (core) from.set(part);
      out.write(c, start, from);
    }
  }
  return out.bytes;
}

describe.each(flavors)('audio kernels that replaced TypeScript loops (%s core)', (flavor) => {
  it('pcm16Write writes the bytes the TypeScript encoder writes (mono, stereo, three channels; odd span lengths)', async () => {
    const core = await loadCore(flavor);
    const a = awkwardSamples();
    const b = a.map((v, i) => a[(i * 7) % a.length] * 0.9);
    const c = a.map((v) => -v);
    for (const channels of [[a], [a, b], [a, b, c]]) {
      expect(writeThrough(core, channels, 1001)).toEqual(writeThrough(undefined, channels, 1001));
    }
  });

  it('pcm16Read reads the samples the TypeScript decoder reads (mono, stereo, three channels)', async () => {
    const core = await loadCore(flavor);
    const a = awkwardSamples();
    for (const count of [1, 2, 3]) {
      const bytes = writeThrough(undefined, Array.from({ length: count }, (_, c) => a.map((v, i) => a[(i * (c + 3)) % a.length])), 999);
      const header = readWavHeader(bytes);
      const plain = wavSource(header);
      const inCore = wavSource(header, core);
      const ptr = audioKernels(core).scratch(SLOT.audioA, 1003 * 4);
      const ranges = [[0, 1003], [17, 1001], [header.frames - 5, 5]];
      // Channel by channel, and span by span with every channel of a span in turn (the later channels from the frames already copied in).
      const orders = [ranges.flatMap((r) => Array.from({ length: count }, (_, c) => [c, ...r])).sort((a, b) => a[0] - b[0]), ranges.flatMap((r) => Array.from({ length: count }, (_, c) => [c, ...r]))];
      for (const order of orders) {
        for (const [c, start, length] of order) {
          const want = new Float32Array(length);
          plain.read(c, start, want);
          inCore.read(c, start, core.f32(ptr, length));
          expect(core.f32(ptr, length)).toEqual(want);
        }
      }
    }
  });

  it('audioStereoMix and audioFrameEnergies give the TypeScript mix and frame means exactly', async () => {
    const core = await loadCore(flavor);
    const k = audioKernels(core);
    const n = FRAME * 37 + 13;
    const a = awkwardSamples().filter((v) => Number.isFinite(v));
    const l = Float32Array.from({ length: n }, (_, i) => a[i % a.length] * (1 + (i % 3) * 1e-3));
    const r = l.map((v, i) => l[(i * 5) % n] * 0.7);
    const p = k.scratch(SLOT.audioB, n * 12);
    core.f32(p, n).set(l);
    core.f32(p + n * 4, n).set(r);
    k.audioStereoMix(p, p + n * 4, n, p + n * 8);
    const mix = new Float32Array(n);
    for (let i = 0; i < n; i++) mix[i] = 0.5 * (l[i] + r[i]);
    expect(core.f32(p + n * 8, n)).toEqual(mix);
    const frames = Math.floor(n / FRAME);
    const out = k.scratch(SLOT.audioD, frames * 8);
    k.audioFrameEnergies(p + n * 8, frames, FRAME, out);
    expect(new Float64Array(core.exports.memory.buffer, out, frames)).toEqual(rowMeans(mix, frames, FRAME, true));
  });
});

describe.each(flavors)('resampleSpanInputStats (%s core)', (flavor) => {
  it.each([[44100, INTERNAL_RATE], [48000, INTERNAL_RATE], [22050, INTERNAL_RATE]])('%i -> %i: the outputs, and the sums of audioStatsSpan over each span of input', async (from, to) => {
    const core = await loadCore(flavor);
    const k = audioKernels(core);
    const x = loudStereo(70_001).x[1];
    const n = x.length;
    const outLen = Math.floor((n * to) / from);
    const cut = cutoff(from, to);
    const reach = k.resampleReach(from, to, cut) + 1;
    const span = 16_384;
    const window = k.scratch(SLOT.audioA, (span + 2 * reach) * 4);
    const pOut = k.scratch(SLOT.audioB, outLen * 4);
    const states = k.scratch(SLOT.audioE, 64);
    core.u8(states, 64).fill(0);
    const run = (fused: boolean) => {
      for (let start = 0; start < n; start += span) {
        const end = Math.min(n, start + span);
        const first = Math.max(0, start - reach);
        core.f32(window, Math.min(n, end + reach) - first).set(x.subarray(first, Math.min(n, end + reach)));
        const o0 = Math.ceil((start * to) / from);
        const o1 = end === n ? outLen : Math.min(outLen, Math.ceil((end * to) / from));
        const last = end === n ? 1 : 0;
        if (fused) k.resampleSpanInputStats(window, first, n, from, pOut + o0 * 4, o0, o1 - o0, to, cut, states + 32, start, end, last);
        else {
          k.audioStatsSpan(window + (start - first) * 4, end - start, states, last);
          k.resampleSpan(window, first, n, from, pOut + o0 * 4, o0, o1 - o0, to, cut);
        }
      }
      const v = new DataView(core.exports.memory.buffer, states + (fused ? 32 : 0), 32);
      return { out: core.f32(pOut, outLen).slice(), energy: v.getFloat64(16, true), peak: v.getFloat64(24, true) };
    };
    const plain = run(false);
    const fused = run(true);
    expect(plain.energy).toBeGreaterThan(0);
    expect(fused.energy).toBe(plain.energy);
    expect(fused.peak).toBe(plain.peak);
    expect(fused.out).toEqual(plain.out);
  });
});

describe('the limiter on both cores', () => {
  it('limits a loud stereo clip to the same bits with the vector fast path as without it', async () => {
    const { x, d } = loudStereo(150_000);
    const results = [];
    for (const flavor of flavors) {
      const core = await loadCore(flavor);
      const ptr = audioKernels(core).scratch(SLOT.audioC, x[0].length * 8);
      d.forEach((dc, c) => core.f32(ptr + c * x[0].length * 4, dc.length).set(dc));
      const out = arraySink(2, x[0].length);
      const changes = [0, 1].map((c) => (first: number) => ptr + (c * x[0].length + first) * 4);
      const change = limitChannels(core, arraySource(x), changes, CEILING, 1.6, out.write);
      results.push({ marked: out.channels, change });
    }
    expect(results[0].marked).toEqual(results[1].marked);
    expect(results[0].change).toBe(results[1].change);
    let limited = 0;
    for (let i = 0; i < x[0].length; i++) if (results[0].marked[0][i] !== Math.fround(x[0][i] + Math.fround(1.6 * d[0][i]))) limited++;
    expect(limited).toBeGreaterThan(1000); // the slow path ran too
  });
});
