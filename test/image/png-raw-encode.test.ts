import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImageFile, encodeImageFile } from '../../src/image/file.js';
import { crc32 } from '../../src/payload/crc32.js';
import { texture } from '../cli/helpers.js';

// A plain opaque RGB PNG is written from the raw marked pixels; the file must be the one sharp
// writes when the same pixels are laid over the input (which carries its density and depth).
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

describe('PNG written from the raw marked pixels', () => {
  it.each([
    ['8-bit, no density', false, null],
    ['16-bit, no density', true, null],
    ['8-bit at 300 dpi', false, [11811, 11811, 1]],
    ['16-bit at an odd density', true, [3779, 3000, 1]],
    ['16-bit with a unit-less aspect', true, [3, 2, 0]],
  ] as const)('%s: the same bytes as laid over the input', async (_name, sixteenBit, phys) => {
    let base = sharp(texture(W, H), { raw: { width: W, height: H, channels: 4 } }).removeAlpha();
    if (sixteenBit) base = base.toColourspace('rgb16');
    const input = withPhys(new Uint8Array(await base.png().toBuffer()), phys ? [...phys] : null);
    const image = await decodeImageFile(input);
    expect(image.source.sixteenBit).toBe(sixteenBit);
    const rgba = markedPixels();
    const out = await encodeImageFile(rgba, W, H, image.source);
    expect(Buffer.from(out).equals(Buffer.from(await laidOver(input, rgba, sixteenBit)))).toBe(true);
    const meta = await sharp(out).metadata();
    expect([meta.depth, meta.channels]).toEqual([sixteenBit ? 'ushort' : 'uchar', 3]);
  });
});
