/**
 * MP3: the label is an ID3v2 TXXX (user-defined text) frame whose description
 * is "AIGC" and whose value is the label JSON, in ISO-8859-1 (encoding 0; the
 * JSON is ASCII, so every ID3 reader can decode it).
 *
 * Write: an existing v2.3 or v2.4 tag is updated in place: the first AIGC frame
 * is replaced where it stands, other AIGC frames are dropped, or the frame is
 * appended after the last frame. The tag keeps its size when its padding has
 * room, so the audio does not move; otherwise it grows by what is needed plus
 * MIN_PADDING. Other frames (APIC included) are copied byte-for-byte. Without a
 * tag, a v2.3 tag (the version most players read) holding only the label is put in front.
 * Refused with UNSUPPORTED_FORMAT: ID3v2.2 tags (a different frame layout) and
 * tags with an extended-header CRC (it would no longer match).
 *
 * Read: v2.2 TXX, v2.3/v2.4 TXXX in any of the four text encodings, including
 * compressed frames and unsynchronisation (whole-tag in v2.2/v2.3, per frame in v2.4).
 */
import { AigcError } from '../errors.js';
import { concatBytes, corrupt, latin1Decode, latin1Encode, need, putU32be, u32be, utf8DecodeLenient } from './bytes.js';
import { zlibInflate } from './inflate.js';

const FORMAT = 'MP3';
const LABEL_DESCRIPTION = 'AIGC';
const HEADER = 10;
const MAX_FRAME_TEXT = 1024 * 1024;
/**
 * Padding left after the frames when a tag is created or must grow: room for one
 * frame header. ExifTool (checking for the iTunes size bug) warns about a v2.4
 * frame over 127 bytes unless 10 more bytes follow it inside the tag; ffmpeg
 * leaves exactly this much.
 */
const MIN_PADDING = 10;

function readSyncsafe(b: Uint8Array, o: number): number | null {
  if ((b[o] | b[o + 1] | b[o + 2] | b[o + 3]) & 0x80) return null;
  return ((b[o] << 21) | (b[o + 1] << 14) | (b[o + 2] << 7) | b[o + 3]) >>> 0;
}

function putSyncsafe(b: Uint8Array, o: number, v: number): void {
  if (v >= 1 << 28) throw new AigcError('UNSUPPORTED_FORMAT', `${FORMAT}: an ID3v2 tag cannot exceed 256 MiB.`);
  b[o] = (v >>> 21) & 0x7f;
  b[o + 1] = (v >>> 14) & 0x7f;
  b[o + 2] = (v >>> 7) & 0x7f;
  b[o + 3] = v & 0x7f;
}

/** Undoes unsynchronisation: FF 00 becomes FF. */
function resynchronise(raw: Uint8Array): Uint8Array {
  const out = new Uint8Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    out[n++] = raw[i];
    if (raw[i] === 0xff && raw[i + 1] === 0x00) i++;
  }
  return out.subarray(0, n);
}

/** Unsynchronisation: a 00 after every FF that precedes 00 or a byte of E0 and above, and after a final FF. */
function unsynchronise(plain: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < plain.length; i++) {
    out.push(plain[i]);
    if (plain[i] === 0xff && (i + 1 === plain.length || plain[i + 1] === 0 || plain[i + 1] >= 0xe0)) out.push(0);
  }
  return Uint8Array.from(out);
}

interface Frame {
  id: string;
  start: number;
  end: number;
  headerSize: number;
}

interface Tag {
  major: number;
  revision: number;
  flags: number;
  size: number;
  /** Offset just past the tag (footer included). */
  end: number;
  /** Tag body after the header, resynchronised when the whole tag is unsynchronised (v2.2/v2.3). */
  body: Uint8Array;
  framesStart: number;
  frames: Frame[];
  /** v2.4 frame sizes written as plain integers (an old iTunes bug); new frames follow suit. */
  plainSizes: boolean;
}

const FLAG_UNSYNC = 0x80;
const FLAG_EXTENDED = 0x40;
const FLAG_FOOTER = 0x10;

function parseFrames(tag: Omit<Tag, 'frames' | 'plainSizes'>, plainSizes: boolean): Frame[] {
  const { body, major } = tag;
  const idLength = major === 2 ? 3 : 4;
  const headerSize = major === 2 ? 6 : 10;
  const frames: Frame[] = [];
  let pos = tag.framesStart;
  while (pos + headerSize <= body.length && body[pos] !== 0) {
    const id = latin1Decode(body.subarray(pos, pos + idLength));
    if (!/^[A-Z0-9]+$/.test(id)) throw corrupt(FORMAT, `ID3v2 frame id "${id}" at tag offset ${pos} is invalid.`);
    let size: number | null;
    if (major === 2) size = (body[pos + 3] << 16) | (body[pos + 4] << 8) | body[pos + 5];
    else if (major === 3 || plainSizes) size = u32be(body, pos + 4);
    else size = readSyncsafe(body, pos + 4) ?? u32be(body, pos + 4); // iTunes wrote plain sizes in v2.4
    const end = pos + headerSize + size;
    if (end > body.length) throw corrupt(FORMAT, `ID3v2 frame ${id} at tag offset ${pos} runs past the end of the tag.`);
    frames.push({ id, start: pos, end, headerSize });
    pos = end;
  }
  return frames;
}

