/**
 * Seeded mutation fuzzing: for each format, 5,000 mutants of small valid files
 * (bit flips, byte stores, truncations, length-field corruption, insertions,
 * deletions, duplicated ranges). Every read, write and strip must end in a result
 * or an AigcError: no other exception, no hang, no runaway allocation. When a write
 * succeeds, its output must read back as exactly the label, writing again must
 * change nothing, and stripping must leave no label.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AigcError } from '../../src/errors.js';
import type { AigcLabel } from '../../src/label/index.js';
import { readMetadataLabel, stripMetadataLabel, writeMetadataLabel, type ContainerFormat } from '../../src/metadata/index.js';
import {
  FOREIGN,
  LABEL,
  apic,
  bareJson,
  foreignAttributeXmp,
  gradient,
  id3Frame,
  id3Tag,
  insertPngChunks,
  mp3WithCover,
  riff,
  riffChunk,
  riffChunks,
  tEXt,
  textFrame,
  txxx,
  wavWithInfo,
  withAllMetadata,
  zTXt,
} from './support/fixtures.js';
import { prng } from './support/prng.js';

const CASES = 5000;
const MAX_GROWTH = 128 * 1024;

interface Seed {
  bytes: Buffer;
  /** Offsets and widths of length fields, the likeliest places for a parser to trust a lie. */
  lengths: { at: number; width: 2 | 4; le: boolean }[];
}

function jpegLengths(b: Buffer): Seed['lengths'] {
  const out: Seed['lengths'] = [];
  for (let pos = 2; pos + 4 <= b.length && b[pos + 1] !== 0xda; pos += 2 + b.readUInt16BE(pos + 2)) out.push({ at: pos + 2, width: 2, le: false });
  return out;
}

function pngLengths(b: Buffer): Seed['lengths'] {
  const out: Seed['lengths'] = [];
  for (let pos = 8; pos + 8 <= b.length; pos += 12 + b.readUInt32BE(pos)) out.push({ at: pos, width: 4, le: false });
  return out;
}

function riffLengths(b: Buffer): Seed['lengths'] {
  const out: Seed['lengths'] = [{ at: 4, width: 4, le: true }];
  for (let pos = 12; pos + 8 <= b.length; pos += 8 + b.readUInt32LE(pos + 4) + (b.readUInt32LE(pos + 4) % 2)) out.push({ at: pos + 4, width: 4, le: true });
  return out;
}

function id3Lengths(b: Buffer): Seed['lengths'] {
  if (b.toString('latin1', 0, 3) !== 'ID3') return [];
  const out: Seed['lengths'] = [{ at: 6, width: 4, le: false }];
  const end = 10 + ((b[6] << 21) | (b[7] << 14) | (b[8] << 7) | b[9]);
  for (let pos = 10; pos + 10 <= end && b[pos] !== 0; ) {
    out.push({ at: pos + 4, width: 4, le: false });
    const size = b[3] === 4 ? (b[pos + 4] << 21) | (b[pos + 5] << 14) | (b[pos + 6] << 7) | b[pos + 7] : b.readUInt32BE(pos + 4);
    pos += 10 + size;
  }
  return out;
}

const seeds = {} as Record<ContainerFormat, Seed[]>;

beforeAll(async () => {
  const small = gradient(16, 12, 3);
  const jpegs = [
    Buffer.from(writeMetadataLabel(await withAllMetadata(small.clone()).jpeg({ quality: 50 }).toBuffer(), FOREIGN)),
    await small.clone().withXmp(foreignAttributeXmp()).jpeg({ quality: 50 }).toBuffer(),
  ];
  const pngs = [
    insertPngChunks(await withAllMetadata(small.clone()).png().toBuffer(), 'IDAT', [tEXt('AIGC', bareJson(FOREIGN)), zTXt('Comment', 'x')]),
    Buffer.from(writeMetadataLabel(await gradient(6, 5, 4).png().toBuffer(), FOREIGN)),
  ];
  const webps = [
    await gradient(10, 7, 3).webp({ quality: 30 }).toBuffer(),
    Buffer.from(writeMetadataLabel(await withAllMetadata(gradient(9, 9, 4)).webp({ quality: 30 }).toBuffer(), FOREIGN)),
  ];
  const wav = wavWithInfo(0.02);
  const [fmt, list, data] = riffChunks(wav);
  const wavs = [
    Buffer.from(writeMetadataLabel(wav, FOREIGN)),
    riff('WAVE', [fmt, riffChunk('odd!', Buffer.from('abc'), false), list, data, riffChunk('AIGC', Buffer.from(bareJson(FOREIGN)))]),
  ];
  const audio = await mp3WithCover({ tag: false, seconds: 0.05 });
  const mp3s = [
    Buffer.from(writeMetadataLabel(await mp3WithCover({ tag: true, seconds: 0.05 }), FOREIGN)),
    Buffer.concat([id3Tag(3, [id3Frame(3, 'TIT2', textFrame('t')), id3Frame(3, 'TXXX', txxx('AIGC', bareJson(FOREIGN), 1)), id3Frame(3, 'APIC', apic(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2])))], { padding: 64 }), audio]),
    audio,
  ];
  seeds.jpeg = jpegs.map((bytes) => ({ bytes, lengths: jpegLengths(bytes) }));
  seeds.png = pngs.map((bytes) => ({ bytes, lengths: pngLengths(bytes) }));
  seeds.webp = webps.map((bytes) => ({ bytes, lengths: riffLengths(bytes) }));
  seeds.wav = wavs.map((bytes) => ({ bytes, lengths: riffLengths(bytes) }));
  seeds.mp3 = mp3s.map((bytes) => ({ bytes, lengths: id3Lengths(bytes) }));
}, 60_000);

