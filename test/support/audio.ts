import { buildWav, pcm16WavInfo } from '../../src/audio/wav.js';
import { lcg } from './images.js';

/** Speech-like content: a wobbling harmonic voice with noise, stereo (the right channel quieter). */
export function speechLike(seconds: number, sampleRate = 44100, seed = 1): Float32Array[] {
  const rnd = lcg(seed);
  const n = Math.round(seconds * sampleRate);
  const l = new Float32Array(n), r = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const f0 = 140 + 30 * Math.sin(2 * Math.PI * 3 * t);
    const env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
    let v = 0;
    for (let h = 1; h <= 6; h++) v += Math.sin(2 * Math.PI * f0 * h * t) / h;
    l[i] = 0.15 * env * v + 0.02 * (rnd() - 0.5);
    r[i] = l[i] * 0.8;
  }
  return [l, r];
}

/** speechLike as a 16-bit PCM WAV file. */
export const speechLikeWav = (seconds: number, sampleRate = 44100, seed = 1): Uint8Array => buildWav(pcm16WavInfo(2, sampleRate), speechLike(seconds, sampleRate, seed));
