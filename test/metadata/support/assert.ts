import { expect } from 'vitest';
import { AigcError, type AigcErrorCode } from '../../../src/errors.js';

/** Runs `fn`, expecting an AigcError with `code` (and a message matching `message`, if given). */
export function expectAigcError(fn: () => unknown, code: AigcErrorCode, message?: RegExp): AigcError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected an AigcError').toBeInstanceOf(AigcError);
  const err = thrown as AigcError;
  expect(err.code, err.message).toBe(code);
  if (message) expect(err.message).toMatch(message);
  return err;
}

/** ExifTool's record minus what legitimately differs between two copies of a file (names, sizes, dates). */
export function comparableTags(record: Record<string, unknown>, drop: RegExp[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (k === 'SourceFile' || k.startsWith('System:') || k.startsWith('ExifTool:')) continue;
    if (drop.some((re) => re.test(k))) continue;
    out[k] = v;
  }
  return out;
}
