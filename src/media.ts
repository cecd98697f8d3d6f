/**
 * The file-level API (Node): bytes of a PNG, JPEG, WebP, WAV or MP3 file in, marked
 * bytes or a detection out. Decode → embed or detect → encode, for either medium; the
 * CLI and the demo are built on it.
 */
import type { DecodedAudio } from './audio/file.js';
import { AigcError } from './errors.js';
import type { ExplicitLabelAdded, ExplicitLabelOptions } from './explicit/add-to-file.js';
import type { OrientationName } from './image/detect.js';
import type { DecodedImage } from './image/file.js';
import type { AigcLabel } from './label/types.js';
import { stripMetadataLabel, writeMetadataLabel } from './metadata/index.js';
import { describeUnsupported, isImageFormat, sniffContainer, type ContainerFormat } from './metadata/sniff.js';
import type { WatermarkPayload } from './payload/payload.js';
import { checkOptions } from './validate.js';

// Each medium's modules load only when a file is of that medium: an audio job never pays for
// the image side (nor sharp), an image job never for the audio side, and only --explicit
// loads the explicit label's.
const imageFile = () => import('./image/file.js');
const imageEmbed = () => import('./image/embed.js');
const imageDetect = () => import('./image/detect.js');
const imageWorkingSize = () => import('./image/working-size.js');
const audioFile = () => import('./audio/file.js');
const audioWatermark = () => import('./audio/index.js');
const explicitLabel = () => import('./explicit/add-to-file.js');

export type MediaKind = 'image' | 'audio';
export type MediaFormat = ContainerFormat;

export interface SniffedMedia {
  kind: MediaKind;
  format: MediaFormat;
}

export interface MarkFileOptions {
  /** Provider secret (at least 16 bytes); omit for the public key. */
  key?: Uint8Array | null;
  strength?: number;
  /** Images only: the decompression-bomb guard. */
  maxPixels?: number;
  /** The output's format; by default the input's. Images convert among PNG, JPEG and WebP, audio between WAV and MP3. */
  format?: MediaFormat;
  /** PNG output only: zlib level 0-9 (default 3); lower is faster, higher smaller. */
  pngCompression?: number;
  /** Also add the explicit label (visible on images, the rhythm or voice prompt in audio), before the watermark. */
  explicit?: ExplicitLabelOptions;
  /**
   * true: the output also carries `label` in its metadata, as writeMetadataLabel would put
   * it there (a WAV gets it as it is written, without a second copy of the file); false:
   * any old label is removed; omitted: the metadata stays as it came.
   */
  metadata?: boolean;
}

export interface DetectFileOptions {
  key?: Uint8Array | null;
  /** Images only: the decompression-bomb guard. */
  maxPixels?: number;
}

export interface MarkedFile {
  bytes: Uint8Array;
  kind: MediaKind;
  format: MediaFormat;
  payload: WatermarkPayload;
  /** PSNR (images) or SNR (audio) of the marked content against the input, in dB. */
  quality: { psnr: number } | { snr: number };
  /** The explicit label added, when `explicit` was asked for. */
  explicit: ExplicitLabelAdded | null;
}

export interface FileDetection {
  kind: MediaKind;
  format: MediaFormat;
  found: boolean;
  payload: WatermarkPayload | null;
  score: number;
  /** Where the mark sits: tile-grid offset in pixels (images), or seconds into the file (audio). */
  location: { x: number; y: number } | { seconds: number } | null;
  /** The chance that unmarked content gives a result this strong (calibrated). */
  falsePositiveChance: number;
  /** Images: which layer was read, the native tile or the working-size layer (after a downscale). */
  layer?: 'tile' | 'working-size';
  /**
   * Images, when found: what the detector undid to read the mark. `scale` is how much larger its grid
   * appears than where it was embedded (0.5: the image was halved; for the working-size layer, 1.25:
   * the image is a crop of 1/1.25 of the marked frame's side), `rotationDegrees` the turn, and
   * `orientation` the flip or quarter turn.
   */
  geometry?: { scale: number; rotationDegrees: number; orientation: OrientationName };
  /**
   * Audio, when found: the warp the detector undid, each 1 when untouched. `speed`: time and pitch
   * together (1.02: plays 2% fast); `tempo`: time alone, pitch kept; `pitch`: frequency ratio alone
   * (1.0175: 30 cents up).
   */
  speed?: number;
  tempo?: number;
  pitch?: number;
}

const EXTENSIONS: Record<string, MediaFormat> = {
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  webp: 'webp',
  wav: 'wav',
  mp3: 'mp3',
};

export const mediaKind = (format: MediaFormat): MediaKind => (isImageFormat(format) ? 'image' : 'audio');

/** What the file is, from its first bytes (nothing is decoded); UNSUPPORTED_FORMAT naming what it looks like otherwise. */
export function sniffMedia(bytes: Uint8Array): SniffedMedia {
  const format = sniffContainer(bytes);
  if (format === null) {
    throw new AigcError('UNSUPPORTED_FORMAT', `This is ${describeUnsupported(bytes)}; aigc-mark handles PNG, JPEG and WebP images and WAV and MP3 audio.`);
  }
  return { kind: mediaKind(format), format };
}

