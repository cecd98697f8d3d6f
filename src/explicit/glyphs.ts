// Glyph outlines as plain data, and their conversion to pixel-space polygons. Everything here
// is IEEE arithmetic and Math.sqrt only, so Node and browsers produce the same polygons.

export interface GlyphOutline {
  /** Advance width in font units. */
  advance: number;
  /** Flat command list: 0 moveTo x y, 1 lineTo x y, 2 quadratic x1 y1 x y, 3 cubic x1 y1 x2 y2 x y, 4 close. Y points up. */
  path: readonly number[];
}

export interface GlyphSet {
  name: string;
  unitsPerEm: number;
  glyphs: Readonly<Record<string, GlyphOutline>>;
}

/** A closed polygon as x, y pairs in pixels (y down). */
export type Contour = number[];

/** Curves are cut into straight pieces no further than this from the curve, in pixels. */
const FLATNESS = 0.08;

function segmentsFor(deviation: number): number {
  return Math.max(1, Math.min(64, Math.ceil(Math.sqrt(deviation / FLATNESS))));
}

/**
 * The glyph's contours in pixels: font units scaled by `scale`, the origin (left end of the
 * baseline) at (x0, baseline), y flipped to point down.
 */
export function glyphContours(glyph: GlyphOutline, scale: number, x0: number, baseline: number): Contour[] {
  const p = glyph.path;
  const contours: Contour[] = [];
  let current: Contour | null = null;
  let cx = 0;
  let cy = 0;
  const px = (x: number) => x0 + x * scale;
  const py = (y: number) => baseline - y * scale;
  const close = () => {
    if (current && current.length >= 6) contours.push(current);
    current = null;
  };
  for (let i = 0; i < p.length; ) {
    const op = p[i++];
    if (op === 0) {
      close();
      cx = px(p[i++]);
      cy = py(p[i++]);
      current = [cx, cy];
    } else if (op === 1) {
      cx = px(p[i++]);
      cy = py(p[i++]);
      current?.push(cx, cy);
    } else if (op === 2) {
      const x1 = px(p[i++]), y1 = py(p[i++]), x = px(p[i++]), y = py(p[i++]);
      const dx = cx - 2 * x1 + x, dy = cy - 2 * y1 + y;
      const n = segmentsFor(Math.sqrt(dx * dx + dy * dy) / 4);
      for (let k = 1; k <= n; k++) {
        const t = k / n, u = 1 - t;
        current?.push(u * u * cx + 2 * u * t * x1 + t * t * x, u * u * cy + 2 * u * t * y1 + t * t * y);
      }
      cx = x;
      cy = y;
    } else if (op === 3) {
      const x1 = px(p[i++]), y1 = py(p[i++]), x2 = px(p[i++]), y2 = py(p[i++]), x = px(p[i++]), y = py(p[i++]);
      const ax = cx - 2 * x1 + x2, ay = cy - 2 * y1 + y2, bx = x1 - 2 * x2 + x, by = y1 - 2 * y2 + y;
      const dev = Math.max(Math.sqrt(ax * ax + ay * ay), Math.sqrt(bx * bx + by * by)) * 0.75;
      const n = segmentsFor(dev);
      for (let k = 1; k <= n; k++) {
        const t = k / n, u = 1 - t;
        const a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;
        current?.push(a * cx + b * x1 + c * x2 + d * x, a * cy + b * y1 + c * y2 + d * y);
      }
      cx = x;
      cy = y;
    } else if (op === 4) {
      close();
    } else {
      throw new Error(`bad glyph path op ${op}`);
    }
  }
  close();
  return contours;
}

export interface InkBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

const inkOf = new WeakMap<GlyphOutline, InkBox | null>();

/** The inked extent of a glyph in font units (y up), measured on its flattened outline (once per glyph). */
export function glyphInk(glyph: GlyphOutline): InkBox | null {
  let ink = inkOf.get(glyph);
  if (ink === undefined) inkOf.set(glyph, (ink = measureInk(glyph)));
  return ink;
}

function measureInk(glyph: GlyphOutline): InkBox | null {
  const contours = glyphContours(glyph, 1, 0, 0);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const c of contours) {
    for (let i = 0; i < c.length; i += 2) {
      minX = Math.min(minX, c[i]);
      maxX = Math.max(maxX, c[i]);
      // glyphContours flips y; flip back to font units.
      minY = Math.min(minY, -c[i + 1]);
      maxY = Math.max(maxY, -c[i + 1]);
    }
  }
  return minX === Infinity ? null : { minX, minY, maxX, maxY };
}
