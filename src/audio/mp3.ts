/**
 * MP3 in (mpg123-decoder, WASM libmpg123, gapless) and out (@breezystack/lamejs,
 * the maintained lamejs fork). A leading ID3v2 tag is kept verbatim on output,
 * so a TXXX:AIGC label survives re-encoding.
 */
import { Mp3Encoder } from '@breezystack/lamejs';
import { MPEGDecoder } from 'mpg123-decoder';
import { AigcError } from '../errors.js';
import { concatBytes } from '../metadata/bytes.js';
import { resampleChannel } from './engine.js';

export interface Mp3Info {
  /** Bit rate of the first frame, kbit/s (the output uses the same). */
  bitrate: number;
  /** The leading ID3v2 tag, if any. */
  id3: Uint8Array | null;
}

function id3Length(bytes: Uint8Array): number {
  if (bytes.length < 10 || bytes[0] !== 0x49 || bytes[1] !== 0x44 || bytes[2] !== 0x33) return 0;
  const size = ((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | (bytes[9] & 0x7f);
  const footer = bytes[5] & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

/** Offset and bit rate of the first MPEG audio layer III frame header at or after `from`. */
function firstFrame(bytes: Uint8Array, from: number): { at: number; bitrate: number } | null {
  const end = Math.min(bytes.length - 4, from + 65536);
  for (let i = from; i < end; i++) {
    if (bytes[i] !== 0xff || (bytes[i + 1] & 0xe0) !== 0xe0) continue;
    const version = (bytes[i + 1] >> 3) & 3; // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5
    const layer = (bytes[i + 1] >> 1) & 3; // 1 = layer III
    const index = bytes[i + 2] >> 4;
    const rateIndex = (bytes[i + 2] >> 2) & 3;
    if (version === 1 || layer !== 1 || index === 0 || index === 15 || rateIndex === 3) continue;
    return { at: i, bitrate: (version === 3 ? BITRATES_V1 : BITRATES_V2)[index] };
  }
  return null;
}

export function isMp3(bytes: Uint8Array): boolean {
  const skip = id3Length(bytes);
  if (skip > 0) return skip < bytes.length && firstFrame(bytes, skip) !== null;
  return bytes.length >= 4 && bytes[0] === 0xff && (bytes[1] & 0xe6) === 0xe2 && firstFrame(bytes, 0)?.at === 0;
}

export async function decodeMp3(bytes: Uint8Array): Promise<{ info: Mp3Info; sampleRate: number; channels: Float32Array[] }> {
  const tag = id3Length(bytes);
  const frame = firstFrame(bytes, tag);
  if (!frame) throw new AigcError('CORRUPT_FILE', 'No MPEG audio frame found in the MP3 file.');
  const decoder = new MPEGDecoder({ enableGapless: true });
  await decoder.ready;
  try {
    const { channelData, samplesDecoded, sampleRate } = decoder.decode(bytes);
    if (!samplesDecoded || channelData.length === 0) throw new AigcError('CORRUPT_FILE', 'The MP3 file holds no decodable audio.');
    return {
      info: { bitrate: frame.bitrate, id3: tag > 0 ? bytes.slice(0, tag) : null },
      sampleRate,
      channels: channelData.map((c) => Float32Array.from(c.subarray(0, samplesDecoded))),
    };
  } finally {
    decoder.free();
  }
}

const LAME_RATES = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];

function toInt16(x: Float32Array): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768)));
  return out;
}

const MPEG_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/** The sample rate lame picks for this input rate, channel count and bit rate (it lowers it at low bit rates). */
function lameOutputRate(channels: number, sampleRate: number, kbps: number): number {
  const encoder = new Mp3Encoder(channels, sampleRate, kbps);
  const silence = new Int16Array(1152 * 4);
  const bytes = new Uint8Array([...encoder.encodeBuffer(silence, channels === 2 ? silence : undefined), ...encoder.flush()]);
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 0xff && (bytes[i + 1] & 0xe6) === 0xe2) {
      const version = (bytes[i + 1] >> 3) & 3;
      const index = (bytes[i + 2] >> 2) & 3;
      const rate = MPEG_RATES[version]?.[index];
      if (rate) return rate;
    }
  }
  return sampleRate;
}

/**
 * MP3 at `bitrate` kbit/s (nearest rate lame supports), mono or stereo; the
 * ID3v2 tag goes first. At low bit rates lame lowers the sample rate (64 kbit/s
 * stereo at 44.1 kHz becomes 24 kHz, as the lame CLI does); lamejs's own
 * resampler smears the band the watermark lives in, so we resample first with
 * the core's windowed-sinc resampler and hand lamejs audio at its output rate.
 */
export async function encodeMp3(channels: Float32Array[], sampleRate: number, bitrate: number, id3: Uint8Array | null = null): Promise<Uint8Array> {
  if (channels.length > 2) {
    throw new AigcError('UNSUPPORTED_FORMAT', `MP3 holds 1 or 2 channels; got ${channels.length}.`);
  }
  const kbps = LAME_RATES.reduce((best, r) => (Math.abs(r - bitrate) < Math.abs(best - bitrate) ? r : best));
  const outRate = lameOutputRate(channels.length, sampleRate, kbps);
  if (outRate !== sampleRate) {
    channels = await Promise.all(channels.map((c) => resampleChannel(c, sampleRate, outRate)));
    sampleRate = outRate;
  }
  const encoder = new Mp3Encoder(channels.length, sampleRate, kbps);
  const left = toInt16(channels[0]);
  const right = channels.length === 2 ? toInt16(channels[1]) : undefined;
  const parts: Uint8Array[] = id3 ? [id3] : [];
  const block = 1152 * 16;
  for (let i = 0; i < left.length; i += block) {
    const out = encoder.encodeBuffer(left.subarray(i, i + block), right?.subarray(i, i + block));
    if (out.length) parts.push(new Uint8Array(out));
  }
  const tail = encoder.flush();
  if (tail.length) parts.push(new Uint8Array(tail));
  return concatBytes(parts);
}
