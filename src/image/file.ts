// Node-only: image files in and out through sharp. The universal pipeline works on RGBA;
// this file turns PNG, JPEG and WebP bytes into RGBA and back, keeping the input's format.
import type { Metadata, OutputInfo, Sharp } from 'sharp';
import { AigcError } from '../errors.js';
import { estimateJpegQuality } from '../metadata/jpeg-quality.js';
import { describeUnsupported, isImageFormat, sniffContainer, type ImageFormat } from '../metadata/sniff.js';
import { carryJpegSegments } from '../metadata/jpeg.js';
import { carryPngTextChunks } from '../metadata/png.js';
import { isLosslessWebp } from '../metadata/webp.js';
import { checkMaxPixels, checkOptions, checkPngCompression } from '../validate.js';
import { markedSamples16, rgbaFromSamples16 } from './deep-samples.js';
import { carriedDensity, setDensity } from './png-resolution.js';
import { loadSharp, type Sharp as SharpFactory } from './sharp.js';

export type { ImageFormat };

export interface ReadImageOptions {
  /** Decompression-bomb guard, in pixels (default DEFAULT_MAX_PIXELS, about 100 MP). */
  maxPixels?: number;
}

export interface DecodedImage {
  /** RGBA, 8 bits per channel, rows top to bottom, as the image is displayed (EXIF orientation applied). */
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
  format: ImageFormat;
  hasAlpha: boolean;
  /** Everything encodeImageFile needs to write the marked pixels back in the input's format. */
  source: ImageSource;
}

export interface ImageSource {
  bytes: Uint8Array;
  format: ImageFormat;
  /**
   * 'native': the pixels are the file's own RGB or grey values (its ICC profile is kept, not applied),
   * so the mark lands exactly where it was computed. 'srgb': CMYK and other spaces are converted to sRGB.
   */
  colour: 'native' | 'srgb';
  /** JPEG only: the input's luma quality estimated from its quantisation table, and its chroma subsampling. */
  jpegQuality: number | null;
  chromaSubsampling: string | null;
  /** WebP only: whether the input was lossless (VP8L). */
  webpLossless: boolean;
  /** The input had an alpha channel (otherwise none is added on output). */
  hasAlpha: boolean;
  /** The input was greyscale (it stays greyscale; the mark is in luma, so nothing is lost). */
  grey: boolean;
  /** 16 bits per sample: the output keeps the depth (the marked values are 8-bit, scaled). */
  sixteenBit: boolean;
  /**
   * A 16-bit PNG's own samples (interleaved grey, grey and alpha, RGB or RGBA, `channels` per
   * pixel) when it has no EXIF, ICC or XMP: the marked file is written from them, the marked 8-bit
   * value over each one's low byte (deep-samples.ts), so the depth survives. `fine`: some sample uses its
   * low byte (the file was not widened from 8 bits).
   */
  samples16: { data: Uint16Array; channels: number; fine: boolean } | null;
  /** Which metadata blocks the input carried; sharp's keepExif() would invent an EXIF block otherwise. */
  has: { exif: boolean; icc: boolean; xmp: boolean };
  maxPixels: number;
}

/** The container, if it is one of the three image formats (by its first bytes; nothing is decoded). */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  const format = sniffContainer(bytes);
  return isImageFormat(format) ? format : null;
}

/** Maps sharp's error text onto our codes; sharp has no error codes of its own. */
function sharpError(e: unknown, format: ImageFormat, maxPixels: number): AigcError {
  if (e instanceof AigcError) return e;
  const message = (e as Error)?.message ?? String(e);
  if (/pixel limit/i.test(message)) {
    return new AigcError('IMAGE_TOO_LARGE', `The image is over the ${maxPixels}-pixel limit (${message}).`, { cause: e });
  }
  return new AigcError('CORRUPT_FILE', `The ${format.toUpperCase()} file is damaged or truncated: ${message}`, { cause: e });
}

