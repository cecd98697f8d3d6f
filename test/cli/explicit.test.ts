// `mark --explicit`: the visible label (or the audio prompt), the watermark and the metadata label
// all go into one output, and `detect` finds each of the three.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { estimateJpegQuality } from '../../src/metadata/jpeg-quality.js';
import { speechLikeWav } from '../support/audio.js';
import { cli, jpeg, jsonLines, png, tempDir } from './helpers.js';

const PRODUCER = '001191440300708461136T1XGW3';
let dir: string;

beforeAll(async () => {
  dir = await tempDir();
  await writeFile(join(dir, 'in.png'), await png(640, 480));
  await writeFile(join(dir, 'in.jpg'), await jpeg(640, 480, 90));
  await writeFile(join(dir, 'in.wav'), speechLikeWav(8));
});

async function markThenDetect(input: string, output: string, extra: string[]): Promise<{ mark: any; detect: any }> {
  const mark = await cli(['mark', join(dir, input), '-o', join(dir, output), '--producer', PRODUCER, '--json', ...extra]);
  expect(mark.stderr).toBe('');
  expect(mark.code).toBe(0);
  const detect = await cli(['detect', join(dir, output), '--json']);
  expect(detect.code).toBe(0);
  return { mark: jsonLines(mark.stdout)[0], detect: jsonLines(detect.stdout)[0] };
}

describe('mark --explicit', { timeout: 60_000 }, () => {
  it('PNG: the visible label, the watermark and the metadata label are all found', async () => {
    const { mark, detect } = await markThenDetect('in.png', 'explicit.png', ['--explicit']);
    expect(mark.explicit).toMatchObject({ kind: 'image', text: 'AI生成', position: 'bottom-right' });
    expect(mark.explicit.glyphHeight).toBeGreaterThanOrEqual(0.05 * 480);
    expect(detect.explicit).toMatchObject({ kind: 'image', found: true, text: 'AI生成', position: 'bottom-right' });
    // The detector's text box lies inside the footprint mark reported.
    const [b, t] = [mark.explicit.box, detect.explicit.box];
    expect(t.x).toBeGreaterThanOrEqual(b.x - 2);
    expect(t.x + t.width).toBeLessThanOrEqual(b.x + b.width + 2);
    expect(detect.watermark.found).toBe(true);
    expect(detect.watermark.payload).toEqual(mark.payload);
    expect(detect.metadata).toEqual(mark.label);
    expect(detect.verdict).toMatchObject({ label: '1', tier: 'verified' });
  });

  it('JPEG: a chosen text and position, encoded once at the input quality', async () => {
    const { mark, detect } = await markThenDetect('in.jpg', 'explicit.jpg', ['--explicit-text', 'AI合成', '--explicit-position', 'top-left']);
    expect(mark.explicit).toMatchObject({ kind: 'image', text: 'AI合成', position: 'top-left' });
    expect(detect.explicit).toMatchObject({ found: true, text: 'AI合成', position: 'top-left' });
    expect(detect.watermark.found).toBe(true);
    expect(detect.metadata).toEqual(mark.label);
    const q = (bytes: Buffer) => estimateJpegQuality(new Uint8Array(bytes));
    expect(q(await readFile(join(dir, 'explicit.jpg')))).toEqual(q(await readFile(join(dir, 'in.jpg'))));
  });

  it('--no-watermark: the visible label and the metadata label only', async () => {
    const { mark, detect } = await markThenDetect('in.png', 'explicit-only.png', ['--explicit', '--no-watermark']);
    expect(mark.payload).toBeNull();
    expect(detect.explicit).toMatchObject({ found: true, text: 'AI生成' });
    expect(detect.watermark.found).toBe(false);
    expect(detect.metadata).toEqual(mark.label);
  });

  it.each([
    ['start', 0],
    ['end', 8],
  ])('WAV: the rhythm prompt at the %s is detected, and the watermark over the whole result', async (where, at) => {
    const { mark, detect } = await markThenDetect('in.wav', `explicit-${where}.wav`, ['--explicit', '--prompt-position', where]);
    expect(mark.explicit).toMatchObject({ kind: 'audio', prompt: 'rhythm', placement: where });
    expect(mark.explicit.start).toBeCloseTo(at, 2);
    expect(detect.explicit).toMatchObject({ kind: 'audio', found: true });
    expect(detect.explicit.start).toBeGreaterThanOrEqual(mark.explicit.start - 0.1);
    expect(detect.explicit.end).toBeLessThanOrEqual(mark.explicit.end + 0.1);
    expect(detect.watermark.found).toBe(true);
    expect(detect.watermark.payload).toEqual(mark.payload);
    expect(detect.metadata).toEqual(mark.label);
  });

  it('WAV to MP3: the prompt and the watermark survive the MP3 encode', async () => {
    const { mark, detect } = await markThenDetect('in.wav', 'explicit.mp3', ['--explicit']);
    expect(mark).toMatchObject({ format: 'mp3', explicit: { kind: 'audio', prompt: 'rhythm', placement: 'start' } });
    expect(detect.explicit).toMatchObject({ kind: 'audio', found: true });
    expect(detect.watermark.payload).toEqual(mark.payload);
    expect(detect.metadata).toEqual(mark.label);
  });

  it('WAV: the rhythm takes its tone frequency, level and durations from the command line', async () => {
    const { mark, detect } = await markThenDetect('in.wav', 'explicit-tone.wav', ['--tone-frequency', '1500', '--tone-level', '-18', '--tone-short', '0.08', '--tone-long', '0.24']);
    expect(mark.explicit).toMatchObject({ kind: 'audio', prompt: 'rhythm', placement: 'start' });
    // 0.2 s pad, then dot, gap, dash, gap, dot, letter gap, dot, 0.2 s pad: 0.08 + 0.1 + 0.24 + 0.1 + 0.08 + 0.3 + 0.08.
    expect(mark.explicit.end - mark.explicit.start).toBeCloseTo(0.2 + 0.98 + 0.2, 2);
    expect(detect.explicit).toMatchObject({ kind: 'audio', found: true });
    expect(detect.explicit.frequency).toBeCloseTo(1500, -2);
    expect(detect.watermark.payload).toEqual(mark.payload);
  });

  it('WAV: a voice prompt file is spliced in instead of the rhythm', async () => {
    const voice = join(dir, 'voice.wav');
    await writeFile(voice, speechLikeWav(1.5));
    const { mark, detect } = await markThenDetect('in.wav', 'voice.wav.out.wav', ['--voice-prompt', voice]);
    expect(mark.explicit).toMatchObject({ kind: 'audio', prompt: 'voice', placement: 'start', start: 0, end: 1.5 });
    expect(detect.watermark.found).toBe(true);
  });
});

