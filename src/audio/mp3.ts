/**
 * MP3 in (mpg123-decoder, WASM libmpg123, gapless) and out (@breezystack/lamejs,
 * the maintained lamejs fork). A leading ID3v2 tag is kept verbatim on output,
 * so a TXXX:AIGC label survives re-encoding.
 */
import { Mp3Encoder } from '@breezystack/lamejs';
import { MPEGDecoder } from 'mpg123-decoder';
import { AigcError } from '../errors.js';
import { concatBytes } from '../metadata/bytes.js';
import { firstMp3Frame, id3v2Length } from '../metadata/sniff.js';
import { resampleChannel } from './resample.js';

export interface Mp3Info {
  /** Bit rate of the first frame, kbit/s (the output uses the same). */
  bitrate: number;
  /** The leading ID3v2 tag, if any. */
  id3: Uint8Array | null;
}

export async function decodeMp3(bytes: Uint8Array): Promise<{ info: Mp3Info; sampleRate: number; channels: Float32Array[] }> {
  const tag = id3v2Length(bytes);
  const frame = firstMp3Frame(bytes, tag);
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
  const frame = firstMp3Frame(bytes, 0);
  if (frame === null) return sampleRate;
  const version = (bytes[frame.at + 1] >> 3) & 3;
  return MPEG_RATES[version]?.[(bytes[frame.at + 2] >> 2) & 3] ?? sampleRate;
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
