/**
 * Node helpers: audio files in and out (WAV and MP3). The watermark itself is in
 * index.ts and works on planar Float32 channels anywhere.
 */
import { AigcError } from '../errors.js';
import { decodeMp3, encodeMp3, isMp3, type Mp3Info } from './mp3.js';
import { buildWav, isWav, parseWav, type WavInfo } from './wav.js';

export interface DecodedAudio {
  container: 'wav' | 'mp3';
  sampleRate: number;
  /** Planar samples in [-1, 1] (float WAVs may exceed it). */
  channels: Float32Array[];
  /** What encodeAudioFile needs to write the same format back. */
  wav?: WavInfo;
  mp3?: Mp3Info;
}

export function isAudioFile(bytes: Uint8Array): boolean {
  return isWav(bytes) || isMp3(bytes);
}

export async function decodeAudioFile(bytes: Uint8Array): Promise<DecodedAudio> {
  if (isWav(bytes)) {
    const { info, sampleRate, channels } = parseWav(bytes);
    return { container: 'wav', sampleRate, channels, wav: info };
  }
  if (isMp3(bytes)) {
    const { info, sampleRate, channels } = await decodeMp3(bytes);
    return { container: 'mp3', sampleRate, channels, mp3: info };
  }
  if (bytes.length >= 4 && String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]) === 'RIFF') {
    throw new AigcError('CORRUPT_FILE', 'RIFF file without a WAVE form type: the header is damaged or it is not audio.');
  }
  throw new AigcError('UNSUPPORTED_FORMAT', 'Not a WAV or MP3 file (other audio formats are not supported yet).');
}

/** The same container, sample format, rate and channel count as `original`, with new samples. */
export async function encodeAudioFile(original: DecodedAudio, channels: Float32Array[]): Promise<Uint8Array> {
  if (channels.length !== original.channels.length) {
    throw new AigcError('AUDIO_INVALID_SAMPLES', `Expected ${original.channels.length} channels, got ${channels.length}.`);
  }
  if (original.container === 'wav' && original.wav) return buildWav(original.wav, channels);
  if (original.container === 'mp3' && original.mp3) {
    return await encodeMp3(channels, original.sampleRate, original.mp3.bitrate, original.mp3.id3);
  }
  throw new AigcError('UNSUPPORTED_FORMAT', 'Nothing to encode with: the original has no container details.');
}
