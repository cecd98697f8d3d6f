import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AigcError } from '../errors.js';

export interface AtomicWriteOptions {
  /** Replace an existing file at `path` (the CLI's --force). Default: refuse with OUTPUT_EXISTS. */
  overwrite?: boolean;
  /**
   * Files that must never be replaced unless `overwrite` is set, even when they are the
   * same inode under another name (the CLI passes the input here).
   */
  protect?: readonly string[];
  /** File mode for a new file. */
  mode?: number;
}

function ioError(what: string, path: string, e: unknown): AigcError {
  const code = (e as NodeJS.ErrnoException)?.code;
  return new AigcError('IO_ERROR', `${what} ${path}: ${code ?? (e as Error)?.message ?? e}`, { cause: e });
}

async function sameFile(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  try {
    const [sa, sb] = await Promise.all([stat(a), stat(b)]);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/**
 * Writes `bytes` to `path` so that readers see either the old file or the whole new one:
 * a temp file in the same directory, fsync, then rename (or link, when overwriting is not
 * allowed, so that a file created meanwhile is never clobbered). The temp file is removed
 * on every failure, and no partial output is ever left at `path`.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const overwrite = options.overwrite ?? false;
  if (!overwrite) {
    for (const guarded of options.protect ?? []) {
      if (await sameFile(path, guarded)) {
        throw new AigcError('OUTPUT_EXISTS', `Refusing to overwrite the input ${guarded}; pass --force to write in place.`);
      }
    }
  }
  const dir = dirname(resolve(path));
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(tmp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, options.mode ?? 0o644);
  } catch (e) {
    throw ioError('Cannot create a temporary file beside', path, e);
  }
  try {
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (overwrite) {
      await rename(tmp, path);
    } else {
      // link() fails with EEXIST instead of replacing: no check-then-write race.
      try {
        await link(tmp, path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
          throw new AigcError('OUTPUT_EXISTS', `${path} already exists; pass --force to replace it.`);
        }
        // File systems without hard links: fall back to a checked rename.
        if (!(await exists(path))) await rename(tmp, path);
        else throw new AigcError('OUTPUT_EXISTS', `${path} already exists; pass --force to replace it.`);
      }
    }
    await fsyncDir(dir);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    if (e instanceof AigcError) throw e;
    throw ioError('Cannot write', path, e);
  }
  await unlink(tmp).catch(() => {});
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Makes the rename durable; some platforms cannot open a directory, which is harmless. */
async function fsyncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, constants.O_RDONLY);
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    /* best effort */
  }
}
