import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectAudio, embedAudio } from '../../src/audio/index.js';
import { buildWav, parseWav, pcm16WavInfo } from '../../src/audio/wav.js';
import { createLabel } from '../../src/label/create.js';
import '../../src/wasm/node-source.js';
import { run, workDir } from './helpers.js';

const label = createLabel({ producer: '91110000MA01ABCDEF123456789', produceId: 'AM2Q3WC88' });
const RATE = 44100;

/** A chord of 12 harmonics per voice, a new chord every `every` s, with a decaying envelope and quiet noise. */
function voice(seconds: number, roots: number[], every: number, seed: number): Float32Array {
  const phase = seed;
  const x = new Float32Array(seconds * RATE);
  for (let i = 0; i < x.length; i++) {
    const t = i / RATE;
    const n = Math.floor(t / every);
    const u = t - n * every;
    const env = Math.min(1, u / 0.02) * Math.exp(-u * 1.2);
    let v = 0;
    for (const ratio of [1, 1.26, 1.5]) {
      const f = roots[n % roots.length] * ratio;
      for (let h = 1; h <= 12; h++) v += Math.sin(2 * Math.PI * f * h * t + h * phase) / h;
    }
    seed = (seed * 1103515245 + 12345) >>> 0;
    x[i] = 0.1 * v * env + 0.01 * (seed / 2 ** 32 - 0.5);
  }
  return x;
}

/** Wide stereo: different chords on the left and the right, as a stereo mix of two instruments panned apart. */
const wide = (seconds: number) => [voice(seconds, [196, 262, 220, 294], 0.7, 3), voice(seconds, [330, 247, 392, 277], 0.45, 11)];

const energy = (x: ArrayLike<number>) => {
  let e = 0;
  for (let i = 0; i < x.length; i++) e += x[i] * x[i];
  return e;
};

describe('stereo mark steered by the mix', () => {
  it('puts the change of wide stereo in phase with the mix, not in the channels\u2019 difference', async () => {
    const host = wide(12);
    const marked = await embedAudio(host, RATE, label);
    const n = host[0].length;
    const mid = new Float32Array(n);
    const side = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const dl = marked.channels[0][i] - host[0][i];
      const dr = marked.channels[1][i] - host[1][i];
      mid[i] = (dl + dr) / 2;
      side[i] = (dl - dr) / 2;
    }
    // A change made from each channel's own spectrum puts half its energy in the difference
    // here (0.50 of it in the mix); steered by the mix, 0.71 (the rest is where one
    // channel is too quiet in a bin to carry its half).
    expect(energy(mid) / (energy(mid) + energy(side))).toBeGreaterThan(0.65);
    expect(marked.snr).toBeGreaterThanOrEqual(35.4);
    expect((await detectAudio(marked.channels, RATE)).payload).toEqual(marked.payload);
  });

  it('leaves a silent channel bit-exactly silent beside a marked one', async () => {
    const left = voice(8, [196, 262, 220, 294], 0.7, 3);
    const marked = await embedAudio([left, new Float32Array(left.length)], RATE, label);
    expect(marked.channels[1].every((v) => v === 0)).toBe(true);
    expect(energy(marked.channels[0].map((v, i) => v - left[i]))).toBeGreaterThan(0);
    expect((await detectAudio(marked.channels, RATE)).payload).toEqual(marked.payload);
  });

  it('survives ffmpeg AAC at 64 kbit/s on wide stereo', async () => {
    const host = wide(20);
    const marked = await embedAudio(host, RATE, label);
    const input = join(workDir, 'wide-in.wav');
    const m4a = join(workDir, 'wide-64k.m4a');
    const output = join(workDir, 'wide-out.wav');
    writeFileSync(input, buildWav(pcm16WavInfo(2, RATE), marked.channels));
    run('ffmpeg', ['-v', 'error', '-y', '-i', input, '-c:a', 'aac', '-b:a', '64k', m4a]);
    run('ffmpeg', ['-v', 'error', '-y', '-i', m4a, '-c:a', 'pcm_s16le', output]);
    const attacked = parseWav(new Uint8Array(readFileSync(output)));
    const found = await detectAudio(attacked.channels, attacked.sampleRate);
    expect(found.found).toBe(true);
    expect(found.payload).toEqual(marked.payload);
  });
});
