import { AigcError } from '../errors.js';
import { MAX_CHANNELS, MAX_RATE, MIN_RATE, MIN_SECONDS } from './params.js';

/** Below this peak (about -90 dBFS, under one 16-bit step) a clip counts as silent. */
const SILENCE_PEAK = 3e-5;

/**
 * Checks planar audio before any work and returns its length and peak. Every
 * failure is an AigcError with a stable code (docs/audio.md lists them).
 */
export function validateAudio(channels: readonly Float32Array[], sampleRate: number): { length: number; peak: number } {
  if (!Array.isArray(channels) || channels.length === 0) {
    throw new AigcError('AUDIO_EMPTY', 'The audio has no channels.');
  }
  if (channels.length > MAX_CHANNELS) {
    throw new AigcError('AUDIO_OUT_OF_RANGE', `The audio has ${channels.length} channels; 1 to ${MAX_CHANNELS} are supported.`);
  }
  if (!Number.isInteger(sampleRate) || sampleRate < MIN_RATE || sampleRate > MAX_RATE) {
    throw new AigcError('AUDIO_OUT_OF_RANGE', `Sample rate ${sampleRate} Hz is outside ${MIN_RATE}-${MAX_RATE} Hz.`);
  }
  const length = channels[0]?.length ?? 0;
  for (const ch of channels) {
    if (!(ch instanceof Float32Array)) throw new AigcError('AUDIO_INVALID_SAMPLES', 'Each channel must be a Float32Array.');
    if (ch.length !== length) throw new AigcError('AUDIO_INVALID_SAMPLES', 'The channels have different lengths.');
  }
  if (length === 0) throw new AigcError('AUDIO_EMPTY', 'The audio has no samples.');
  let peak = 0;
  for (const ch of channels) {
    for (let i = 0; i < length; i++) {
      const v = ch[i];
      if (!Number.isFinite(v)) {
        throw new AigcError('AUDIO_INVALID_SAMPLES', `Sample ${i} is ${v}; samples must be finite numbers.`);
      }
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
    }
  }
  const seconds = length / sampleRate;
  if (seconds < MIN_SECONDS) {
    throw new AigcError(
      'AUDIO_TOO_SHORT',
      `The clip lasts ${seconds.toFixed(2)} s; the watermark needs at least ${MIN_SECONDS} s (one 2.23 s block plus alignment slack).`,
    );
  }
  if (peak < SILENCE_PEAK) throw new AigcError('AUDIO_EMPTY', 'The audio is silent: there is nothing to carry a watermark.');
  return { length, peak };
}
