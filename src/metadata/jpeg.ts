/**
 * JPEG: the label lives in the XMP packet of the APP1 segment headed
 * "http://ns.adobe.com/xap/1.0/\0". Only the segments before the first SOS are
 * parsed; the scan data and anything after it are copied as they are.
 *
 * A new XMP segment goes after the leading APP0 (JFIF) and Exif APP1 segments.
 * One APP1 segment holds at most 65,504 bytes of XMP. When the merged packet is
 * larger, the writer first gives up XMP padding (the whitespace reserved before
 * `<?xpacket end`), and otherwise refuses with UNSUPPORTED_FORMAT: it never
 * writes a second standard XMP segment, which readers would ignore or reject.
 *
 * Extended XMP ("http://ns.adobe.com/xmp/extension/\0" segments, reassembled by
 * GUID) is read too. Rewriting it would mean recomputing its MD5 GUID in the main
 * packet, so a file whose label sits in Extended XMP is refused on write.
 */
import { AigcError } from '../errors.js';
import { concatBytes, corrupt, latin1Decode, latin1Encode, need, putU16be, startsWith, u16be, u32be } from './bytes.js';
import { KEEP, newPacketBytes, planXmpEdits, readPacketLabelText } from './xmp.js';

const FORMAT = 'JPEG';
const XMP_HEADER = latin1Encode('http://ns.adobe.com/xap/1.0/\0');
const EXTENDED_HEADER = latin1Encode('http://ns.adobe.com/xmp/extension/\0');
const EXIF_HEADER = latin1Encode('Exif\0\0');
const APP0 = 0xe0;
const APP1 = 0xe1;
const SOS = 0xda;
/** A segment's length field counts itself and covers at most 65,535 bytes. */
export const MAX_XMP_PACKET = 0xffff - 2 - XMP_HEADER.length;

export interface JpegSegment {
  marker: number;
  /** Offset of the first 0xFF (fill bytes included). */
  start: number;
  dataStart: number;
  end: number;
}

/** The segments before the first SOS, and where the scan starts; CORRUPT_FILE when the structure is broken. */
export function parseJpegSegments(bytes: Uint8Array): { segments: JpegSegment[]; scanStart: number } {
  if (bytes.length < 2 || bytes[0] !== 0xff || bytes[1] !== 0xd8) throw corrupt(FORMAT, 'the file does not start with SOI (FF D8).');
  const segments: JpegSegment[] = [];
  let pos = 2;
  for (;;) {
    if (pos >= bytes.length) throw corrupt(FORMAT, 'the file ends before the image data (no SOS marker).');
    if (bytes[pos] !== 0xff) throw corrupt(FORMAT, `expected a marker at offset ${pos}, found 0x${bytes[pos].toString(16)}.`);
    let m = pos;
    while (m < bytes.length && bytes[m] === 0xff) m++;
    if (m >= bytes.length) throw corrupt(FORMAT, 'the file ends inside a marker.');
    const marker = bytes[m];
    if (marker === 0x00 || marker === 0xd8 || marker === 0xd9) {
      throw corrupt(FORMAT, `unexpected marker FF ${marker.toString(16).toUpperCase().padStart(2, '0')} at offset ${m - 1} before the image data.`);
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      segments.push({ marker, start: pos, dataStart: m + 1, end: m + 1 });
      pos = m + 1;
      continue;
    }
    need(bytes, m + 1, 2, FORMAT, 'A segment length');
    const length = u16be(bytes, m + 1);
    if (length < 2) throw corrupt(FORMAT, `segment FF ${marker.toString(16)} at offset ${pos} has length ${length}.`);
    const end = m + 1 + length;
    if (end > bytes.length) throw corrupt(FORMAT, `segment FF ${marker.toString(16)} at offset ${pos} runs past the end of the file.`);
    if (marker === SOS) return { segments, scanStart: pos };
    segments.push({ marker, start: pos, dataStart: m + 3, end });
    pos = end;
  }
}

const isXmp = (b: Uint8Array, s: JpegSegment): boolean => s.marker === APP1 && startsWith(b, XMP_HEADER, s.dataStart);
const isExtended = (b: Uint8Array, s: JpegSegment): boolean => s.marker === APP1 && startsWith(b, EXTENDED_HEADER, s.dataStart);
const xmpPayload = (b: Uint8Array, s: JpegSegment): Uint8Array => b.subarray(s.dataStart + XMP_HEADER.length, s.end);