function open(sharp: SharpFactory, bytes: Uint8Array, maxPixels: number): Sharp {
  // failOn 'warning' (sharp's strictest) turns truncated scans and bad CRCs into errors instead of grey blocks.
  return sharp(bytes, { limitInputPixels: Math.max(1, Math.floor(maxPixels)), failOn: 'warning', autoOrient: true, sequentialRead: true });
}

/** Reads a PNG, JPEG or WebP file into RGBA. Throws UNSUPPORTED_FORMAT, CORRUPT_FILE or IMAGE_TOO_LARGE. */
export async function decodeImageFile(bytes: Uint8Array, options: ReadImageOptions = {}): Promise<DecodedImage> {
  const maxPixels = checkMaxPixels(checkOptions(options, ['maxPixels'], 'decodeImageFile').maxPixels);
  const format = sniffImageFormat(bytes);
  if (format === null) {
    throw new AigcError('UNSUPPORTED_FORMAT', `This is ${describeUnsupported(bytes)}; aigc-mark handles PNG, JPEG and WebP images.`);
  }
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw sharpError(e, format, maxPixels);
  }
  if (meta.format !== format) {
    throw new AigcError('CORRUPT_FILE', `The file starts like ${format.toUpperCase()} but decodes as ${meta.format}.`);
  }
  if ((meta.pages ?? 1) > 1) {
    throw new AigcError('UNSUPPORTED_FORMAT', `Animated ${format.toUpperCase()} (${meta.pages} frames) is not supported yet.`);
  }
  // Our own check from the header alone, before a single pixel is decoded.
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (!(width > 0 && height > 0)) throw new AigcError('CORRUPT_FILE', `The ${format.toUpperCase()} header has no valid size.`);
  if (width * height > maxPixels) {
    throw new AigcError(
      'IMAGE_TOO_LARGE',
      `The image is ${width}×${height} (${((width * height) / 1e6).toFixed(1)} MP), over the ${(maxPixels / 1e6).toFixed(1)} MP limit; raise --max-pixels if you trust this file.`,
    );
  }
  const colour = meta.space === 'srgb' || meta.space === 'rgb16' || meta.space === 'b-w' || meta.space === 'grey16' ? 'native' : 'srgb';
  const source: ImageSource = {
    bytes,
    format,
    colour,
    jpegQuality: format === 'jpeg' ? estimateJpegQuality(bytes) : null,
    chromaSubsampling: meta.chromaSubsampling ?? null,
    webpLossless: format === 'webp' && isLosslessWebp(bytes),
    hasAlpha: meta.hasAlpha,
    grey: meta.space === 'b-w' || meta.space === 'grey16',
    sixteenBit: meta.depth === 'ushort',
    samples16: null,
    has: { exif: meta.exif !== undefined, icc: meta.icc !== undefined, xmp: meta.xmp !== undefined },
    maxPixels,
  };
  let pipeline = open(sharp, bytes, maxPixels);
  if (colour === 'native') pipeline = pipeline.keepIccProfile();
  // A 16-bit PNG written back from raw samples keeps its own 16-bit samples (deep-samples.ts).
  const deep = source.sixteenBit && deepPngDensity(source, 'png') !== null;
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await (deep ? pipeline.toColourspace(source.grey ? 'grey16' : 'rgb16').raw({ depth: 'ushort' }) : pipeline.toColourspace('srgb').ensureAlpha().raw({ depth: 'uchar' })).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw sharpError(e, format, maxPixels);
  }
  const { data, info } = decoded;
  const channels = deep ? (source.grey ? 1 : 3) + (meta.hasAlpha ? 1 : 0) : 4;
  if (info.channels !== channels || data.length !== info.width * info.height * channels * (deep ? 2 : 1)) {
    throw new AigcError('CORRUPT_FILE', `Decoding gave ${info.channels} channels at ${info.width}×${info.height}; expected ${channels}.`);
  }
  let rgba: Uint8ClampedArray;
  if (deep) {
    const samples = new Uint16Array(data.buffer, data.byteOffset, data.length / 2);
    const eight = rgbaFromSamples16(samples, info.width * info.height, channels);
    source.samples16 = { data: samples, channels, fine: eight.fine };
    rgba = eight.rgba;
  } else {
    rgba = new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
  }
  return { rgba, width: info.width, height: info.height, format, hasAlpha: meta.hasAlpha, source };
}

