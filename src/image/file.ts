// Node-only: image files in and out through sharp. The universal pipeline works on RGBA;
// this file turns PNG, JPEG and WebP bytes into RGBA and back, keeping the input's format.
import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import { AigcError } from '../errors.js';
import { DEFAULT_MAX_PIXELS } from './limits.js';

// libvips caches operations keyed on input buffer addresses; a freed buffer reused at the same
// address with new pixels can then hit a stale entry (seen with concurrent encodes in tests).
// Every pipeline here runs once per file, so the cache buys nothing and costs correctness.
sharp.cache(false);

export type ImageFormat = 'png' | 'jpeg' | 'webp';

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
  /** Which metadata blocks the input carried; sharp's keepExif() would invent an EXIF block otherwise. */
  has: { exif: boolean; icc: boolean; xmp: boolean };
  maxPixels: number;
}

/** Sniffs the container from its first bytes; only these three are handled. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  return null;
}

/** Names what a rejected file looks like, so the error can say more than "unknown". */
function describeUnsupported(bytes: Uint8Array): string {
  const head = ascii(bytes, 0, 12);
  if (head.startsWith('GIF8')) return 'GIF';
  if (head.startsWith('II*\0') || head.startsWith('MM\0*')) return 'TIFF';
  if (head.startsWith('BM')) return 'BMP';
  if (ascii(bytes, 4, 4) === 'ftyp') return 'HEIF/AVIF';
  if (/^\s*<(\?xml|svg)/i.test(new TextDecoder().decode(bytes.subarray(0, 64)))) return 'SVG';
  return 'an unrecognised file';
}

function ascii(bytes: Uint8Array, at: number, n: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + n));
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

function open(bytes: Uint8Array, maxPixels: number): Sharp {
  // failOn 'warning' (sharp's strictest) turns truncated scans and bad CRCs into errors instead of grey blocks.
  return sharp(bytes, { limitInputPixels: Math.max(1, Math.floor(maxPixels)), failOn: 'warning', autoOrient: true, sequentialRead: true });
}

/** Reads a PNG, JPEG or WebP file into RGBA. Throws UNSUPPORTED_FORMAT, CORRUPT_FILE or IMAGE_TOO_LARGE. */
export async function decodeImageFile(bytes: Uint8Array, options: ReadImageOptions = {}): Promise<DecodedImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!(Number.isFinite(maxPixels) && maxPixels > 0)) {
    throw new AigcError('BAD_OPTION', `maxPixels must be a positive number, got ${maxPixels}.`);
  }
  const format = sniffImageFormat(bytes);
  if (format === null) {
    throw new AigcError('UNSUPPORTED_FORMAT', `This is ${describeUnsupported(bytes)}; aigc-mark handles PNG, JPEG and WebP images.`);
  }
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
  let pipeline = open(bytes, maxPixels);
  if (colour === 'native') pipeline = pipeline.keepIccProfile();
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await pipeline.toColourspace('srgb').ensureAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw sharpError(e, format, maxPixels);
  }
  const { data, info } = decoded;
  if (info.channels !== 4 || data.length !== info.width * info.height * 4) {
    throw new AigcError('CORRUPT_FILE', `Decoding gave ${info.channels} channels at ${info.width}×${info.height}; expected RGBA.`);
  }
  return {
    rgba: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
    format,
    hasAlpha: meta.hasAlpha,
    source: {
      bytes,
      format,
      colour,
      jpegQuality: format === 'jpeg' ? estimateJpegQuality(bytes) : null,
      chromaSubsampling: meta.chromaSubsampling ?? null,
      webpLossless: format === 'webp' && isLosslessWebp(bytes),
      hasAlpha: meta.hasAlpha,
      grey: meta.space === 'b-w' || meta.space === 'grey16',
      sixteenBit: meta.depth === 'ushort',
      has: { exif: meta.exif !== undefined, icc: meta.icc !== undefined, xmp: meta.xmp !== undefined },
      maxPixels,
    },
  };
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

