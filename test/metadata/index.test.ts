import { beforeAll, describe, expect, it } from 'vitest';
import { readMetadataLabel, sniffContainer, stripMetadataLabel, writeMetadataLabel, type ContainerFormat } from '../../src/metadata/index.js';
import type { AigcLabel } from '../../src/label/index.js';
import { expectAigcError } from './support/assert.js';
import { LABEL, gradient, id3Frame, id3Tag, mp3WithCover, riff, riffChunk, textFrame, wavWithInfo } from './support/fixtures.js';

const files = {} as Record<ContainerFormat, Buffer>;

beforeAll(async () => {
  files.jpeg = await gradient(8, 8, 3).jpeg().toBuffer();
  files.png = await gradient(8, 8, 3).png().toBuffer();
  files.webp = await gradient(8, 8, 3).webp().toBuffer();
  files.wav = wavWithInfo(0.05);
  files.mp3 = await mp3WithCover({ tag: false, seconds: 0.1 });
}, 60_000);

describe('metadata API', () => {
  it('sniffs each container by magic bytes', () => {
    for (const [format, bytes] of Object.entries(files)) expect(sniffContainer(bytes)).toBe(format);
    expect(sniffContainer(Buffer.concat([id3Tag(4, [id3Frame(4, 'TIT2', textFrame('x'))]), files.mp3]))).toBe('mp3');
    expect(sniffContainer(Buffer.concat([id3Tag(3, []), Buffer.from('fLaC')]))).toBeNull();
    expect(sniffContainer(riff('AVI ', [riffChunk('LIST', Buffer.alloc(4))]))).toBeNull();
    expect(sniffContainer(Buffer.from([0xff, 0xf1, 0x50, 0x80]))).toBeNull(); // ADTS AAC, not layer III
    expect(sniffContainer(Buffer.from('GIF89a'))).toBeNull();
    expect(sniffContainer(new Uint8Array(0))).toBeNull();
  });

  it('round-trips a label in all five formats and strips it again', () => {
    for (const bytes of Object.values(files)) {
      expect(readMetadataLabel(bytes)).toBeNull();
      const out = writeMetadataLabel(bytes, LABEL);
      expect(out).toBeInstanceOf(Uint8Array);
      expect(readMetadataLabel(out)).toEqual(LABEL);
      expect(readMetadataLabel(stripMetadataLabel(out))).toBeNull();
    }
  });

  it('accepts plain Uint8Array views at an offset, not only Buffers', () => {
    const backing = new Uint8Array(files.png.length + 7);
    backing.set(files.png, 7);
    const view = backing.subarray(7);
    expect(readMetadataLabel(writeMetadataLabel(view, LABEL))).toEqual(LABEL);
  });

  it('validates the label before touching the file, naming the field and the character', () => {
    const bad = { ...LABEL, ContentProducer: 'ACME 公司' } as AigcLabel;
    expectAigcError(() => writeMetadataLabel(files.jpeg, bad), 'BAD_LABEL', /ContentProducer.*' '|ContentProducer.*U\+0020/);
    const missing = { Label: '1', ContentProducer: 'x', ProduceID: 'y' } as AigcLabel;
    expectAigcError(() => writeMetadataLabel(files.wav, missing), 'BAD_LABEL', /ContentPropagator/);
  });

  it('refuses unknown containers with UNSUPPORTED_FORMAT', () => {
    expectAigcError(() => readMetadataLabel(Buffer.from('GIF89a....')), 'UNSUPPORTED_FORMAT');
    expectAigcError(() => writeMetadataLabel(Buffer.from('%PDF-1.7'), LABEL), 'UNSUPPORTED_FORMAT');
    expectAigcError(() => stripMetadataLabel(new Uint8Array(0)), 'UNSUPPORTED_FORMAT');
  });

  it('does not modify its input', () => {
    for (const bytes of Object.values(files)) {
      const copy = Buffer.from(bytes);
      writeMetadataLabel(bytes, LABEL);
      stripMetadataLabel(bytes);
      expect(bytes.equals(copy)).toBe(true);
    }
  });
});