function mutate(seed: Seed, rand: () => number): Buffer {
  let b = Buffer.from(seed.bytes);
  const int = (n: number) => Math.floor(rand() * n);
  const steps = rand() < 0.7 ? 1 : 2 + int(2);
  // Weighted so that most mutants keep their structure and reach the deeper parsing paths.
  const KINDS = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 3, 3, 3, 2, 2, 4, 4, 5, 5, 6];
  for (let s = 0; s < steps && b.length > 0; s++) {
    switch (KINDS[int(KINDS.length)]) {
      case 0:
        for (let i = 1 + int(8); i > 0; i--) b[int(b.length)] ^= 1 << int(8);
        break;
      case 1:
        for (let i = 1 + int(4); i > 0; i--) b[int(b.length)] = int(256);
        break;
      case 2:
        b = b.subarray(0, int(b.length));
        break;
      case 3: {
        const field = seed.lengths[int(seed.lengths.length)];
        if (!field || field.at + field.width > b.length) break;
        const max = field.width === 2 ? 0xffff : 0xffffffff;
        const current = field.width === 2 ? b.readUInt16BE(field.at) : field.le ? b.readUInt32LE(field.at) : b.readUInt32BE(field.at);
        const choices = [0, 1, 2, max, max - 1, current + 1, current - 1, current + 2 + int(64), Math.max(0, current - 2 - int(64)), int(max), b.length, 0x7fffffff];
        const value = Math.min(max, Math.max(0, choices[int(choices.length)]));
        if (field.width === 2) b.writeUInt16BE(value, field.at);
        else if (field.le) b.writeUInt32LE(value >>> 0, field.at);
        else b.writeUInt32BE(value >>> 0, field.at);
        break;
      }
      case 4: {
        const at = int(b.length + 1);
        b = Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: 1 + int(16) }, () => int(256))), b.subarray(at)]);
        break;
      }
      case 5: {
        const at = int(b.length);
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + int(64))]);
        break;
      }
      default: {
        const from = int(b.length);
        const len = 1 + int(48);
        const to = int(b.length);
        b = Buffer.concat([b.subarray(0, to), b.subarray(from, from + len), b.subarray(to)]);
      }
    }
  }
  return b;
}

const NEW_LABEL: AigcLabel = { ...LABEL, ProduceID: 'fuzz-id', PropagateID: 'fuzz-prop' };

let codes: Record<string, number> | null = null;

function attempt<T>(fn: () => T, where: string): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AigcError) {
      if (codes && where.endsWith('write')) codes[e.code] = (codes[e.code] ?? 0) + 1;
      return undefined;
    }
    throw new Error(`${where}: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`, { cause: e });
  }
}

describe.each(['jpeg', 'png', 'webp', 'wav', 'mp3'] as const)('fuzz %s', (format) => {
  it(`${CASES} mutants end in a result or an AigcError`, () => {
    const rand = prng(0xa16c ^ format.charCodeAt(0) ^ (format.charCodeAt(1) << 8));
    const outcomes = { written: 0, refused: 0 };
    codes = {};
    let slowest = 0;
    let peakBuffers = 0;
    for (let i = 0; i < CASES; i++) {
      const input = mutate(seeds[format][i % seeds[format].length], rand);
      const where = `${format} case ${i} (seed ${i % seeds[format].length}, ${input.length} bytes, head ${input.subarray(0, 24).toString('hex')})`;
      const t0 = performance.now();
      attempt(() => readMetadataLabel(input), `${where} read`);
      attempt(() => stripMetadataLabel(input), `${where} strip`);
      const out = attempt(() => writeMetadataLabel(input, NEW_LABEL), `${where} write`);
      if (out) {
        outcomes.written++;
        expect(out.length, where).toBeLessThan(input.length + MAX_GROWTH);
        expect(readMetadataLabel(out), where).toEqual(NEW_LABEL);
        expect(Buffer.from(writeMetadataLabel(out, NEW_LABEL)).equals(Buffer.from(out)), `${where} idempotent`).toBe(true);
        // (Stripping an ID3 tag off mangled audio can leave bytes that are no longer sniffable as MP3.)
        expect(attempt(() => readMetadataLabel(stripMetadataLabel(out)) ?? null, `${where} strip`) ?? null, `${where} strip`).toBeNull();
      } else outcomes.refused++;
      slowest = Math.max(slowest, performance.now() - t0);
      if (i % 250 === 0) peakBuffers = Math.max(peakBuffers, process.memoryUsage().arrayBuffers);
    }
    console.log(format, outcomes, codes, `slowest ${slowest.toFixed(1)} ms`);
    expect(slowest).toBeLessThan(2000);
    expect(peakBuffers).toBeLessThan(1024 * 1024 * 1024);
    // Both paths are exercised: many mutants are still writable, many are refused.
    expect(outcomes.written).toBeGreaterThan(CASES / 20);
    expect(outcomes.refused).toBeGreaterThan(CASES / 20);
  }, 120_000);
});
