/**
 * RIFF chunk walking and re-assembly, shared by WAV and WebP. Chunks are copied
 * byte-for-byte; only the RIFF size field is recomputed.
 *
 * Odd-sized chunks must be followed by a pad byte, but some writers omit it. A
 * chunk counts as unpadded when the RIFF ends right after its data, or when a
 * plausible chunk header (printable id, size that fits) starts right after its
 * data and none starts one byte later.
 */
import { concatBytes, corrupt, latin1Decode, latin1Encode, need, putU32le, u32le } from './bytes.js';
import { riffForm } from './sniff.js';

export interface RiffChunk {
  index: number;
  id: string;
  /** Offset of the chunk header. */
  start: number;
  dataStart: number;
  size: number;
  /** After the pad byte, when there is one. */
  end: number;
  unpadded: boolean;
}

export interface Riff {
  chunks: RiffChunk[];
  /** End of the RIFF form (8 + its declared size); bytes after it are kept as they are. */
  end: number;
}

/** A printable FourCC whose declared size fits before `limit`. */
function looksLikeChunkHeader(bytes: Uint8Array, at: number, limit: number): boolean {
  if (at + 8 > limit) return false;
  for (let i = at; i < at + 4; i++) if (bytes[i] < 0x20 || bytes[i] > 0x7e) return false;
  return u32le(bytes, at + 4) <= limit - at - 8;
}


export function parseRiff(bytes: Uint8Array, form: string, format: string): Riff {
  need(bytes, 0, 12, format, 'The RIFF header');
  if (riffForm(bytes) !== form) throw corrupt(format, `not a RIFF ${form} file.`);
  const declared = u32le(bytes, 4);
  const end = 8 + declared;
  if (declared < 4) throw corrupt(format, `the RIFF size ${declared} is too small.`);
  if (end > bytes.length) throw corrupt(format, `the RIFF size says ${end} bytes, but the file has ${bytes.length} (truncated).`);
  const chunks: RiffChunk[] = [];
  let pos = 12;
  while (pos < end) {
    if (end - pos < 8) throw corrupt(format, `a chunk header at offset ${pos} is cut off.`);
    const id = latin1Decode(bytes.subarray(pos, pos + 4));
    const size = u32le(bytes, pos + 4);
    const dataStart = pos + 8;
    if (size > end - dataStart) {
      throw corrupt(format, `chunk "${id}" at offset ${pos} declares ${size} bytes, past the end of the file.`);
    }
    const dataEnd = dataStart + size;
    let unpadded = false;
    if (size % 2 === 1) {
      unpadded =
        dataEnd === end ||
        (bytes[dataEnd] !== 0 && looksLikeChunkHeader(bytes, dataEnd, end) && !looksLikeChunkHeader(bytes, dataEnd + 1, end));
    }
    const chunkEnd = size % 2 === 1 && !unpadded ? dataEnd + 1 : dataEnd;
    chunks.push({ index: chunks.length, id, start: pos, dataStart, size, end: chunkEnd, unpadded });
    pos = chunkEnd;
  }
  return { chunks, end };
}

/** A chunk with its header and, for odd sizes, the pad byte. */
export function makeRiffChunk(id: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + data.length + (data.length % 2));
  out.set(latin1Encode(id), 0);
  putU32le(out, 4, data.length);
  out.set(data, 8);
  return out;
}

export type RiffItem = RiffChunk | Uint8Array;

/**
 * The RIFF file with `items` as its chunks: original chunks by reference (copied
 * as they are) or new chunk bytes. An unpadded original chunk gets its pad byte
 * only where something other than its original successor now follows it.
 */
export function assembleRiff(bytes: Uint8Array, riff: Riff, items: readonly RiffItem[]): Uint8Array {
  const parts: Uint8Array[] = [bytes.slice(0, 12)];
  items.forEach((item, i) => {
    if (item instanceof Uint8Array) {
      parts.push(item);
      return;
    }
    parts.push(bytes.subarray(item.start, item.end));
    const next = items[i + 1];
    const keepsSuccessor = next !== undefined && !(next instanceof Uint8Array) && next.index === item.index + 1;
    if (item.unpadded && next !== undefined && !keepsSuccessor) parts.push(new Uint8Array(1));
  });
  parts.push(bytes.subarray(riff.end));
  const out = concatBytes(parts);
  const trailing = bytes.length - riff.end;
  putU32le(out, 4, out.length - trailing - 8);
  return out;
}
