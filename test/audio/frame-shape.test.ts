import { describe, expect, it } from 'vitest';
import { detectAudio, embedAudio } from '../../src/audio/index.js';
import { createLabel } from '../../src/label/create.js';
import '../../src/wasm/node-source.js';

const label = createLabel({ producer: '91110000MA01ABCDEF123456789', produceId: 'AM2Q3WC88' });
const RATE = 44100;

/** Steady noise (a sum of 4 uniform draws, near Gaussian), `gain` times as loud after `split` s: every 23 ms frame of a half about as loud as the next. */
function steadyNoise(seconds: number, split: number, gain: number): Float32Array {
  const x = new Float32Array(seconds * RATE);
  let seed = 5;
  for (let i = 0; i < x.length; i++) {
    let v = 0;
    for (let j = 0; j < 4; j++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      v += seed / 2 ** 32 - 0.5;
    }
    x[i] = (i < split * RATE ? 1 : gain) * 0.1 * v;
  }
  return x;
}

const ratio = (marked: Float32Array, host: Float32Array, from: number, to: number) => {
  let d = 0;
  let e = 0;
  for (let i = from; i < to; i++) {
    d += (marked[i] - host[i]) ** 2;
    e += host[i] ** 2;
  }
  return d / e;
};

describe('music frame step shape', () => {
  it('gives a passage 20 dB quieter a relative step 1.5x larger (the bound), and the payload survives', async () => {
    const host = steadyNoise(12, 6, 0.1);
    const marked = await embedAudio([host, host.slice()], RATE, label);
    expect(marked.snr).toBeGreaterThanOrEqual(35.4);
    // Change energy over host energy in each half, away from the switch: about (1.5 / 1)^2 apart
    // (a little more: a chip changes a magnitude by exp(step) - 1, not by step).
    const loud = ratio(marked.channels[0], host, RATE, 5 * RATE);
    const quiet = ratio(marked.channels[0], host, 7 * RATE, 11 * RATE);
    expect(quiet / loud).toBeGreaterThan(2);
    expect(quiet / loud).toBeLessThan(2.8);
    expect((await detectAudio(marked.channels, RATE)).payload).toEqual(marked.payload);
  });
});
