import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelToJson } from '../../src/label/index.js';
import { readMetadataLabel, stripMetadataLabel, writeMetadataLabel } from '../../src/metadata/index.js';
import { comparableTags, expectAigcError } from './support/assert.js';
import {
  FOREIGN,
  LABEL,
  bareJson,
  crc32,
  exiftoolEdit,
  foreignElementXmp,
  gradient,
  iTXt,
  insertPngChunks,
  pngChunk,
  tEXt,
  withAllMetadata,
  wrappedJson,
  xmpPacket,
  zTXt,
} from './support/fixtures.js';
import { labelParts, pngParts, unlabelled } from './support/structure.js';
import { exiftoolJson, ffmpegPixels, runOk, scratch, sharpPixels } from '../support/tools.js';

const s = scratch();
afterAll(() => s.cleanup());

let sharpPng: Buffer; // eXIf, iCCP, zTXt XMP (as sharp writes it)
let rich: Buffer; // + text chunks after IDAT, one of them a foreign tEXt AIGC label
let bare: Buffer; // no metadata

beforeAll(async () => {
  sharpPng = await withAllMetadata(gradient(33, 21, 4)).png().toBuffer();
  rich = insertPngChunks(sharpPng, 'IDAT', [
    tEXt('Comment', 'after IDAT'),
    zTXt('Description', 'compressed text after IDAT'),
    iTXt('Title', '标题 after IDAT', true, 'zh', '标题'),
    tEXt('AIGC', bareJson(FOREIGN)),
  ]);
  bare = await gradient(19, 7, 3).png().toBuffer();
}, 60_000);

function allCrcsValid(png: Buffer): boolean {
  let pos = 8;
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    if (crc32(png.subarray(pos + 4, pos + 8 + len)) !== png.readUInt32BE(pos + 8 + len)) return false;
    pos += 12 + len;
  }
  return true;
}

