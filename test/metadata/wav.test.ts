import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetadataLabel, stripMetadataLabel, writeMetadataLabel } from '../../src/metadata/index.js';
import { labelToJson } from '../../src/label/index.js';
import { comparableTags, expectAigcError } from './support/assert.js';
import { FOREIGN, LABEL, bareJson, riff, riffChunk, riffChunks, wavWithInfo } from './support/fixtures.js';
import { labelParts, riffParts, unlabelled } from './support/structure.js';
import { decodedPcm, exiftoolJson, probe, scratch } from '../support/tools.js';

const s = scratch();
afterAll(() => s.cleanup());

let wav: Buffer; // ffmpeg: fmt, LIST/INFO, data
const parts = (b: Buffer) => riffParts(b, ['AIGC']);
const ids = (b: Buffer) => parts(b).map((p) => p.name);

beforeAll(() => {
  wav = wavWithInfo();
}, 60_000);

/** ffmpeg and ExifTool accept the file, and the decoded samples equal the original's. */
function checkAudio(out: Buffer, original: Buffer, name: string): void {
  const a = s.file(`${name}-in.wav`, original);
  const b = s.file(`${name}-out.wav`, out);
  const pa = probe(a);
  const pb = probe(b);
  expect(pb.streams).toEqual(pa.streams);
  expect(pb.duration).toBe(pa.duration);
  expect(decodedPcm(b).equals(decodedPcm(a))).toBe(true);
  const tags = exiftoolJson([a, b], ['-all', '-validate']);
  expect(tags.get(b)!['ExifTool:Validate']).toBe(tags.get(a)!['ExifTool:Validate']);
  expect(comparableTags(tags.get(b)!, [/^ExifTool:Validate/])).toEqual(comparableTags(tags.get(a)!, [/^ExifTool:Validate/]));
}

describe('WAV metadata label', () => {
  it('appends an even-padded AIGC chunk, keeps fmt, LIST/INFO and data byte-for-byte, and updates the RIFF size', () => {
    expect(ids(wav)).toEqual(['RIFF header', 'fmt ', 'LIST', 'data']);
    const out = Buffer.from(writeMetadataLabel(wav, LABEL));
    expect(ids(out)).toEqual(['RIFF header', 'fmt ', 'LIST', 'data', 'AIGC']);
    expect(unlabelled(parts(out))).toEqual(unlabelled(parts(wav)));
    expect(out.readUInt32LE(4)).toBe(out.length - 8);
    expect(out.length % 2).toBe(0);
    const chunk = labelParts(parts(out))[0].bytes;
    expect(chunk.subarray(8, 8 + chunk.readUInt32LE(4)).toString('latin1')).toBe(labelToJson(LABEL));
    expect(readMetadataLabel(out)).toEqual(LABEL);
    checkAudio(out, wav, 'info');
    expect(Buffer.from(writeMetadataLabel(out, LABEL)).equals(out)).toBe(true);
    expect(Buffer.from(stripMetadataLabel(out)).equals(wav)).toBe(true);
  });

  it('replaces a foreign odd-sized AIGC chunk where it stands and drops a second copy', () => {
    const [fmt, list, data] = riffChunks(wav);
    let json = `${bareJson(FOREIGN)}\0`; // a C terminator, as some writers add
    if (json.length % 2 === 0) json += '\0';
    const two = riff('WAVE', [fmt, riffChunk('AIGC', Buffer.from(json)), list, data, riffChunk('AIGC', Buffer.from('{}'))]);
    expect(readMetadataLabel(two)).toEqual(FOREIGN);
    const out = Buffer.from(writeMetadataLabel(two, LABEL));
    expect(ids(out)).toEqual(['RIFF header', 'fmt ', 'AIGC', 'LIST', 'data']);
    expect(readMetadataLabel(out)).toEqual(LABEL);
    checkAudio(out, two, 'foreign');
  });

  it('tolerates odd-sized chunks without their pad byte, adding the pad only where a chunk now follows', () => {
    const [fmt, list, data] = riffChunks(wav);
    const unpadded = riffChunk('note', Buffer.from('odd'), false);
    const middle = riff('WAVE', [fmt, unpadded, list, data]);
    const out = Buffer.from(writeMetadataLabel(middle, LABEL));
    expect(out.subarray(12, middle.length).equals(middle.subarray(12))).toBe(true); // original chunks untouched
    expect(readMetadataLabel(out)).toEqual(LABEL);

    const oddData = riffChunk('data', data.subarray(8, data.length - 1), false); // odd sample bytes, no pad, last
    const last = riff('WAVE', [fmt, list, oddData]);
    const out2 = Buffer.from(writeMetadataLabel(last, LABEL));
    expect(out2.subarray(0, last.length).subarray(12).equals(last.subarray(12))).toBe(true);
    expect(out2[last.length]).toBe(0); // the pad byte, so the AIGC chunk starts on an even offset
    expect(out2.toString('latin1', last.length + 1, last.length + 5)).toBe('AIGC');
    expect(readMetadataLabel(out2)).toEqual(LABEL);
    probe(s.file('odd-out.wav', out2));
  });

  it('keeps bytes after the RIFF form', () => {
    const trailing = Buffer.concat([wav, Buffer.from('trailing junk')]);
    const out = Buffer.from(writeMetadataLabel(trailing, LABEL));
    expect(out.subarray(out.length - 13).toString()).toBe('trailing junk');
    expect(out.readUInt32LE(4)).toBe(out.length - 13 - 8);
  });

  it('rejects damaged files with typed errors', () => {
    expectAigcError(() => readMetadataLabel(wav.subarray(0, wav.length - 1)), 'CORRUPT_FILE', /truncated/);
    const long = Buffer.from(wav);
    long.writeUInt32LE(0xfffffff0, 16);
    expectAigcError(() => writeMetadataLabel(long, LABEL), 'CORRUPT_FILE', /past the end/);
    const cut = Buffer.from(wav.subarray(0, 20));
    cut.writeUInt32LE(8, 4);
    expectAigcError(() => readMetadataLabel(cut), 'CORRUPT_FILE', /cut off/);
    const tiny = Buffer.from(wav.subarray(0, 12));
    tiny.writeUInt32LE(2, 4);
    expectAigcError(() => readMetadataLabel(tiny), 'CORRUPT_FILE', /too small/);
    const badJson = riff('WAVE', [...riffChunks(wav), riffChunk('AIGC', Buffer.from('{"AIGC":{"Label":"4"}}'))]);
    expectAigcError(() => readMetadataLabel(badJson), 'BAD_LABEL');
  });
});
