import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createLabel, markFile } from '../../src/node.js';
import { texturedImage } from '../support/images.js';

const label = createLabel({ producer: '91110000MA01ABCDEF123456789', produceId: 'AM2Q3WC88' });

async function pngOf(width: number, height: number): Promise<Uint8Array> {
  const rgba = texturedImage(width, height, 5);
  return new Uint8Array(await sharp(rgba, { raw: { width, height, channels: 4 } }).removeAlpha().png().toBuffer());
}

const pixels = async (bytes: Uint8Array) => sharp(bytes).raw().toBuffer();

describe('PNG compression level', () => {
  it('changes only the size: levels 0 and 9 hold the same marked pixels', async () => {
    const input = await pngOf(320, 240);
    const fast = await markFile(input, label, { pngCompression: 0 });
    const small = await markFile(input, label, { pngCompression: 9 });
    expect(small.bytes.length).toBeLessThan(fast.bytes.length);
    expect(await pixels(small.bytes)).toEqual(await pixels(fast.bytes));
  });

  it('refuses a level outside 0-9 with BAD_OPTION', async () => {
    const input = await pngOf(320, 240);
    for (const level of [10, -1, 2.5]) {
      await expect(markFile(input, label, { pngCompression: level })).rejects.toMatchObject({ code: 'BAD_OPTION' });
    }
  });
});
