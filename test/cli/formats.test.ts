// The CLI writes what the output's name says: it converts among image formats and among
// audio formats, refuses a nonsense pair, and reports its own crashes as bugs (exit 70).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildWav, pcm16WavInfo } from '../../src/audio/wav.js';
import { packageVersion, run } from '../../src/cli/program.js';
import { detectFile, readMetadataLabel, sniffMedia } from '../../src/node.js';
import { cli, jsonLines, png, tempDir } from './helpers.js';

const PRODUCER = '001191440300708461136T1XGW3';

function toneWav(seconds: number, rate: number): Uint8Array {
  const x = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    let v = 0;
    for (let h = 1; h <= 12; h++) v += Math.sin(2 * Math.PI * 190 * h * t + h) / h;
    x[i] = 0.2 * v * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t));
  }
  return buildWav(pcm16WavInfo(2, rate), [x, x.slice()]);
}

describe('mark converts to the output format', { timeout: 60_000 }, () => {
  it.each([
    ['out.jpg', 'jpeg'],
    ['out.webp', 'webp'],
  ])('in.png -o %s writes %s bytes carrying the label and the mark', async (name, format) => {
    const dir = await tempDir();
    const input = join(dir, 'in.png');
    await writeFile(input, await png(384, 256));
    const output = join(dir, name);
    const r = await cli(['mark', input, '-o', output, '--producer', PRODUCER, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)[0].format).toBe(format);
    const bytes = new Uint8Array(await readFile(output));
    expect(sniffMedia(bytes)).toEqual({ kind: 'image', format });
    expect(readMetadataLabel(bytes)?.ContentProducer).toBe(PRODUCER);
    expect((await detectFile(bytes)).found).toBe(true);
  });

  it('in.wav -o out.mp3 writes MP3 carrying the label and the mark; --no-watermark converts too', async () => {
    const dir = await tempDir();
    const input = join(dir, 'in.wav');
    await writeFile(input, toneWav(6, 44100));
    for (const extra of [[], ['--no-watermark']]) {
      const output = join(dir, `out${extra.length}.mp3`);
      const r = await cli(['mark', input, '-o', output, '--producer', PRODUCER, ...extra]);
      expect(r.code).toBe(0);
      const bytes = new Uint8Array(await readFile(output));
      expect(sniffMedia(bytes)).toEqual({ kind: 'audio', format: 'mp3' });
      expect(readMetadataLabel(bytes)?.ContentProducer).toBe(PRODUCER);
      expect((await detectFile(bytes)).found).toBe(extra.length === 0);
    }
  });

  it.each([
    ['in.png', 'out.wav', /Cannot write an image as WAV/],
    ['in.png', 'out.gif', /needs an extension that says what it holds/],
    ['in.wav', 'out.png', /Cannot write audio as PNG/],
  ])('%s -o %s is refused with BAD_OPTION (exit 2) and writes nothing', async (inName, outName, message) => {
    const dir = await tempDir();
    const input = join(dir, inName);
    await writeFile(input, inName.endsWith('.png') ? await png(256, 256) : toneWav(3, 16000));
    const output = join(dir, outName);
    const r = await cli(['mark', input, '-o', output, '--producer', PRODUCER]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/BAD_OPTION/);
    expect(r.stderr).toMatch(message);
    await expect(readFile(output)).rejects.toThrow(/ENOENT/);
  });

  it('propagate refuses an output named for another format (it never re-encodes)', async () => {
    const dir = await tempDir();
    const input = join(dir, 'in.png');
    await writeFile(input, await png(256, 256));
    const r = await cli(['propagate', input, '-o', join(dir, 'out.jpg'), '--propagator', PRODUCER, '--declared']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/BAD_OPTION/);
  });
});

describe('exit codes and version', () => {
  it('an internal crash exits 70 and says it is a bug, not bad input', async () => {
    const dir = await tempDir();
    const input = join(dir, 'in.png');
    await writeFile(input, await png(256, 256));
    let stderr = '';
    const code = await run(['mark', input, '-o', join(dir, 'out.png'), '--producer', PRODUCER], {
      stdout: () => {
        throw new TypeError('the terminal went away');
      },
      stderr: (t) => void (stderr += t),
    });
    expect(code).toBe(70);
    expect(stderr).toMatch(/INTERNAL: internal error: this is a bug in aigc-mark/);
    expect(stderr).toMatch(/the terminal went away/);
  });

  it('--version prints the version in package.json', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(packageVersion()).toBe(pkg.version);
    const r = await cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe(pkg.version);
  });
});
