import { link, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/fs/atomic.js';
import { rejectionCode, tempDir } from './helpers.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('writeFileAtomic', () => {
  it('writes a new file, refuses an existing one, replaces it only with overwrite', async () => {
    const dir = await tempDir();
    const path = join(dir, 'out.bin');
    await writeFileAtomic(path, bytes('one'));
    expect(await readFile(path, 'utf8')).toBe('one');
    expect(await rejectionCode(writeFileAtomic(path, bytes('two')))).toBe('OUTPUT_EXISTS');
    expect(await readFile(path, 'utf8')).toBe('one');
    await writeFileAtomic(path, bytes('three'), { overwrite: true });
    expect(await readFile(path, 'utf8')).toBe('three');
    expect(await readdir(dir)).toEqual(['out.bin']);
  });

  it('never replaces a protected input, even under another name', async () => {
    const dir = await tempDir();
    const input = join(dir, 'in.png');
    await writeFile(input, 'original');
    await symlink(input, join(dir, 'alias.png'));
    await link(input, join(dir, 'hard.png'));
    for (const target of [input, join(dir, 'alias.png'), join(dir, 'hard.png'), join(dir, '.', 'in.png')]) {
      expect(await rejectionCode(writeFileAtomic(target, bytes('x'), { protect: [input] }))).toBe('OUTPUT_EXISTS');
    }
    expect(await readFile(input, 'utf8')).toBe('original');
    await writeFileAtomic(input, bytes('in place'), { protect: [input], overwrite: true });
    expect(await readFile(input, 'utf8')).toBe('in place');
  });

  it('fails with IO_ERROR and leaves nothing behind when the directory is missing or unwritable', async () => {
    const dir = await tempDir();
    expect(await rejectionCode(writeFileAtomic(join(dir, 'missing', 'out.bin'), bytes('x')))).toBe('IO_ERROR');
    // A directory where the file should go: rename fails after the temp file was written.
    const blocked = join(dir, 'blocked');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(blocked, 'inner'), { recursive: true }));
    expect(await rejectionCode(writeFileAtomic(blocked, bytes('x'), { overwrite: true }))).toBe('IO_ERROR');
    expect((await readdir(dir)).sort()).toEqual(['blocked']);
  });
});
