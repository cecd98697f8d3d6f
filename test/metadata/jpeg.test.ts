import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelToJson } from '../../src/label/index.js';
import { MAX_XMP_PACKET } from '../../src/metadata/jpeg.js';
import { readMetadataLabel, stripMetadataLabel, writeMetadataLabel } from '../../src/metadata/index.js';
import { comparableTags, expectAigcError } from './support/assert.js';
import {
  FOREIGN,
  LABEL,
  TC260_NS,
  exiftoolEdit,
  foreignAttributeXmp,
  gradient,
  insertAfterSoi,
  jpegSegment,
  withAllMetadata,
  wrappedJson,
  xmpApp1,
  xmpPacket,
} from './support/fixtures.js';
import { labelParts, jpegParts, unlabelled } from './support/structure.js';
import { exiftoolJson, ffmpegPixels, runOk, scratch, sharpPixels } from '../support/tools.js';

const s = scratch();
afterAll(() => s.cleanup());

let full: Buffer; // Exif, XMP (ExifTool-padded), ICC, IPTC (APP13), COM
let plain: Buffer; // ffmpeg (bit-exact, no comment): JFIF APP0 only
let foreign: Buffer;

beforeAll(async () => {
  const sharpJpeg = await withAllMetadata(gradient(37, 23, 3)).jpeg({ quality: 90 }).toBuffer();
  full = exiftoolEdit(sharpJpeg, 'jpg', ['-IPTC:Keywords=fixture', '-XMP-dc:Subject=added-by-exiftool', '-Comment=hello from exiftool']);
  const png = s.file('src.png', await gradient(20, 12, 3).png().toBuffer());
  plain = runOk('ffmpeg', ['-v', 'error', '-i', png, '-flags', '+bitexact', '-pix_fmt', 'yuvj420p', '-q:v', '4', '-f', 'mjpeg', '-']);
  foreign = await gradient(16, 16, 3).withExif({ IFD0: { Artist: 'x' } }).withXmp(foreignAttributeXmp()).jpeg().toBuffer();
}, 60_000);

