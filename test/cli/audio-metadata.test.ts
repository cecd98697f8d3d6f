import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMetadataLabel } from '../../src/node.js';
import { runOk } from '../support/tools.js';
import { cli, jsonLines, tempDir } from './helpers.js';

const PRODUCER = '001191440300708461136T1XGW3';
const PLATFORM = '001191110108MA01ABCDEF2PLAT';

describe('CLI metadata labels on audio', { timeout: 60_000 }, () => {
  it.each(['wav', 'mp3'])('mark, detect and propagate write and read the AIGC label in %s', async (ext) => {
    const dir = await tempDir();
    const input = join(dir, `in.${ext}`);
    // An independent encoder makes the input: ffmpeg, PCM for WAV and LAME for MP3.
    const codec = ext === 'wav' ? ['-ac', '2', '-c:a', 'pcm_s16le'] : ['-c:a', 'libmp3lame', '-b:a', '128k'];
    runOk('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=8:sample_rate=44100', ...codec, input]);

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
