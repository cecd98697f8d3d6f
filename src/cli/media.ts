// Media dispatch: the commands hand bytes here and get marked bytes or a detection back,
// whatever the medium. Images go through sharp; audio plugs in from src/audio/ (issue 3).
import { AigcError } from '../errors.js';
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
}

/** The audio API as src/audio/ (issue 3) publishes it; loaded lazily so images never pay for it. */
interface AudioApi {
  isAudioFile(bytes: Uint8Array): boolean;
  decodeAudioFile(bytes: Uint8Array): { channels: Float32Array[]; sampleRate: number } | Promise<{ channels: Float32Array[]; sampleRate: number }>;
  encodeAudioFile(original: unknown, channels: Float32Array[]): Uint8Array | Promise<Uint8Array>;
  embedAudio(
    channels: Float32Array[],
    sampleRate: number,
    label: AigcLabel,
    options: { key?: Uint8Array | null; strength?: number },
  ): Promise<{ channels: Float32Array[]; payload: WatermarkPayload; snr: number }>;
  detectAudio(
    channels: Float32Array[],
    sampleRate: number,
    options: { key?: Uint8Array | null },
  ): Promise<{ found: boolean; payload: WatermarkPayload | null; score: number; offsetSeconds?: number | null }>;
}

let audioApi: Promise<AudioApi | null> | undefined;

function loadAudio(): Promise<AudioApi | null> {
  audioApi ??= (async () => {
    const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
    const files = `../audio/file.${ext}`;
    const index = `../audio/index.${ext}`;
    try {
      const [f, i] = await Promise.all([import(files), import(index)]);
      const api = { ...i, ...f } as Partial<AudioApi>;
      if (api.isAudioFile && api.decodeAudioFile && api.encodeAudioFile && api.embedAudio && api.detectAudio) return api as AudioApi;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw e;
    }
    return null;
  })();
  return audioApi;
}

/** WAV (RIFF/WAVE), or MP3 (ID3 tag or an MPEG audio frame sync). */
function looksLikeAudio(bytes: Uint8Array): boolean {
  const tag = String.fromCharCode(...bytes.subarray(0, 12));
  if (tag.startsWith('RIFF') && tag.slice(8, 12) === 'WAVE') return true;
  if (tag.startsWith('ID3')) return true;
  return bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0 && (bytes[1] & 0x06) !== 0;
}

export async function sniffMedia(bytes: Uint8Array): Promise<MediaKind> {
  if (sniffImageFormat(bytes) !== null) return 'image';
  const audio = await loadAudio();
  if (audio ? audio.isAudioFile(bytes) : looksLikeAudio(bytes)) {
    if (!audio) throw new AigcError('UNSUPPORTED_FORMAT', 'Audio files are not supported by this build yet (src/audio is not built).');
    return 'audio';
  }
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
  const audio = (await loadAudio()) as AudioApi;
  const decoded = await audio.decodeAudioFile(bytes);
  const marked = await audio.embedAudio(decoded.channels, decoded.sampleRate, label, options);
  const out = await audio.encodeAudioFile(decoded, marked.channels);
  return { bytes: out, payload: marked.payload, quality: { snr: round(marked.snr, 2) } };
}

export async function detectMedia(kind: MediaKind, bytes: Uint8Array, options: WatermarkOptions): Promise<WatermarkReport> {
  if (kind === 'image') {
    const image = await decodeImageFile(bytes, { maxPixels: options.maxPixels });
    const d = await detectImage(image.rgba, image.width, image.height, options);
    return { found: d.found, payload: d.payload, score: round(d.score, 4), location: d.offset };
  }
  const audio = (await loadAudio()) as AudioApi;
  const decoded = await audio.decodeAudioFile(bytes);
  const d = await audio.detectAudio(decoded.channels, decoded.sampleRate, options);
  return {
    found: d.found,
    payload: d.payload,
    score: round(d.score, 4),
    location: d.found && d.offsetSeconds != null ? { seconds: round(d.offsetSeconds, 3) } : null,
  };
}

function round(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
