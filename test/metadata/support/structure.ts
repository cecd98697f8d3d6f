/**
 * Independent, minimal container listers for the tests (deliberately not the
 * library's parsers): each splits a file into named byte ranges and marks the
 * ones that may carry a label, so a test can assert that every other range is
 * byte-for-byte unchanged.
 */
export interface Part {
  name: string;
  bytes: Buffer;
  /** May hold a label (and so may change). */
  label: boolean;
}

const ascii = (b: Uint8Array, s: number, e: number): string => Buffer.from(b.subarray(s, e)).toString('latin1');

export function jpegParts(b: Buffer): Part[] {
  const parts: Part[] = [{ name: 'SOI', bytes: b.subarray(0, 2), label: false }];
  let pos = 2;
  while (pos < b.length) {
    const marker = b[pos + 1];
    if (marker === 0xda) {
      parts.push({ name: 'scan', bytes: b.subarray(pos), label: false });
      break;
    }
    const len = b.readUInt16BE(pos + 2);
    const data = b.subarray(pos + 4, pos + 2 + len);
    const xmp = marker === 0xe1 && ascii(data, 0, 29) === 'http://ns.adobe.com/xap/1.0/\0';
    parts.push({ name: `FF${marker.toString(16).toUpperCase()}${xmp ? ' XMP' : ''}`, bytes: b.subarray(pos, pos + 2 + len), label: xmp });
    pos += 2 + len;
  }
  return parts;
}

export function pngParts(b: Buffer): Part[] {
  const parts: Part[] = [{ name: 'signature', bytes: b.subarray(0, 8), label: false }];
  let pos = 8;
  while (pos < b.length) {
    const len = b.readUInt32BE(pos);
    const type = ascii(b, pos + 4, pos + 8);
    const data = b.subarray(pos + 8, pos + 8 + len);
    const keyword = /^(tEXt|zTXt|iTXt)$/.test(type) ? ascii(data, 0, Math.max(0, data.indexOf(0))) : '';
    const label = keyword === 'XML:com.adobe.xmp' || keyword.toUpperCase() === 'AIGC';
    parts.push({ name: keyword ? `${type} ${keyword}` : type, bytes: b.subarray(pos, pos + 12 + len), label });
    pos += 12 + len;
    if (type === 'IEND') break;
  }
  if (pos < b.length) parts.push({ name: 'after IEND', bytes: b.subarray(pos), label: false });
  return parts;
}

/** RIFF chunks (standard padding). `labelIds` are the chunk ids that may carry a label. */
export function riffParts(b: Buffer, labelIds: string[]): Part[] {
  const parts: Part[] = [{ name: 'RIFF header', bytes: b.subarray(8, 12), label: false }];
  const end = 8 + b.readUInt32LE(4);
  let pos = 12;
  while (pos + 8 <= end) {
    const id = ascii(b, pos, pos + 4);
    const size = b.readUInt32LE(pos + 4);
    const next = pos + 8 + size + (size % 2);
    parts.push({ name: id, bytes: b.subarray(pos, next), label: labelIds.includes(id) });
    pos = next;
  }
  if (end < b.length) parts.push({ name: 'after RIFF', bytes: b.subarray(end), label: false });
  return parts;
}

function txxxDescription(data: Buffer): string {
  const enc = data[0];
  if (enc === 0 || enc === 3) return data.subarray(1, data.indexOf(0, 1)).toString(enc === 0 ? 'latin1' : 'utf8');
  let s = 1;
  let le = enc === 1;
  if (enc === 1 && (data[1] === 0xfe || data[1] === 0xff)) {
    le = data[1] === 0xff;
    s = 3;
  }
  let e = s;
  while (e + 1 < data.length && (data[e] !== 0 || data[e + 1] !== 0)) e += 2;
  const text = Buffer.from(data.subarray(s, e));
  return (le ? text : text.swap16()).toString('utf16le');
}

/** ID3v2.3/2.4 frames (no unsynchronisation), then the audio. TXXX frames describing "AIGC" are the label. */
export function id3Parts(b: Buffer): Part[] {
  if (ascii(b, 0, 3) !== 'ID3') return [{ name: 'audio', bytes: b, label: false }];
  const major = b[3];
  const syncsafe = (o: number): number => (b[o] << 21) | (b[o + 1] << 14) | (b[o + 2] << 7) | b[o + 3];
  const tagEnd = 10 + syncsafe(6) + (major === 4 && b[5] & 0x10 ? 10 : 0);
  const parts: Part[] = [];
  let pos = 10;
  while (pos + 10 <= 10 + syncsafe(6) && b[pos] !== 0) {
    const id = ascii(b, pos, pos + 4);
    const size = major === 4 ? syncsafe(pos + 4) : b.readUInt32BE(pos + 4);
    const frame = b.subarray(pos, pos + 10 + size);
    const label = id === 'TXXX' && txxxDescription(frame.subarray(10)).toUpperCase() === 'AIGC';
    parts.push({ name: id, bytes: frame, label });
    pos += 10 + size;
  }
  parts.push({ name: 'audio', bytes: b.subarray(tagEnd), label: false });
  return parts;
}

export const unlabelled = (parts: Part[]): { name: string; hex: string }[] =>
  parts.filter((p) => !p.label).map((p) => ({ name: p.name, hex: p.bytes.toString('hex') }));

export const labelParts = (parts: Part[]): Part[] => parts.filter((p) => p.label);
