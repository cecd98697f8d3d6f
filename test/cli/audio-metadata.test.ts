import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetadataLabel } from '../../src/node.js';
import { cli, jsonLines, tempDir } from './helpers.js';

const PRODUCER = '001191440300708461136T1XGW3';
const PLATFORM = '001191110108MA01ABCDEF2PLAT';

describe('CLI metadata labels on audio', { timeout: 60_000 }, () => {
  it.each(['wav', 'mp3'])('mark, detect and propagate write and read the AIGC label in %s', async (ext) => {
    const dir = await tempDir();
    const input = join(dir, `in.${ext}`);
    // An independent encoder makes the input: sox for WAV, ffmpeg + LAME for MP3.
    if (ext === 'wav') execFileSync('sox', ['-n', '-r', '44100', '-c', '2', '-b', '16', input, 'synth', '8', 'pluck', 'C3', 'pluck', 'G3']);
    else execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=8', '-c:a', 'libmp3lame', '-b:a', '128k', input]);

    const marked = join(dir, `marked.${ext}`);
    const mark = await cli(['mark', input, '-o', marked, '--producer', PRODUCER, '--no-watermark', '--json']);
    expect(mark.code).toBe(0);
    const [markDoc] = jsonLines(mark.stdout);
    expect(readMetadataLabel(new Uint8Array(await readFile(marked)))).toEqual(markDoc.label);

    const detect = await cli(['detect', marked, '--json']);
    const [doc] = jsonLines(detect.stdout);
    expect(doc.media).toBe('audio');
    expect(doc.metadata).toEqual(markDoc.label);
    expect(doc.verdict).toMatchObject({ label: '1', basis: 'metadata' });

    const stored = join(dir, `stored.${ext}`);
    const propagate = await cli(['propagate', marked, '-o', stored, '--propagator', PLATFORM, '--propagate-id', 'P-1', '--json']);
    expect(propagate.code).toBe(0);
    expect(readMetadataLabel(new Uint8Array(await readFile(stored)))).toEqual({
      ...markDoc.label,
      ContentPropagator: PLATFORM,
      PropagateID: 'P-1',
    });
  });
});