/** The format a file name's extension promises (png, jpg/jpeg, webp, wav, mp3), or null for any other name. */
export function formatForPath(path: string): MediaFormat | null {
  const match = /\.([a-z0-9]+)$/i.exec(path);
  return match ? (EXTENSIONS[match[1].toLowerCase()] ?? null) : null;
}

/**
 * The format an output path must be written in: the one its extension names, which must
 * hold the same medium as the input (`from`). BAD_OPTION for any other extension, so a
 * file's name never lies about its bytes.
 */
export function outputFormatFor(path: string, from: MediaFormat): MediaFormat {
  const format = formatForPath(path);
  if (format === null) {
    const choices = mediaKind(from) === 'image' ? '.png, .jpg, .jpeg or .webp' : '.wav or .mp3';
    throw new AigcError('BAD_OPTION', `The output ${JSON.stringify(path)} needs an extension that says what it holds: ${choices}.`);
  }
  checkConversion(from, format);
  return format;
}

/** Throws BAD_OPTION unless `to` holds the same medium as `from`: an image never becomes audio. */
export function checkConversion(from: MediaFormat, to: MediaFormat): void {
  if (mediaKind(from) !== mediaKind(to)) {
    const choices = mediaKind(from) === 'image' ? 'PNG, JPEG or WebP' : 'WAV or MP3';
    throw new AigcError('BAD_OPTION', `Cannot write ${mediaKind(from) === 'image' ? 'an image' : 'audio'} as ${to.toUpperCase()}; choose ${choices}.`);
  }
}

/**
 * Decodes, adds the explicit label when asked (so the watermark covers it), embeds the
 * watermark and encodes, in the input's format or `options.format`: one decode, one encode.
 */
export async function markFile(bytes: Uint8Array, label: AigcLabel, options: MarkFileOptions = {}): Promise<MarkedFile> {
  const { format: to, maxPixels, pngCompression, explicit, metadata, ...watermark } = checkOptions(options, ['key', 'strength', 'maxPixels', 'format', 'pngCompression', 'explicit', 'metadata'], 'markFile');
  const withMetadata = (out: Uint8Array) => (metadata === undefined ? out : metadata ? writeMetadataLabel(out, label) : stripMetadataLabel(out));
  const { kind, format: from } = sniffMedia(bytes);
  const format = to ?? from;
  checkConversion(from, format);
  if (kind === 'image') {
    const { decodeImageFile, encodeImageFile } = await imageFile();
    const image = await decodeImageFile(bytes, { maxPixels });
    const labelled = explicit ? (await explicitLabel()).addImageExplicitLabel(image.rgba, image.width, image.height, explicit) : null;
    const marked = await (await imageEmbed()).embedImage(labelled?.rgba ?? image.rgba, image.width, image.height, label, { ...watermark, maxPixels });
    const out = await encodeImageFile(marked.rgba, image.width, image.height, image.source, format as 'png' | 'jpeg' | 'webp', { pngCompression });
    return { bytes: withMetadata(out), kind, format, payload: marked.payload, quality: { psnr: round(marked.psnr, 2) }, explicit: labelled?.added ?? null };
  }
  const { decodeAudioFile, encodeAudioFile, markAudioBytes } = await audioFile();
  if (!explicit) {
    const marked = await markAudioBytes(bytes, label, watermark, format as 'wav' | 'mp3', metadata);
    return { bytes: marked.bytes, kind, format, payload: marked.payload, quality: { snr: round(marked.snr, 2) }, explicit: null };
  }
  const decoded = await decodeAudioFile(bytes);
  const prompted = await (await explicitLabel()).addAudioExplicitLabel(decoded.channels, decoded.sampleRate, explicit);
  const marked = await (await audioWatermark()).embedAudio(prompted.channels, decoded.sampleRate, label, watermark);
  const out = await encodeAudioFile(decoded, marked.channels, format as 'wav' | 'mp3');
  return { bytes: withMetadata(out), kind, format, payload: marked.payload, quality: { snr: round(marked.snr, 2) }, explicit: prompted.added };
}

