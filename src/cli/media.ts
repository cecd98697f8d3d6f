// Media dispatch: the commands hand bytes here and get marked bytes or a detection back,
// whatever the medium. Images go through sharp, audio through src/audio/file.ts.
import { AigcError } from '../errors.js';
import { decodeAudioFile, encodeAudioFile, isAudioFile } from '../audio/file.js';
import { detectAudio, embedAudio } from '../audio/index.js';
import { decodeImageFile, encodeImageFile, sniffImageFormat } from '../image/file.js';
import type { AigcLabel } from '../label/types.js';
import { detectImage, embedImage, type WatermarkPayload } from '../node.js';

export type MediaKind = 'image' | 'audio';

export interface WatermarkOptions {
  key: Uint8Array | null;
  strength?: number;
  maxPixels?: number;
}

export interface MarkedMedia {
  bytes: Uint8Array;
  payload: WatermarkPayload;
  /** PSNR (images) or SNR (audio) of the marked content against the input, in dB. */
  quality: { psnr: number } | { snr: number };
}

export interface WatermarkReport {
  found: boolean;
  payload: WatermarkPayload | null;
  score: number;
  /** Where the mark sits: tile-grid offset in pixels (images), or seconds into the file (audio). */
  location: { x: number; y: number } | { seconds: number } | null;
  /** The chance that unmarked content gives a result this strong (calibrated, docs/payload.md). */
  falsePositiveChance: number;
}

export async function sniffMedia(bytes: Uint8Array): Promise<MediaKind> {
  if (sniffImageFormat(bytes) !== null) return 'image';
  if (isAudioFile(bytes)) return 'audio';
  // Let the image reader name what it is (GIF, TIFF, SVG, ...).
  await decodeImageFile(bytes);
  throw new AigcError('UNSUPPORTED_FORMAT', 'Not a PNG, JPEG, WebP, WAV or MP3 file.');
}

export async function embedMedia(kind: MediaKind, bytes: Uint8Array, label: AigcLabel, options: WatermarkOptions): Promise<MarkedMedia> {
  if (kind === 'image') {
    const image = await decodeImageFile(bytes, { maxPixels: options.maxPixels });
    const marked = await embedImage(image.rgba, image.width, image.height, label, options);
    const out = await encodeImageFile(marked.rgba, image.width, image.height, image.source);
    return { bytes: out, payload: marked.payload, quality: { psnr: round(marked.psnr, 2) } };
  }
  const decoded = await decodeAudioFile(bytes);
  const marked = await embedAudio(decoded.channels, decoded.sampleRate, label, options);
  const out = await encodeAudioFile(decoded, marked.channels);
  return { bytes: out, payload: marked.payload, quality: { snr: round(marked.snr, 2) } };
}

export async function detectMedia(kind: MediaKind, bytes: Uint8Array, options: WatermarkOptions): Promise<WatermarkReport> {
  if (kind === 'image') {
    const image = await decodeImageFile(bytes, { maxPixels: options.maxPixels });
    const d = await detectImage(image.rgba, image.width, image.height, options);
    return { found: d.found, payload: d.payload, score: round(d.score, 4), location: d.offset, falsePositiveChance: chance(d.falsePositiveChance) };
  }
  const decoded = await decodeAudioFile(bytes);
  const d = await detectAudio(decoded.channels, decoded.sampleRate, options);
  return {
    found: d.found,
    payload: d.payload,
    score: round(d.score, 4),
    location: d.found && d.offsetSeconds != null ? { seconds: round(d.offsetSeconds, 3) } : null,
    falsePositiveChance: chance(d.falsePositiveChance),
  };
}

const chance = (p: number) => Number(p.toPrecision(2));

function round(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
