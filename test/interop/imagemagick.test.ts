// ImageMagick, a third decoder beside libvips and ffmpeg, sees the same pixels after the label is written (test:interop).
import { afterAll, describe, expect, it } from 'vitest';
import { writeMetadataLabel } from '../../src/node.js';
import { LABEL, gradient, withAllMetadata } from '../metadata/support/fixtures.js';
import { magickPixels, runOk, scratch } from '../support/tools.js';

const s = scratch();
afterAll(() => s.cleanup());

describe('ImageMagick reads labelled files with unchanged pixels', () => {
  it.each([
    ['png', () => withAllMetadata(gradient(37, 23, 4)).png().toBuffer()],
    ['jpg', () => withAllMetadata(gradient(37, 23, 3)).jpeg({ quality: 90 }).toBuffer()],
    ['webp', () => gradient(37, 23, 4).webp({ lossless: true }).toBuffer()],
  ] as const)('%s', async (ext, make) => {
    const input = await make();
    const out = writeMetadataLabel(input, LABEL);
    expect(magickPixels(s.file(`out.${ext}`, out)).equals(magickPixels(s.file(`in.${ext}`, input)))).toBe(true);
  });

  it('an 8-bit palette PNG written by ImageMagick', async () => {
    const pal = runOk('convert', [s.file('b.png', await gradient(40, 30, 3).png().toBuffer()), '-colors', '16', 'png8:-']);
    const out = writeMetadataLabel(pal, LABEL);
    expect(magickPixels(s.file('pal-out.png', out)).equals(magickPixels(s.file('pal.png', pal)))).toBe(true);
  });
});
