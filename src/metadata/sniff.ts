/**
 * The one format sniffer: which of the five containers a file is, by its first bytes
 * alone (nothing is decoded), and the MPEG audio and ID3v2 header rules every MP3
 * reader here shares. Universal code: Uint8Array only.
 */
import { latin1Decode, startsWith } from './bytes.js';

export type ContainerFormat = 'jpeg' | 'png' | 'webp' | 'wav' | 'mp3';
export type ImageFormat = 'png' | 'jpeg' | 'webp';
export type AudioFormat = 'wav' | 'mp3';

export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The RIFF form type ('WAVE', 'WEBP', ...), or null when the file is not RIFF. */
export function riffForm(bytes: Uint8Array): string | null {
  if (bytes.length < 12 || latin1Decode(bytes.subarray(0, 4)) !== 'RIFF') return null;
  return latin1Decode(bytes.subarray(8, 12));
}

/** Bytes of a leading ID3v2 tag (header, body and footer), 0 when there is none. */
export function id3v2Length(bytes: Uint8Array): number {
  if (bytes.length < 10 || latin1Decode(bytes.subarray(0, 3)) !== 'ID3') return 0;
  const size = ((bytes[6] & 0x7f) << 21) | ((bytes[7] & 0x7f) << 14) | ((bytes[8] & 0x7f) << 7) | (bytes[9] & 0x7f);
  return 10 + size + (bytes[5] & 0x10 ? 10 : 0);
}

const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

/** The bit rate (kbit/s) of the MPEG audio layer III frame header at `at`, or null when none starts there. */
export function mp3FrameBitrate(b: Uint8Array, at: number): number | null {
  if (at < 0 || at + 4 > b.length || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return null;
  const version = (b[at + 1] >> 3) & 3; // 3 = MPEG1, 2 = MPEG2, 0 = MPEG2.5, 1 reserved
  const layer = (b[at + 1] >> 1) & 3; // 1 = layer III
  const index = b[at + 2] >> 4;
  const rate = (b[at + 2] >> 2) & 3;
  if (version === 1 || layer !== 1 || index === 0 || index === 15 || rate === 3) return null;
  return (version === 3 ? BITRATES_V1 : BITRATES_V2)[index];
}

/** The first layer III frame header at or after `from` (searching 64 KiB at most). */
export function firstMp3Frame(bytes: Uint8Array, from: number): { at: number; bitrate: number } | null {
  const end = Math.min(bytes.length - 4, from + 65536);
  for (let at = from; at <= end; at++) {
    const bitrate = mp3FrameBitrate(bytes, at);
    if (bitrate !== null) return { at, bitrate };
  }
  return null;
}

/** The container, by magic bytes; null when it is none of the five. An ID3v2 tag means MP3 unless FLAC follows it. */
export function sniffContainer(bytes: Uint8Array): ContainerFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  const form = riffForm(bytes);
  if (form === 'WEBP') return 'webp';
  if (form === 'WAVE') return 'wav';
  const tagEnd = id3v2Length(bytes);
  if (tagEnd > 0) return latin1Decode(bytes.subarray(tagEnd, tagEnd + 4)) === 'fLaC' ? null : 'mp3';
  return mp3FrameBitrate(bytes, 0) !== null ? 'mp3' : null;
}

export const isImageFormat = (f: ContainerFormat | null): f is ImageFormat => f === 'png' || f === 'jpeg' || f === 'webp';
export const isAudioFormat = (f: ContainerFormat | null): f is AudioFormat => f === 'wav' || f === 'mp3';

/** Names what a file we do not handle looks like, so an error can say more than "unknown". */
export function describeUnsupported(bytes: Uint8Array): string {
  const head = latin1Decode(bytes.subarray(0, 12));
  if (head.startsWith('GIF8')) return 'GIF';
  if (head.startsWith('II*\0') || head.startsWith('MM\0*')) return 'TIFF';
  if (head.startsWith('BM')) return 'BMP';
  if (latin1Decode(bytes.subarray(4, 8)) === 'ftyp') return 'HEIF/AVIF';
  if (head.startsWith('RIFF')) return `RIFF ${JSON.stringify(latin1Decode(bytes.subarray(8, 12)))}`;
  if (/^\s*<(\?xml|svg)/i.test(new TextDecoder().decode(bytes.subarray(0, 64)))) return 'SVG';
  if (id3v2Length(bytes) > 0) return 'FLAC or other audio behind an ID3 tag';
  if (head.startsWith('fLaC')) return 'FLAC';
  if (head.startsWith('OggS')) return 'Ogg';
  return 'an unrecognised file';
}
