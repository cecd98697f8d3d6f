// Draws the visible "AI生成" label on RGBA pixels: pure computation, no fonts, no platform calls.
import { AigcError } from '../errors.js';
import { chooseContrast, type LabelStyle, type TextTone } from './contrast.js';
import { BUNDLED_GLYPHS } from './glyph-data.js';
import type { GlyphSet } from './glyphs.js';
import { DEFAULT_HEIGHT_FRACTION, glyphHeightFor, layoutText, plateBox, type Box, type LabelPosition, LABEL_POSITIONS } from './layout.js';
import { rasterizeContours } from './raster.js';
import { DEFAULT_EXPLICIT_TEXT, validateExplicitText } from './text.js';

export interface ExplicitImageOptions {
  /** Default "AI生成"; must name AI and generation (GB 45438). */
  text?: string;
  /** Default 'bottom-right'. */
  position?: LabelPosition;
  /** Glyph height as a fraction of the shortest side; default 0.06, at least 0.05. */
  heightFraction?: number;
  /** Default 'auto': an outline when the background already contrasts, otherwise a plate. */
  style?: LabelStyle | 'auto';
  /** Glyph outlines; default the bundled Noto Sans CJK SC subset. */
  glyphs?: GlyphSet;
}

export interface ExplicitImageResult {
  rgba: Uint8ClampedArray;
  text: string;
  position: LabelPosition;
  /** The plate (or the outline's extent): the label's whole footprint. */
  box: Box;
  /** The inked text inside it. */
  textBox: Box;
  glyphHeight: number;
  style: LabelStyle;
  tone: TextTone;
}

const PLATE_ALPHA = 204; // 80%: the background still shows, the text contrasts on any of it.
const TONES: Record<TextTone, number> = { light: 255, dark: 0 };

export function drawExplicitLabel(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number, options: ExplicitImageOptions = {}): ExplicitImageResult {
  return drawTextLabel(rgba, width, height, validateExplicitText(options.text ?? DEFAULT_EXPLICIT_TEXT), options);
}

/**
 * The drawing itself, for any text: drawExplicitLabel checks the text first. The bench uses this
 * directly to draw look-alike plates with other words (hard negatives for the detector).
 */
export function drawTextLabel(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  text: string,
  options: Omit<ExplicitImageOptions, 'text'> = {},
): ExplicitImageResult {
  if (rgba.length !== width * height * 4) {
    throw new AigcError('BAD_OPTION', `Expected ${width}x${height} RGBA (${width * height * 4} bytes), got ${rgba.length}.`);
  }
  const position = options.position ?? 'bottom-right';
  if (!LABEL_POSITIONS.includes(position)) {
    throw new AigcError('BAD_OPTION', `Unknown label position "${position}"; use one of ${LABEL_POSITIONS.join(', ')}.`);
  }
  const layout = layoutText(options.glyphs ?? BUNDLED_GLYPHS, text, glyphHeightFor(width, height, options.heightFraction ?? DEFAULT_HEIGHT_FRACTION));
  const box = plateBox(layout, position, width, height);
  const textBox: Box = { x: box.x + layout.pad, y: box.y + layout.pad, width: layout.width, height: layout.height };
  const choice = chooseContrast(rgba, width, box);
  const style = options.style === undefined || options.style === 'auto' ? choice.style : options.style;
  const ink = TONES[choice.tone];
  const backing = 255 - ink;

  // Coverage over the whole box, text placed at its padding offset.
  const shifted = layout.contours.map((c) => c.map((v) => v + layout.pad));
  const coverage = rasterizeContours(shifted, box.width, box.height);
  const out = new Uint8ClampedArray(rgba);
  if (style === 'plate') {
    fill(out, width, box, () => PLATE_ALPHA, backing);
  } else {
    const halo = dilate(coverage, box.width, box.height, Math.max(1, Math.round(layout.glyphHeight * 0.08)));
    fill(out, width, box, (i) => Math.round(halo[i] * 255), backing);
  }
  fill(out, width, box, (i) => Math.round(coverage[i] * 255), ink);
  return { rgba: out, text, position, box, textBox, glyphHeight: layout.glyphHeight, style, tone: choice.tone };
}

/** Blends `value` (grey) over the box with a per-pixel alpha in 0..255, integer arithmetic. */
function fill(out: Uint8ClampedArray, width: number, box: Box, alphaAt: (i: number) => number, value: number): void {
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      const a = alphaAt(y * box.width + x);
      if (a === 0) continue;
      const o = ((box.y + y) * width + box.x + x) * 4;
      for (let c = 0; c < 3; c++) out[o + c] = Math.floor((out[o + c] * (255 - a) + value * a + 127) / 255);
      out[o + 3] = Math.max(out[o + 3], a);
    }
  }
}

/** Max filter over a disc of `radius` pixels. */
export function dilate(src: Float32Array, width: number, height: number, radius: number): Float32Array {
  const out = new Float32Array(src.length);
  const offsets: [number, number][] = [];
  for (let dy = -radius; dy <= radius; dy++) for (let dx = -radius; dx <= radius; dx++) if (dx * dx + dy * dy <= radius * radius + radius) offsets.push([dx, dy]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let m = 0;
      for (const [dx, dy] of offsets) {
        const xx = x + dx, yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < width && yy < height && src[yy * width + xx] > m) m = src[yy * width + xx];
      }
      out[y * width + x] = m;
    }
  }
  return out;
}
