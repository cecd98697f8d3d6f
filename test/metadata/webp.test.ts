import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelToJson } from '../../src/label/index.js';
import { readMetadataLabel, stripMetadataLabel, writeMetadataLabel } from '../../src/metadata/index.js';
import { comparableTags, expectAigcError } from './support/assert.js';
import { FOREIGN, LABEL, foreignAttributeXmp, gradient, riff, riffChunk, riffChunks, withAllMetadata } from './support/fixtures.js';
import { labelParts, riffParts, unlabelled } from './support/structure.js';
import { exiftoolJson, ffmpegPixels, scratch, sharpPixels } from '../support/tools.js';

const s = scratch();
afterAll(() => s.cleanup());

let lossy: Buffer; // simple VP8, 33x17
let lossless: Buffer; // simple VP8L with alpha, 21x9
let extended: Buffer; // VP8X + ICCP + EXIF + XMP (sharp)
let iccOnly: Buffer; // VP8X + ICCP, no XMP
let foreign: Buffer; // VP8X with a foreign label in its XMP

const parts = (b: Buffer) => riffParts(b, ['XMP ', 'VP8X']);

beforeAll(async () => {
  lossy = await gradient(33, 17, 3).webp({ quality: 80 }).toBuffer();
  lossless = await gradient(21, 9, 4).webp({ lossless: true }).toBuffer();
  extended = await withAllMetadata(gradient(30, 20, 4)).webp({ quality: 90 }).toBuffer();
  iccOnly = await gradient(12, 10, 3).withIccProfile('p3').webp().toBuffer();
  foreign = await gradient(12, 10, 3).withXmp(foreignAttributeXmp()).webp().toBuffer();
}, 60_000);