function parseTag(bytes: Uint8Array): Tag | null {
  if (bytes.length < 3 || latin1Decode(bytes.subarray(0, 3)) !== 'ID3') return null;
  need(bytes, 0, HEADER, FORMAT, 'The ID3v2 header');
  const major = bytes[3];
  const flags = bytes[5];
  if (major < 2 || major > 4) throw new AigcError('UNSUPPORTED_FORMAT', `${FORMAT}: ID3v2.${major} tags are not supported.`);
  if (bytes[4] === 0xff) throw corrupt(FORMAT, 'the ID3v2 revision byte is invalid.');
  const size = readSyncsafe(bytes, 6);
  if (size === null) throw corrupt(FORMAT, 'the ID3v2 tag size is not syncsafe.');
  const end = HEADER + size + (major === 4 && flags & FLAG_FOOTER ? HEADER : 0);
  if (end > bytes.length) throw corrupt(FORMAT, `the ID3v2 tag says ${end} bytes, but the file has ${bytes.length} (truncated).`);
  if (major === 2 && flags & FLAG_EXTENDED) throw new AigcError('UNSUPPORTED_FORMAT', `${FORMAT}: compressed ID3v2.2 tags are not supported.`);
  const raw = bytes.subarray(HEADER, HEADER + size);
  const body = flags & FLAG_UNSYNC && major < 4 ? resynchronise(raw) : raw;
  let framesStart = 0;
  if (major > 2 && flags & FLAG_EXTENDED) {
    need(body, 0, 6, FORMAT, 'The ID3v2 extended header');
    const extSize = major === 3 ? u32be(body, 0) + 4 : readSyncsafe(body, 0);
    if (extSize === null || extSize < 6 || extSize > body.length) throw corrupt(FORMAT, 'the ID3v2 extended header size is invalid.');
    framesStart = extSize;
  }
  const partial = { major, revision: bytes[4], flags, size, end, body, framesStart };
  try {
    return { ...partial, frames: parseFrames(partial, false), plainSizes: major === 3 };
  } catch (e) {
    if (major !== 4) throw e;
    try {
      return { ...partial, frames: parseFrames(partial, true), plainSizes: true };
    } catch {
      throw e;
    }
  }
}

function decodeText(encoding: number, b: Uint8Array): string {
  if (encoding === 0) return latin1Decode(b);
  if (encoding === 3) return utf8DecodeLenient(b);
  let le = encoding === 1;
  let data = b;
  if (encoding === 1 && b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) {
    le = b[0] === 0xff;
    data = b.subarray(2);
  }
  return new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(data);
}

/** Index of the description terminator (one NUL, or two aligned NULs for UTF-16). */
function terminator(b: Uint8Array, from: number, wide: boolean): number {
  for (let i = from; i + (wide ? 1 : 0) < b.length; i += wide ? 2 : 1) {
    if (b[i] === 0 && (!wide || b[i + 1] === 0)) return i;
  }
  return -1;
}

/** A TXXX/TXX frame's description and value, or null when it is encrypted or not a user text frame. */
function userText(tag: Tag, frame: Frame): { description: string; value: string } | null {
  if (frame.id !== (tag.major === 2 ? 'TXX' : 'TXXX')) return null;
  let data = tag.body.subarray(frame.start + frame.headerSize, frame.end);
  let compressed = false;
  if (tag.major >= 3) {
    const fmt = tag.body[frame.start + 9];
    let skip = 0;
    if (tag.major === 3) {
      compressed = (fmt & 0x80) !== 0;
      if (fmt & 0x40) return null;
      skip = (compressed ? 4 : 0) + (fmt & 0x20 ? 1 : 0);
    } else {
      compressed = (fmt & 0x08) !== 0;
      if (fmt & 0x04) return null;
      skip = (fmt & 0x40 ? 1 : 0) + (fmt & 0x01 ? 4 : 0);
    }
    if (skip > data.length) throw corrupt(FORMAT, `ID3v2 frame ${frame.id} is too short for its flags.`);
    data = data.subarray(skip);
    if (tag.major === 4 && fmt & 0x02) data = resynchronise(data);
    if (compressed) data = zlibInflate(data, MAX_FRAME_TEXT);
  }
  if (data.length < 1) throw corrupt(FORMAT, `ID3v2 frame ${frame.id} is empty.`);
  const encoding = data[0];
  if (encoding > 3) throw corrupt(FORMAT, `ID3v2 frame ${frame.id} has unknown text encoding ${encoding}.`);
  const wide = encoding === 1 || encoding === 2;
  const nul = terminator(data, 1, wide);
  const descEnd = nul < 0 ? data.length : nul;
  const valueStart = nul < 0 ? data.length : nul + (wide ? 2 : 1);
  const value = decodeText(encoding, data.subarray(valueStart)).split('\0')[0];
  return { description: decodeText(encoding, data.subarray(1, descEnd)), value };
}

