import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  chooseJpegQuality,
  decodeImageFile,
  encodeImageFile,
  sniffImageFormat,
} from '../../src/image/file.js';
import { estimateJpegQuality } from '../../src/metadata/jpeg-quality.js';
import { isLosslessWebp } from '../../src/metadata/webp.js';
import { createLabel, detectImage, embedImage } from '../../src/node.js';
import { hugePngHeader, rejectionCode, texture } from '../cli/helpers.js';

const W = 320;
const H = 256;
const label = createLabel({ producer: '001191440300708461136T1XGW3', produceId: 'AM0000013' });
const raw = (alpha = false) => sharp(texture(W, H, alpha), { raw: { width: W, height: H, channels: 4 } });

async function roundTrip(bytes: Uint8Array) {
  const image = await decodeImageFile(bytes);
  const marked = await embedImage(image.rgba, image.width, image.height, label);
  const out = await encodeImageFile(marked.rgba, image.width, image.height, image.source);
  const back = await decodeImageFile(out);
  const detection = await detectImage(back.rgba, back.width, back.height);
  return { image, out, back, detection };
}

// Sequential on purpose: embedImage/detectImage share WASM scratch across an await, so two
// concurrent calls in one thread can mix their pixels (reported to the engine owner).
describe('image files through sharp', { timeout: 30_000 }, () => {
  it.each([
    ['png', () => raw(true).png().toBuffer(), true],
    ['jpeg', () => raw().jpeg({ quality: 85 }).toBuffer(), false],
    ['webp', () => raw(true).webp({ quality: 85 }).toBuffer(), true],
    ['webp', () => raw(true).webp({ lossless: true }).toBuffer(), true],
  ] as const)('%s: keeps the format and alpha, and the mark survives our own encode', async (format, make, alpha) => {
    const input = new Uint8Array(await make());
    const { image, out, back, detection } = await roundTrip(input);
    expect(image.format).toBe(format);
    expect(sniffImageFormat(out)).toBe(format);
    expect([back.width, back.height]).toEqual([W, H]);
    expect(detection.found).toBe(true);
    expect(detection.payload?.content).toEqual({ kind: 'minted', produceId: label.ProduceID });
    const meta = await sharp(out).metadata();
    expect(meta.hasAlpha).toBe(alpha);
    expect(meta.channels).toBe(alpha ? 4 : 3);
    if (alpha) {
      for (let i = 3; i < image.rgba.length; i += 4) if (back.rgba[i] !== image.rgba[i]) throw new Error(`alpha changed at ${i}: ${image.rgba[i]} → ${back.rgba[i]}`);
    }
    if (format === 'webp') expect(isLosslessWebp(out)).toBe(isLosslessWebp(input));
  });

  it('keeps EXIF and the ICC profile, and marks the pixels in the file’s own colour space', async () => {
    const input = new Uint8Array(await raw().withIccProfile('p3').withExif({ IFD0: { Copyright: 'aigc-mark test' } }).jpeg({ quality: 95 }).toBuffer());
    const { image, out, detection } = await roundTrip(input);
    expect(image.source.colour).toBe('native');
    const meta = await sharp(out).metadata();
    expect(meta.icc?.equals((await sharp(input).metadata()).icc as Buffer)).toBe(true);
    expect(meta.exif?.includes('aigc-mark test')).toBe(true);
    expect(detection.found).toBe(true);
    // Same colours as the input (no sRGB conversion slipped in): mean absolute difference is tiny.
    const [a, b] = await Promise.all([input, out].map((f) => sharp(f).keepIccProfile().raw().toBuffer()));
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
    expect(sum / a.length).toBeLessThan(4); // an sRGB conversion of this P3 image moves it by ~10
  });

  it('writes exactly the marked pixels over the input, keeping its density and its 16 bits', async () => {
    for (const input of [await raw().withMetadata({ density: 300 }).png().toBuffer(), await raw().toColourspace('rgb16').png().toBuffer()]) {
      const image = await decodeImageFile(new Uint8Array(input));
      const marked = await embedImage(image.rgba, image.width, image.height, label);
      const out = await encodeImageFile(marked.rgba, image.width, image.height, image.source);
      const [inMeta, outMeta] = await Promise.all([sharp(input).metadata(), sharp(out).metadata()]);
      expect([outMeta.density, outMeta.depth]).toEqual([inMeta.density, inMeta.depth]);
      // Every pixel is the marked one, none the input's (16-bit values read back keep the 8-bit value in their high byte).
      const sixteen = inMeta.depth === 'ushort';
      const read = sixteen ? sharp(out).toColourspace('rgb16').raw({ depth: 'ushort' }) : sharp(out).raw();
      const { data: back, info } = await read.toBuffer({ resolveWithObject: true });
      const values = sixteen ? new Uint16Array(back.buffer, back.byteOffset, back.length / 2) : back;
      const n = info.channels;
      for (let p = 0; p < W * H; p++) {
        for (let c = 0; c < n; c++) {
          const v = sixteen ? values[p * n + c] >> 8 : values[p * n + c];
          if (v !== marked.rgba[p * 4 + c]) throw new Error(`pixel ${p} channel ${c}: ${values[p * n + c]}, marked ${marked.rgba[p * 4 + c]}`);
        }
      }
    }
  });

  it('adds no metadata the input did not have', async () => {
    const { out } = await roundTrip(new Uint8Array(await raw().png().toBuffer()));
    const meta = await sharp(out).metadata();
    expect([meta.exif, meta.icc, meta.xmp]).toEqual([undefined, undefined, undefined]);
  });

  it('applies EXIF orientation, so the mark is in the picture as displayed', async () => {
    const input = new Uint8Array(await raw().jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).toBuffer());
    const { image, out, detection } = await roundTrip(input);
    expect([image.width, image.height]).toEqual([H, W]);
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([H, W]);
    expect(meta.orientation ?? 1).toBe(1);
    expect(detection.found).toBe(true);
  });

  it('grayscale stays grayscale and still carries the mark', async () => {
    const input = new Uint8Array(await raw().removeAlpha().toColourspace('b-w').png().toBuffer());
    expect((await sharp(input).metadata()).channels).toBe(1);
    const { out, detection } = await roundTrip(input);
    expect((await sharp(out).metadata()).channels).toBe(1);
    expect(detection.found).toBe(true);
  });

  it.each([
    ['CMYK JPEG becomes sRGB', () => raw().removeAlpha().toColourspace('cmyk').jpeg({ quality: 92 }).toBuffer(), 'srgb', 'uchar', false],
    ['16-bit PNG stays 16-bit', () => raw().removeAlpha().toColourspace('rgb16').png().toBuffer(), 'rgb16', 'ushort', false],
    ['palette PNG becomes truecolour (quantising would erase the mark)', () => raw().png({ palette: true }).toBuffer(), 'srgb', 'uchar', false],
  ] as const)('%s, and carries the mark', async (_name, make, space, depth, palette) => {
    const { out, detection } = await roundTrip(new Uint8Array(await make()));
    const meta = await sharp(out).metadata();
    expect([meta.space, meta.depth, meta.isPalette]).toEqual([space, depth, palette]);
    expect(detection.found).toBe(true);
  });

  it('estimates JPEG quality from the quantisation table and never writes below 90', async () => {
    for (const q of [50, 75, 90, 95]) {
      const est = estimateJpegQuality(new Uint8Array(await raw().jpeg({ quality: q }).toBuffer()));
      expect(Math.abs((est ?? 0) - q)).toBeLessThanOrEqual(1);
    }
    expect(chooseJpegQuality(null)).toBe(92);
    expect(chooseJpegQuality(60)).toBe(90);
    expect(chooseJpegQuality(95)).toBe(95);
    expect(chooseJpegQuality(100)).toBe(97);
  });

  it('typed errors for bad input', async () => {
    const png = new Uint8Array(await raw().png().toBuffer());
    const jpg = new Uint8Array(await raw().jpeg().toBuffer());
    const webp = new Uint8Array(await raw().webp().toBuffer());
    const gif = new Uint8Array(await raw().gif().toBuffer());
    const tiff = new Uint8Array(await raw().tiff().toBuffer());
    expect(await rejectionCode(decodeImageFile(png.subarray(0, png.length / 2)))).toBe('CORRUPT_FILE');
    expect(await rejectionCode(decodeImageFile(jpg.subarray(0, jpg.length / 2)))).toBe('CORRUPT_FILE');
    expect(await rejectionCode(decodeImageFile(webp.subarray(0, webp.length / 2)))).toBe('CORRUPT_FILE');
    expect(await rejectionCode(decodeImageFile(gif))).toBe('UNSUPPORTED_FORMAT');
    expect(await rejectionCode(decodeImageFile(tiff))).toBe('UNSUPPORTED_FORMAT');
    expect(await rejectionCode(decodeImageFile(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')))).toBe('UNSUPPORTED_FORMAT');
    expect(await rejectionCode(decodeImageFile(new Uint8Array(0)))).toBe('UNSUPPORTED_FORMAT');
    expect(await rejectionCode(decodeImageFile(hugePngHeader(200_000, 200_000)))).toBe('IMAGE_TOO_LARGE');
    expect(await rejectionCode(decodeImageFile(png, { maxPixels: W * H - 1 }))).toBe('IMAGE_TOO_LARGE');
    expect(await rejectionCode(decodeImageFile(png, { maxPixels: 0 }))).toBe('BAD_OPTION');
    await expect(decodeImageFile(gif)).rejects.toThrow(/GIF/);
  });
});