/** Adds only the explicit label (no watermark), in one decode and encode; for `mark --explicit --no-watermark`. */
export async function addExplicitLabelToFile(
  bytes: Uint8Array,
  explicit: ExplicitLabelOptions,
  options: { format?: MediaFormat; maxPixels?: number; pngCompression?: number } = {},
): Promise<{ bytes: Uint8Array; format: MediaFormat; explicit: ExplicitLabelAdded }> {
  const { kind, format: from } = sniffMedia(bytes);
  const format = options.format ?? from;
  checkConversion(from, format);
  const { addAudioExplicitLabel, addImageExplicitLabel } = await explicitLabel();
  if (kind === 'image') {
    const { decodeImageFile, encodeImageFile } = await imageFile();
    const image = await decodeImageFile(bytes, { maxPixels: options.maxPixels });
    const labelled = addImageExplicitLabel(image.rgba, image.width, image.height, explicit);
    const out = await encodeImageFile(labelled.rgba, image.width, image.height, image.source, format as 'png' | 'jpeg' | 'webp', { pngCompression: options.pngCompression });
    return { bytes: out, format, explicit: labelled.added };
  }
  const { decodeAudioFile, encodeAudioFile } = await audioFile();
  const decoded = await decodeAudioFile(bytes);
  const prompted = await addAudioExplicitLabel(decoded.channels, decoded.sampleRate, explicit);
  return { bytes: await encodeAudioFile(decoded, prompted.channels, format as 'wav' | 'mp3'), format, explicit: prompted.added };
}

/** Re-encodes a file into another format of the same medium, without marking it. */
export async function convertFile(bytes: Uint8Array, format: MediaFormat, options: { maxPixels?: number; pngCompression?: number } = {}): Promise<Uint8Array> {
  const { kind, format: from } = sniffMedia(bytes);
  checkConversion(from, format);
  if (from === format) return bytes;
  if (kind === 'image') {
    const { decodeImageFile, encodeImageFile } = await imageFile();
    const image = await decodeImageFile(bytes, { maxPixels: options.maxPixels });
    return encodeImageFile(image.rgba, image.width, image.height, image.source, format as 'png' | 'jpeg' | 'webp', { pngCompression: options.pngCompression });
  }
  const { decodeAudioFile, encodeAudioFile } = await audioFile();
  const decoded = await decodeAudioFile(bytes);
  return encodeAudioFile(decoded, decoded.channels, format as 'wav' | 'mp3');
}

/** A media file decoded once, for callers that read it more than one way (the watermark, the explicit label). */
export type DecodedMedia =
  | { kind: 'image'; format: MediaFormat; image: DecodedImage }
  | { kind: 'audio'; format: MediaFormat; audio: DecodedAudio };

/** Sniffs and decodes an image or audio file. */
export async function decodeMedia(bytes: Uint8Array, options: { maxPixels?: number } = {}): Promise<DecodedMedia> {
  const { kind, format } = sniffMedia(bytes);
  if (kind === 'image') return { kind, format, image: await (await imageFile()).decodeImageFile(bytes, { maxPixels: options.maxPixels }) };
  return { kind, format, audio: await (await audioFile()).decodeAudioFile(bytes) };
}

/** Decodes and looks for the watermark. */
export async function detectFile(bytes: Uint8Array, options: DetectFileOptions = {}): Promise<FileDetection> {
  const { key, maxPixels } = checkOptions(options, ['key', 'maxPixels'], 'detectFile');
  return detectDecoded(await decodeMedia(bytes, { maxPixels }), { key, maxPixels });
}

/** Looks for the watermark in a file decodeMedia has decoded. */
export async function detectDecoded(media: DecodedMedia, options: DetectFileOptions = {}): Promise<FileDetection> {
  const { key, maxPixels } = checkOptions(options, ['key', 'maxPixels'], 'detectDecoded');
  const { kind, format } = media;
  // What every detection reports, image or audio.
  const common = (d: { found: boolean; payload: WatermarkPayload | null; score: number; falsePositiveChance: number }) => ({
    kind,
    format,
    found: d.found,
    payload: d.payload,
    score: round(d.score, 4),
    falsePositiveChance: chance(d.falsePositiveChance),
  });
  if (media.kind === 'image') {
    const { image } = media;
    const d = await (await imageDetect()).detectImage(image.rgba, image.width, image.height, { key, maxPixels });
    // The working-size layer's grid offset is in working-size pixels: report it in the file's.
    const scale = d.layer === 'working-size' ? image.width / (await imageWorkingSize()).workingSize(image.width, image.height).width : 1;
    const location = d.offset && { x: Math.round(d.offset.x * scale), y: Math.round(d.offset.y * scale) };
    const geometry = d.found ? { scale: round(d.geometry?.scale ?? 1, 4), rotationDegrees: round(((d.geometry?.angle ?? 0) * 180) / Math.PI, 2), orientation: d.orientation ?? 'none' } : null;
    return { ...common(d), location, ...(d.layer && { layer: d.layer }), ...(geometry && { geometry }) };
  }
  const { audio } = media;
  const d = await (await audioWatermark()).detectAudio(audio.channels, audio.sampleRate, { key });
  return {
    ...common(d),
    location: d.found && d.offsetSeconds != null ? { seconds: round(d.offsetSeconds, 3) } : null,
    ...(d.found && { speed: round(d.speed ?? 1, 4), tempo: round(d.tempo ?? 1, 4), pitch: round(d.pitch ?? 1, 4) }),
  };
}

const chance = (p: number) => Number(p.toPrecision(2));

function round(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