describe('JPEG metadata label', () => {
  it('merges the label into existing XMP, leaving every other segment and the scan byte-for-byte', async () => {
    const names = jpegParts(full).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['FFE1', 'FFE1 XMP', 'FFE2', 'FFED', 'FFFE', 'scan']));
    const out = Buffer.from(writeMetadataLabel(full, LABEL));
    expect(readMetadataLabel(out)).toEqual(LABEL);
    expect(unlabelled(jpegParts(out))).toEqual(unlabelled(jpegParts(full)));
    expect(labelParts(jpegParts(out))).toHaveLength(1);
    expect(jpegParts(out).map((p) => p.name)).toEqual(names); // XMP stays where it was

    const inPath = s.file('full.jpg', full);
    const outPath = s.file('full-out.jpg', out);
    const tags = exiftoolJson([inPath, outPath], ['-all', '-validate']);
    const after = tags.get(outPath)!;
    expect(after['XMP-TC260:Aigc']).toBe(labelToJson(LABEL));
    // Every other tag ExifTool sees (EXIF, ICC, IPTC, comment, the other XMP properties) is unchanged.
    expect(comparableTags(after, [/^XMP-TC260:/])).toEqual(comparableTags(tags.get(inPath)!));
    expect(after['XMP-dc:Creator']).toBe('测试作者');
    expect(after['ExifTool:Validate']).toBe('OK');

    expect((await sharpPixels(out)).data.equals((await sharpPixels(full)).data)).toBe(true);
    expect(ffmpegPixels(outPath).equals(ffmpegPixels(inPath))).toBe(true);
  });

  it('adds an XMP segment after JFIF APP0 when there is none, and strip restores the exact file', () => {
    expect(jpegParts(plain).some((p) => p.label)).toBe(false);
    const out = Buffer.from(writeMetadataLabel(plain, LABEL));
    expect(jpegParts(out).map((p) => p.name).slice(0, 3)).toEqual(['SOI', 'FFE0', 'FFE1 XMP']);
    expect(unlabelled(jpegParts(out))).toEqual(unlabelled(jpegParts(plain)));
    expect(readMetadataLabel(out)).toEqual(LABEL);
    expect(Buffer.from(stripMetadataLabel(out)).equals(plain)).toBe(true);

    const path = s.file('plain-out.jpg', out);
    const tags = exiftoolJson([path], ['-XMP-TC260:all', '-validate']).get(path)!;
    expect(Object.keys(tags)).toContain('ExifTool:Validate');
    expect(tags['XMP-TC260:Aigc']).toBe(labelToJson(LABEL));
    expect(tags['ExifTool:Validate']).toBe('OK');
    expect(ffmpegPixels(path).equals(ffmpegPixels(s.file('plain.jpg', plain)))).toBe(true);
  });

  it('replaces a foreign label (attribute form, other prefix): one copy, and writing again changes nothing', () => {
    expect(readMetadataLabel(foreign)).toEqual(FOREIGN);
    const once = Buffer.from(writeMetadataLabel(foreign, LABEL));
    const twice = Buffer.from(writeMetadataLabel(once, LABEL));
    expect(twice.equals(once)).toBe(true);
    expect(readMetadataLabel(once)).toEqual(LABEL);
    const packet = labelParts(jpegParts(once))[0].bytes.toString('utf8');
    expect(packet).not.toContain('aigc:AIGC=');
    expect(packet.match(/<TC260:AIGC>/g)).toHaveLength(1);
    expect(packet).toContain('<rdf:li>测试作者</rdf:li>');
    expect(unlabelled(jpegParts(once))).toEqual(unlabelled(jpegParts(foreign)));
    const path = s.file('foreign-out.jpg', once);
    const tags = exiftoolJson([path], ['-XMP:all']).get(path)!;
    expect(tags['XMP-TC260:Aigc']).toBe(labelToJson(LABEL));
    expect(Object.keys(tags).filter((k) => /Aigc/i.test(k))).toHaveLength(1);
  });

  it('gives up XMP padding to fit one APP1 segment, and refuses (typed, no output) when it cannot', () => {
    const filler = (n: number) =>
      `  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>${'x'.repeat(n)}</dc:description></rdf:Description>\n`;
    const base = Buffer.byteLength(xmpPacket(filler(0), 4000));
    const padded = xmpPacket(filler(MAX_XMP_PACKET - base), 4000);
    expect(Buffer.byteLength(padded)).toBe(MAX_XMP_PACKET);
    const fits = insertAfterSoi(plain, [xmpApp1(padded)]);
    const out = Buffer.from(writeMetadataLabel(fits, LABEL));
    expect(readMetadataLabel(out)).toEqual(LABEL);
    expect(labelParts(jpegParts(out))[0].bytes.length).toBeLessThanOrEqual(0xffff + 2);
    const path = s.file('padded-out.jpg', out);
    expect(exiftoolJson([path], ['-XMP-TC260:all']).get(path)!['XMP-TC260:Aigc']).toBe(labelToJson(LABEL));

    const unpadded = xmpPacket(filler(MAX_XMP_PACKET - Buffer.byteLength(xmpPacket(filler(0), 0)) - 10), 0);
    const full = insertAfterSoi(plain, [xmpApp1(unpadded)]);
    expectAigcError(() => writeMetadataLabel(full, LABEL), 'UNSUPPORTED_FORMAT', /65504/);
  });

  it('reads a label from Extended XMP, keeps Extended XMP without one, and refuses to rewrite one in it', () => {
    const guid = 'A'.repeat(32);
    const extPacket = Buffer.from(
      `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
        `<rdf:Description rdf:about="" xmlns:TC260="${TC260_NS}" TC260:AIGC="${wrappedJson(FOREIGN).replace(/"/g, '&quot;')}"/></rdf:RDF></x:xmpmeta>`,
    );
    const ext = (data: Buffer, offset: number, full = extPacket.length) => {
      const head = Buffer.alloc(40);
      head.write(guid, 0, 'latin1');
      head.writeUInt32BE(full, 32);
      head.writeUInt32BE(offset, 36);
      return jpegSegment(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xmp/extension/\0', 'latin1'), head, data]));
    };
    const half = 100;
    const main = xmpPacket(`  <rdf:Description rdf:about="" xmlns:xmpNote="http://ns.adobe.com/xmp/note/" xmpNote:HasExtendedXMP="${guid}"/>\n`);
    const file = insertAfterSoi(plain, [xmpApp1(main), ext(extPacket.subarray(half), half), ext(extPacket.subarray(0, half), 0)]);
    expect(readMetadataLabel(file)).toEqual(FOREIGN);
    expectAigcError(() => writeMetadataLabel(file, LABEL), 'UNSUPPORTED_FORMAT', /Extended XMP/);

    const harmless = Buffer.from(extPacket.toString().replace(/TC260:AIGC="[^"]*"/, 'TC260:Other="1"'));
    const withExt = insertAfterSoi(plain, [xmpApp1(main), ext(harmless, 0, harmless.length)]);
    const out = Buffer.from(writeMetadataLabel(withExt, LABEL));
    expect(readMetadataLabel(out)).toEqual(LABEL);
    expect(unlabelled(jpegParts(out))).toEqual(unlabelled(jpegParts(withExt)));
  });

  it('rejects damaged files with typed errors', () => {
    const xmpAt = plain.indexOf(Buffer.from([0xff, 0xdb]));
    expectAigcError(() => readMetadataLabel(plain.subarray(2)), 'UNSUPPORTED_FORMAT'); // no SOI: not a JPEG
    expectAigcError(() => writeMetadataLabel(plain.subarray(0, xmpAt + 10), LABEL), 'CORRUPT_FILE', /past the end/);
    expectAigcError(() => readMetadataLabel(plain.subarray(0, xmpAt)), 'CORRUPT_FILE', /no SOS/);
    expectAigcError(() => readMetadataLabel(Buffer.from([0xff, 0xd8, 0xff, 0xd9])), 'CORRUPT_FILE', /before the image data/);
    const junk = Buffer.concat([plain.subarray(0, xmpAt), Buffer.from([0x12, 0x34]), plain.subarray(xmpAt)]);
    expectAigcError(() => readMetadataLabel(junk), 'CORRUPT_FILE', /expected a marker/);
    const badLength = Buffer.from(plain);
    badLength.writeUInt16BE(1, 4);
    expectAigcError(() => readMetadataLabel(badLength), 'CORRUPT_FILE', /length 1/);

    const malformed = insertAfterSoi(plain, [xmpApp1('<x:xmpmeta><rdf:RDF></x:xmpmeta>')]);
    expectAigcError(() => readMetadataLabel(malformed), 'BAD_XMP');
    expectAigcError(() => writeMetadataLabel(malformed, LABEL), 'BAD_XMP');
    const notUtf8 = insertAfterSoi(plain, [xmpApp1(Buffer.from([0x3c, 0x61, 0xff, 0x2f, 0x3e]))]);
    expectAigcError(() => writeMetadataLabel(notUtf8, LABEL), 'BAD_XMP', /UTF-8/);
    const badJson = insertAfterSoi(plain, [xmpApp1(xmpPacket(`<rdf:Description xmlns:TC260="${TC260_NS}"><TC260:AIGC>{not json</TC260:AIGC></rdf:Description>`))]);
    expectAigcError(() => readMetadataLabel(badJson), 'BAD_LABEL');
    expect(readMetadataLabel(writeMetadataLabel(badJson, LABEL))).toEqual(LABEL); // a broken label is still replaced
  });
});
