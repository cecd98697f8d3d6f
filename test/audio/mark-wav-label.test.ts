import { describe, expect, it } from 'vitest';
import { decodeAudioFile, encodeAudioFile } from '../../src/audio/file.js';
import { embedAudio } from '../../src/audio/index.js';
import { buildWav, pcm16WavInfo, readWavHeader, type WavChunk } from '../../src/audio/wav.js';
import { createLabel } from '../../src/label/create.js';
import { readMetadataLabel, stripMetadataLabel, writeMetadataLabel } from '../../src/metadata/index.js';
import { markFile } from '../../src/media.js';
import '../../src/wasm/node-source.js';
import { speechLike } from '../support/audio.js';

const label = createLabel({ producer: '91110000MA01ABCDEF123456789', produceId: 'AM2Q3WC88' });
const text = (s: string) => new TextEncoder().encode(s);

/** A 16-bit stereo WAV with metadata around the samples: an odd-sized LIST, two old labels, a bext after the data. */
function wavWithChunks(withOldLabels: boolean): Uint8Array {
  const [fmt, data] = pcm16WavInfo(2, 44100).chunks;
  const chunks: WavChunk[] = [fmt, { id: 'LIST', data: text('INFOISFT\x05\x00\x00\x00sox!\x00') }];
  if (withOldLabels) chunks.push({ id: 'AIGC', data: text('{"Label":"2"}') });
  chunks.push(data, { id: 'bext', data: Uint8Array.of(1, 2, 3) });
  if (withOldLabels) chunks.push({ id: 'AIGC', data: text('{"Label":"3","x":1}') });
  return buildWav({ encoding: 'pcm', bits: 16, extensible: false, chunks }, speechLike(3.5));
}

const chunkList = (bytes: Uint8Array) => readWavHeader(bytes).info.chunks.map((c) => ({ id: c.id, data: [...(c.id === 'data' ? [] : c.data)] }));

describe('a marked WAV gets its metadata label as it is written', () => {
  it.each([true, false])('old labels %s: the same bytes as labelling the marked file afterwards, every other chunk byte for byte', async (withOldLabels) => {
    const input = wavWithChunks(withOldLabels);
    const plain = await markFile(input, label);
    const labelled = await markFile(input, label, { metadata: true });
    expect(labelled.payload).toEqual(plain.payload);
    expect(Buffer.from(labelled.bytes).equals(Buffer.from(writeMetadataLabel(plain.bytes, label)))).toBe(true);
    expect(readMetadataLabel(labelled.bytes)).toEqual(label);
    // One label, where the first old one was (or after the last chunk); the rest as in the input.
    const before = chunkList(input).filter((c) => c.id !== 'AIGC');
    const after = chunkList(labelled.bytes);
    expect(after.filter((c) => c.id === 'AIGC')).toHaveLength(1);
    expect(after.map((c) => c.id)).toEqual(withOldLabels ? ['fmt ', 'LIST', 'AIGC', 'data', 'bext'] : ['fmt ', 'LIST', 'data', 'bext', 'AIGC']);
    expect(after.filter((c) => c.id !== 'AIGC')).toEqual(before);
    // The samples are those of the unlabelled mark.
    expect(readWavHeader(labelled.bytes).samples).toEqual(readWavHeader(plain.bytes).samples);
  });

  it('metadata: false takes every old label out, as stripMetadataLabel does', async () => {
    const input = wavWithChunks(true);
    const plain = await markFile(input, label);
    const stripped = await markFile(input, label, { metadata: false });
    expect(Buffer.from(stripped.bytes).equals(Buffer.from(stripMetadataLabel(plain.bytes)))).toBe(true);
    expect(readMetadataLabel(stripped.bytes)).toBeNull();
    expect(chunkList(stripped.bytes).map((c) => c.id)).toEqual(['fmt ', 'LIST', 'data', 'bext']);
  });

  it('the span-by-span WAV path writes the bytes that decoding, embedAudio and encoding give', async () => {
    const input = wavWithChunks(true);
    const streamed = await markFile(input, label);
    const decoded = await decodeAudioFile(input);
    const marked = await embedAudio(decoded.channels, decoded.sampleRate, label);
    const whole = await encodeAudioFile(decoded, marked.channels);
    expect(Buffer.from(streamed.bytes).equals(Buffer.from(whole))).toBe(true);
    expect(streamed.quality).toEqual({ snr: Math.round(marked.snr * 100) / 100 });
  });

  it('MP3 output from a WAV carries the label too', async () => {
    const out = await markFile(wavWithChunks(false), label, { format: 'mp3', metadata: true });
    expect(out.format).toBe('mp3');
    expect(readMetadataLabel(out.bytes)).toEqual(label);
  });
});
