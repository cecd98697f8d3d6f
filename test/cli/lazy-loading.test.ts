// A command loads what its job needs and nothing else: an audio job never loads sharp or the
// image side, and a file without an XMP packet never loads the XML validator. Each job runs
// from source in its own process, with every module it loads traced.
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { png, runTs, tempDir, toneWav8s } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the bin from source on `args`; the files it loaded, relative to the repository. */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const trace = join(await tempDir(), 'modules.txt');
  const run = await runTs(['--import', './test/support/module-trace.mjs', 'src/cli/main.ts', ...args], { MODULE_TRACE: trace });
  expect(run.code, run.stderr).toBe(0);
  const files = (await readFile(trace, 'utf8')).split('\n').filter((f) => f.length > 0);
  return [...new Set(files.map((f) => relative(ROOT, f)))];
}

describe('what a command loads', { timeout: 60_000 }, () => {
  it('mark a WAV: the audio side only, no sharp, no image modules, no XML validator', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'in.wav'), toneWav8s());
    const loaded = await modulesLoadedBy(['mark', join(dir, 'in.wav'), '-o', join(dir, 'out.wav'), '--producer', 'X']);
    expect(loaded).toContain('src/audio/file.ts');
    expect(loaded.filter((f) => f.startsWith('node_modules/sharp/') || f.startsWith('node_modules/fast-xml-parser/'))).toEqual([]);
    // src/image/sharp.ts holds only the hook the program sets sharp's options through.
    expect(loaded.filter((f) => f.startsWith('src/image/') && f !== 'src/image/sharp.ts')).toEqual([]);
    expect(loaded.filter((f) => f.startsWith('src/explicit/image'))).toEqual([]);
  });

  it('mark a PNG without XMP: sharp and the image side, no audio file code, no XML validator', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'in.png'), await png(256, 256));
    const loaded = await modulesLoadedBy(['mark', join(dir, 'in.png'), '-o', join(dir, 'out.png'), '--producer', 'X']);
    expect(loaded).toContain('src/image/embed.ts');
    expect(loaded.some((f) => f.startsWith('node_modules/sharp/'))).toBe(true);
    expect(loaded.filter((f) => f.startsWith('node_modules/fast-xml-parser/'))).toEqual([]);
    expect(loaded).not.toContain('src/audio/file.ts');
  });
});