/** Extended XMP packets, reassembled per GUID from their (offset, full length) pieces. */
function extendedPackets(bytes: Uint8Array, segments: JpegSegment[]): Uint8Array[] {
  const groups = new Map<string, { full: Uint8Array; covered: number }>();
  let allocated = 0;
  for (const s of segments) {
    if (!isExtended(bytes, s)) continue;
    const at = s.dataStart + EXTENDED_HEADER.length;
    if (at + 40 > s.end) throw corrupt(FORMAT, `the Extended XMP segment at offset ${s.start} is too short.`);
    const guid = latin1Decode(bytes.subarray(at, at + 32));
    const fullLength = u32be(bytes, at + 32);
    const offset = u32be(bytes, at + 36);
    const piece = bytes.subarray(at + 40, s.end);
    // Every piece comes from the file, so true full lengths can never add up to more than its size.
    if (fullLength > bytes.length || offset + piece.length > fullLength) {
      throw corrupt(FORMAT, `the Extended XMP segment at offset ${s.start} has an impossible length or offset.`);
    }
    let group = groups.get(guid);
    if (!group) {
      allocated += fullLength;
      if (allocated > bytes.length) throw corrupt(FORMAT, 'the Extended XMP lengths add up to more than the file.');
      groups.set(guid, (group = { full: new Uint8Array(fullLength), covered: 0 }));
    }
    if (group.full.length !== fullLength) throw corrupt(FORMAT, `Extended XMP ${guid} declares two different lengths.`);
    group.full.set(piece, offset);
    group.covered += piece.length;
  }
  return [...groups.entries()].map(([guid, g]) => {
    if (g.covered < g.full.length) throw corrupt(FORMAT, `Extended XMP ${guid} is incomplete.`);
    return g.full;
  });
}

export function readJpegLabelText(bytes: Uint8Array): string | null {
  const { segments } = parseJpegSegments(bytes);
  for (const s of segments) {
    if (!isXmp(bytes, s)) continue;
    const text = readPacketLabelText(xmpPayload(bytes, s));
    if (text !== null) return text;
  }
  for (const packet of extendedPackets(bytes, segments)) {
    const text = readPacketLabelText(packet);
    if (text !== null) return text;
  }
  return null;
}

function xmpSegment(packet: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + XMP_HEADER.length + packet.length);
  out[0] = 0xff;
  out[1] = APP1;
  putU16be(out, 2, out.length - 2);
  out.set(XMP_HEADER, 4);
  out.set(packet, 4 + XMP_HEADER.length);
  return out;
}

/** After the leading JFIF APP0 and Exif APP1 segments, where readers expect XMP. */
function insertionIndex(bytes: Uint8Array, segments: JpegSegment[]): number {
  let i = 0;
  while (i < segments.length && (segments[i].marker === APP0 || (segments[i].marker === APP1 && startsWith(bytes, EXIF_HEADER, segments[i].dataStart)))) i++;
  return i;
}

/** With `json`, the file carrying that label (one copy); with null, the file without it. */
export function editJpegLabel(bytes: Uint8Array, json: string | null): Uint8Array {
  const { segments, scanStart } = parseJpegSegments(bytes);
  if (json !== null && extendedPackets(bytes, segments).some((p) => readPacketLabelText(p) !== null)) {
    throw new AigcError('UNSUPPORTED_FORMAT', 'JPEG: the existing AIGC label is in Extended XMP, which this library does not rewrite.');
  }
  const xmp = segments.filter((s) => isXmp(bytes, s));
  const edits = planXmpEdits(
    xmp.map((s) => xmpPayload(bytes, s)),
    json,
    { bytes: MAX_XMP_PACKET, where: 'one JPEG APP1 segment' },
  );
  const parts: Uint8Array[] = [bytes.subarray(0, 2)];
  const insertAt = json !== null && xmp.length === 0 ? insertionIndex(bytes, segments) : -1;
  const editOf = new Map(xmp.map((s, k) => [s, edits[k]]));
  segments.forEach((s, i) => {
    if (i === insertAt) parts.push(xmpSegment(newPacketBytes(json as string)));
    const e = editOf.get(s) ?? KEEP;
    if (e.action === 'replace') parts.push(xmpSegment(e.packet));
    else if (e.action === 'keep') parts.push(bytes.subarray(s.start, s.end));
  });
  if (insertAt === segments.length) parts.push(xmpSegment(newPacketBytes(json as string)));
  parts.push(bytes.subarray(scanStart));
  return concatBytes(parts);
}

const APP13 = 0xed;
const COM = 0xfe;

/**
 * `encoded` (a JPEG written from `source`'s pixels) with `source`'s comments (COM) and Photoshop
 * APP13 segments (IPTC captions, credits, keywords) copied in byte for byte, in their order, after
 * its leading APPn segments: the encoder carries EXIF, ICC and XMP, and a re-encode would drop
 * these. A segment the encoder already wrote is not copied twice.
 */
export function carryJpegSegments(source: Uint8Array, encoded: Uint8Array): Uint8Array {
  const carried = parseJpegSegments(source).segments.filter((s) => s.marker === COM || s.marker === APP13);
  if (carried.length === 0) return encoded;
  const { segments, scanStart } = parseJpegSegments(encoded);
  const present = new Set(segments.filter((s) => s.marker === COM || s.marker === APP13).map((s) => latin1Decode(encoded.subarray(s.start, s.end))));
  const copies = carried.map((s) => source.subarray(s.start, s.end)).filter((segment) => !present.has(latin1Decode(segment)));
  let i = 0;
  while (i < segments.length && segments[i].marker >= APP0 && segments[i].marker <= 0xef) i++;
  const at = i < segments.length ? segments[i].start : scanStart;
  return concatBytes([encoded.subarray(0, at), ...copies, encoded.subarray(at)]);
}
