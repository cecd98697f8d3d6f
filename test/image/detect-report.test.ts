// detectFile reports what the detector undid: scale and rotation of the grid, a flip.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createLabel, detectFile, embedImage } from '../../src/node.js';
import { texturedImage } from '../support/images.js';

const label = createLabel({ producer: '001191440300708461136T1XGW3', produceId: 'AM0000014' });

describe('detectFile geometry', { timeout: 60_000 }, () => {
  it('reports the scale, rotation and flip it undid, and the identity for an untouched file', async () => {
    const [w, h] = [720, 560];
    const marked = await embedImage(texturedImage(w, h, 5, 24), w, h, label);
    const raw = { raw: { width: w, height: h, channels: 4 as const } };
    const untouched = await detectFile(await sharp(Buffer.from(marked.rgba), raw).png().toBuffer());
    expect(untouched.geometry).toEqual({ scale: 1, rotationDegrees: 0, orientation: 'none' });

    const turned = await detectFile(await sharp(Buffer.from(marked.rgba), raw).rotate(4, { background: '#808080' }).resize(Math.round(w * 0.8)).png().toBuffer());
    expect(turned.payload).toEqual(marked.payload);
    expect(turned.geometry?.scale).toBeCloseTo(0.8, 1);
    expect(Math.abs(turned.geometry?.rotationDegrees ?? 0)).toBeCloseTo(4, 0);

    const mirrored = await detectFile(await sharp(Buffer.from(marked.rgba), raw).flop().png().toBuffer());
    expect(mirrored.payload).toEqual(marked.payload);
    expect(mirrored.geometry?.orientation).toBe('flip-horizontal');
  });

  it('reports no geometry when nothing is found', async () => {
    const [w, h] = [512, 512];
    const plain = await detectFile(await sharp(Buffer.from(texturedImage(w, h, 9, 24)), { raw: { width: w, height: h, channels: 4 } }).png().toBuffer());
    expect(plain.found).toBe(false);
    expect(plain.geometry).toBeUndefined();
  });
});