describe('mark --explicit refuses bad options with a typed error and writes nothing', { timeout: 30_000 }, () => {
  it.each([
    ['text without a generation element', 'in.png', ['--explicit-text', 'AI作品'], 2, 'BAD_EXPLICIT_TEXT'],
    ['text without an AI element', 'in.png', ['--explicit-text', '机器生成'], 2, 'BAD_EXPLICIT_TEXT'],
    ['text the bundled glyphs lack', 'in.png', ['--explicit-text', 'AI制作生成'], 2, 'MISSING_GLYPH'],
    ['a font file that is not a font', 'in.png', ['--font', 'in.wav'], 2, 'BAD_FONT'],
    ['an image option on audio', 'in.wav', ['--explicit-position', 'top'], 2, 'USAGE'],
    ['an audio option on an image', 'in.png', ['--prompt-position', 'end'], 2, 'USAGE'],
    ['a voice prompt that is not audio', 'in.wav', ['--voice-prompt', 'in.png'], 3, 'UNSUPPORTED_FORMAT'],
    ['a tone out of range', 'in.wav', ['--tone-frequency', '9000'], 2, 'BAD_OPTION'],
    ['a tone option on an image', 'in.png', ['--tone-level', '-20'], 2, 'USAGE'],
  ])('%s', async (_name, input, extra, code, errorCode) => {
    const out = join(dir, `refused-${_name.replace(/\W+/g, '-')}${input.slice(2)}`);
    const run = await cli(['mark', join(dir, input), '-o', out, '--producer', PRODUCER, '--json', ...extra.map((a) => (a.startsWith('in.') ? join(dir, a) : a))]);
    expect(run.code).toBe(code);
    expect(jsonLines(run.stdout)).toEqual([{ file: join(dir, input), error: { code: errorCode, message: expect.any(String) } }]);
    await expect(readFile(out)).rejects.toThrow();
  });
});
