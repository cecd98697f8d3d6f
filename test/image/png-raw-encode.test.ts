import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImageFile, encodeImageFile } from '../../src/image/file.js';
import { crc32 } from '../../src/payload/crc32.js';
import { texture } from '../cli/helpers.js';

// A plain opaque RGB PNG is written from the raw marked pixels. At 8 bits the file must be the
// one sharp writes when the same pixels are laid over the input (which carries its density); at
// 16 bits it is the marked values over the input's own low bytes (src/image/deep-samples.ts).
const W = 300;
const H = 200;

/** Every 8-bit value in every channel, in a pattern unlike the input's, so no input pixel can pass for a marked one. */
function markedPixels(): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    rgba[i * 4] = i & 255;
    rgba[i * 4 + 1] = (i * 7 + 3) & 255;
    rgba[i * 4 + 2] = 255 - ((i >> 3) & 255);
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

/** The PNG with its pHYs chunk replaced by `phys` (x, y, unit), or removed when null. */
function withPhys(png: Uint8Array, phys: [number, number, number] | null): Uint8Array {
  const parts: Uint8Array[] = [png.subarray(0, 8)];
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type !== 'pHYs') parts.push(png.subarray(at, at + 12 + length));
    if (type === 'IHDR' && phys) {
      const chunk = new Uint8Array(21);
      const c = new DataView(chunk.buffer);
      c.setUint32(0, 9);
      chunk.set([0x70, 0x48, 0x59, 0x73], 4);
      c.setUint32(8, phys[0]);
      c.setUint32(12, phys[1]);
      chunk[16] = phys[2];
      c.setUint32(17, crc32(chunk.subarray(4, 17)));
      parts.push(chunk);
    }
    at += 12 + length;
  }
  return Buffer.concat(parts);
}

/** The marked pixels laid over the input with sharp, as the encoder does for any other file. */
async function laidOver(input: Uint8Array, rgba: Uint8ClampedArray, sixteenBit: boolean): Promise<Uint8Array> {
  let pipeline = sharp(input)
    .extract({ left: 0, top: 0, width: 1, height: 1 })
    .extend({ right: W - 1, bottom: H - 1, extendWith: 'copy' })
    .composite([{ input: Buffer.from(rgba.buffer), raw: { width: W, height: H, channels: 4 }, blend: 'source' }])
    .removeAlpha();
  if (sixteenBit) pipeline = pipeline.toColourspace('rgb16');
  return pipeline.png({ compressionLevel: 3, adaptiveFiltering: true, palette: false }).toBuffer();
}

/** The 9 data bytes of a PNG's pHYs chunk, or null. */
function physOf(png: Uint8Array): string | null {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 8; at < png.length; at += 12 + view.getUint32(at)) {
    if (String.fromCharCode(...png.subarray(at + 4, at + 8)) === 'pHYs') return Buffer.from(png.subarray(at + 8, at + 17)).toString('hex');
  }
  return null;
}

async function inputPng(sixteenBit: boolean, phys: readonly [number, number, number] | null): Promise<Uint8Array> {
  let base = sharp(texture(W, H), { raw: { width: W, height: H, channels: 4 } }).removeAlpha();
  if (sixteenBit) base = base.toColourspace('rgb16');
  // Fine 16-bit detail under the 8-bit values, as a true 16-bit photo has.
  if (sixteenBit) base = sharp(await base.raw({ depth: 'ushort' }).toBuffer().then((b) => {
    const v = new Uint16Array(b.buffer, b.byteOffset, b.length / 2);
    for (let i = 0; i < v.length; i++) v[i] = (v[i] & 0xff00) | ((i * 37) & 0xff);
    return v;
  }), { raw: { width: W, height: H, channels: 3 } }).toColourspace('rgb16');
  return withPhys(new Uint8Array(await base.png().toBuffer()), phys ? [...phys] : null);
}

const samples16 = async (png: Uint8Array, kind: 'rgb' | 'grey' | 'rgba' = 'rgb') => {
  const b = await sharp(png).toColourspace(kind === 'grey' ? 'grey16' : 'rgb16').raw({ depth: 'ushort' }).toBuffer();
  return new Uint16Array(b.buffer, b.byteOffset, b.length / 2);
};

/** A 16-bit grey or RGBA PNG whose samples use their low bytes. */
async function fine16(kind: 'grey' | 'rgba'): Promise<Uint8Array> {
  const n = kind === 'grey' ? 1 : 4;
  const rgba = texture(W, H, kind === 'rgba');
  const v = new Uint16Array(W * H * n);
  for (let p = 0; p < W * H; p++) {
    for (let c = 0; c < n; c++) v[p * n + c] = (rgba[p * 4 + (kind === 'grey' ? 1 : c)] << 8) | ((p * 37 + c * 11) & 0xff);
  }
  return new Uint8Array(await sharp(v, { raw: { width: W, height: H, channels: n } }).toColourspace(kind === 'grey' ? 'grey16' : 'rgb16').png().toBuffer());
}

