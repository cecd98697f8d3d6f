import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelToJson } from '../../src/label/index.js';
import { readMetadataLabel, stripMetadataLabel, writeMetadataLabel } from '../../src/metadata/index.js';
import { comparableTags, expectAigcError } from './support/assert.js';
import {
  FOREIGN,
  LABEL,
  apic,
  bareJson,
  gradient,
  id3Frame,
  id3Tag,
  mp3Audio,
  mp3WithCover,
  syncsafe,
  textFrame,
  txxx,
  unsynchronise,
  wrappedJson,
} from './support/fixtures.js';
import { id3Parts, labelParts, unlabelled } from './support/structure.js';
import { decodedPcm, exiftoolJson, probe, runOk, scratch } from '../support/tools.js';

const s = scratch();
afterAll(() => s.cleanup());

let tagged: Buffer; // ffmpeg: ID3v2.4 with TIT2, TPE1, TSSE, APIC
let untagged: Buffer;
let cover: Buffer;

beforeAll(async () => {
  tagged = await mp3WithCover({ tag: true });
  untagged = await mp3WithCover({ tag: false });
  // A JFIF cover starts FF D8 FF E0 and stuffs FF 00 into its scan: bytes unsynchronisation must escape.
  cover = runOk('ffmpeg', ['-v', 'error', '-i', s.file('cover.png', await gradient(16, 16, 3).png().toBuffer()), '-f', 'mjpeg', '-']);
}, 60_000);

/** ExifTool (13.x, pinned by exiftool-vendored.pl) names a TXXX frame after its description: the AIGC frame reads as tag Aigc. */
const LABEL_TEXT = labelToJson(LABEL);
const LABEL_TAG = /^ID3v2_[34](:Copy\d+)?:Aigc$/;

/** ffmpeg accepts it, its decoded audio equals the original's, and ExifTool sees the same tags plus the label. */
function checkAudio(out: Buffer, original: Buffer, name: string): Record<string, unknown> {
  const a = s.file(`${name}-in.mp3`, original);
  const b = s.file(`${name}-out.mp3`, out);
  expect(probe(b).streams).toEqual(probe(a).streams);
  expect(decodedPcm(b).equals(decodedPcm(a))).toBe(true);
  const tags = exiftoolJson([a, b], ['-all', '-validate']);
  const before = tags.get(a)!;
  const after = tags.get(b)!;
  const labelTags = Object.entries(after).filter(([k]) => LABEL_TAG.test(k));
  expect(labelTags.map(([, v]) => v)).toEqual([LABEL_TEXT]);
  expect(after['ExifTool:Validate']).toBe(before['ExifTool:Validate']);
  // Every tag ExifTool saw before is still there with the same value (the label aside).
  const kept = comparableTags(before, [LABEL_TAG, /^File:ID3Size$/]);
  expect(comparableTags(after, [LABEL_TAG, /^File:ID3Size$/])).toMatchObject(kept);
  return after;
}

