/**
 * Fixtures for the metadata tests, generated at test time (no third-party media
 * is committed): images from sharp with EXIF, ICC and XMP, then more metadata
 * from ExifTool; WAV and MP3 from ffmpeg; and hand-built chunks, frames and tags
 * for the cases encoders do not produce (text after IDAT, foreign labels, odd chunks).
 */
import { deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import type { AigcLabel } from '../../../src/label/index.js';
import { runOk, scratch } from '../../support/tools.js';
import { readFileSync } from 'node:fs';

export const PRODUCER = '001191440300708461136T1XGW3';

export const LABEL: AigcLabel = {
  Label: '1',
  ContentProducer: PRODUCER,
  ProduceID: 'AM0K3F2H7Q',
  ReservedCode1: 'sig&<check>',
  ContentPropagator: PRODUCER,
  PropagateID: 'AM0K3F2H7Q',
};

export const FOREIGN: AigcLabel = {
  Label: '2',
  ContentProducer: '00119144030070846113600001',
  ProduceID: 'foreign-123',
  ContentPropagator: 'platform-x',
  PropagateID: 'p-999',
};

export const TC260_NS = 'http://www.tc260.org.cn/ns/AIGC/1.0/';

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Bare seven-key JSON (no wrapper), the other form readers must accept. */
export const bareJson = (label: AigcLabel): string => JSON.stringify(label);
export const wrappedJson = (label: AigcLabel): string => JSON.stringify({ AIGC: label });

/** An XMP packet with Dublin Core properties (one in Chinese) and optional extra rdf:Description content. */
export function xmpPacket(extra = '', padding = 0): string {
  return (
    `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n` +
    `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="fixture">\n <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n` +
    `  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="fixture-tool">\n` +
    `   <dc:creator><rdf:Seq><rdf:li>测试作者</rdf:li></rdf:Seq></dc:creator>\n` +
    `   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Fixture &amp; title</rdf:li></rdf:Alt></dc:title>\n` +
    `  </rdf:Description>\n${extra} </rdf:RDF>\n</x:xmpmeta>\n${' '.repeat(padding)}<?xpacket end="w"?>`
  );
}

/** A foreign label inside XMP: attribute form with the JSON escaped, under a non-standard prefix. */
export const foreignAttributeXmp = (label: AigcLabel = FOREIGN): string =>
  xmpPacket(`  <rdf:Description rdf:about="" xmlns:aigc="${TC260_NS}" aigc:AIGC="${xmlEscape(wrappedJson(label))}"/>\n`);

/** A foreign label in element form, bare object, escaped text. */
export const foreignElementXmp = (label: AigcLabel = FOREIGN): string =>
  xmpPacket(
    `  <rdf:Description rdf:about="" xmlns:TC260="${TC260_NS}">\n   <TC260:AIGC>${xmlEscape(bareJson(label))}</TC260:AIGC>\n  </rdf:Description>\n`,
  );

/** A smooth RGB(A) gradient with some texture, so pixel comparisons mean something. */
export function gradient(width: number, height: number, channels: 3 | 4): Sharp {
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      data[i] = Math.round((x * 255) / Math.max(1, width - 1));
      data[i + 1] = Math.round((y * 255) / Math.max(1, height - 1));
      data[i + 2] = (x * 7 + y * 13) & 0xff;
      if (channels === 4) data[i + 3] = 128 + ((x + y) % 128);
    }
  }
  return sharp(data, { raw: { width, height, channels } });
}

const EXIF = { IFD0: { Copyright: 'fixture copyright', Artist: 'fixture artist' } };

/** sharp output with EXIF, a Display P3 ICC profile and XMP. */
export function withAllMetadata(img: Sharp, xmp = xmpPacket()): Sharp {
  return img.withIccProfile('p3').withExif(EXIF).withXmp(xmp);
}

