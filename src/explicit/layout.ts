// Where an image label goes and how big it is. The renderer and the detector share these rules,
// so the detector knows where to look for a label of a given glyph height.
import { AigcError } from '../errors.js';
import { glyphContours, glyphInk, type Contour, type GlyphOutline, type GlyphSet, type InkBox } from './glyphs.js';

export type LabelPosition = 'top-left' | 'top' | 'top-right' | 'left' | 'right' | 'bottom-left' | 'bottom' | 'bottom-right';
export const LABEL_POSITIONS: readonly LabelPosition[] = ['top-left', 'top', 'top-right', 'left', 'right', 'bottom-left', 'bottom', 'bottom-right'];

/** GB 45438 5.2: text height at least 5% of the shortest side. */
export const MIN_HEIGHT_FRACTION = 0.05;
/** Largest glyph height allowed (and searched by the detector), as a fraction of the shortest side. */
export const MAX_HEIGHT_FRACTION = 0.15;
/** Default glyph height as a fraction of the shortest side: a margin above the minimum. */
export const DEFAULT_HEIGHT_FRACTION = 0.06;
/** Below this many pixels a glyph stops being legible, whatever the image size. */
export const MIN_GLYPH_PIXELS = 10;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The text laid out at one glyph height, in coordinates local to its ink box (top-left 0, 0). */
export interface TextLayout {
  text: string;
  /** Height in pixels of the tallest glyph's ink: the figure GB 45438 5.2 measures. */
  glyphHeight: number;
  /** Integer size of the ink box that holds every glyph. */
  width: number;
  height: number;
  /** The glyphs' outlines in pixels (worked out on first use: the detector's WASM engine never needs them). */
  readonly contours: Contour[];
  /** Each glyph's outline and its origin's x in the ink box; outlines scale by `scale`, the baseline at y = `baseline`. */
  placements: { outline: GlyphOutline; x0: number }[];
  scale: number;
  baseline: number;
  /** Each glyph's inked x-range within the ink box, in pixels. */
  glyphSpans: [number, number][];
  /** Plate padding and distance from the image edge, in pixels. */
  pad: number;
  margin: number;
}

function glyphsFor(set: GlyphSet, text: string) {
  return [...text].map((ch) => {
    const g = set.glyphs[ch];
    if (!g) {
      throw new AigcError(
        'MISSING_GLYPH',
        `The ${set.name} glyphs have no "${ch}"; the bundled glyphs cover ${Object.keys(set.glyphs).join('')} — pass a font file (--font) for other text.`,
      );
    }
    return g;
  });
}

/** The glyph height in pixels for an image: the fraction of its shortest side, rounded up, plus a pixel for anti-aliased edges. */
export function glyphHeightFor(width: number, height: number, fraction: number): number {
  if (!(Number.isFinite(fraction) && fraction >= MIN_HEIGHT_FRACTION && fraction <= MAX_HEIGHT_FRACTION)) {
    throw new AigcError('BAD_OPTION', `The label height must be between ${MIN_HEIGHT_FRACTION} and ${MAX_HEIGHT_FRACTION} of the shortest side (GB 45438 5.2 asks for at least 5%), got ${fraction}.`);
  }
  return Math.max(MIN_GLYPH_PIXELS, Math.ceil(fraction * Math.min(width, height)) + 1);
}

export function layoutText(set: GlyphSet, text: string, glyphHeight: number): TextLayout {
  const glyphs = glyphsFor(set, text);
  const inks = glyphs.map(glyphInk);
  const tallest = Math.max(...inks.map((b) => (b ? b.maxY - b.minY : 0)));
  if (!(tallest > 0)) throw new AigcError('MISSING_GLYPH', `The ${set.name} glyphs for "${text}" have no ink.`);
  const scale = glyphHeight / tallest;
  // Union of the inked boxes along the baseline, in font units.
  const union: InkBox = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  let pen = 0;
  const origins: number[] = [];
  glyphs.forEach((g, i) => {
    origins.push(pen);
    const b = inks[i];
    if (b) {
      union.minX = Math.min(union.minX, pen + b.minX);
      union.maxX = Math.max(union.maxX, pen + b.maxX);
      union.minY = Math.min(union.minY, b.minY);
      union.maxY = Math.max(union.maxY, b.maxY);
    }
    pen += g.advance;
  });
  const placements = glyphs.map((outline, i) => ({ outline, x0: (origins[i] - union.minX) * scale }));
  const baseline = union.maxY * scale;
  let contours: Contour[] | null = null;
  const glyphSpans = inks.map((b, i): [number, number] =>
    b ? [(origins[i] + b.minX - union.minX) * scale, (origins[i] + b.maxX - union.minX) * scale] : [(origins[i] - union.minX) * scale, (origins[i] - union.minX) * scale],
  );
  return {
    text,
    glyphHeight,
    glyphSpans,
    width: Math.ceil((union.maxX - union.minX) * scale),
    height: Math.ceil((union.maxY - union.minY) * scale),
    get contours() {
      return (contours ??= placements.flatMap((p) => glyphContours(p.outline, scale, p.x0, baseline)));
    },
    placements,
    scale,
    baseline,
    pad: Math.max(2, Math.round(glyphHeight * 0.3)),
    margin: Math.max(2, Math.round(glyphHeight * 0.4)),
  };
}

/** The plate box (ink box plus padding) at `position`, inside a width x height image. */
export function plateBox(layout: TextLayout, position: LabelPosition, width: number, height: number): Box {
  const w = layout.width + 2 * layout.pad;
  const h = layout.height + 2 * layout.pad;
  if (w + 2 * layout.margin > width || h + 2 * layout.margin > height) {
    throw new AigcError('IMAGE_TOO_SMALL', `A ${layout.glyphHeight}-pixel "${layout.text}" label (${w}x${h}) does not fit a ${width}x${height} image; use a shorter text.`);
  }
  const left = layout.margin;
  const right = width - layout.margin - w;
  const top = layout.margin;
  const bottom = height - layout.margin - h;
  const centreX = Math.floor((width - w) / 2);
  const centreY = Math.floor((height - h) / 2);
  const x = position.endsWith('left') ? left : position.endsWith('right') ? right : centreX;
  const y = position.startsWith('top') ? top : position.startsWith('bottom') ? bottom : centreY;
  return { x, y, width: w, height: h };
}
