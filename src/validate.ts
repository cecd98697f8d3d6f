/**
 * The one place public inputs are checked: label, key, strength, maxPixels and the
 * options object, for images, audio and the CLI alike. Every check runs before any
 * work or allocation, and every failure is an AigcError naming the parameter, what
 * it must be and what it was.
 */
import { AigcError, type AigcErrorCode } from './errors.js';
import type { AigcLabel } from './label/types.js';
import { validateLabel } from './label/validate.js';

/** A secret key shorter than this is refused: it could be guessed. */
export const MIN_SECRET_KEY_BYTES = 16;
/** One strength range for every medium: 1 is the default, 0.25 a quarter of its amplitude, 4 four times it. */
export const STRENGTH_RANGE = { min: 0.25, max: 4 } as const;
/** Default decompression-bomb guard: about 100 megapixels. */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/** What a value is, for an error message: its type and, where short, the value itself. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `a ${value.constructor.name}`;
  return typeof value === 'object' ? `an object (${(value as object).constructor?.name ?? 'no prototype'})` : typeof value;
}

/** The error every check throws: "<parameter> must be <expected>; got <actual>." */
export function invalidParameter(code: AigcErrorCode, parameter: string, expected: string, actual: unknown): AigcError {
  return new AigcError(code, `${parameter} must be ${expected}; got ${describeValue(actual)}.`);
}

/** A GB 45438 label: required fields present, Label 1/2/3, Annex E characters only (BAD_LABEL). */
export function checkLabel(label: unknown): AigcLabel {
  return validateLabel(label);
}

/**
 * The key: null or undefined mean the public key; anything else must be raw bytes
 * (a Uint8Array or Buffer) of at least MIN_SECRET_KEY_BYTES. A string is refused:
 * copying one into bytes would silently turn most characters into zeros.
 */
export function checkKey(key: unknown): Uint8Array | null {
  if (key === null || key === undefined) return null;
  if (!(key instanceof Uint8Array)) {
    throw invalidParameter('BAD_KEY', 'key', `a Uint8Array of at least ${MIN_SECRET_KEY_BYTES} random bytes (or omitted for the public key)`, key);
  }
  if (key.length < MIN_SECRET_KEY_BYTES) {
    throw invalidParameter('BAD_KEY', 'key', `at least ${MIN_SECRET_KEY_BYTES} random bytes (e.g. head -c 32 /dev/urandom > key)`, key);
  }
  return key;
}

/** Strength, the same range for images, audio and the CLI; undefined means 1. */
export function checkStrength(strength: unknown): number {
  if (strength === undefined) return 1;
  if (typeof strength !== 'number' || !(strength >= STRENGTH_RANGE.min && strength <= STRENGTH_RANGE.max)) {
    throw invalidParameter('BAD_OPTION', 'strength', `a number from ${STRENGTH_RANGE.min} to ${STRENGTH_RANGE.max}`, strength);
  }
  return strength;
}

/**
 * PNG output's zlib level, 0 (store) to 9 (smallest). Adaptive row filtering stays on at every
 * level: it is what keeps photographs small. The default, 3, is zlib's fastest match search: it
 * writes a 1080p photograph about a quarter faster than 4 for a file about 3% larger, and many
 * times faster than 9 (bench/speed/png-levels.ts).
 */
export const DEFAULT_PNG_COMPRESSION = 3;

export function checkPngCompression(level: unknown): number {
  if (level === undefined) return DEFAULT_PNG_COMPRESSION;
  if (typeof level !== 'number' || !Number.isInteger(level) || level < 0 || level > 9) {
    throw invalidParameter('BAD_OPTION', 'pngCompression', 'a whole number from 0 to 9', level);
  }
  return level;
}

/** The pixel limit: a positive whole number; undefined means DEFAULT_MAX_PIXELS. */
export function checkMaxPixels(maxPixels: unknown): number {
  if (maxPixels === undefined) return DEFAULT_MAX_PIXELS;
  if (typeof maxPixels !== 'number' || !Number.isSafeInteger(maxPixels) || maxPixels <= 0) {
    throw invalidParameter('BAD_OPTION', 'maxPixels', 'a positive whole number of pixels', maxPixels);
  }
  return maxPixels;
}

/** An options argument: undefined, or a plain object with only the names this call knows. */
export function checkOptions<T extends object>(options: T | undefined, known: readonly (keyof T & string)[], where: string): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidParameter('BAD_OPTION', `${where} options`, 'an object', options);
  }
  for (const name of Object.keys(options)) {
    if (!(known as readonly string[]).includes(name)) {
      throw new AigcError('BAD_OPTION', `${where} options has no "${name}"; it takes ${known.join(', ')}.`);
    }
  }
  return options;
}
