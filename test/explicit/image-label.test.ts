import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AigcError } from '../../src/errors.js';
import {
  LABEL_POSITIONS,
  MIN_HEIGHT_FRACTION,
  detectExplicitLabel,
  drawExplicitLabel,
  validateExplicitText,
  type Box,
} from '../../src/explicit/index.js';
import { gradientImage, lcg, texturedImage } from '../support/images.js';
import { jpegHalf } from '../support/tools.js';

function uniform(width: number, height: number, grey: number): Uint8Array {
  const out = new Uint8Array(width * height * 4).fill(grey);
  for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return out;
}

/** Rows of the image holding text-tone pixels (within 48 of pure black or white, as the label's tone). */
function inkedRows(rgba: Uint8ClampedArray, width: number, box: Box, tone: 'light' | 'dark'): number[] {
  const rows: number[] = [];
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      const v = rgba[(y * width + x) * 4];
      if (tone === 'dark' ? v < 48 : v > 207) {
        rows.push(y);
        break;
      }
    }
  }
  return rows;
}

function measureGlyphHeight(rgba: Uint8ClampedArray, width: number, textBox: Box, tone: 'light' | 'dark'): number {
  const rows = inkedRows(rgba, width, textBox, tone);
  return rows.length === 0 ? 0 : rows[rows.length - 1] - rows[0] + 1;
}

function diff(a: Uint8ClampedArray | Uint8Array, b: Uint8ClampedArray | Uint8Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

const overlap = (a: Box, b: Box) => {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? (w * h) / (a.width * a.height) : 0;
};

describe('explicit label text (GB 45438 5.1)', () => {
  it('accepts texts that name AI and generation', () => {
    for (const t of ['AI生成', 'AI合成', '人工智能生成', ' 由AI生成 ', 'ＡＩ合成内容']) expect(() => validateExplicitText(t)).not.toThrow();
    expect(validateExplicitText(' 由AI生成 ')).toBe('由AI生成');
  });

  it('refuses text without an AI element or a generation element, with a typed error', () => {
    for (const t of ['生成', 'AI', 'Made by a computer', '人工智能', '', '   ']) {
      let err: unknown;
      try {
        validateExplicitText(t);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AigcError);
      expect((err as AigcError).code).toBe('BAD_EXPLICIT_TEXT');
    }
    expect(() => drawExplicitLabel(uniform(200, 200, 128), 200, 200, { text: '仅供参考' })).toThrow(/AI element/);
  });

  it('names the missing glyph when the bundled subset cannot draw the text', () => {
    expect(() => drawExplicitLabel(uniform(400, 300, 128), 400, 300, { text: 'AI生成图片' })).toThrow(
      expect.objectContaining({ code: 'MISSING_GLYPH' }),
    );
  });
});

describe('drawExplicitLabel', () => {
  it('draws glyphs at least 5% of the shortest side tall, measured on the pixels', () => {
    for (const [w, h, text] of [
      [640, 480, 'AI生成'],
      [1920, 1080, '人工智能生成'],
      [300, 1200, 'AI合成'],
      [256, 256, 'AI生成'],
      [1000, 999, 'AI生成'],
    ] as const) {
      const r = drawExplicitLabel(uniform(w, h, 128), w, h, { text });
      const measured = measureGlyphHeight(r.rgba, w, r.textBox, r.tone);
      expect(measured, `${w}x${h} ${text}`).toBeGreaterThanOrEqual(MIN_HEIGHT_FRACTION * Math.min(w, h));
      expect(measured).toBeLessThanOrEqual(r.glyphHeight + 1);
    }
  });

  it('refuses a height under 5% of the shortest side', () => {
    expect(() => drawExplicitLabel(uniform(400, 300, 128), 400, 300, { heightFraction: 0.049 })).toThrow(
      expect.objectContaining({ code: 'BAD_OPTION' }),
    );
  });

  it('sits at the chosen corner or edge and changes nothing outside its box', () => {
    const w = 500, h = 360;
    const src = texturedImage(w, h, 3);
    for (const position of LABEL_POSITIONS) {
      const r = drawExplicitLabel(src, w, h, { position });
      const { box } = r;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
      if (position.endsWith('left')) expect(cx).toBeLessThan(w / 4);
      else if (position.endsWith('right')) expect(cx).toBeGreaterThan((3 * w) / 4);
      else expect(Math.abs(cx - w / 2)).toBeLessThan(2);
      if (position.startsWith('top')) expect(cy).toBeLessThan(h / 4);
      else if (position.startsWith('bottom')) expect(cy).toBeGreaterThan((3 * h) / 4);
      else expect(Math.abs(cy - h / 2)).toBeLessThan(2);
      let outside = 0;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        if (x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height) continue;
        const i = (y * w + x) * 4;
        if (r.rgba[i] !== src[i] || r.rgba[i + 1] !== src[i + 1] || r.rgba[i + 2] !== src[i + 2]) outside++;
      }
      expect(outside, position).toBe(0);
    }
  });

  it('leaves the input untouched', () => {
    const src = gradientImage(300, 200);
    const copy = src.slice();
    drawExplicitLabel(src, 300, 200);
    expect(diff(src, copy)).toBe(0);
  });

  it('chooses an outline on a plain background and a plate on a busy one, legible either way', () => {
    const w = 400, h = 300;
    const plain = drawExplicitLabel(uniform(w, h, 200), w, h);
    expect(plain.style).toBe('outline');
    expect(plain.tone).toBe('dark');
    // Black and white stripes two pixels wide: no single text tone contrasts with all of it.
    const stripes = uniform(w, h, 0);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (x & 2) stripes.fill(255, (y * w + x) * 4, (y * w + x) * 4 + 3);
    const busy = drawExplicitLabel(stripes, w, h);
    expect(busy.style).toBe('plate');
    // Every pixel the plate alone covers (80% of the backing tone over the stripes) contrasts with the text tone (WCAG 4.5:1).
    const textV = busy.tone === 'light' ? 255 : 0;
    const backing = 255 - textV;
    const lum = (v: number) => (v / 255) ** 2;
    const { box } = busy;
    let worst = Infinity;
    let plateOnly = 0;
    for (let y = box.y; y < box.y + box.height; y++) for (let x = box.x; x < box.x + box.width; x++) {
      const i = (y * w + x) * 4;
      const v = busy.rgba[i];
      if (v !== Math.floor((stripes[i] * 51 + backing * 204 + 127) / 255)) continue; // touched by the text
      plateOnly++;
      const [hi, lo] = [Math.max(lum(v), lum(textV)), Math.min(lum(v), lum(textV))];
      worst = Math.min(worst, (hi + 0.05) / (lo + 0.05));
    }
    expect(plateOnly).toBeGreaterThan(box.width * box.height * 0.5);
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });

  it('renders byte-identically from the same inputs (pinned digest)', () => {
    const src = texturedImage(320, 240, 11);
    const a = drawExplicitLabel(src, 320, 240, { position: 'top-right', text: '人工智能生成' });
    const b = drawExplicitLabel(src, 320, 240, { position: 'top-right', text: '人工智能生成' });
    expect(diff(a.rgba, b.rgba)).toBe(0);
    const digest = createHash('sha256').update(a.rgba).digest('hex');
    // Any change to the glyphs, rasteriser or compositing shows here; update it deliberately.
    expect(digest).toBe(PINNED_DIGEST);
  });
});

