import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { createLabel, detectImage, embedImage, payloadFromLabel } from '../../src/node.js';
import { rejectionCode } from '../support/errors.js';
import { gradientImage, textPageImage, texturedImage } from '../support/images.js';

const PRODUCER = '001191440300708461136T1XGW3';
const label = createLabel({ producer: PRODUCER, produceId: 'AM0000011' });
const expected = payloadFromLabel(label, false);

async function jpegRoundTrip(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, quality: number) {
  const jpeg = await sharp(Buffer.from(rgba), { raw: { width, height, channels: 4 } })
    .jpeg({ quality, chromaSubsampling: '4:2:0' })
    .toBuffer();
  const { data } = await sharp(jpeg).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

/** The exact payload comes back from the attacked image, with the scale and angle (degrees) the detector undid. */
async function expectGeometryUndone(attacked: Sharp, scale: number, degrees: number) {
  const { data, info } = await attacked.raw().toBuffer({ resolveWithObject: true });
  const found = await detectImage(new Uint8Array(data), info.width, info.height);
  expect(found.payload).toEqual(expected);
  expect(found.geometry?.scale).toBeCloseTo(scale, 2);
  expect(((found.geometry?.angle ?? 0) * 180) / Math.PI).toBeCloseTo(degrees, 0);
}

describe('image watermark', () => {
  it('recovers the exact payload, including the minted ProduceID, after a plain round trip', async () => {
    const rgba = texturedImage(512, 384);
    const marked = await embedImage(rgba, 512, 384, label);
    expect(marked.psnr).toBeGreaterThan(42);
    const found = await detectImage(marked.rgba, 512, 384);
    expect(found.found).toBe(true);
    expect(found.payload).toEqual(expected);
    expect(found.payload?.content).toEqual({ kind: 'minted', produceId: label.ProduceID });
  });

  it('reads a text page after JPEG q75 and after brightness ×1.2, which saturates the paper and leaves the mark only in the ink', async () => {
    const [width, height] = [640, 480];
    const marked = await embedImage(textPageImage(width, height, 5), width, height, label);
    const brighter = Uint8Array.from(marked.rgba, (v, i) => (i % 4 === 3 ? v : Math.min(255, Math.round(v * 1.2))));
    for (const attacked of [await jpegRoundTrip(marked.rgba, width, height, 75), brighter]) {
      const found = await detectImage(attacked, width, height);
      expect(found.payload).toEqual(expected);
    }
  });

  it('survives JPEG q75 with 4:2:0 chroma on textured and flat gradient images', async () => {
    for (const rgba of [texturedImage(640, 480, 7), gradientImage(640, 480)]) {
      const marked = await embedImage(rgba, 640, 480, label);
      const attacked = await jpegRoundTrip(marked.rgba, 640, 480, 75);
      const found = await detectImage(attacked, 640, 480);
      expect(found.payload).toEqual(expected);
    }
  });

  it('finds the mark in a crop at an arbitrary offset', async () => {
    const width = 600;
    const height = 500;
    const marked = await embedImage(texturedImage(width, height, 3), width, height, label);
    const cropW = 333;
    const cropH = 277;
    const crop = new Uint8Array(cropW * cropH * 4);
    for (let y = 0; y < cropH; y++) {
      const from = ((y + 101) * width + 57) * 4;
      crop.set(marked.rgba.subarray(from, from + cropW * 4), y * cropW * 4);
    }
    const found = await detectImage(crop, cropW, cropH);
    expect(found.payload).toEqual(expected);
    expect(found.offset).not.toBeNull();
  });

  it('finds the mark after flips and quarter turns', async () => {
    const marked = await embedImage(texturedImage(480, 352, 11), 480, 352, label);
    const cases = [
      ['flip-horizontal', (s: Sharp) => s.flop()],
      ['turn-180', (s: Sharp) => s.rotate(180)],
      ['turn-90', (s: Sharp) => s.rotate(90)],
    ] as const;
    for (const [name, transform] of cases) {
      const { data, info } = await transform(sharp(Buffer.from(marked.rgba), { raw: { width: 480, height: 352, channels: 4 } }))
        .raw()
        .toBuffer({ resolveWithObject: true });
      const found = await detectImage(new Uint8Array(data), info.width, info.height);
      expect(found.payload).toEqual(expected);
      expect(found.orientation).toBe(name);
    }
  });

  it('undoes scaling and rotation read off the tile lattice', async () => {
    const width = 1280;
    const height = 960;
    // Fine grain as in photos; heavy pixel noise (the default) buries the lattice on purpose elsewhere.
    const marked = await embedImage(texturedImage(width, height, 13, 8), width, height, label);
    const raw = () => sharp(Buffer.from(marked.rgba), { raw: { width, height, channels: 4 } });
    await expectGeometryUndone(raw().resize(960), 0.75, 0);
    await expectGeometryUndone(raw().resize(1920), 1.5, 0);
    await expectGeometryUndone(raw().rotate(3, { background: '#000' }), 1, 3);
  });

  it('reads the lattice of a small, grainy image too: 512² scaled to 384² (3 tiles a side), or turned 2° or 5°', async () => {
    const side = 512;
    // Grain 24 buries the lattice in a Hann-windowed 256² estimate (the detector before the zero-padded window missed the 384² one).
    const marked = await embedImage(texturedImage(side, side, 29, 24), side, side, label);
    const raw = () => sharp(Buffer.from(marked.rgba), { raw: { width: side, height: side, channels: 4 } });
    await expectGeometryUndone(raw().resize(384), 0.75, 0);
    await expectGeometryUndone(raw().rotate(-2, { background: '#808080' }).extract({ left: 9, top: 9, width: side, height: side }), 1, -2);
    await expectGeometryUndone(raw().rotate(5, { background: '#808080' }).extract({ left: 23, top: 23, width: side, height: side }), 1, 5);
  });

  it('keeps the mark within its PSNR budget on small and large busy images (a large one carries the working-size layer too)', async () => {
    const small = await embedImage(texturedImage(512, 512, 3), 512, 512, label);
    const largeHost = texturedImage(1280, 960, 3);
    const large = await embedImage(largeHost, 1280, 960, label);
    // Small: the tile's 47 dB floor; large: the tile cut to 64 tiles' folded energy plus the
    // working-size layer (44 dB at 512 px, gain 0.5). Rounding to 8 bits costs about 0.5 dB more.
    // The working-size layer's blue–yellow part leaves luma alone, so the large image's budget is its luma's.
    expect(small.psnr).toBeGreaterThan(46.4);
    expect(lumaPsnr(largeHost, large.rgba)).toBeGreaterThan(45.5);
    expect(large.psnr).toBeLessThan(lumaPsnr(largeHost, large.rgba));
  });

  it('keeps concurrent calls apart (they share WASM scratch memory)', async () => {
    const a = texturedImage(256, 256, 31);
    const b = texturedImage(256, 256, 32);
    for (let i = 3; i < b.length; i += 4) b[i] = 100;
    const [markedA, markedB, foundA] = await Promise.all([
      embedImage(a, 256, 256, label),
      embedImage(b, 256, 256, label),
      detectImage(a, 256, 256),
    ]);
    expect(markedA.rgba[3]).toBe(255);
    expect(markedB.rgba[3]).toBe(100);
    expect(foundA.found).toBe(false);
    expect((await detectImage(markedA.rgba, 256, 256)).payload).toEqual(expected);
  });

  it('leaves alpha untouched', async () => {
    const rgba = texturedImage(256, 256, 5);
    for (let i = 3; i < rgba.length; i += 4) rgba[i] = (i >> 2) % 256;
    const marked = await embedImage(rgba, 256, 256, label);
    for (let i = 3; i < rgba.length; i += 4) expect(marked.rgba[i]).toBe(rgba[i]);
  });

  it('reports a clean "not found" for a wrong key, never a garbage payload', async () => {
    const secret = new Uint8Array(32).fill(7);
    const marked = await embedImage(texturedImage(512, 512, 9), 512, 512, label, { key: secret });
    const withSecret = await detectImage(marked.rgba, 512, 512, { key: secret });
    expect(withSecret.payload).toEqual({ ...expected, keyed: true });
    const withPublic = await detectImage(marked.rgba, 512, 512);
    expect(withPublic).toMatchObject({ found: false, payload: null });
    const withOther = await detectImage(marked.rgba, 512, 512, { key: new Uint8Array(32).fill(8) });
    expect(withOther).toMatchObject({ found: false, payload: null });
  });

  it('counts raw bit errors against the payload the caller embedded (expect option)', async () => {
    const marked = await embedImage(texturedImage(512, 384, 3), 512, 384, label);
    const attacked = await jpegRoundTrip(marked.rgba, 512, 384, 50);
    const found = await detectImage(attacked, 512, 384, { expect: expected });
    expect(found.found).toBe(true);
    // Decoded correctly, so the decoded codeword is the embedded one.
    expect(found.expectedBitErrors).toBe(found.bitErrors);
    const unmarked = await detectImage(texturedImage(512, 384, 3), 512, 384, { expect: expected });
    // Nothing there: about half the 306 coded bits disagree, even though some candidate decoded to *a* codeword.
    expect(unmarked.expectedBitErrors).toBeGreaterThan(110);
    expect(unmarked.expectedBitErrors).toBeLessThan(196);
    expect(unmarked.bitErrors).toBeLessThan(unmarked.expectedBitErrors!);
  });

  it('finds nothing in unmarked images', async () => {
    for (let seed = 20; seed < 26; seed++) {
      const result = await detectImage(texturedImage(300, 300, seed), 300, 300);
      expect(result.found).toBe(false);
      expect(result.score).toBeLessThan(0.62);
      // Nothing unusual: a score like this turns up by chance all the time.
      expect(result.falsePositiveChance).toBeGreaterThan(1e-3);
    }
  });

  it('reports a calibrated false-positive chance that is negligible for a real find, even after JPEG q50', async () => {
    const marked = await embedImage(texturedImage(512, 384, 5), 512, 384, label);
    const clean = await detectImage(marked.rgba, 512, 384);
    const attacked = await detectImage(await jpegRoundTrip(marked.rgba, 512, 384, 50), 512, 384);
    expect(clean.found && attacked.found).toBe(true);
    expect(clean.falsePositiveChance).toBeLessThan(1e-20);
    expect(attacked.falsePositiveChance).toBeLessThan(1e-12);
    expect(attacked.falsePositiveChance).toBeGreaterThan(clean.falsePositiveChance);
  });

  it('rejects bad input with typed errors', async () => {
    const code = rejectionCode;
    expect(await code(embedImage(new Uint8Array(64 * 64 * 4), 64, 64, label))).toBe('IMAGE_TOO_SMALL');
    expect(await code(detectImage(new Uint8Array(16), 20_000, 20_000))).toBe('IMAGE_TOO_LARGE');
    expect(await code(detectImage(new Uint8Array(16), 200, 200))).toBe('BAD_OPTION');
    expect(await code(embedImage(texturedImage(200, 200), 200, 200, { ...label, ContentProducer: 'bad value' }))).toBe('BAD_LABEL');
    expect(await code(embedImage(texturedImage(200, 200), 200, 200, label, { strength: -1 }))).toBe('BAD_OPTION');
    expect(await code(detectImage(texturedImage(200, 200), 200, 200, { key: new Uint8Array(4) }))).toBe('BAD_KEY');
  });
});

/** PSNR of the luma (BT.601) of `marked` against that of `host`, in dB. */
function lumaPsnr(host: ArrayLike<number>, marked: ArrayLike<number>): number {
  let sse = 0;
  for (let i = 0; i < host.length; i += 4) {
    const d = 0.299 * (marked[i] - host[i]) + 0.587 * (marked[i + 1] - host[i + 1]) + 0.114 * (marked[i + 2] - host[i + 2]);
    sse += d * d;
  }
  return 10 * Math.log10((255 * 255) / (sse / (host.length / 4)));
}
