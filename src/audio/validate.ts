import { AigcError } from '../errors.js';
import { MAX_CHANNELS, MAX_RATE, MIN_RATE, MIN_SECONDS } from './params.js';

/** Below this peak (about -90 dBFS, under one 16-bit step) a clip counts as silent. */
export const SILENCE_PEAK = 3e-5;

/**
 * Checks planar audio before any work and returns its length, peak and energy.
 * Every failure is an AigcError with a stable code (docs/audio.md lists them).
 * With `scanSamples` false only the shape is checked; the caller then checks the
 * samples itself with checkSamples (embedding scans them in WASM on the way in).
 */
export function validateAudio(
  channels: readonly Float32Array[],
  sampleRate: number,
  scanSamples = true,
): { length: number; peak: number; energy: number } {
  if (!Array.isArray(channels) || channels.length === 0) {
    throw new AigcError('AUDIO_EMPTY', 'The audio has no channels.');
  }
  const length = channels[0]?.length ?? 0;
  checkLayout(channels.length, sampleRate);
  for (const ch of channels) {
    if (!(ch instanceof Float32Array)) throw new AigcError('AUDIO_INVALID_SAMPLES', 'Each channel must be a Float32Array.');
    if (ch.length !== length) throw new AigcError('AUDIO_INVALID_SAMPLES', 'The channels have different lengths.');
  }
  checkLength(length, sampleRate);
  if (!scanSamples) return { length, peak: NaN, energy: NaN };
  let peak = 0;
  let energy = 0;
  for (const ch of channels) {
    let sum = 0; // NaN or Infinity anywhere makes the sum non-finite: one test per channel
    for (let i = 0; i < length; i++) {
      const v = ch[i];
      sum += v * v;
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
    }
    checkSamples(ch, sum, 1);
    energy += sum;
  }
  checkSamples(channels[0], 0, peak);
  return { length, peak, energy };
}

/** validateAudio's checks on channel count, rate and length alone (no samples), for audio read in spans. */
export function validateShape(count: number, length: number, sampleRate: number): void {
  checkLayout(count, sampleRate);
  checkLength(length, sampleRate);
}

function checkLayout(count: number, sampleRate: number): void {
  if (count === 0) throw new AigcError('AUDIO_EMPTY', 'The audio has no channels.');
  if (count > MAX_CHANNELS) {
    throw new AigcError('AUDIO_OUT_OF_RANGE', `The audio has ${count} channels; 1 to ${MAX_CHANNELS} are supported.`);
  }
  if (!Number.isInteger(sampleRate) || sampleRate < MIN_RATE || sampleRate > MAX_RATE) {
    throw new AigcError('AUDIO_OUT_OF_RANGE', `Sample rate ${sampleRate} Hz is outside ${MIN_RATE}-${MAX_RATE} Hz.`);
  }
}

function checkLength(length: number, sampleRate: number): void {
  if (length === 0) throw new AigcError('AUDIO_EMPTY', 'The audio has no samples.');
  const seconds = length / sampleRate;
  if (seconds < MIN_SECONDS) {
    throw new AigcError(
      'AUDIO_TOO_SHORT',
      `The clip lasts ${seconds.toFixed(2)} s; the watermark needs at least ${MIN_SECONDS} s (one 2.23 s block plus alignment slack).`,
    );
  }
}

/** Throws for a channel whose sum of squares is not finite (NaN or Inf inside), or a silent clip. */
export function checkSamples(channel: Float32Array, sumOfSquares: number, peak: number): void {
  if (!Number.isFinite(sumOfSquares)) {
    const i = channel.findIndex((v: number) => !Number.isFinite(v));
    throw new AigcError('AUDIO_INVALID_SAMPLES', `Sample ${i} is ${channel[i]}; samples must be finite numbers.`);
  }
  if (peak < SILENCE_PEAK) throw new AigcError('AUDIO_EMPTY', 'The audio is silent: there is nothing to carry a watermark.');
}
