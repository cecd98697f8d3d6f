import { AigcError } from '../../src/errors.js';

/** The AigcError code a promise rejects with, 'no error' if it resolves; any other error propagates. */
export async function rejectionCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof AigcError)) throw e;
    return e.code;
  }
  return 'no error';
}