/** Encodes marked RGBA back into the source's format, keeping its ICC profile, EXIF and XMP. */
export async function encodeImageFile(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, source: ImageSource): Promise<Uint8Array> {
  const overlay = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  // Decode the input again and lay the marked pixels over it with blend 'source' (a plain copy):
  // this is the one way sharp keeps the input's EXIF, ICC and XMP byte for byte, and writes the
  // output in the input's own colour interpretation (grey stays grey, 16-bit PNG stays 16-bit).
  // Premultiplication rounds colour by at most 1 where alpha ≥ 32; alpha itself is exact.
  let pipeline = open(source.bytes, source.maxPixels).composite([{ input: overlay, raw: { width, height, channels: 4 }, blend: 'source' }]);
  // composite always adds an alpha band; drop it again when the input had none.
  if (!source.hasAlpha) pipeline = pipeline.removeAlpha();
  if (source.grey) pipeline = pipeline.toColourspace(source.sixteenBit ? 'grey16' : 'b-w');
  else if (source.sixteenBit) pipeline = pipeline.toColourspace('rgb16');
  if (source.has.exif) pipeline = pipeline.keepExif();
  if (source.has.xmp) pipeline = pipeline.keepXmp();
  // A CMYK or Lab input was converted to sRGB on decode; its profile no longer describes the pixels.
  if (source.has.icc && source.colour === 'native') pipeline = pipeline.keepIccProfile();
  switch (source.format) {
    case 'png':
      pipeline = pipeline.png({ compressionLevel: 9, adaptiveFiltering: true, palette: false });
      break;
    case 'jpeg':
      pipeline = pipeline.jpeg({
        quality: chooseJpegQuality(source.jpegQuality),
        // Keep the input's chroma layout: the mark lives in luma, so 4:2:0 costs it nothing.
        chromaSubsampling: source.chromaSubsampling === '4:2:0' ? '4:2:0' : '4:4:4',
        optimiseCoding: true,
      });
      break;
    case 'webp':
      pipeline = source.webpLossless
        ? pipeline.webp({ lossless: true, exact: true })
        : pipeline.webp({ quality: 90, alphaQuality: 100, smartSubsample: true, exact: true });
      break;
  }
  try {
    const out = await pipeline.toBuffer();
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  } catch (e) {
    throw sharpError(e, source.format, source.maxPixels);
  }
}

// IJG standard luminance table (JPEG Annex K), in zigzag order as DQT stores it.
const STD_LUMA_ZIGZAG = [
  16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60,
  57, 51, 56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87, 95, 98, 103, 104, 103, 62, 77, 113, 121, 112,
  100, 120, 92, 101, 103, 99,
];

/** Estimates IJG quality from the first DQT table (the luma one); null when there is none. */
export function estimateJpegQuality(bytes: Uint8Array): number | null {
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1];
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
      i += marker === 0xff ? 1 : 2;
      continue;
    }
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    if (marker === 0xda || marker === 0xd9 || length < 2) return null;
    if (marker === 0xdb) {
      let p = i + 4;
      const end = Math.min(i + 2 + length, bytes.length);
      while (p < end) {
        const precision = bytes[p] >> 4;
        const id = bytes[p] & 15;
        const size = precision ? 128 : 64;
        if (p + 1 + size > end) return null;
        if (id === 0) {
          let sum = 0;
          let std = 0;
          for (let k = 0; k < 64; k++) {
            sum += precision ? (bytes[p + 1 + 2 * k] << 8) | bytes[p + 2 + 2 * k] : bytes[p + 1 + k];
            std += STD_LUMA_ZIGZAG[k];
          }
          const scale = (100 * sum) / std;
          const q = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
          return Math.max(1, Math.min(100, Math.round(q)));
        }
        p += 1 + size;
      }
    }
    i += 2 + length;
  }
  return null;
}

/** True when a WebP holds a VP8L (lossless) bitstream, directly or inside VP8X. */
export function isLosslessWebp(bytes: Uint8Array): boolean {
  let p = 12;
  while (p + 8 <= bytes.length) {
    const id = ascii(bytes, p, 4);
    if (id === 'VP8L') return true;
    if (id === 'VP8 ') return false;
    const size = (bytes[p + 4] | (bytes[p + 5] << 8) | (bytes[p + 6] << 16) | (bytes[p + 7] << 24)) >>> 0;
    p += 8 + size + (size & 1);
  }
  return false;
}
