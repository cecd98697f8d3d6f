/**
 * Byte helpers shared by the container modules: bounds-checked integer reads,
 * splicing, and Latin-1 / UTF-8 text. Universal code: Uint8Array only, no `node:` imports.
 */
import { AigcError } from '../errors.js';

export function corrupt(format: string, detail: string): AigcError {
  return new AigcError('CORRUPT_FILE', `${format}: ${detail}`);
}

export function unsupported(format: string, detail: string): AigcError {
  return new AigcError('UNSUPPORTED_FORMAT', `${format}: ${detail}`);
}

/** Throws CORRUPT_FILE unless `need` bytes are available at `offset` (all arguments are untrusted). */
export function need(bytes: Uint8Array, offset: number, count: number, format: string, what: string): void {
  if (offset < 0 || count < 0 || offset + count > bytes.length) {
    throw corrupt(format, `${what} at offset ${offset} needs ${count} bytes, but the file ends at ${bytes.length}.`);
  }
}

export const u16be = (b: Uint8Array, o: number): number => (b[o] << 8) | b[o + 1];
export const u16le = (b: Uint8Array, o: number): number => b[o] | (b[o + 1] << 8);
export const u24le = (b: Uint8Array, o: number): number => b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
export const u32be = (b: Uint8Array, o: number): number =>
  ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
export const u32le = (b: Uint8Array, o: number): number =>
  (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

export function putU16be(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}
export function putU24le(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
}
export function putU32be(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}
export function putU32le(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function startsWith(bytes: Uint8Array, prefix: Uint8Array, at = 0): boolean {
  if (at < 0 || at + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

export function indexOfByte(bytes: Uint8Array, value: number, from: number, to: number): number {
  const end = Math.min(to, bytes.length);
  for (let i = Math.max(0, from); i < end; i++) if (bytes[i] === value) return i;
  return -1;
}

/** ISO-8859-1 exactly (TextDecoder's "latin1" label is really windows-1252). */
export function latin1Decode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 8192)));
  }
  return s;
}

/** For ASCII and Latin-1 text only; callers pass identifiers or validated label JSON. */
export function latin1Encode(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

const utf8Encoder = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lenient = new TextDecoder('utf-8');

export function utf8Encode(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** Strict UTF-8; returns null on invalid sequences so callers can raise their own typed error. */
export function utf8DecodeStrict(bytes: Uint8Array): string | null {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    return null;
  }
}

/** Replacement characters for bad sequences: for label text, whose validation then names the odd character. */
export function utf8DecodeLenient(bytes: Uint8Array): string {
  return utf8Lenient.decode(bytes);
}
