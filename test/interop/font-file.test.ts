// `mark --font`: label text the bundled glyph subset lacks, drawn from a real CJK font file
// (Debian fonts-droid-fallback, which .ci/run installs), then found by the explicit detector
// given the same font's glyphs.
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectExplicitLabel, glyphSetFromFont } from '../../src/node.js';
import { cli, jsonLines, png, tempDir } from '../cli/helpers.js';

const FONT = '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf';
// "人工智能合成" needs 人 工 智 能, which the bundled subset does not carry.
const TEXT = '人工智能合成';
let dir: string;

beforeAll(async () => {
  if (!existsSync(FONT)) throw new Error(`${FONT} is missing: install the Debian package fonts-droid-fallback (.ci/run does).`);
  dir = await tempDir();
  await writeFile(join(dir, 'in.png'), await png(800, 600));
});

describe('mark --font with a real CJK font', { timeout: 60_000 }, () => {
  it('draws text the bundled glyphs lack at ≥ 5% of the shortest side, with the watermark and metadata', async () => {
    const out = join(dir, 'font.png');
    const run = await cli(['mark', join(dir, 'in.png'), '-o', out, '--producer', '001191440300708461136T1XGW3', '--explicit-text', TEXT, '--font', FONT, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const mark = jsonLines(run.stdout)[0];
    expect(mark.explicit).toMatchObject({ kind: 'image', text: TEXT });
    expect(mark.explicit.glyphHeight).toBeGreaterThanOrEqual(0.05 * 600);
    const detect = jsonLines((await cli(['detect', out, '--json'])).stdout)[0];
    expect(detect.watermark.found).toBe(true);
    expect(detect.metadata).toEqual(mark.label);
    // The detector needs the same glyphs to look for the same text.
    const { data, info } = await sharp(out).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const glyphs = glyphSetFromFont(new Uint8Array(readFileSync(FONT)), TEXT);
    const found = detectExplicitLabel(new Uint8ClampedArray(data), info.width, info.height, { texts: [TEXT], glyphs });
    expect(found).toMatchObject({ found: true, text: TEXT });
  });

  it('refuses text the font has no glyph for, with MISSING_GLYPH', async () => {
    const run = await cli(['mark', join(dir, 'in.png'), '-o', join(dir, 'never.png'), '--producer', '001191440300708461136T1XGW3', '--explicit-text', 'AI生成\u{1F600}', '--font', FONT, '--json']);
    expect(run.code).not.toBe(0);
    expect(jsonLines(run.stdout)[0]?.error?.code ?? run.stderr).toMatch(/MISSING_GLYPH|BAD_EXPLICIT_TEXT/);
  });
});
