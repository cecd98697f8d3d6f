/**
 * PNG: the label lives in the XMP packet of an iTXt chunk with keyword
 * "XML:com.adobe.xmp" (uncompressed, as the XMP spec requires), inserted before
 * the first IDAT when the file has no XMP yet.
 *
 * Read: XMP from iTXt (compressed or not), zTXt (what sharp/libvips write) or tEXt,
 * then a bare label in a tEXt/zTXt/iTXt chunk with keyword "AIGC".
 * Write: the first XMP chunk is rewritten as an uncompressed iTXt carrying the
 * label, keeping its other properties (and its language tags, if it was iTXt); any
 * label in another XMP chunk is removed, and every "AIGC" text chunk is dropped, so
 * one copy remains. Every other chunk is copied byte-for-byte; the CRC of each
 * written chunk is computed, and the CRC of each chunk read is checked.
 */
import { PNG_SIGNATURE } from './sniff.js';
import { crc32 } from '../payload/crc32.js';
import {
  concatBytes,
  corrupt,
  indexOfByte,
  latin1Decode,
  latin1Encode,
  need,
  putU32be,
  startsWith,
  u32be,
  utf8DecodeLenient,
  utf8DecodeStrict,
  utf8Encode,
} from './bytes.js';
import { zlibInflate } from './inflate.js';
import { KEEP, newPacketBytes, planXmpEdits, readPacketLabelText } from './xmp.js';

const FORMAT = 'PNG';
const XMP_KEYWORD = 'XML:com.adobe.xmp';
const LABEL_KEYWORD = 'AIGC';
/**
 * Inflated text beyond this is refused (decompression-bomb guard). XMP parsing is
 * linear but costs about half a second per MiB of pathological XML, and a few KiB
 * of zTXt can inflate to MiBs; real packets, even bloated Photoshop ones, stay below.
 */
const MAX_TEXT_BYTES = 8 * 1024 * 1024;

export interface PngChunk {
  type: string;
  start: number;
  dataStart: number;
  length: number;
  end: number;
}
type Chunk = PngChunk;

