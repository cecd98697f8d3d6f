// How a failure becomes an HTTP answer: a status, and the same error document `detect --json`
// prints ({ file, error: { code, message } }), so clients switch on `code` either way.
import type { ErrorDocument } from '../cli/output.js';

/** Codes the transport itself gives, beside the library's AigcError codes. */
export type HttpErrorCode =
  | 'UNAUTHORIZED'
  | 'BODY_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'EMPTY_BODY'
  | 'BAD_REQUEST'
  | 'BUSY'
  | 'TIMEOUT'
  | 'NOT_FOUND'
  | 'INTERNAL';

/** A failure with its HTTP status; `code` is a transport code or the library's AigcError code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode | (string & {}),
    message: string,
    readonly file: string | null = null,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The file was read but is wrong in itself: well-formed request, unprocessable content. */
const UNPROCESSABLE = new Set([
  'CORRUPT_FILE',
  'IMAGE_TOO_LARGE',
  'IMAGE_TOO_SMALL',
  'AUDIO_EMPTY',
  'AUDIO_INVALID_SAMPLES',
  'AUDIO_TOO_SHORT',
  'AUDIO_OUT_OF_RANGE',
  'BAD_XMP',
]);

/** The HTTP status for a library error code. */
export function statusForCode(code: string): number {
  if (UNPROCESSABLE.has(code)) return 422;
  if (code === 'UNSUPPORTED_FORMAT') return 415;
  if (code === 'BAD_LABEL' || code === 'BAD_OPTION') return 400;
  return 500;
}

export function errorBody(file: string | null, code: string, message: string): ErrorDocument {
  return { file, error: { code, message } };
}

/** JSON for a response header: non-ASCII escaped, since header values are Latin-1 on the wire. */
export function headerJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
