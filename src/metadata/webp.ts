/**
 * WebP: the label lives in the XMP packet of the "XMP " chunk, announced by the
 * XMP flag (0x04) of the VP8X chunk. A simple (VP8 or VP8L only) file is turned
 * into the extended format: a VP8X chunk is put first, its canvas size read from
 * the VP8/VP8L bitstream header, its alpha flag from the VP8L header, and its
 * ICC/EXIF flags from the chunks present. The image chunks are copied unchanged.
 * A new XMP chunk goes after the image and EXIF chunks, as the container spec orders them.
 */
import { corrupt, putU24le, u16le, u32le } from './bytes.js';
import { assembleRiff, makeRiffChunk, parseRiff, type Riff, type RiffChunk, type RiffItem } from './riff.js';
import { KEEP, newPacketBytes, planXmpEdits, readPacketLabelText } from './xmp.js';

const FORMAT = 'WebP';
const XMP_ID = 'XMP ';
const FLAG_ICC = 0x20;
const FLAG_ALPHA = 0x10;
const FLAG_EXIF = 0x08;
const FLAG_XMP = 0x04;
/** Chunks the container spec places before XMP; a new XMP chunk goes after the last of them. */
const BEFORE_XMP = new Set(['VP8X', 'ICCP', 'ANIM', 'ANMF', 'ALPH', 'VP8 ', 'VP8L', 'EXIF']);

function parse(bytes: Uint8Array): Riff {
  const riff = parseRiff(bytes, 'WEBP', FORMAT);
  const first = riff.chunks[0]?.id;
  if (first !== 'VP8X' && first !== 'VP8 ' && first !== 'VP8L') {
    throw corrupt(FORMAT, `the first chunk is ${first === undefined ? 'missing' : `"${first}"`}, not VP8X, VP8 or VP8L.`);
  }
  if (first === 'VP8X' && riff.chunks[0].size < 10) throw corrupt(FORMAT, 'the VP8X chunk is shorter than 10 bytes.');
  return riff;
}

const data = (bytes: Uint8Array, c: RiffChunk): Uint8Array => bytes.subarray(c.dataStart, c.dataStart + c.size);

/** True when a WebP holds a VP8L (lossless) bitstream, directly or inside VP8X; false for a damaged file. */
export function isLosslessWebp(bytes: Uint8Array): boolean {
  try {
    return parseRiff(bytes, 'WEBP', FORMAT).chunks.some((c) => c.id === 'VP8L');
  } catch {
    return false;
  }
}

export function readWebpLabelText(bytes: Uint8Array): string | null {
  for (const chunk of parse(bytes).chunks) {
    if (chunk.id !== XMP_ID) continue;
    const text = readPacketLabelText(data(bytes, chunk));
    if (text !== null) return text;
  }
  return null;
}

/** Canvas size and alpha of a simple file, from the VP8 key-frame header or the VP8L header. */
function bitstreamInfo(bytes: Uint8Array, image: RiffChunk): { width: number; height: number; alpha: boolean } {
  const d = data(bytes, image);
  if (image.id === 'VP8L') {
    if (d.length < 5 || d[0] !== 0x2f) throw corrupt(FORMAT, 'the VP8L header is missing its signature.');
    const bits = u32le(d, 1);
    if (bits >>> 29 !== 0) throw corrupt(FORMAT, 'the VP8L header has an unknown version.');
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, alpha: ((bits >>> 28) & 1) === 1 };
  }
  if (d.length < 10) throw corrupt(FORMAT, 'the VP8 frame header is cut off.');
  if ((d[0] & 1) !== 0) throw corrupt(FORMAT, 'the VP8 frame is not a key frame.');
  if (d[3] !== 0x9d || d[4] !== 0x01 || d[5] !== 0x2a) throw corrupt(FORMAT, 'the VP8 start code is missing.');
  const width = u16le(d, 6) & 0x3fff;
  const height = u16le(d, 8) & 0x3fff;
  if (width === 0 || height === 0) throw corrupt(FORMAT, 'the VP8 frame has a zero dimension.');
  return { width, height, alpha: false };
}

function vp8xChunk(bytes: Uint8Array, riff: Riff, hasXmp: boolean): Uint8Array {
  const first = riff.chunks[0];
  const payload = first.id === 'VP8X' ? data(bytes, first).slice() : new Uint8Array(10);
  let flags: number;
  if (first.id === 'VP8X') {
    flags = payload[0];
  } else {
    const { width, height, alpha } = bitstreamInfo(bytes, first);
    putU24le(payload, 4, width - 1);
    putU24le(payload, 7, height - 1);
    flags = alpha ? FLAG_ALPHA : 0;
    if (riff.chunks.some((c) => c.id === 'ICCP')) flags |= FLAG_ICC;
    if (riff.chunks.some((c) => c.id === 'EXIF')) flags |= FLAG_EXIF;
  }
  payload[0] = hasXmp ? flags | FLAG_XMP : flags & ~FLAG_XMP;
  return makeRiffChunk('VP8X', payload);
}

/** With `json`, the file carrying that label (one copy); with null, the file without it. */
export function editWebpLabel(bytes: Uint8Array, json: string | null): Uint8Array {
  const riff = parse(bytes);
  const xmpChunks = riff.chunks.filter((c) => c.id === XMP_ID);
  const edits = planXmpEdits(xmpChunks.map((c) => data(bytes, c)), json);
  const editOf = new Map(xmpChunks.map((c, k) => [c, edits[k]]));
  const items: RiffItem[] = [];
  let xmpLeft = false;
  for (const chunk of riff.chunks) {
    const e = editOf.get(chunk) ?? KEEP;
    if (e.action === 'drop') continue;
    if (chunk.id === XMP_ID) xmpLeft = true;
    items.push(e.action === 'replace' ? makeRiffChunk(XMP_ID, e.packet) : chunk);
  }
  if (json !== null && xmpChunks.length === 0) {
    let at = items.length;
    while (at > 0 && !BEFORE_XMP.has((items[at - 1] as RiffChunk).id)) at--;
    items.splice(at, 0, makeRiffChunk(XMP_ID, newPacketBytes(json)));
    xmpLeft = true;
  }
  const extended = riff.chunks[0].id === 'VP8X';
  if (extended || xmpLeft) {
    const header = vp8xChunk(bytes, riff, xmpLeft);
    if (extended) items[0] = header;
    else items.unshift(header);
  }
  return assembleRiff(bytes, riff, items);
}
