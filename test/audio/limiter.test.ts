import { describe, expect, it } from 'vitest';
import { arraySink, arraySource } from '../../src/audio/channels.js';
import { limitChannels } from '../../src/audio/limiter.js';
import { CEILING } from '../../src/audio/params.js';
import { audioKernels } from '../../src/audio/kernels.js';
import { SLOT } from '../../src/wasm/slots.js';
import { getCore } from '../../src/node.js';
import { referenceLimit } from './reference-limiter.js';

/** A loud clip: a clipped-sounding chord near full scale with bursts of noise, and a mark-sized change. */
function loudClip(n: number, seed = 7): { x: Float32Array; d: Float32Array } {
  let s = seed;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const x = new Float32Array(n);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const chord = Math.sin(i * 0.0313) + 0.6 * Math.sin(i * 0.0471) + 0.3 * Math.sin(i * 0.1113);
    const v = 0.55 * chord + 0.08 * rand();
    x[i] = Math.max(-CEILING, Math.min(CEILING, v)); // peaks sit at the ceiling
    d[i] = 0.03 * rand();
  }
  return { x, d };
}

async function wasmLimit(x: Float32Array, d: Float32Array, ceiling: number, scale: number) {
  const core = await getCore();
  const ptr = audioKernels(core).scratch(SLOT.audioC, d.length * 4);
  core.f32(ptr, d.length).set(d);
  const out = arraySink(1, x.length);
  const change = limitChannels(core, arraySource([x]), [(first) => ptr + first * 4], ceiling, scale, out.write);
  return { marked: out.channels[0], change };
}

describe('the WASM limiter', () => {
  it('never passes full scale on a loud clip and matches the whole-signal TypeScript limiter', async () => {
    // Long enough to cross several of the driver's spans and many of the kernel's blocks.
    const { x, d } = loudClip(150_000);
    const scale = 1.7;
    const got = await wasmLimit(x, d, CEILING, scale);
    let peak = 0;
    for (const v of got.marked) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeLessThanOrEqual(CEILING);
    const want = referenceLimit(x, d, CEILING, scale);
    let worst = 0;
    let limited = 0;
    for (let i = 0; i < x.length; i++) {
      worst = Math.max(worst, Math.abs(got.marked[i] - want.marked[i]));
      if (Math.abs(want.marked[i] - x[i] - scale * d[i]) > 1e-4) limited++;
    }
    expect(limited).toBeGreaterThan(1000); // the clip really is loud: many samples were limited
    expect(worst).toBeLessThan(1e-6);
    expect(Math.abs(got.change - want.change) / want.change).toBeLessThan(1e-5);
  });

  it('adds the change untouched where nothing comes near the ceiling', async () => {
    const { x, d } = loudClip(70_000, 3);
    const quiet = x.map((v) => v * 0.3);
    const got = await wasmLimit(quiet, d, CEILING, 1);
    for (let i = 0; i < quiet.length; i++) expect(got.marked[i]).toBe(Math.fround(quiet[i] + d[i]));
  });

  it('fades the change around a single overshoot at a span boundary and keeps the sample under the ceiling', async () => {
    const n = 140_000;
    const x = new Float32Array(n).fill(0.1);
    const d = new Float32Array(n).fill(0.01);
    const at = 65_536; // the driver's first span boundary
    x[at] = 0.999;
    const got = await wasmLimit(x, d, CEILING, 1);
    const want = referenceLimit(x, d, CEILING, 1);
    expect(got.marked[at]).toBeLessThanOrEqual(CEILING);
    for (let i = at - 200; i < at + 200; i++) expect(got.marked[i]).toBeCloseTo(want.marked[i], 6);
    expect(got.marked[at - 129]).toBe(Math.fround(0.1 + 0.01)); // beyond 2 x radius: untouched
    expect(got.marked[at - 30]).toBeLessThan(Math.fround(0.1 + 0.01));
  });
});
