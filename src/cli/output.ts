// Shared CLI plumbing: exit codes, where text goes, and how errors become exit codes.
import { AigcError, type AigcErrorCode } from '../errors.js';

/** The CLI contract (docs/architecture.md). */
export const EXIT = {
  OK: 0,
  /** Processed, but nothing was found (detect, propagate). */
  NOT_FOUND: 1,
  USAGE: 2,
  /** Bad or unsupported input. */
  BAD_INPUT: 3,
  /** An internal error: a bug in aigc-mark, not a problem with the input (sysexits EX_SOFTWARE). */
  INTERNAL: 70,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A usage problem the parser cannot see (bad option value, unsupported flag): exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const USAGE_CODES: ReadonlySet<AigcErrorCode> = new Set(['BAD_OPTION', 'BAD_KEY', 'BAD_LABEL', 'OUTPUT_EXISTS', 'BAD_EXPLICIT_TEXT', 'MISSING_GLYPH', 'BAD_FONT']);

/**
 * Option-level mistakes (a label field, the key, an option value, the explicit label's text or
 * font, an existing output) are usage errors: the user fixes the command line. Everything about
 * the file itself is exit 3.
 */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError) return EXIT.USAGE;
  if (error instanceof AigcError) return USAGE_CODES.has(error.code) ? EXIT.USAGE : EXIT.BAD_INPUT;
  return EXIT.INTERNAL;
}

/** The message for an error nobody raised on purpose: it is a bug, and says so. */
export function internalErrorMessage(error: unknown): string {
  const detail = (error as Error)?.stack ?? String(error);
  return `internal error: this is a bug in aigc-mark, not a problem with your input. Please report it with the command line.
${detail}`;
}

export function errorCode(error: unknown): string {
  if (error instanceof AigcError) return error.code;
  if (error instanceof UsageError) return 'USAGE';
  return 'INTERNAL';
}

export interface ErrorDocument {
  file: string | null;
  error: { code: string; message: string };
}

export function errorDocument(file: string | null, error: unknown): ErrorDocument {
  return { file, error: { code: errorCode(error), message: (error as Error)?.message ?? String(error) } };
}

/** Where a CLI run writes, and how it ends: the process's own streams, or a test's buffers. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  exit(code: ExitCode): void;
}

/** With --json, stdout holds exactly one JSON document per input and nothing else. */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly io: CliIo,
  ) {}

  /** One result document: JSON on stdout, or the human rendering on stdout. */
  result(doc: unknown, human: () => string): void {
    this.io.stdout(this.json ? `${JSON.stringify(doc)}\n` : `${human()}\n`);
  }

  /** A plain line on stdout (human mode only; JSON goes through result). */
  line(text: string): void {
    this.io.stdout(`${text}\n`);
  }

  /** Human notes and warnings: always stderr, so --json stdout stays clean. */
  note(text: string): void {
    this.io.stderr(`${text}\n`);
  }

  /** An input that failed: a JSON error document on stdout (one per input), the message on stderr. */
  failure(file: string | null, error: unknown): ExitCode {
    const code = exitCodeFor(error);
    if (this.json && file !== null) this.io.stdout(`${JSON.stringify(errorDocument(file, error))}\n`);
    const message = code === EXIT.INTERNAL ? internalErrorMessage(error) : ((error as Error)?.message ?? String(error));
    this.io.stderr(`aigc-mark: ${file ? `${file}: ` : ''}${errorCode(error)}: ${message}\n`);
    return code;
  }
}

/** Combines per-file exit codes: the worst wins (70 > 3 > 2 > 1 > 0). */
export function worstExit(codes: readonly ExitCode[]): ExitCode {
  return codes.reduce<ExitCode>((a, b) => (b > a ? b : a), EXIT.OK);
}