/**
 * JPEG output quality. The mark is luma-only and is built to survive a later q75 4:2:0
 * re-encode by someone else; our own encode should spend as little of that margin as
 * possible, so we never go below 90 (at 90 the luma quantisers for the u+v ≤ 2 coefficients
 * that carry the mark are 2–3, a fraction of the mark's amplitude). Above 90 we follow the
 * input, so a q98 master is not degraded, capped at 97 where files grow fast for nothing.
 */
export function chooseJpegQuality(inputQuality: number | null): number {
  return Math.min(97, Math.max(90, Math.round(inputQuality ?? 92)));
}

export interface EncodeImageOptions {
  /** PNG only: zlib level 0-9 (default DEFAULT_PNG_COMPRESSION); lower is faster, higher smaller. */
  pngCompression?: number;
}

/**
 * Encodes marked RGBA back into the source's format (or `format`), keeping its ICC profile,
 * EXIF and XMP. Into JPEG, which has no alpha, a transparent source is laid over white.
 */
export async function encodeImageFile(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  source: ImageSource,
  format: ImageFormat = source.format,
  options: EncodeImageOptions = {},
): Promise<Uint8Array> {
  const { pngCompression } = checkOptions(options, ['pngCompression'], 'encodeImageFile');
  const compressionLevel = checkPngCompression(pngCompression);
  const sharp = await loadSharp();
  // A PNG without EXIF, ICC or XMP goes straight from raw samples to the encoder: a 16-bit one from
  // its own samples under the marked values, a plain opaque 8-bit RGB one from the marked pixels. Anything
  // else is laid over the input, which carries its metadata and colour interpretation (overInput).
  const own = source.samples16 && source.samples16.data.length === width * height * source.samples16.channels ? source.samples16 : null;
  const density = own ? deepPngDensity(source, format) : rawPngDensity(source, format);
  const deep = own && density ? { samples: markedSamples16(own.data, rgba, width * height, own.channels), channels: own.channels as 1 | 2 | 3 | 4, fine: own.fine } : null;
  let pipeline = deep
    ? sharp(deep.samples, { raw: { width, height, channels: deep.channels }, limitInputPixels: false })
    : density
      ? sharp(rgba, { raw: { width, height, channels: 4 }, limitInputPixels: false })
      : overInput(sharp, rgba, width, height, source);
  // Marked RGBA carries alpha; drop it again when the input had none.
  if (!source.hasAlpha && !deep) pipeline = pipeline.removeAlpha();
  else if (format === 'jpeg') pipeline = pipeline.flatten({ background: '#ffffff' });
  // Only PNG holds 16 bits per sample; the other formats get the 8-bit values as they are.
  const sixteenBit = source.sixteenBit && format === 'png';
  if (source.grey) pipeline = pipeline.toColourspace(sixteenBit ? 'grey16' : 'b-w');
  else if (sixteenBit) pipeline = pipeline.toColourspace('rgb16');
  if (source.has.exif) pipeline = pipeline.keepExif();
  if (source.has.xmp) pipeline = pipeline.keepXmp();
  // A CMYK or Lab input was converted to sRGB on decode; its profile no longer describes the pixels.
  if (source.has.icc && source.colour === 'native') pipeline = pipeline.keepIccProfile();
  switch (format) {
    case 'png':
      // Adaptive filtering picks each row's filter by a byte-wise sum that the noisy low bytes of
      // true 16-bit samples defeat: on three 16-bit photos it cost 1.6-1.8x the encode time for files
      // from 12% larger to 21% smaller. Left at the default level, such a file is written without it.
      pipeline = pipeline.png({ compressionLevel, adaptiveFiltering: !(deep?.fine && pngCompression === undefined), palette: false });
      break;
    case 'jpeg':
      pipeline = pipeline.jpeg({
        quality: chooseJpegQuality(source.format === 'jpeg' ? source.jpegQuality : null),
        // Keep the input's chroma layout: the mark lives in luma, so 4:2:0 costs it nothing.
        chromaSubsampling: source.chromaSubsampling === '4:2:0' ? '4:2:0' : '4:4:4',
        optimiseCoding: true,
      });
      break;
    case 'webp':
      // A lossless source (PNG, lossless WebP) stays lossless.
      pipeline = (source.format === 'webp' ? source.webpLossless : source.format === 'png')
        ? pipeline.webp({ lossless: true, exact: true })
        : pipeline.webp({ quality: 90, alphaQuality: 100, smartSubsample: true, exact: true });
      break;
  }
  let out: Buffer;
  try {
    out = await pipeline.toBuffer();
  } catch (e) {
    throw sharpError(e, format, source.maxPixels);
  }
  const bytes = new Uint8Array(out.buffer, out.byteOffset, out.length);
  const placed = density ? setDensity(bytes, density) : bytes;
  // sharp keeps EXIF, ICC and XMP; the input's other text (a PNG's generation parameters and
  // comments, a JPEG's comments and IPTC) is copied over from the input, byte for byte.
  if (format !== source.format) return placed;
  return format === 'png' ? carryPngTextChunks(source.bytes, placed) : format === 'jpeg' ? carryJpegSegments(source.bytes, placed) : placed;
}