describe('detectExplicitLabel', () => {
  it('finds the label after a resize to half and JPEG q75, at every position and preset text', async () => {
    const rnd = lcg(7);
    const texts = ['AI生成', 'AI合成', '人工智能生成'];
    for (const [i, position] of LABEL_POSITIONS.entries()) {
      const w = 700 + Math.floor(rnd() * 500), h = 500 + Math.floor(rnd() * 300);
      const text = texts[i % 3];
      const r = drawExplicitLabel(texturedImage(w, h, 20 + i, 60), w, h, { position, text, heightFraction: 0.05 + rnd() * 0.05 });
      const attacked = await jpegHalf(r.rgba, w, h);
      const d = detectExplicitLabel(attacked.rgba, attacked.width, attacked.height);
      expect(d.found, `${position} ${text}`).toBe(true);
      expect(d.text).toBe(text);
      expect(d.position).toBe(position);
      const truth = { x: r.textBox.x / 2, y: r.textBox.y / 2, width: r.textBox.width / 2, height: r.textBox.height / 2 };
      expect(overlap(truth, d.box!)).toBeGreaterThan(0.7);
    }
  });

  it('finds nothing on unlabelled images, including ones with other text-like marks', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const w = 480, h = 360;
      const d = detectExplicitLabel(texturedImage(w, h, seed, 80), w, h);
      expect(d.found).toBe(false);
      expect(d.score).toBeLessThan(0.45);
    }
    const d = detectExplicitLabel(gradientImage(640, 480), 640, 480);
    expect(d.found).toBe(false);
  });
});

const PINNED_DIGEST = '94cd61306f2f9e8ea0daa4259b3286312a6ddeb88804816e6d291f11ad5683f3';