/** Runs ExifTool on a copy of `bytes` with `args` (e.g. tag assignments) and returns the result. */
export function exiftoolEdit(bytes: Uint8Array, ext: string, args: string[]): Buffer {
  const s = scratch();
  try {
    const path = s.file(`in.${ext}`, bytes);
    runOk('exiftool', ['-q', '-overwrite_original', ...args, path]);
    return readFileSync(path);
  } finally {
    s.cleanup();
  }
}

// ---------- PNG ----------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of b) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function pngChunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export const tEXt = (keyword: string, text: string): Buffer =>
  pngChunk('tEXt', Buffer.concat([Buffer.from(`${keyword}\0`, 'latin1'), Buffer.from(text, 'latin1')]));

export const zTXt = (keyword: string, text: string): Buffer =>
  pngChunk('zTXt', Buffer.concat([Buffer.from(`${keyword}\0\0`, 'latin1'), deflateSync(Buffer.from(text, 'latin1'))]));

export function iTXt(keyword: string, text: string, compressed = false, lang = '', translated = ''): Buffer {
  const body = compressed ? deflateSync(Buffer.from(text, 'utf8')) : Buffer.from(text, 'utf8');
  const head = Buffer.concat([
    Buffer.from(`${keyword}\0`, 'latin1'),
    Buffer.from([compressed ? 1 : 0, 0]),
    Buffer.from(`${lang}\0`, 'latin1'),
    Buffer.from(`${translated}\0`, 'utf8'),
  ]);
  return pngChunk('iTXt', Buffer.concat([head, body]));
}

/** Inserts chunks right after the last chunk of type `after`. */
export function insertPngChunks(png: Buffer, after: string, chunks: Buffer[]): Buffer {
  let pos = 8;
  let insertAt = -1;
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    pos += 12 + len;
    if (type === after) insertAt = pos;
    if (type === 'IEND') break;
  }
  if (insertAt < 0) throw new Error(`no ${after} chunk`);
  return Buffer.concat([png.subarray(0, insertAt), ...chunks, png.subarray(insertAt)]);
}

// ---------- RIFF ----------

export function riffChunk(id: string, data: Uint8Array, pad = true): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, Buffer.from(data), pad && data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

export function riff(form: string, chunks: Buffer[]): Buffer {
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length + 4, 4);
  head.write(form, 8, 'latin1');
  return Buffer.concat([head, body]);
}

/** Chunks of a RIFF file (standard padding), for rebuilding variants. */
export function riffChunks(file: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 12;
  const end = 8 + file.readUInt32LE(4);
  while (pos + 8 <= end) {
    const size = file.readUInt32LE(pos + 4);
    const next = pos + 8 + size + (size % 2);
    out.push(file.subarray(pos, next));
    pos = next;
  }
  return out;
}

// ---------- audio via ffmpeg ----------