describe('PNG written from the raw marked pixels', () => {
  it.each([
    ['8-bit, no density', false, null],
    ['8-bit at 300 dpi', false, [11811, 11811, 1]],
    ['16-bit with a unit-less aspect', true, [3, 2, 0]],
  ] as const)('%s: the same bytes as laid over the input', async (_name, sixteenBit, phys) => {
    const input = await inputPng(sixteenBit, phys);
    const image = await decodeImageFile(input);
    expect(image.source.sixteenBit).toBe(sixteenBit);
    const rgba = markedPixels();
    const out = await encodeImageFile(rgba, W, H, image.source);
    expect(Buffer.from(out).equals(Buffer.from(await laidOver(input, rgba, sixteenBit)))).toBe(true);
    const meta = await sharp(out).metadata();
    expect([meta.depth, meta.channels]).toEqual([sixteenBit ? 'ushort' : 'uchar', 3]);
  });

  it.each([
    ['RGB, no density', 'rgb', null],
    ['RGB, an odd density', 'rgb', [3779, 3000, 1]],
    ['grey', 'grey', null],
    ['RGBA', 'rgba', null],
  ] as const)('16-bit %s: the marked values over the input\'s own low bytes; untouched samples exact', async (_name, kind, phys) => {
    const input = kind === 'rgb' ? await inputPng(true, phys) : await fine16(kind);
    const image = await decodeImageFile(input);
    const n = kind === 'grey' ? 1 : kind === 'rgb' ? 3 : 4;
    const own = await samples16(input, kind);
    expect(own.length).toBe(W * H * n);
    // Decoding gives each sample's high byte, as sharp converts 16 to 8 bits (grey into R, G and B).
    expect(Array.from(image.rgba.subarray(0, 4))).toEqual(kind === 'grey' ? [own[0] >> 8, own[0] >> 8, own[0] >> 8, 255] : [own[0] >> 8, own[1] >> 8, own[2] >> 8, kind === 'rgba' ? own[3] >> 8 : 255]);
    // Mark every other pixel: +2 in R, G and B (grey stays grey), clamped at 255.
    const marked = new Uint8ClampedArray(image.rgba);
    for (let p = 0; p < W * H; p += 2) for (let c = 0; c < 3; c++) marked[p * 4 + c] += 2;
    const out = await encodeImageFile(marked, W, H, image.source);
    const got = await samples16(out, kind);
    const at = n === 1 ? [0] : n === 3 ? [0, 1, 2] : [0, 1, 2, 3];
    for (let p = 0; p < W * H; p++) {
      for (let c = 0; c < n; c++) {
        const want = (marked[p * 4 + at[c]] << 8) | (own[p * n + c] & 0xff);
        if (got[p * n + c] !== want) throw new Error(`pixel ${p} channel ${c}: ${got[p * n + c]}, expected ${want}`);
      }
    }
    expect(got[n]).toBe(own[n]); // pixel 1 is unmarked: its 16-bit samples come back exactly
    const meta = await sharp(out).metadata();
    expect([meta.depth, meta.channels, meta.hasAlpha]).toEqual(['ushort', n, kind === 'rgba']);
    if (kind === 'rgb') expect(physOf(out)).toBe(physOf(await laidOver(input, marked, true)));
  });

  it('16-bit: a file widened from 8 bits keeps adaptive filtering; true 16-bit samples are written unfiltered unless a level is given', async () => {
    // Widened as ImageMagick widens 8-bit values: v × 257.
    const eight = await sharp(texture(W, H), { raw: { width: W, height: H, channels: 4 } }).removeAlpha().raw().toBuffer();
    const wide = Uint16Array.from(eight, (v) => v * 257);
    const widened = await decodeImageFile(await sharp(wide, { raw: { width: W, height: H, channels: 3 } }).toColourspace('rgb16').png().toBuffer());
    expect(widened.source.samples16?.fine).toBe(false);
    const fine = await decodeImageFile(await inputPng(true, null));
    expect(fine.source.samples16?.fine).toBe(true);
    const rowFilters = (png: Uint8Array) => {
      const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
      const idat: Uint8Array[] = [];
      for (let at = 8; at < png.length; at += 12 + view.getUint32(at)) {
        if (String.fromCharCode(...png.subarray(at + 4, at + 8)) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + view.getUint32(at)));
      }
      const rows = inflateSync(Buffer.concat(idat));
      const stride = 1 + W * 6;
      return new Set(Array.from({ length: H }, (_, y) => rows[y * stride]));
    };
    expect(rowFilters(await encodeImageFile(fine.rgba, W, H, fine.source))).toEqual(new Set([0]));
    expect(rowFilters(await encodeImageFile(fine.rgba, W, H, fine.source, 'png', { pngCompression: 3 })).size).toBeGreaterThan(1);
    expect(rowFilters(await encodeImageFile(widened.rgba, W, H, widened.source)).size).toBeGreaterThan(1);
  });
});

