/**
 * Every failure the library reports on purpose is an AigcError with a stable
 * `code`. Callers (and the CLI's exit codes) switch on `code`, never on text.
 */
export type AigcErrorCode =
  | 'BAD_LABEL' // a GB 45438 field is missing or has a character outside Annex E
  | 'BAD_KEY' // key file unreadable or too short
  | 'BAD_OPTION' // an option value out of range
  | 'CORRUPT_FILE' // container damaged or truncated
  | 'UNSUPPORTED_FORMAT' // a file type or codec we do not handle
  | 'IMAGE_TOO_LARGE' // over the pixel limit (decompression-bomb guard)
  | 'IMAGE_TOO_SMALL' // cannot hold one watermark tile
  | 'AUDIO_EMPTY' // no samples, or only silence
  | 'AUDIO_INVALID_SAMPLES' // NaN or Inf samples
  | 'AUDIO_TOO_SHORT' // shorter than one watermark block
  | 'AUDIO_OUT_OF_RANGE' // sample rate or channel count outside what we support
  | 'BAD_XMP' // XMP packet that is not well-formed
  | 'OUTPUT_EXISTS' // refusing to overwrite without permission
  | 'BAD_EXPLICIT_TEXT' // explicit label text without an AI and a generation element
  | 'MISSING_GLYPH' // the label's font has no glyph for a character of its text
  | 'BAD_FONT' // a font file that cannot be read
  | 'IO_ERROR' // the file system refused
  | 'FETCH_FAILED' // an http(s) source could not be fetched (network, time limit or error status)
  | 'INPUT_TOO_LARGE'; // a source over the size limit

export class AigcError extends Error {
  readonly code: AigcErrorCode;
  constructor(code: AigcErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AigcError';
    this.code = code;
  }
}

export function isAigcError(e: unknown): e is AigcError {
  return e instanceof AigcError;
}