const isLabelFrame = (tag: Tag, f: Frame): boolean =>
  userText(tag, f)?.description.toUpperCase() === LABEL_DESCRIPTION;

export function readMp3LabelText(bytes: Uint8Array): string | null {
  const tag = parseTag(bytes);
  if (!tag) return null;
  for (const f of tag.frames) {
    const text = userText(tag, f);
    if (text && text.description.toUpperCase() === LABEL_DESCRIPTION) return text.value;
  }
  return null;
}

function labelFrame(major: number, json: string, unsyncFlag: boolean, plainSize = major === 3): Uint8Array {
  const data = concatBytes([new Uint8Array([0]), latin1Encode(LABEL_DESCRIPTION), new Uint8Array([0]), latin1Encode(json)]);
  const out = new Uint8Array(10 + data.length);
  out.set(latin1Encode('TXXX'), 0);
  if (plainSize) putU32be(out, 4, data.length);
  else putSyncsafe(out, 4, data.length);
  // The JSON has no FF bytes, so the data is its own unsynchronised form; v2.4 flags it per frame.
  out[9] = major === 4 && unsyncFlag ? 0x02 : 0;
  out.set(data, 10);
  return out;
}

function tagHeader(major: number, revision: number, flags: number, size: number, id = 'ID3'): Uint8Array {
  const out = new Uint8Array(HEADER);
  out.set(latin1Encode(id), 0);
  out[3] = major;
  out[4] = revision;
  out[5] = flags;
  putSyncsafe(out, 6, size);
  return out;
}

function hasExtendedCrc(tag: Tag): boolean {
  if (!(tag.flags & FLAG_EXTENDED)) return false;
  if (tag.major === 3) return (tag.body[4] & 0x80) !== 0;
  return tag.body[4] >= 1 && (tag.body[5] & 0x20) !== 0;
}

/** With `json`, the file carrying that label (one copy); with null, the file without it. */
export function editMp3Label(bytes: Uint8Array, json: string | null): Uint8Array {
  const tag = parseTag(bytes);
  if (!tag) {
    if (json === null) return bytes.slice();
    const frame = labelFrame(3, json, false);
    return concatBytes([tagHeader(3, 0, 0, frame.length + MIN_PADDING), frame, new Uint8Array(MIN_PADDING), bytes]);
  }
  if (tag.major === 2) throw new AigcError('UNSUPPORTED_FORMAT', `${FORMAT}: ID3v2.2 tags are not rewritten; convert the tag to v2.3 or v2.4 first.`);
  if (hasExtendedCrc(tag)) throw new AigcError('UNSUPPORTED_FORMAT', `${FORMAT}: the ID3v2 tag carries a CRC, which editing would invalidate.`);
  const unsync = (tag.flags & FLAG_UNSYNC) !== 0;
  const replacement = json === null ? null : labelFrame(tag.major, json, unsync, tag.plainSizes);
  const parts: Uint8Array[] = [tag.body.slice(0, tag.framesStart)];
  let placed = false;
  let removed = false;
  for (const f of tag.frames) {
    if (!isLabelFrame(tag, f)) {
      parts.push(tag.body.subarray(f.start, f.end));
      continue;
    }
    removed = true;
    if (replacement && !placed) {
      parts.push(replacement);
      placed = true;
    }
  }
  if (replacement && !placed) parts.push(replacement);
  if (json === null && !removed) return bytes.slice();
  // Stripping the only frame of a plain tag removes the tag (this is the tag a write created).
  if (json === null && parts.length === 1 && tag.framesStart === 0) return bytes.slice(tag.end);
  const plain = concatBytes(parts);
  const footer = tag.major === 4 && (tag.flags & FLAG_FOOTER) !== 0;
  const globalUnsync = unsync && tag.major === 3;
  // Reuse the padding so the audio stays put; otherwise grow, keeping MIN_PADDING spare.
  // A footer forbids padding, and unsynchronised v2.3 tags get none.
  const canPad = !footer && !globalUnsync;
  const spare = tag.size - plain.length;
  const padding = !canPad ? 0 : spare >= MIN_PADDING ? spare : MIN_PADDING;
  if (tag.major === 3 && tag.framesStart >= 10) putU32be(plain, 6, padding); // v2.3 extended header: size of padding
  const stored = globalUnsync ? unsynchronise(plain) : plain;
  const size = stored.length + padding;
  const out = [tagHeader(tag.major, tag.revision, tag.flags, size), stored, new Uint8Array(padding)];
  if (footer) out.push(tagHeader(tag.major, tag.revision, tag.flags, size, '3DI'));
  out.push(bytes.subarray(tag.end));
  return concatBytes(out);
}