describe('MP3 metadata label', () => {
  it('adds TXXX:AIGC to an ffmpeg ID3v2.4 tag with APIC art, keeping every frame and the audio byte-for-byte', () => {
    const out = Buffer.from(writeMetadataLabel(tagged, LABEL));
    expect(readMetadataLabel(out)).toEqual(LABEL);
    expect(unlabelled(id3Parts(out))).toEqual(unlabelled(id3Parts(tagged)));
    expect(id3Parts(out).map((p) => p.name)).toEqual(['TIT2', 'TPE1', 'TSSE', 'APIC', 'TXXX', 'audio']);
    expect(out[3]).toBe(4);
    const after = checkAudio(out, tagged, 'ffmpeg');
    expect(after['ID3v2_4:Title']).toBe('Fixture song');
    expect(after['ID3v2_4:Picture']).toBeDefined();
    const a = s.file('pic-in.mp3', tagged);
    const b = s.file('pic-out.mp3', out);
    expect(runOk('exiftool', ['-b', '-Picture', b]).equals(runOk('exiftool', ['-b', '-Picture', a]))).toBe(true);
    expect(Buffer.from(writeMetadataLabel(out, LABEL)).equals(out)).toBe(true);
  });

  it('creates an ID3v2.3 tag in front of a bare MP3; strip gives back the exact file', () => {
    expect(untagged.subarray(0, 3).toString()).not.toBe('ID3');
    const out = Buffer.from(writeMetadataLabel(untagged, LABEL));
    expect(out.subarray(0, 5).equals(Buffer.from('ID3\x03\x00', 'latin1'))).toBe(true);
    expect(mp3Audio(out).equals(untagged)).toBe(true);
    expect(readMetadataLabel(out)).toEqual(LABEL);
    const after = checkAudio(out, untagged, 'bare');
    expect(after['ID3v2_3:Aigc']).toBe(LABEL_TEXT);
    expect(Buffer.from(stripMetadataLabel(out)).equals(untagged)).toBe(true);
  });

  it('replaces a foreign UTF-16 label in place inside the padding of a v2.3 tag, so the audio does not move', () => {
    const frames = [
      id3Frame(3, 'TIT2', textFrame('标题')),
      id3Frame(3, 'TXXX', txxx('aigc', bareJson(FOREIGN), 1)),
      id3Frame(3, 'APIC', apic(cover)),
      id3Frame(3, 'TXXX', txxx('other', 'kept')),
      id3Frame(3, 'TXXX', txxx('AIGC', '{}')), // a second copy, dropped
    ];
    const file = Buffer.concat([id3Tag(3, frames, { padding: 1024 }), untagged]);
    expect(readMetadataLabel(file)).toEqual(FOREIGN);
    const out = Buffer.from(writeMetadataLabel(file, LABEL));
    expect(out.length).toBe(file.length); // the tag kept its size
    expect(id3Parts(out).map((p) => p.name)).toEqual(['TIT2', 'TXXX', 'APIC', 'TXXX', 'audio']);
    expect(unlabelled(id3Parts(out))).toEqual(unlabelled(id3Parts(file)));
    expect(labelParts(id3Parts(out))).toHaveLength(1);
    expect(readMetadataLabel(out)).toEqual(LABEL);
    const after = checkAudio(out, file, 'v23');
    expect(after['ID3v2_3:Title']).toBe('标题');
  });

  it('grows a v2.4 tag with a footer exactly as needed and rewrites the footer', () => {
    const file = Buffer.concat([id3Tag(4, [id3Frame(4, 'TIT2', textFrame('footer test')), id3Frame(4, 'APIC', apic(cover))], { footer: true }), untagged]);
    const out = Buffer.from(writeMetadataLabel(file, LABEL));
    const size = (b: Buffer, o: number) => (b[o] << 21) | (b[o + 1] << 14) | (b[o + 2] << 7) | b[o + 3];
    const tagSize = size(out, 6);
    expect(out.toString('latin1', 10 + tagSize, 13 + tagSize)).toBe('3DI');
    expect(out.subarray(13 + tagSize, 20 + tagSize).equals(out.subarray(3, 10))).toBe(true);
    expect(mp3Audio(out).equals(untagged)).toBe(true);
    expect(readMetadataLabel(out)).toEqual(LABEL);
    checkAudio(out, file, 'footer');
  });

  it('handles a whole-tag unsynchronised v2.3 tag: reads through it and keeps the art intact', () => {
    const plainBody = Buffer.concat([id3Frame(3, 'APIC', apic(cover)), id3Frame(3, 'TXXX', txxx('AIGC', wrappedJson(FOREIGN)))]);
    const body = unsynchronise(plainBody);
    expect(body.length).toBeGreaterThan(plainBody.length);
    const file = Buffer.concat([Buffer.from('ID3\x03\x00\x80', 'latin1'), syncsafe(body.length), body, untagged]);
    expect(readMetadataLabel(file)).toEqual(FOREIGN);
    const out = Buffer.from(writeMetadataLabel(file, LABEL));
    expect(readMetadataLabel(out)).toEqual(LABEL);
    const a = s.file('unsync-in.mp3', file);
    const b = s.file('unsync-out.mp3', out);
    expect(runOk('exiftool', ['-b', '-Picture', b]).equals(cover)).toBe(true);
    expect(runOk('exiftool', ['-b', '-Picture', a]).equals(cover)).toBe(true);
    checkAudio(out, file, 'unsync');
  });

  it('reads ID3v2.2 TXX but refuses to rewrite v2.2; refuses a tag whose CRC it would break', () => {
    const data = txxx('AIGC', wrappedJson(FOREIGN));
    const frame = Buffer.concat([Buffer.from('TXX', 'latin1'), Buffer.from([0, data.length >> 8, data.length & 0xff]), data]);
    const v22 = Buffer.concat([Buffer.from('ID3\x02\x00\x00', 'latin1'), syncsafe(frame.length), frame, untagged]);
    expect(readMetadataLabel(v22)).toEqual(FOREIGN);
    expectAigcError(() => writeMetadataLabel(v22, LABEL), 'UNSUPPORTED_FORMAT', /v2\.2/);

    const ext = Buffer.from([0, 0, 0, 10, 0x80, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
    const body = Buffer.concat([ext, id3Frame(3, 'TIT2', textFrame('x'))]);
    const crc = Buffer.concat([Buffer.from('ID3\x03\x00\x40', 'latin1'), syncsafe(body.length), body, untagged]);
    expect(readMetadataLabel(crc)).toBeNull();
    expectAigcError(() => writeMetadataLabel(crc, LABEL), 'UNSUPPORTED_FORMAT', /CRC/);
  });

  it('rejects damaged tags with typed errors', () => {
    expectAigcError(() => readMetadataLabel(tagged.subarray(0, 200)), 'CORRUPT_FILE', /truncated/);
    const badSize = Buffer.from(tagged);
    badSize[6] = 0x80;
    expectAigcError(() => readMetadataLabel(badSize), 'CORRUPT_FILE', /syncsafe/);
    const longFrame = Buffer.concat([id3Tag(4, [id3Frame(4, 'TIT2', textFrame('x'))]), untagged]);
    syncsafe(5000).copy(longFrame, 14);
    expectAigcError(() => writeMetadataLabel(longFrame, LABEL), 'CORRUPT_FILE', /past the end of the tag/);
    const badId = Buffer.concat([id3Tag(3, [id3Frame(3, 'ti!2', textFrame('x'))]), untagged]);
    expectAigcError(() => readMetadataLabel(badId), 'CORRUPT_FILE', /frame id/);
    const v5 = Buffer.from(tagged);
    v5[3] = 5;
    expectAigcError(() => readMetadataLabel(v5), 'UNSUPPORTED_FORMAT');
  });
});
