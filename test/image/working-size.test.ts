import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createLabel, detectImage, embedImage } from '../../src/node.js';
import { resizePlane } from '../../src/image/resample.js';
import { resizePlaneInCore } from '../../src/image/resample-core.js';
import { openLumaWorkspace } from '../../src/image/workspace.js';
import { PUBLIC_KEY } from '../../src/payload/key.js';
import { getCore } from '../../src/wasm/core.js';
import { SLOT } from '../../src/wasm/slots.js';
import { carriesWorkingLayer, workingSize } from '../../src/image/working-size.js';
import { texturedImage } from '../support/images.js';
import { landscape } from '../../bench/image/procedural.js';

const label = createLabel({ producer: '001191440300708461136T1XGW3', produceId: 'AM0000015' });

/** Resized so the long side is `side` (lanczos3, as upload pipelines do), then JPEG 4:2:0 at `quality`, decoded. */
async function served(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number, side: number, quality: number) {
  const jpeg = await sharp(Buffer.from(rgba), { raw: { width, height, channels: 4 } })
    .resize(side, side, { fit: 'inside' })
    .jpeg({ quality, chromaSubsampling: '4:2:0' })
    .toBuffer();
  const { data, info } = await sharp(jpeg).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The central cw × ch of a width × height RGBA image, as raw RGBA. */
async function centreCrop(rgba: Uint8ClampedArray | Uint8Array | Buffer, width: number, height: number, cw: number, ch: number) {
  const data = await sharp(Buffer.from(rgba), { raw: { width, height, channels: 4 } })
    .extract({ left: (width - cw) >> 1, top: (height - ch) >> 1, width: cw, height: ch })
    .raw()
    .toBuffer();
  return { data, width: cw, height: ch };
}

describe('working-size layer', () => {
  it('is carried by images whose long side reaches 768 px, at a 512 px working size with the aspect kept', () => {
    expect(carriesWorkingLayer(767, 500)).toBe(false);
    expect(carriesWorkingLayer(2560, 1600)).toBe(true);
    expect(workingSize(2560, 1600)).toEqual({ width: 512, height: 320 });
    // A panorama whose working size is under one tile high carries only the native tile.
    expect(carriesWorkingLayer(4000, 900)).toBe(false);
  });

  it('survives a platform downscale to 480 px + JPEG q85 that the native tile does not, and reports the layer', async () => {
    const [w, h] = [1600, 1000];
    const marked = await embedImage(texturedImage(w, h, 7, 20), w, h, label);
    const small = await served(marked.rgba, w, h, 480, 85);
    expect(small.width).toBe(480);
    const found = await detectImage(small.data, small.width, small.height);
    expect(found.found).toBe(true);
    expect(found.layer).toBe('working-size');
    expect(found.payload).toEqual(marked.payload);
    // At full size the native tile is still read first.
    const full = await detectImage(marked.rgba, w, h);
    expect(full.layer).toBe('tile');
    expect(full.payload).toEqual(marked.payload);
  });

  it('reads the layer through its lattice after a 50%-area centre crop (×1.41 at the working size) and a downscale', async () => {
    const [w, h] = [2400, 1500];
    const marked = await embedImage(texturedImage(w, h, 11, 20), w, h, label);
    const cropped = await centreCrop(marked.rgba, w, h, Math.round(w * Math.SQRT1_2), Math.round(h * Math.SQRT1_2));
    const small = await served(cropped.data, cropped.width, cropped.height, 720, 85);
    const found = await detectImage(small.data, small.width, small.height);
    expect(found.payload).toEqual(marked.payload);
    expect(found.layer).toBe('working-size');
    expect(found.geometry?.scale).toBeCloseTo(Math.SQRT2, 2);
  });

  // A turn with a crop puts the layer's lattice off both lines of likely edits (scale alone,
  // turn alone). Seed 1's lattice is read only by the scan of turns at every scale; seed 2's
  // true reading is not the strongest lattice, and only ranking the readings by their blind
  // alignment finds it. Both fail with one unranked reading and no scan.
  it.each([1, 2])('reads the layer after a 1° turn, a centre crop to 0.9 of each side and 720 px + JPEG q80 (landscape %i)', async (seed) => {
    const [w, h] = [2400, 1500];
    const host = landscape(w, h, seed).data;
    const marked = await embedImage(host, w, h, createLabel({ producer: '001191440300708461136T1XGW3', produceId: 'AM0000001' }));
    const turned = await sharp(Buffer.from(marked.rgba), { raw: { width: w, height: h, channels: 4 } })
      .rotate(1, { background: '#808080' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    // 0.9 of the original frame, out of the larger turned canvas.
    const cropped = await centreCrop(turned.data, turned.info.width, turned.info.height, Math.round(w * 0.9), Math.round(h * 0.9));
    const small = await served(cropped.data, cropped.width, cropped.height, 720, 80);
    const found = await detectImage(small.data, small.width, small.height);
    expect(found.payload).toEqual(marked.payload);
    expect(found.layer).toBe('working-size');
    expect(found.geometry?.scale).toBeCloseTo(1 / 0.9, 1);
    expect(Math.abs((found.geometry!.angle * 180) / Math.PI)).toBeCloseTo(1, 0);
  });

  it('finds nothing in the same downscale of the unmarked image, within the 22-decode budget', async () => {
    const [w, h] = [1600, 1000];
    const small = await served(texturedImage(w, h, 7, 20), w, h, 480, 85);
    const result = await detectImage(small.data, small.width, small.height);
    expect(result.found).toBe(false);
    expect(result.payload).toBeNull();
    // The native tile's 16 decodes at most, and the working-size search's 6 (its origin is always decoded).
    expect(result.candidates).toBeLessThanOrEqual(22);
    expect(result.candidates).toBeGreaterThanOrEqual(7);
  });

  it('resamples planes without shifting them: a constant stays constant, a ramp stays a ramp', () => {
    const [w, h] = [300, 200];
    const flat = resizePlane(new Float32Array(w * h).fill(77), w, h, 64, 43);
    for (const v of flat) expect(v).toBeCloseTo(77, 4);
    const ramp = new Float32Array(w * h).map((_, i) => i % w);
    const up = resizePlane(ramp, w, h, 2 * w, h);
    // Pixel centres map onto pixel centres: output x sits at source (x + 0.5) / 2 − 0.5.
    for (const x of [10, 101, 400]) expect(up[5 * 2 * w + x]).toBeCloseTo((x + 0.5) / 2 - 0.5, 3);
  });

  it('resamples in the core as the TypeScript reference does (down on one axis, up on the other)', async () => {
    const core = await getCore();
    for (const [w, h, dw, dh] of [[300, 200, 131, 357], [300, 200, 90, 60], [200, 150, 500, 400]]) {
    const plane = Float32Array.from({ length: w * h }, (_, i) => 60 * Math.sin(i * 0.37) + (i % w));
    const ws = openLumaWorkspace(core, plane, w, h, PUBLIC_KEY, 1e8);
    const tmp = core.exports.scratch(SLOT.imagePlaneB, Math.max(dw, w) * Math.max(dh, h) * 4);
    const dst = core.exports.scratch(SLOT.imagePlaneC, dw * dh * 4);
    resizePlaneInCore(ws, ws.y, w, h, tmp, dst, dw, dh);
    const got = core.f32(dst, dw * dh);
    const want = resizePlane(plane, w, h, dw, dh);
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    expect(worst).toBeLessThan(1e-3);
    }
  });
});