/** A short stereo WAV from ffmpeg with LIST/INFO (title, artist). */
export function wavWithInfo(seconds = 0.25): Buffer {
  const s = scratch();
  try {
    const out = s.file('a.wav');
    runOk('ffmpeg', [
      '-v', 'error', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}:sample_rate=22050`,
      '-ac', '2', '-metadata', 'title=Fixture tone', '-metadata', 'artist=aigc-mark tests', '-c:a', 'pcm_s16le', out,
    ]);
    return readFileSync(out);
  } finally {
    s.cleanup();
  }
}

/** MP3 from ffmpeg/libmp3lame with an ID3v2.4 tag (text frames and APIC cover art), or with no tag. */
export async function mp3WithCover(opts: { tag: boolean; seconds?: number } = { tag: true }): Promise<Buffer> {
  const s = scratch();
  try {
    const cover = s.file('cover.png', await gradient(24, 24, 3).png().toBuffer());
    const out = s.file('a.mp3');
    const input = ['-f', 'lavfi', '-i', `sine=frequency=660:duration=${opts.seconds ?? 0.3}:sample_rate=22050`];
    const args = opts.tag
      ? [...input, '-i', cover, '-map', '0:a', '-map', '1:v', '-c:v', 'png', '-disposition:v', 'attached_pic',
          '-metadata:s:v', 'title=Cover', '-metadata:s:v', 'comment=Cover (front)',
          '-id3v2_version', '4', '-metadata', 'title=Fixture song', '-metadata', 'artist=Fixture artist']
      : [...input, '-id3v2_version', '0', '-write_xing', '0'];
    runOk('ffmpeg', ['-v', 'error', ...args, '-c:a', 'libmp3lame', '-b:a', '32k', out]);
    return readFileSync(out);
  } finally {
    s.cleanup();
  }
}

// ---------- ID3 by hand ----------

export function syncsafe(n: number): Buffer {
  return Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);
}

export function id3Frame(major: 3 | 4, id: string, data: Buffer, formatFlags = 0): Buffer {
  const head = Buffer.alloc(10);
  head.write(id, 0, 'latin1');
  if (major === 4) syncsafe(data.length).copy(head, 4);
  else head.writeUInt32BE(data.length, 4);
  head[9] = formatFlags;
  return Buffer.concat([head, data]);
}

/** TXXX data: encoding 0 (Latin-1), 1 (UTF-16 with BOM) or 3 (UTF-8). */
export function txxx(description: string, value: string, encoding: 0 | 1 | 3 = 0): Buffer {
  if (encoding === 1) {
    const u16 = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
    return Buffer.concat([Buffer.from([1]), u16(description), Buffer.alloc(2), u16(value)]);
  }
  const enc = encoding === 0 ? 'latin1' : 'utf8';
  return Buffer.concat([Buffer.from([encoding]), Buffer.from(description, enc), Buffer.alloc(1), Buffer.from(value, enc)]);
}

export const textFrame = (value: string): Buffer => Buffer.concat([Buffer.from([3]), Buffer.from(value, 'utf8')]);

export function apic(image: Buffer, mime = 'image/jpeg'): Buffer {
  return Buffer.concat([Buffer.from([0]), Buffer.from(`${mime}\0`, 'latin1'), Buffer.from([3]), Buffer.from('cover\0', 'latin1'), image]);
}

export function id3Tag(major: 3 | 4, frames: Buffer[], opts: { padding?: number; footer?: boolean; flags?: number } = {}): Buffer {
  const body = Buffer.concat([...frames, Buffer.alloc(opts.padding ?? 0)]);
  const flags = (opts.flags ?? 0) | (opts.footer ? 0x10 : 0);
  const head = Buffer.concat([Buffer.from('ID3', 'latin1'), Buffer.from([major, 0, flags]), syncsafe(body.length)]);
  const foot = opts.footer ? Buffer.concat([Buffer.from('3DI', 'latin1'), head.subarray(3)]) : Buffer.alloc(0);
  return Buffer.concat([head, body, foot]);
}

/** Unsynchronisation, as a v2.3 writer applies it to the whole tag body. */
export function unsynchronise(b: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    out.push(b[i]);
    if (b[i] === 0xff && (i + 1 === b.length || b[i + 1] === 0 || b[i + 1] >= 0xe0)) out.push(0);
  }
  return Buffer.from(out);
}

/** The MP3 audio after any ID3v2 tag. */
export function mp3Audio(mp3: Buffer): Buffer {
  if (mp3.toString('latin1', 0, 3) !== 'ID3') return mp3;
  const size = (mp3[6] << 21) | (mp3[7] << 14) | (mp3[8] << 7) | mp3[9];
  return mp3.subarray(10 + size + (mp3[3] === 4 && mp3[5] & 0x10 ? 10 : 0));
}

// ---------- JPEG by hand ----------

export function jpegSegment(marker: number, data: Uint8Array): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, Buffer.from(data)]);
}

export const XMP_NS_HEADER = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');

export const xmpApp1 = (packet: string | Uint8Array): Buffer =>
  jpegSegment(0xe1, Buffer.concat([XMP_NS_HEADER, typeof packet === 'string' ? Buffer.from(packet, 'utf8') : Buffer.from(packet)]));

/** Inserts segments right after SOI. */
export const insertAfterSoi = (jpeg: Buffer, segments: Buffer[]): Buffer =>
  Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
