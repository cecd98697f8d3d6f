import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createLabel } from '../../src/label/index.js';
import { detectFile, markFile } from '../../src/node.js';
import { readMetadataLabel } from '../../src/metadata/index.js';
import { carryJpegSegments } from '../../src/metadata/jpeg.js';
import { carryPngTextChunks } from '../../src/metadata/png.js';
import { texture } from '../cli/helpers.js';
import { iTXt, insertPngChunks, tEXt, zTXt } from '../metadata/support/fixtures.js';

// Marking re-encodes the pixels; a PNG's own text (a generator's parameters, titles, comments) and
// a JPEG's comments and IPTC must come through byte for byte, while the AIGC label and the XMP
// stay the writers' own.
const W = 320;
const H = 240;
const LABEL = createLabel({ producer: '001191440300708461136T1XGW3', produceId: 'AM2Q3WC88' });

const parameters = tEXt('parameters', 'a lighthouse at dusk, Steps: 30, Sampler: Euler a, CFG scale: 7, Seed: 42');
const workflow = zTXt('workflow', JSON.stringify({ nodes: [{ id: 3, type: 'KSampler' }] }));
const title = iTXt('Title', '灯塔', false, 'zh', '标题');
const comment = tEXt('Comment', 'after the pixels');
const oldLabel = tEXt('AIGC', '{"AIGC":{"Label":"2"}}');

async function withText(sixteenBit: boolean): Promise<Buffer> {
  let base = sharp(texture(W, H), { raw: { width: W, height: H, channels: 4 } }).removeAlpha();
  if (sixteenBit) base = base.toColourspace('rgb16');
  const png = await base.png().toBuffer();
  return insertPngChunks(insertPngChunks(png, 'IHDR', [parameters, workflow, title, oldLabel]), 'IDAT', [comment]);
}

describe('a PNG\'s own text chunks through mark', () => {
  it.each([['8-bit', false], ['16-bit', true]] as const)('%s: copied byte for byte before the pixels; the label and the watermark read back', async (_name, sixteenBit) => {
    const marked = await markFile(await withText(sixteenBit), LABEL, { metadata: true });
    const out = Buffer.from(marked.bytes);
    const firstIdat = out.indexOf('IDAT');
    for (const chunk of [parameters, workflow, title, comment]) {
      const at = out.indexOf(chunk);
      expect(at).toBeGreaterThan(0);
      expect(at).toBeLessThan(firstIdat);
      expect(out.indexOf(chunk, at + 1)).toBe(-1);
    }
    expect(out.indexOf(oldLabel)).toBe(-1);
    expect(readMetadataLabel(marked.bytes)).toEqual(LABEL);
    const detected = await detectFile(marked.bytes);
    expect(detected.found).toBe(true);
    expect(detected.payload).toEqual(marked.payload);
  });

  it('into JPEG the text has nowhere to go: nothing is copied and nothing fails', async () => {
    const marked = await markFile(await withText(false), LABEL, { format: 'jpeg', metadata: true });
    expect(Buffer.from(marked.bytes).indexOf('Steps: 30')).toBe(-1);
    expect(readMetadataLabel(marked.bytes)).toEqual(LABEL);
  });

  it('carryPngTextChunks leaves XMP and AIGC chunks out and never copies a chunk the output already has', async () => {
    const source = await withText(false);
    const xmp = iTXt('XML:com.adobe.xmp', '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>');
    const encoded = insertPngChunks(await sharp(texture(W, H), { raw: { width: W, height: H, channels: 4 } }).png().toBuffer(), 'IHDR', [parameters]);
    const out = Buffer.from(carryPngTextChunks(insertPngChunks(source, 'IHDR', [xmp]), encoded));
    expect(out.indexOf(parameters)).toBeGreaterThan(0);
    expect(out.indexOf(parameters, out.indexOf(parameters) + 1)).toBe(-1);
    expect(out.indexOf(xmp)).toBe(-1);
    expect(out.indexOf(oldLabel)).toBe(-1);
    expect(out.length).toBe(encoded.length + workflow.length + title.length + comment.length);
  });
});

/** A JPEG segment: marker, then its length (counting itself) and data. */
function segment(marker: number, data: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, data]);
}

describe('a JPEG\'s comments and IPTC through mark', () => {
  const comment = segment(0xfe, Buffer.from('shot for the spring catalogue'));
  // A Photoshop IRB with one IPTC record (2:120 caption).
  const caption = Buffer.from('a lighthouse at dusk');
  const iptc = Buffer.concat([Buffer.from([0x1c, 2, 120, 0, caption.length]), caption]);
  const irb = Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), Buffer.from('8BIM'), Buffer.from([0x04, 0x04, 0, 0]), Buffer.alloc(4), iptc]);
  irb.writeUInt32BE(iptc.length, irb.length - iptc.length - 4);
  const app13 = segment(0xed, irb);

  it('copies COM and APP13 byte for byte after the APPn segments; the label and the watermark read back', async () => {
    const plain = await sharp(texture(W, H), { raw: { width: W, height: H, channels: 4 } }).removeAlpha().jpeg({ quality: 92 }).toBuffer();
    const input = Buffer.concat([plain.subarray(0, 2), app13, comment, plain.subarray(2)]);
    const marked = await markFile(input, LABEL, { metadata: true });
    const out = Buffer.from(marked.bytes);
    const dqt = out.indexOf(Buffer.from([0xff, 0xdb]));
    for (const s of [app13, comment]) {
      const at = out.indexOf(s);
      expect(at).toBeGreaterThan(0);
      expect(at).toBeLessThan(dqt);
      expect(out.indexOf(s, at + 1)).toBe(-1);
    }
    expect(readMetadataLabel(marked.bytes)).toEqual(LABEL);
    expect((await detectFile(marked.bytes)).payload).toEqual(marked.payload);
    // Carried once: a second pass finds them present.
    expect(Buffer.from(carryJpegSegments(input, marked.bytes)).equals(out)).toBe(true);
  });
});

