import { describe, expect, it } from 'vitest';
import { detectAudio, embedAudio } from '../../src/audio/index.js';
import { MIN_SECONDS } from '../../src/audio/params.js';
import { createLabel } from '../../src/label/create.js';
import '../../src/wasm/node-source.js';
import { rejectionCode as codeOf } from '../support/errors.js';

const label = createLabel({ producer: '91110000MA01ABCDEF123456789' });
const noise = (n: number) => {
  const x = new Float32Array(n);
  let s = 1;
  for (let i = 0; i < n; i++) {
    s = (s * 16807) % 2147483647;
    x[i] = (s / 2147483647 - 0.5) * 0.2;
  }
  return x;
};

describe('audio input errors', () => {
  const both = (channels: Float32Array[], rate: number) => [() => embedAudio(channels, rate, label), () => detectAudio(channels, rate)];

  it.each([
    ['no channels', [] as Float32Array[], 44100, 'AUDIO_EMPTY'],
    ['no samples', [new Float32Array(0)], 44100, 'AUDIO_EMPTY'],
    ['digital silence', [new Float32Array(44100 * 4)], 44100, 'AUDIO_EMPTY'],
    ['NaN sample', [noise(44100 * 4).fill(NaN, 1000, 1001)], 44100, 'AUDIO_INVALID_SAMPLES'],
    ['Infinity sample', [noise(44100 * 4).fill(Infinity, 5, 6)], 44100, 'AUDIO_INVALID_SAMPLES'],
    ['channels of different lengths', [noise(44100 * 4), noise(44100 * 3)], 44100, 'AUDIO_INVALID_SAMPLES'],
    [`shorter than ${MIN_SECONDS} s`, [noise(Math.floor(44100 * (MIN_SECONDS - 0.1)))], 44100, 'AUDIO_TOO_SHORT'],
    ['rate under 8 kHz', [noise(7999 * 4)], 7999, 'AUDIO_OUT_OF_RANGE'],
    ['rate over 192 kHz', [noise(192001 * 3)], 192001, 'AUDIO_OUT_OF_RANGE'],
    ['fractional rate', [noise(44100 * 4)], 44100.5, 'AUDIO_OUT_OF_RANGE'],
    ['9 channels', Array.from({ length: 9 }, () => noise(44100 * 3)), 44100, 'AUDIO_OUT_OF_RANGE'],
  ])('%s', async (_name, channels, rate, code) => {
    for (const call of both(channels, rate)) expect(await codeOf(call())).toBe(code);
  });

  it('rejects a strength out of range', async () => {
    expect(await codeOf(embedAudio([noise(44100 * 3)], 44100, label, { strength: 0 }))).toBe('BAD_OPTION');
    expect(await codeOf(embedAudio([noise(44100 * 3)], 44100, label, { strength: 9 }))).toBe('BAD_OPTION');
  });

  it('accepts the edges of the range: 8 kHz and 192 kHz, exactly the minimum length', async () => {
    await expect(embedAudio([noise(8000 * MIN_SECONDS)], 8000, label)).resolves.toBeTruthy();
    await expect(detectAudio([noise(192000 * 3)], 192000)).resolves.toMatchObject({ found: false });
  });
});
