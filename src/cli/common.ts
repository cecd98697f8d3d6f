// Helpers every command shares: reading inputs and keys, parsing option values.
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { AigcError } from '../errors.js';
import '../node-platform.js';
import { secretKey } from '../payload/key.js';
import { checkMaxPixels, checkPngCompression, checkStrength } from '../validate.js';

export async function readInput(path: string): Promise<Uint8Array> {
  try {
    const buf = await readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? (e as Error).message);
    throw new AigcError('IO_ERROR', `Cannot read ${path}: ${why}.`, { cause: e });
  }
}

/** A key file holds raw secret bytes (at least 16); it is checked here, before any work. */
export async function readKeyFile(path: string | undefined): Promise<Uint8Array | null> {
  if (path === undefined) return null;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new AigcError('BAD_KEY', `Cannot read the key file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, {
      cause: e,
    });
  }
  secretKey(bytes);
  return bytes;
}

/** Runs one of the library's checks on a parsed option value; its message becomes commander's. */
function asOption<T>(check: (value: unknown) => T, value: unknown): T {
  try {
    return check(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

export const parseStrength = (value: string): number => asOption(checkStrength, value.trim() === '' ? NaN : Number(value));

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!(Number.isInteger(n) && n > 0)) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

export function parseNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number.');
  return n;
}

export const parseMaxPixels = (value: string): number => asOption(checkMaxPixels, value.trim() === '' ? NaN : Number(value));

export const parsePngCompression = (value: string): number => asOption(checkPngCompression, value.trim() === '' ? NaN : Number(value));

/** Rounds a number for human text. */
export function fmt(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}