function isLetter(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

function parse(bytes: Uint8Array): { chunks: Chunk[]; end: number } {
  if (!startsWith(bytes, PNG_SIGNATURE)) throw corrupt(FORMAT, 'the PNG signature is missing.');
  const chunks: Chunk[] = [];
  let pos = PNG_SIGNATURE.length;
  for (;;) {
    need(bytes, pos, 8, FORMAT, 'A chunk header');
    const length = u32be(bytes, pos);
    const typeBytes = bytes.subarray(pos + 4, pos + 8);
    if (!typeBytes.every(isLetter)) throw corrupt(FORMAT, `the chunk at offset ${pos} has an invalid type.`);
    const type = latin1Decode(typeBytes);
    if (length > 0x7fffffff || length > bytes.length - pos - 12) {
      throw corrupt(FORMAT, `chunk ${type} at offset ${pos} declares ${length} bytes, past the end of the file.`);
    }
    if (chunks.length === 0 && type !== 'IHDR') throw corrupt(FORMAT, 'the first chunk is not IHDR.');
    const end = pos + 12 + length;
    chunks.push({ type, start: pos, dataStart: pos + 8, length, end });
    pos = end;
    if (type === 'IEND') return { chunks, end };
  }
}

/** The chunks of a PNG up to IEND, in order (CRCs not checked); CORRUPT_FILE when the structure is broken. */
export function pngChunks(bytes: Uint8Array): PngChunk[] {
  return parse(bytes).chunks;
}

const isText = (c: Chunk): boolean => c.type === 'tEXt' || c.type === 'zTXt' || c.type === 'iTXt';

/** The keyword of a text chunk, or null when the chunk has none (not a valid text chunk: not ours either). */
function keywordOf(bytes: Uint8Array, c: Chunk): string | null {
  if (!isText(c)) return null;
  const nul = indexOfByte(bytes, 0, c.dataStart, Math.min(c.dataStart + c.length, c.dataStart + 80));
  return nul <= c.dataStart ? null : latin1Decode(bytes.subarray(c.dataStart, nul));
}

interface TextPayload {
  /** UTF-8. */
  text: Uint8Array;
  /** iTXt language tag and translated keyword, each with its NUL. */
  itxtTags: Uint8Array;
}

const NO_TAGS = new Uint8Array(0);

/**
 * tEXt and zTXt are Latin-1 by the PNG spec, yet libvips (sharp) stores XMP in
 * zTXt as UTF-8. Text that is valid UTF-8 is taken as such; anything else is Latin-1.
 */
function asUtf8(text: Uint8Array): Uint8Array {
  return utf8DecodeStrict(text) === null ? utf8Encode(latin1Decode(text)) : text;
}

/** CRC-checked, inflated UTF-8 text of a chunk whose keyword we read. */
function textPayload(bytes: Uint8Array, c: Chunk, keyword: string): TextPayload {
  const stored = u32be(bytes, c.dataStart + c.length);
  if (crc32(bytes.subarray(c.start + 4, c.dataStart + c.length)) !== stored) {
    throw corrupt(FORMAT, `the CRC of the ${c.type} chunk "${keyword}" at offset ${c.start} does not match.`);
  }
  const d = bytes.subarray(c.dataStart, c.dataStart + c.length);
  let at = keyword.length + 1;
  const damaged = () => corrupt(FORMAT, `the ${c.type} chunk "${keyword}" at offset ${c.start} is malformed.`);
  if (c.type === 'tEXt') return { text: asUtf8(d.subarray(at)), itxtTags: NO_TAGS };
  if (c.type === 'zTXt') {
    if (d[at] !== 0) throw damaged();
    return { text: asUtf8(zlibInflate(d.subarray(at + 1), MAX_TEXT_BYTES)), itxtTags: NO_TAGS };
  }
  if (at + 2 > d.length) throw damaged();
  const compressed = d[at];
  const method = d[at + 1];
  at += 2;
  const langEnd = indexOfByte(d, 0, at, d.length);
  const translatedEnd = langEnd < 0 ? -1 : indexOfByte(d, 0, langEnd + 1, d.length);
  if (translatedEnd < 0 || compressed > 1 || method !== 0) throw damaged();
  const itxtTags = d.subarray(at, translatedEnd + 1);
  const raw = d.subarray(translatedEnd + 1);
  return { text: compressed ? zlibInflate(raw, MAX_TEXT_BYTES) : raw, itxtTags };
}

function makeChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  putU32be(out, 0, data.length);
  out.set(latin1Encode(type), 4);
  out.set(data, 8);
  putU32be(out, 8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const EMPTY_ITXT_TAGS = new Uint8Array([0, 0]);

function xmpChunk(packet: Uint8Array, itxtTags: Uint8Array): Uint8Array {
  const tags = itxtTags.length >= 2 ? itxtTags : EMPTY_ITXT_TAGS;
  return makeChunk('iTXt', concatBytes([latin1Encode(XMP_KEYWORD), new Uint8Array([0, 0, 0]), tags, packet]));
}

function isLabelKeyword(keyword: string | null): boolean {
  return keyword !== null && keyword.toUpperCase() === LABEL_KEYWORD;
}

export function readPngLabelText(bytes: Uint8Array): string | null {
  const { chunks } = parse(bytes);
  for (const c of chunks) {
    if (keywordOf(bytes, c) !== XMP_KEYWORD) continue;
    const text = readPacketLabelText(textPayload(bytes, c, XMP_KEYWORD).text);
    if (text !== null) return text;
  }
  for (const c of chunks) {
    const keyword = keywordOf(bytes, c);
    if (!isLabelKeyword(keyword)) continue;
    return utf8DecodeLenient(textPayload(bytes, c, keyword as string).text);
  }
  return null;
}

/** With `json`, the file carrying that label (one copy); with null, the file without it. */
export function editPngLabel(bytes: Uint8Array, json: string | null): Uint8Array {
  const { chunks, end } = parse(bytes);
  const xmp = chunks.filter((c) => keywordOf(bytes, c) === XMP_KEYWORD);
  const payloads = xmp.map((c) => textPayload(bytes, c, XMP_KEYWORD));
  const edits = planXmpEdits(payloads.map((p) => p.text), json);
  const indexOf = new Map(xmp.map((c, i) => [c, i]));
  const parts: Uint8Array[] = [bytes.subarray(0, PNG_SIGNATURE.length)];
  let pending = json !== null && xmp.length === 0 ? xmpChunk(newPacketBytes(json), EMPTY_ITXT_TAGS) : null;
  for (const c of chunks) {
    if (pending && (c.type === 'IDAT' || c.type === 'IEND')) {
      if (c.type === 'IEND') throw corrupt(FORMAT, 'the file has no IDAT chunk.');
      parts.push(pending);
      pending = null;
    }
    const keyword = keywordOf(bytes, c);
    if (isLabelKeyword(keyword)) continue;
    const i = indexOf.get(c) ?? -1;
    const e = i >= 0 ? edits[i] : KEEP;
    if (e.action === 'drop') continue;
    parts.push(e.action === 'replace' ? xmpChunk(e.packet, payloads[i].itxtTags) : bytes.subarray(c.start, c.end));
  }
  parts.push(bytes.subarray(end));
  return concatBytes(parts);
}

/**
 * `encoded` (a PNG written from `source`'s pixels) with `source`'s text chunks copied in byte for
 * byte, in their order, before its first IDAT: generation parameters, prompts, titles and comments
 * that an image's author or generator stored (tEXt, zTXt, iTXt), which a re-encode would drop.
 * XMP is the encoder's to carry and the label is the label writer's, so neither is copied, and a
 * chunk the encoder already wrote is not copied twice.
 */
export function carryPngTextChunks(source: Uint8Array, encoded: Uint8Array): Uint8Array {
  const from = parse(source).chunks;
  const carried = from.filter((c) => {
    const keyword = keywordOf(source, c);
    return keyword !== null && keyword !== XMP_KEYWORD && !isLabelKeyword(keyword);
  });
  if (carried.length === 0) return encoded;
  const { chunks } = parse(encoded);
  const firstIdat = chunks.find((c) => c.type === 'IDAT');
  if (!firstIdat) throw corrupt(FORMAT, 'the encoded file has no IDAT chunk.');
  const present = new Set(chunks.filter(isText).map((c) => latin1Decode(encoded.subarray(c.start, c.end))));
  const copies = carried.map((c) => source.subarray(c.start, c.end)).filter((chunk) => !present.has(latin1Decode(chunk)));
  return concatBytes([encoded.subarray(0, firstIdat.start), ...copies, encoded.subarray(firstIdat.start)]);
}
