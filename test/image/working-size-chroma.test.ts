import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { createLabel, detectImage, embedImage } from '../../src/node.js';
import { WORKING } from '../../src/image/tuning.js';
import { landscape } from '../../bench/image/procedural.js';

const label = createLabel({ producer: '001191440300708461136T1XGW3', produceId: 'AM0000001' });
const shippedGain = WORKING.chroma.gain;
afterEach(() => {
  WORKING.chroma.gain = shippedGain;
});

/** Marked with the working-size layer's blue–yellow part at `gain` (0: luma only). */
async function markedAt(gain: number, rgba: Uint8ClampedArray, width: number, height: number) {
  WORKING.chroma.gain = gain;
  return embedImage(rgba, width, height, label);
}

/** Resized so the long side is `side` (lanczos3), then WebP q75 or JPEG 4:2:0 q85, decoded. */
async function served(rgba: Uint8ClampedArray, width: number, height: number, side: number, codec: 'webp' | 'jpeg') {
  const resized = sharp(Buffer.from(rgba), { raw: { width, height, channels: 4 } }).resize(side, side, { fit: 'inside' });
  const bytes = codec === 'webp' ? await resized.webp({ quality: 75 }).toBuffer() : await resized.jpeg({ quality: 85, chromaSubsampling: '4:2:0' }).toBuffer();
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const luma = (p: ArrayLike<number>, i: number) => 0.299 * p[4 * i] + 0.587 * p[4 * i + 1] + 0.114 * p[4 * i + 2];

describe('working-size layer, blue–yellow part', () => {
  const [w, h] = [2400, 1500];
  const host = landscape(w, h, 5).data;

  it('moves B, and R and G against it so that luma stays as the luma-only mark has it', async () => {
    const plain = await markedAt(0, host, w, h);
    const chroma = await markedAt(shippedGain, host, w, h);
    let blueApart = 0;
    let lumaAlongBlue = 0;
    let lumaMoved = 0;
    for (let i = 0; i < w * h; i++) {
      const dBlue = chroma.rgba[4 * i + 2] - plain.rgba[4 * i + 2];
      blueApart += dBlue * dBlue;
      lumaAlongBlue += (luma(chroma.rgba, i) - luma(plain.rgba, i)) * dBlue;
      lumaMoved += (luma(plain.rgba, i) - luma(host, i)) ** 2;
    }
    // The blue–yellow part is several times the layer's luma change...
    expect(blueApart).toBeGreaterThan(4 * lumaMoved);
    // ...and none of it shows in luma: B alone would move luma by 0.114 per level (only rounding is left here).
    expect(Math.abs(lumaAlongBlue / blueApart)).toBeLessThan(0.02);
    expect(chroma.psnr).toBeLessThan(plain.psnr);
  });

  it('is what reads a 720 px WebP q75 copy that the luma-only layer loses', async () => {
    for (const [gain, readable] of [[0, false], [shippedGain, true]] as const) {
      const marked = await markedAt(gain, host, w, h);
      const small = await served(marked.rgba, w, h, 720, 'webp');
      const found = await detectImage(small.data, small.width, small.height);
      expect(found.found).toBe(readable);
      if (readable) {
        expect(found.payload).toEqual(marked.payload);
        expect(found.layer).toBe('working-size');
      }
    }
  });

  it('still reads a mark with no blue–yellow part (a luma-only mark) after 480 px + JPEG q85', async () => {
    const marked = await markedAt(0, host, w, h);
    const small = await served(marked.rgba, w, h, 480, 'jpeg');
    const found = await detectImage(small.data, small.width, small.height);
    expect(found.payload).toEqual(marked.payload);
    expect(found.layer).toBe('working-size');
  });

  it('eases off near the top of B, where clipping would show: a pale sky takes no blue–yellow change', async () => {
    const white = new Uint8ClampedArray(w * h * 4).fill(255);
    // B 3 levels under white; a faint ramp in R and G keeps the mask from treating the frame as empty.
    for (let i = 0; i < w * h; i++) {
      white[4 * i] = white[4 * i + 1] = 230 + ((i % w) % 16);
      white[4 * i + 2] = 252;
    }
    const marked = await markedAt(shippedGain, white, w, h);
    let rgApart = 0;
    for (let i = 0; i < w * h; i++) rgApart = Math.max(rgApart, Math.abs(marked.rgba[4 * i] - white[4 * i] - (marked.rgba[4 * i + 2] - white[4 * i + 2])));
    // R and B move together (luma alone): the blue–yellow part, 4.5× the layer's ΔY unshaped, is gone but for rounding.
    expect(rgApart).toBeLessThanOrEqual(1);
  });

  it('keeps a gray image gray (R = G = B everywhere), and still reads it after 720 px + JPEG q85', async () => {
    const gray = new Uint8ClampedArray(host);
    for (let i = 0; i < w * h; i++) gray[4 * i] = gray[4 * i + 1] = gray[4 * i + 2] = Math.round(luma(host, i));
    const marked = await markedAt(shippedGain, gray, w, h);
    for (let i = 0; i < w * h; i++) {
      if (marked.rgba[4 * i] !== marked.rgba[4 * i + 1] || marked.rgba[4 * i + 1] !== marked.rgba[4 * i + 2]) throw new Error(`pixel ${i} is no longer gray`);
    }
    const small = await served(marked.rgba, w, h, 720, 'jpeg');
    expect((await detectImage(small.data, small.width, small.height)).payload).toEqual(marked.payload);
  });
});