/**
 * The pHYs data to give a PNG written from the raw marked pixels, or null when they must be laid
 * over the input instead: the raw pixels carry none of the input's EXIF, ICC profile or XMP,
 * laying over premultiplies colour under alpha (so an alpha source's bytes would change), and
 * grey goes through sharp's conversion of the composite. Written from raw, the pixels come out
 * the same, byte for byte, as laid over the input, and at a fraction of the work.
 */
function rawPngDensity(source: ImageSource, format: ImageFormat): Uint8Array | null {
  if (source.hasAlpha || source.grey) return null;
  return deepPngDensity(source, format);
}

/**
 * The pHYs data for a PNG written from raw samples at the input's own depth (deep-samples.ts), or
 * null when it must be laid over the input: its EXIF, ICC profile and XMP come only that way. Raw
 * 16-bit samples need no premultiplication or grey conversion, so grey and alpha are written raw too.
 */
function deepPngDensity(source: ImageSource, format: ImageFormat): Uint8Array | null {
  if (format !== 'png' || source.format !== 'png' || source.colour !== 'native') return null;
  if (source.has.exif || source.has.icc || source.has.xmp) return null;
  return carriedDensity(source.bytes);
}

/**
 * Opens the input again and lays the marked pixels over it with blend 'source' (a plain copy):
 * this is the one way sharp keeps the input's EXIF, ICC and XMP byte for byte, and writes the
 * output in the input's own colour interpretation (grey stays grey, 16-bit PNG stays 16-bit).
 * The copy replaces every pixel underneath, so only the top-left pixel of the input is decoded
 * and stretched to size (a sequential read stops after its first rows): the file comes out the
 * same, byte for byte, as over the whole decoded input, for a fraction of the work.
 * Premultiplication rounds colour by at most 1 where alpha ≥ 32; alpha itself is exact.
 */
function overInput(sharp: SharpFactory, rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, source: ImageSource): Sharp {
  const overlay = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return open(sharp, source.bytes, source.maxPixels)
    .extract({ left: 0, top: 0, width: 1, height: 1 })
    .extend({ right: width - 1, bottom: height - 1, extendWith: 'copy' })
    .composite([{ input: overlay, raw: { width, height, channels: 4 }, blend: 'source' }]);
}
