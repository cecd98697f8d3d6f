import { describe, expect, it } from 'vitest';
import '../../src/wasm/node-source.js';
import { resampleChannel } from '../../src/audio/resample.js';
import { decodeMp3, encodeMp3 } from '../../src/audio/mp3.js';
import { DEFAULT_RHYTHM, addAudioPrompt, detectRhythm, synthesizeRhythm } from '../../src/explicit/index.js';
import { speechLike } from '../support/audio.js';

const SR = 44100;

const content = (seconds: number, seed = 1): Float32Array[] => speechLike(seconds, SR, seed);

/** A 1 kHz beep of `d` seconds written over `x` at `t` (a censor beep). */
function beep(x: Float32Array[], t: number, d: number): void {
  for (const c of x) for (let i = Math.round(t * SR); i < Math.round((t + d) * SR); i++) c[i] = 0.3 * Math.sin((2 * Math.PI * 1000 * i) / SR);
}

function mismatches(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

async function mp3At64k(x: Float32Array[]): Promise<{ channels: Float32Array[]; sampleRate: number }> {
  return decodeMp3(await encodeMp3(x, SR, 64));
}

describe('rhythm prompt (GB 45438 5.3)', () => {
  it('decodes back as short-long-short-short with the default timing', () => {
    const d = detectRhythm([synthesizeRhythm(SR)], SR);
    expect(d.found).toBe(true);
    const lengths = d.tones!.map(([a, b]) => b - a);
    const s = DEFAULT_RHYTHM;
    [s.short, s.long, s.short, s.short].forEach((want, i) => expect(lengths[i]).toBeCloseTo(want, 1));
    expect(lengths[1] / lengths[0]).toBeGreaterThan(2.5);
    expect(d.start).toBeCloseTo(s.pad, 2);
    expect(d.frequency).toBeCloseTo(s.frequency, -1);
  });

  it('is spliced at the start, the end or the middle, keeping the content whole', async () => {
    const x = content(4);
    for (const placement of ['start', 'middle', 'end'] as const) {
      const r = await addAudioPrompt(x, SR, { placement });
      const promptLength = synthesizeRhythm(SR).length;
      expect(r.channels[0].length).toBe(x[0].length + promptLength);
      const at = Math.round(r.start * SR);
      expect(at).toBe(placement === 'start' ? 0 : placement === 'end' ? x[0].length : x[0].length / 2);
      // The content before and after the prompt is the input, sample for sample.
      expect(mismatches(r.channels[1].subarray(0, at), x[1].subarray(0, at))).toBe(0);
      expect(mismatches(r.channels[1].subarray(at + promptLength), x[1].subarray(at))).toBe(0);
      const d = detectRhythm(r.channels, SR);
      expect(d.found, placement).toBe(true);
      expect(d.start! - r.start).toBeCloseTo(DEFAULT_RHYTHM.pad, 2);
      expect(d.end!).toBeLessThanOrEqual(r.end);
    }
  });

  it('honours its frequency, level and durations, and the detector follows the configured timing', () => {
    const opts = { frequency: 700, level: -20, short: 0.06, long: 0.2, gap: 0.06, letterGap: 0.18 };
    const x = synthesizeRhythm(SR, opts);
    const peak = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(20 * Math.log10(peak)).toBeCloseTo(-20, 1);
    const d = detectRhythm([x], SR, opts);
    expect(d.found).toBe(true);
    expect(d.frequency).toBeCloseTo(700, -1);
    expect(d.tones![1][1] - d.tones![1][0]).toBeCloseTo(0.2, 1);
    // Looked for with the default timing, this faster rhythm is not ours.
    expect(detectRhythm([x], SR).found).toBe(false);
  });

  it('refuses out-of-range settings with a typed error', () => {
    for (const bad of [{ frequency: 50 }, { level: 3 }, { short: 0.2, long: 0.3 }, { gap: 0 }]) {
      expect(() => synthesizeRhythm(SR, bad)).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    }
  });

  it('survives MP3 64 kbit/s and resampling to 16 and 48 kHz', async () => {
    const r = await addAudioPrompt(content(3, 4), SR, { placement: 'middle' });
    const mp3 = await mp3At64k(r.channels);
    const d = detectRhythm(mp3.channels, mp3.sampleRate);
    expect(d.found).toBe(true);
    expect(Math.abs(d.start! - (r.start + DEFAULT_RHYTHM.pad))).toBeLessThan(0.08);
    for (const rate of [16000, 48000]) {
      const resampled = await Promise.all(r.channels.map((c) => resampleChannel(c, SR, rate)));
      const dr = detectRhythm(resampled, rate);
      expect(dr.found, `${rate} Hz`).toBe(true);
      expect(dr.start).toBeCloseTo(r.start + DEFAULT_RHYTHM.pad, 1);
    }
  });

  it('is found wherever it lands on the analysis grid, after resampling to 16 kHz', async () => {
    // An odd content length puts the prompt's edges between analysis frames.
    const x = content(3.3761, 6);
    for (const placement of ['middle', 'end'] as const) {
      const r = await addAudioPrompt(x, SR, { placement, rhythm: { frequency: 1234 } });
      const resampled = await Promise.all(r.channels.map((c) => resampleChannel(c, SR, 16000)));
      const d = detectRhythm(resampled, 16000);
      expect(d.found, placement).toBe(true);
      expect(d.start).toBeCloseTo(r.start + DEFAULT_RHYTHM.pad, 1);
    }
  });

  it('splices a voice prompt instead, resampled and copied to every channel', async () => {
    const voice = content(1.2, 9)[0].map((v) => v * 0.5);
    const r = await addAudioPrompt(content(2), SR, { voice: { channels: [voice], sampleRate: 22050 } });
    expect(r.kind).toBe('voice');
    expect(r.end - r.start).toBeCloseTo(2.4, 2); // 1.2 s at 22.05 kHz is 2.4 s of samples at 44.1 kHz
    expect(r.channels[0].subarray(0, 100)).toEqual(r.channels[1].subarray(0, 100));
    expect(detectRhythm(r.channels, SR).found).toBe(false);
  });

  it('does not fire on speech with censor beeps, even beeps in a Morse-like rhythm', () => {
    const x = content(8, 2);
    // Regular beeps, and a short-long-short-short run of beeps over speech (no silence between them).
    for (let t = 0.5; t < 2.5; t += 0.4) beep(x, t, 0.1);
    beep(x, 4, 0.1);
    beep(x, 4.2, 0.3);
    beep(x, 4.8, 0.1);
    beep(x, 5.0, 0.1);
    expect(detectRhythm(x, SR).found).toBe(false);
    // Our own prompt followed at once by a further dot is a different signal ("AIE"): no match either.
    const ours = synthesizeRhythm(SR, { pad: 0 });
    const longer = new Float32Array(ours.length + SR);
    longer.set(ours);
    for (let i = 0; i < 0.1 * SR; i++) longer[ours.length + 0.1 * SR + i] = 0.25 * Math.sin((2 * Math.PI * 1000 * i) / SR);
    expect(detectRhythm([longer], SR).found).toBe(false);
  });
});
