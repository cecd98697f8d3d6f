import { describe, expect, it } from 'vitest';
import { embedAudio } from '../../src/audio/index.js';
import { TARGET_SNR_MUSIC, TARGET_SNR_SPEECH } from '../../src/audio/params.js';
import { createLabel } from '../../src/label/create.js';
import '../../src/wasm/node-source.js';

const label = createLabel({ producer: '91110000MA01ABCDEF123456789', produceId: 'AM2Q3WC88' });
const RATE = 44100;

/** Harmonic tones (150 Hz fundamental) under `gain(t)`, with a little noise so no frame is digital silence. */
function voiced(seconds: number, gain: (t: number) => number): Float32Array {
  const x = new Float32Array(seconds * RATE);
  let seed = 1;
  for (let i = 0; i < x.length; i++) {
    const t = i / RATE;
    let v = 0;
    for (let h = 1; h <= 20; h++) v += Math.sin(2 * Math.PI * 150 * h * t + h) / h;
    seed = (seed * 1103515245 + 12345) >>> 0;
    x[i] = 0.2 * v * gain(t) + 1e-4 * (seed / 2 ** 32 - 0.5);
  }
  return x;
}

describe('audio SNR budget: speech or music', () => {
  it('gives word-like bursts with short, frequent pauses the speech budget', async () => {
    // 600 ms words with 100 ms fades in and out, 250 ms pauses at -54 dB: recorded dialogue
    // moves smoothly between 23 ms frames, unlike synthetic speech, yet pauses often.
    const fade = (u: number) => 0.002 * 500 ** Math.min(1, Math.max(0, u / 0.1));
    const x = voiced(12, (t) => {
      const u = t % 0.85;
      return u < 0.6 ? Math.min(fade(u), fade(0.6 - u)) : 0.002;
    });
    const { snr } = await embedAudio([x], RATE, label);
    expect(snr).toBeCloseTo(TARGET_SNR_SPEECH, 0);
  });

  it('gives stereo the speech budget only when both channels pause like speech', async () => {
    const fade = (u: number) => 0.002 * 500 ** Math.min(1, Math.max(0, u / 0.1));
    const words = voiced(12, (t) => {
      const u = t % 0.85;
      return u < 0.6 ? Math.min(fade(u), fade(0.6 - u)) : 0.002;
    });
    // The same words in both channels: speech. Words on the left over a steady tone on the
    // right, 30 dB down (the mix still pauses like speech, the right channel never does): music.
    expect((await embedAudio([words, words.slice()], RATE, label)).snr).toBeCloseTo(TARGET_SNR_SPEECH, 0);
    const steady = voiced(12, () => 0.03);
    expect((await embedAudio([words, steady], RATE, label)).snr).toBeGreaterThanOrEqual(TARGET_SNR_MUSIC - 0.05);
  });

  it('keeps the music budget for a steady track with one long silent stretch', async () => {
    // As many pause frames (25%) as the speech above, but entered once.
    const x = voiced(12, (t) => (t >= 4 && t < 7 ? 0.002 : 1));
    const { snr } = await embedAudio([x], RATE, label);
    expect(snr).toBeCloseTo(TARGET_SNR_MUSIC, 0);
  });
});