function vp8x(b: Buffer): { flags: number; width: number; height: number } {
  expect(b.toString('latin1', 12, 16)).toBe('VP8X');
  return { flags: b[20], width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
}

async function samePixels(a: Buffer, b: Buffer, name: string): Promise<void> {
  expect((await sharpPixels(a)).data.equals((await sharpPixels(b)).data)).toBe(true);
  expect(ffmpegPixels(s.file(`${name}-a.webp`, a)).equals(ffmpegPixels(s.file(`${name}-b.webp`, b)))).toBe(true);
}

describe('WebP metadata label', () => {
  it('turns a simple lossy file into VP8X with the canvas size from the VP8 header, image bytes untouched', async () => {
    expect(riffChunks(lossy).map((c) => c.toString('latin1', 0, 4))).toEqual(['VP8 ']);
    const out = Buffer.from(writeMetadataLabel(lossy, LABEL));
    expect(parts(out).map((p) => p.name)).toEqual(['RIFF header', 'VP8X', 'VP8 ', 'XMP ']);
    expect(vp8x(out)).toEqual({ flags: 0x04, width: 33, height: 17 });
    expect(unlabelled(parts(out))).toEqual(unlabelled(parts(lossy)));
    expect(out.readUInt32LE(4)).toBe(out.length - 8);
    expect(readMetadataLabel(out)).toEqual(LABEL);
    const path = s.file('lossy-out.webp', out);
    const tags = exiftoolJson([path], ['-all', '-validate']).get(path)!;
    expect(tags['XMP-TC260:Aigc']).toBe(labelToJson(LABEL));
    expect(tags['ExifTool:Validate']).toBe('OK');
    expect(tags['RIFF:WebP_Flags']).toBe('XMP');
    await samePixels(out, lossy, 'lossy');
  });

  it('sets the alpha flag from the VP8L header of a lossless file with transparency', async () => {
    expect(riffChunks(lossless).map((c) => c.toString('latin1', 0, 4))).toEqual(['VP8L']);
    const out = Buffer.from(writeMetadataLabel(lossless, LABEL));
    expect(vp8x(out)).toEqual({ flags: 0x14, width: 21, height: 9 });
    expect(unlabelled(parts(out))).toEqual(unlabelled(parts(lossless)));
    const path = s.file('lossless-out.webp', out);
    const tags = exiftoolJson([path], ['-all', '-validate']).get(path)!;
    expect(tags['XMP-TC260:Aigc']).toBe(labelToJson(LABEL));
    expect(tags['ExifTool:Validate']).toBe('OK');
    await samePixels(out, lossless, 'lossless');
    expect((await sharpPixels(out)).info.channels).toBe(4);
  });

  it('merges into the existing XMP chunk of a VP8X file with ICC and EXIF, every other chunk byte-for-byte', async () => {
    const out = Buffer.from(writeMetadataLabel(extended, LABEL));
    expect(parts(out).map((p) => p.name)).toEqual(parts(extended).map((p) => p.name));
    expect(unlabelled(parts(out))).toEqual(unlabelled(parts(extended)));
    expect(parts(out)[1].bytes.equals(parts(extended)[1].bytes)).toBe(true); // VP8X already announced XMP
    expect(readMetadataLabel(out)).toEqual(LABEL);
    const inPath = s.file('ext.webp', extended);
    const outPath = s.file('ext-out.webp', out);
    const tags = exiftoolJson([inPath, outPath], ['-all']);
    expect(tags.get(outPath)!['XMP-TC260:Aigc']).toBe(labelToJson(LABEL));
    expect(comparableTags(tags.get(outPath)!, [/^XMP-TC260:/])).toEqual(comparableTags(tags.get(inPath)!));
    await samePixels(out, extended, 'ext');
    expect(Buffer.from(writeMetadataLabel(out, LABEL)).equals(out)).toBe(true);
  });

  it('adds an XMP chunk after the image to a VP8X file without one, and strip removes it and its flag', () => {
    const out = Buffer.from(writeMetadataLabel(iccOnly, LABEL));
    expect(parts(out).map((p) => p.name)).toEqual([...parts(iccOnly).map((p) => p.name), 'XMP ']);
    expect(vp8x(out).flags).toBe(vp8x(iccOnly).flags | 0x04);
    const before = parts(iccOnly)[1].bytes;
    const after = parts(out)[1].bytes;
    expect(Buffer.concat([after.subarray(0, 8), after.subarray(9)]).equals(Buffer.concat([before.subarray(0, 8), before.subarray(9)]))).toBe(true);
    // libvips sets the XMP flag even without an XMP chunk; once the chunk is gone, strip clears it.
    const stripped = Buffer.from(stripMetadataLabel(out));
    expect(vp8x(stripped).flags).toBe(vp8x(iccOnly).flags & ~0x04);
    stripped[20] = iccOnly[20];
    expect(stripped.equals(iccOnly)).toBe(true);
    const path = s.file('icc-out.webp', out);
    expect(exiftoolJson([path], ['-XMP-TC260:all']).get(path)!['XMP-TC260:Aigc']).toBe(labelToJson(LABEL));
  });

  it('replaces a foreign label in place: one copy', () => {
    expect(readMetadataLabel(foreign)).toEqual(FOREIGN);
    const out = Buffer.from(writeMetadataLabel(foreign, LABEL));
    expect(readMetadataLabel(out)).toEqual(LABEL);
    const xmp = labelParts(parts(out)).filter((p) => p.name === 'XMP ');
    expect(xmp).toHaveLength(1);
    expect(xmp[0].bytes.toString('utf8').match(/AIGC>|AIGC=/g)).toEqual(['AIGC>', 'AIGC>']); // open and close tag only
  });

  it('rejects damaged files with typed errors', () => {
    expectAigcError(() => readMetadataLabel(lossy.subarray(0, lossy.length - 3)), 'CORRUPT_FILE', /truncated/);
    const long = Buffer.from(lossy);
    long.writeUInt32LE(long.length, 16);
    expectAigcError(() => writeMetadataLabel(long, LABEL), 'CORRUPT_FILE', /past the end/);
    const odd = riff('WEBP', [riffChunk('JUNK', Buffer.from('x'))]);
    expectAigcError(() => writeMetadataLabel(odd, LABEL), 'CORRUPT_FILE', /first chunk/);
    const inter = Buffer.from(lossy);
    inter[20] |= 1; // VP8 frame tag: not a key frame
    expectAigcError(() => writeMetadataLabel(inter, LABEL), 'CORRUPT_FILE', /key frame/);
    const shortVp8x = riff('WEBP', [riffChunk('VP8X', Buffer.alloc(4))]);
    expectAigcError(() => readMetadataLabel(shortVp8x), 'CORRUPT_FILE', /VP8X/);
    const badXmp = riff('WEBP', [...riffChunks(iccOnly), riffChunk('XMP ', Buffer.from('<a><b></a>'))]);
    expectAigcError(() => readMetadataLabel(badXmp), 'BAD_XMP');
  });
});