describe('PNG metadata label', () => {
  it('reads sharp zTXt XMP, writes one uncompressed iTXt XMP label, drops the foreign AIGC text chunk, keeps the rest', async () => {
    expect(pngParts(rich).map((p) => p.name)).toContain('zTXt XML:com.adobe.xmp');
    expect(readMetadataLabel(rich)).toEqual(FOREIGN); // from the tEXt AIGC chunk, the XMP has none
    const out = Buffer.from(writeMetadataLabel(rich, LABEL));
    expect(readMetadataLabel(out)).toEqual(LABEL);
    expect(unlabelled(pngParts(out))).toEqual(unlabelled(pngParts(rich)));
    const labels = labelParts(pngParts(out));
    expect(labels.map((p) => p.name)).toEqual(['iTXt XML:com.adobe.xmp']);
    expect(labels[0].bytes[8 + 'XML:com.adobe.xmp'.length + 1]).toBe(0); // compression flag off
    // the XMP chunk keeps its place (before IDAT) and the text chunks after IDAT stay after it
    expect(pngParts(out).map((p) => p.name)).toEqual(
      pngParts(rich).filter((p) => p.name !== 'tEXt AIGC').map((p) => p.name.replace('zTXt XML', 'iTXt XML')),
    );
    expect(allCrcsValid(out)).toBe(true);

    const inPath = s.file('rich.png', rich);
    const outPath = s.file('rich-out.png', out);
    const tags = exiftoolJson([inPath, outPath], ['-all', '-validate']);
    const after = tags.get(outPath)!;
    expect(after['XMP-TC260:Aigc']).toBe(labelToJson(LABEL));
    // The only warning is the fixture's own: text chunks after IDAT.
    expect(after['ExifTool:Warning']).toMatch(/after PNG IDAT/);
    expect(after['ExifTool:Validate']).toBe(tags.get(inPath)!['ExifTool:Validate']);
    expect(comparableTags(after, [/^XMP-TC260:/])).toEqual(comparableTags(tags.get(inPath)!, [/^PNG:AIGC$/]));
    expect(after['XMP-dc:Creator']).toBe('测试作者');
    expect(after['ICC_Profile:ProfileDescription']).toBe(tags.get(inPath)!['ICC_Profile:ProfileDescription']);

    expect((await sharpPixels(out)).data.equals((await sharpPixels(rich)).data)).toBe(true);
    expect(ffmpegPixels(outPath).equals(ffmpegPixels(inPath))).toBe(true);

    expect(Buffer.from(writeMetadataLabel(out, LABEL)).equals(out)).toBe(true);
  });

  it('inserts the XMP chunk before IDAT when there is none; strip gives back the exact file', () => {
    const out = Buffer.from(writeMetadataLabel(bare, LABEL));
    const names = pngParts(out).map((p) => p.name);
    expect(names.indexOf('iTXt XML:com.adobe.xmp')).toBe(names.indexOf('IDAT') - 1);
    expect(unlabelled(pngParts(out))).toEqual(unlabelled(pngParts(bare)));
    expect(Buffer.from(stripMetadataLabel(out)).equals(bare)).toBe(true);
    const path = s.file('bare-out.png', out);
    const tags = exiftoolJson([path], ['-XMP-TC260:all', '-validate']).get(path)!;
    expect(tags['XMP-TC260:Aigc']).toBe(labelToJson(LABEL));
    expect(tags['ExifTool:Validate']).toBe('OK');
    expect(ffmpegPixels(path).equals(ffmpegPixels(s.file('bare.png', bare)))).toBe(true);
  });

  it('merges into XMP that ExifTool wrote, replacing a foreign element-form label', () => {
    const withXmp = insertPngChunks(bare, 'IHDR', [iTXt('XML:com.adobe.xmp', foreignElementXmp())]);
    const edited = exiftoolEdit(withXmp, 'png', ['-XMP-dc:Rights=exiftool rights', '-PNG:Comment=kept']);
    expect(readMetadataLabel(edited)).toEqual(FOREIGN);
    const out = Buffer.from(writeMetadataLabel(edited, LABEL));
    expect(unlabelled(pngParts(out))).toEqual(unlabelled(pngParts(edited)));
    const path = s.file('et-out.png', out);
    const tags = exiftoolJson([path], ['-XMP:all', '-PNG:Comment']).get(path)!;
    expect(tags['XMP-TC260:Aigc']).toBe(labelToJson(LABEL));
    expect(tags['XMP-dc:Rights']).toBe('exiftool rights');
    expect(tags['XMP-dc:Creator']).toBe('测试作者');
    expect(tags['PNG:Comment']).toBe('kept');
  });

  it('reads every accepted form: tEXt/zTXt/iTXt "AIGC", compressed iTXt XMP, XMP in tEXt', () => {
    const forms: Buffer[] = [
      tEXt('AIGC', wrappedJson(FOREIGN)),
      zTXt('AIGC', bareJson(FOREIGN)),
      iTXt('AIGC', wrappedJson(FOREIGN), true),
      iTXt('XML:com.adobe.xmp', foreignElementXmp(), true),
      tEXt('XML:com.adobe.xmp', foreignElementXmp().replace('测试作者', 'ascii')),
    ];
    for (const chunk of forms) {
      const file = insertPngChunks(bare, 'IDAT', [chunk]);
      expect(readMetadataLabel(file)).toEqual(FOREIGN);
      const out = writeMetadataLabel(file, LABEL);
      expect(readMetadataLabel(out)).toEqual(LABEL);
      expect(labelParts(pngParts(Buffer.from(out)))).toHaveLength(1);
    }
  });

  it('rejects damaged files with typed errors and never returns partial output', () => {
    const idat = bare.indexOf(Buffer.from('IDAT')) - 4;
    expectAigcError(() => readMetadataLabel(bare.subarray(1)), 'UNSUPPORTED_FORMAT');
    expectAigcError(() => writeMetadataLabel(bare.subarray(0, idat + 20), LABEL), 'CORRUPT_FILE', /past the end/);
    expectAigcError(() => readMetadataLabel(bare.subarray(0, bare.length - 12)), 'CORRUPT_FILE'); // no IEND
    const longChunk = Buffer.from(bare);
    longChunk.writeUInt32BE(0x7ffffff0, idat);
    expectAigcError(() => writeMetadataLabel(longChunk, LABEL), 'CORRUPT_FILE', /past the end/);

    const xmp = iTXt('XML:com.adobe.xmp', xmpPacket());
    xmp[xmp.length - 1] ^= 1;
    expectAigcError(() => writeMetadataLabel(insertPngChunks(bare, 'IHDR', [xmp]), LABEL), 'CORRUPT_FILE', /CRC/);
    const badZlib = pngChunk('zTXt', Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0'), Buffer.from([0x78, 0x9c, 0xff, 0xff, 0, 0])]));
    expectAigcError(() => readMetadataLabel(insertPngChunks(bare, 'IHDR', [badZlib])), 'CORRUPT_FILE', /Compressed/);
    const bomb = pngChunk('zTXt', Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0'), deflateSync(Buffer.alloc(20 * 1024 * 1024, 0x20))]));
    expectAigcError(() => readMetadataLabel(insertPngChunks(bare, 'IHDR', [bomb])), 'CORRUPT_FILE', /limit/);
    const malformed = iTXt('XML:com.adobe.xmp', '<x:xmpmeta><rdf:RDF>&nbsp;</rdf:RDF></x:xmpmeta>');
    expectAigcError(() => writeMetadataLabel(insertPngChunks(bare, 'IHDR', [malformed]), LABEL), 'BAD_XMP');
    const notIhdr = Buffer.concat([bare.subarray(0, 8), tEXt('a', 'b'), bare.subarray(8)]);
    expectAigcError(() => readMetadataLabel(notIhdr), 'CORRUPT_FILE', /IHDR/);
    const noIdat = Buffer.concat([bare.subarray(0, 8 + 25), bare.subarray(bare.length - 12)]);
    expectAigcError(() => writeMetadataLabel(noIdat, LABEL), 'CORRUPT_FILE', /IDAT/);
  });

  it('decodes with identical pixels in ffmpeg after a round trip through an 8-bit palette file', () => {
    const pal = runOk('ffmpeg', ['-v', 'error', '-i', s.file('b.png', bare), '-vf', 'split[a][b];[a]palettegen=max_colors=16[p];[b][p]paletteuse', '-f', 'image2pipe', '-c:v', 'png', '-']);
    expect(pal[25]).toBe(3); // IHDR colour type 3: a palette file
    const out = writeMetadataLabel(pal, LABEL);
    expect(ffmpegPixels(s.file('pal-out.png', out)).equals(ffmpegPixels(s.file('pal.png', pal)))).toBe(true);
    expect(unlabelled(pngParts(Buffer.from(out)))).toEqual(unlabelled(pngParts(pal)));
  });
});
