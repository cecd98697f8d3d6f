// Finds our own visible label: the label is drawn by fixed rules (layout.ts), so for each preset
// text, glyph height and position there is one place it can be. Each place is scored by the
// correlation between the rendered glyph coverage and the image's luma around it; the sign says
// light or dark text. The search is small (8 positions, a ladder of heights, a few pixels of
// slack for rounding and resizing), which keeps chance matches on unlabelled images rare.
import { AigcError } from '../errors.js';
import { BUNDLED_GLYPHS } from './glyph-data.js';
import type { GlyphSet } from './glyphs.js';
import { LABEL_POSITIONS, MAX_HEIGHT_FRACTION, MIN_HEIGHT_FRACTION, layoutText, plateBox, type Box, type LabelPosition, type TextLayout } from './layout.js';
import { rasterizeContours } from './raster.js';
import { PRESET_EXPLICIT_TEXTS } from './text.js';

export interface ExplicitImageDetection {
  found: boolean;
  /** The best candidate's weakest per-glyph |correlation| with the rendered label, 0..1. */
  score: number;
  text: string | null;
  position: LabelPosition | null;
  /** Stroke-to-surround contrast of the best candidate, in spreads (flat text on a flat plate is high). */
  separation: number;
  /** The inked text, in the input's pixels. */
  box: Box | null;
  tone: 'light' | 'dark' | null;
}

export interface ExplicitImageDetectOptions {
  /** Texts to look for; default the presets ("AI生成", "AI合成", "人工智能生成"). */
  texts?: readonly string[];
  glyphs?: GlyphSet;
  /** Decision threshold on the score; default DEFAULT_EXPLICIT_IMAGE_THRESHOLD. */
  threshold?: number;
  /** Decision threshold on the separation; default DEFAULT_EXPLICIT_IMAGE_SEPARATION. */
  minSeparation?: number;
}

/** Chosen from the unlabelled-image bench (bench/explicit), well above the highest score seen there. */
export const DEFAULT_EXPLICIT_IMAGE_THRESHOLD = 0.6;
/** Chosen the same way: the least stroke-to-surround separation (in spreads) a label must show. */
export const DEFAULT_EXPLICIT_IMAGE_SEPARATION = 2.2;
/** The detector works on luma shrunk by an integer factor, keeping the shortest side between this and twice this. */
const WORK_SIDE = 200;

interface Plane {
  /** Luma after a 3x3 mean (for the correlation), and as sampled (for the flatness test). */
  v: Float32Array;
  raw: Float32Array;
  w: number;
  h: number;
}

function lumaPlane(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number, k: number): Plane {
  const w = Math.floor(width / k), h = Math.floor(height / k);
  const v = new Float32Array(w * h);
  for (let y = 0; y < h * k; y++) {
    const row = Math.floor(y / k) * w;
    let o = y * width * 4;
    // Each output cell takes k pixels of this row in turn (no division per pixel).
    for (let cell = row; cell < row + w; cell++) {
      for (let j = 0; j < k; j++, o += 4) v[cell] += 0.299 * rgba[o] + 0.587 * rgba[o + 1] + 0.114 * rgba[o + 2];
    }
  }
  const area = k * k;
  for (let i = 0; i < v.length; i++) v[i] /= area;
  return { v: boxBlur3(v, w, h), raw: v, w, h };
}

/**
 * The label as the detector sees it: the pixels of the glyphs and of a ring around them (the
 * plate or the outline), each with its mean-centred coverage and the glyph it belongs to.
 * Pixels further from the glyphs are left out, so a busy background between the letters does
 * not dilute the match.
 */
interface Template {
  /** Extent of the support and the ink box's offset inside it. */
  w: number;
  h: number;
  ring: number;
  glyphCount: number;
  /** Per support pixel: offset (y * w + x, in the support's frame), template value, glyph index. */
  at: Int32Array;
  t: Float32Array;
  glyph: Uint8Array;
  /** Per support pixel: 1 inside a stroke, 2 just outside the glyphs (plate or outline), 0 between. */
  zone: Uint8Array;
}

function makeTemplate(coverage: Float32Array, layout: TextLayout, ring: number): Template {
  const cw = layout.width, ch = layout.height;
  const w = cw + 2 * ring, h = ch + 2 * ring;
  const sharpInk = new Float32Array(w * h);
  for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) sharpInk[(y + ring) * w + x + ring] = coverage[y * cw + x];
  const ink = boxBlur3(sharpInk, w, h);
  const near = inkWithin(sharpInk, w, h, ring);
  // Each column belongs to the glyph whose inked span is nearest.
  const columnGlyph = new Uint8Array(w);
  for (let x = 0; x < w; x++) {
    const cx = x - ring + 0.5;
    let bestD = Infinity;
    for (let j = 0; j < layout.glyphSpans.length; j++) {
      const [a, b] = layout.glyphSpans[j];
      const d = cx < a ? a - cx : cx > b ? cx - b : 0;
      if (d < bestD) {
        bestD = d;
        columnGlyph[x] = j;
      }
    }
  }
  const halo = inkWithin(sharpInk, w, h, Math.max(2, Math.round(layout.glyphHeight * 0.1)));
  const touching = inkWithin(sharpInk, w, h, 1);
  let count = 0;
  for (let i = 0; i < near.length; i++) count += near[i];
  const at = new Int32Array(count);
  const t = new Float32Array(count);
  const glyph = new Uint8Array(count);
  const zone = new Uint8Array(count);
  for (let i = 0, n = 0; i < ink.length; i++) {
    if (near[i] === 0) continue;
    at[n] = i;
    t[n] = ink[i];
    glyph[n] = columnGlyph[i % w];
    zone[n] = sharpInk[i] >= 0.95 ? 1 : touching[i] === 0 && halo[i] !== 0 ? 2 : 0;
    n++;
  }
  return { w, h, ring, glyphCount: layout.glyphSpans.length, at, t, glyph, zone };
}

let scratch = new Float64Array(0);
/** One zeroed accumulator for correlate, reused: the search calls it tens of thousands of times per image. */
function correlationScratch(glyphs: number): Float64Array {
  if (scratch.length < 6 * glyphs) scratch = new Float64Array(6 * glyphs);
  const acc = scratch.subarray(0, 6 * glyphs);
  acc.fill(0);
  return acc;
}

/**
 * The value kept for (owner, key) in a per-owner cache, made on first use; the cache lets go of
 * an owner with the owner itself.
 */
function memoPer<O extends object, K, V>(cache: WeakMap<O, Map<K, V>>, owner: O, key: K, make: () => V): V {
  let byKey = cache.get(owner);
  if (!byKey) cache.set(owner, (byKey = new Map()));
  let value = byKey.get(key);
  if (value === undefined) byKey.set(key, (value = make()));
  return value;
}

const sumsByStep = new WeakMap<Template, Map<number, Float64Array>>();
/** The template's n, Σt and Σt² per glyph over every step-th support pixel (in correlate's layout, image sums zero). */
function templateSums(tpl: Template, step: number): Float64Array {
  return memoPer(sumsByStep, tpl, step, () => {
    const sums = new Float64Array(6 * tpl.glyphCount);
    for (let i = 0; i < tpl.t.length; i += step) {
      const o = tpl.glyph[i] * 6;
      sums[o] += 1;
      sums[o + 1] += tpl.t[i];
      sums[o + 2] += tpl.t[i] * tpl.t[i];
    }
    return sums;
  });
}

/**
 * The weakest per-glyph Pearson correlation of the template with the plane at support top-left
 * (x, y), signed; 0 when the glyphs disagree in sign or a glyph's patch is flat. Every glyph must
 * match on its own, so a plate with other words that share a glyph or two scores low.
 * `step` > 1 samples every step-th support pixel (a cheap first look).
 */
function correlate(p: Plane, tpl: Template, rows: Int32Array, x: number, y: number, step = 1): number {
  if (x < 0 || y < 0 || x + tpl.w > p.w || y + tpl.h > p.h) return 0;
  const base = y * p.w + x;
  const { t, glyph } = tpl;
  const v = p.v;
  const m = tpl.glyphCount;
  // Per glyph: n, Σt, Σt² (the template's own, summed once per step), then Σv, Σv², Σtv.
  const acc = correlationScratch(m);
  acc.set(templateSums(tpl, step));
  for (let i = 0; i < t.length; i += step) {
    const a = v[base + rows[i]];
    const o = glyph[i] * 6;
    acc[o + 3] += a;
    acc[o + 4] += a * a;
    acc[o + 5] += t[i] * a;
  }
  let weakest = Infinity;
  let sign = 0;
  for (let j = 0; j < m; j++) {
    const o = j * 6;
    const n = acc[o];
    if (n < 4) continue;
    const varT = acc[o + 2] - (acc[o + 1] * acc[o + 1]) / n;
    const varV = acc[o + 4] - (acc[o + 3] * acc[o + 3]) / n;
    // A near-flat patch (under ~2 grey levels of spread) carries no text.
    if (varV < 4 * n || varT <= 0) return 0;
    const r = (acc[o + 5] - (acc[o + 1] * acc[o + 3]) / n) / Math.sqrt(varT * varV);
    const s = Math.sign(r);
    if (sign !== 0 && s !== sign) return 0;
    sign = s;
    weakest = Math.min(weakest, Math.abs(r));
  }
  return weakest === Infinity ? 0 : sign * weakest;
}

/**
 * How cleanly the strokes stand apart from what surrounds them: per glyph, the gap between the
 * mean luma inside the strokes and just outside them, over their pooled spread; the weakest
 * glyph counts. Our label is flat text on a flat plate or outline, so it separates by several
 * spreads; text or texture that merely correlates with the glyph shapes does not.
 */
function separation(p: Plane, tpl: Template, rows: Int32Array, x: number, y: number): number {
  const base = y * p.w + x;
  const m = tpl.glyphCount;
  const acc = new Float64Array(6 * m); // per glyph: n, Σ, Σ² inside; n, Σ, Σ² outside
  for (let i = 0; i < tpl.t.length; i++) {
    const z = tpl.zone[i];
    if (z === 0) continue;
    const a = p.raw[base + rows[i]];
    const o = tpl.glyph[i] * 6 + (z === 1 ? 0 : 3);
    acc[o] += 1;
    acc[o + 1] += a;
    acc[o + 2] += a * a;
  }
  let weakest = Infinity;
  for (let j = 0; j < m; j++) {
    const o = j * 6;
    const [ni, si, qi, no, so, qo] = acc.subarray(o, o + 6);
    if (ni < 2 || no < 2) continue;
    const mi = si / ni, mo = so / no;
    const spread = Math.sqrt(Math.max(0, qi / ni - mi * mi + (qo / no - mo * mo)) / 2 + 1);
    weakest = Math.min(weakest, Math.abs(mi - mo) / spread);
  }
  return weakest === Infinity ? 0 : weakest;
}

/** 3x3 mean: applied to the image and the template alike, it makes the match tolerant of sub-pixel shifts. */
function boxBlur3(src: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let sum = 0, n = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx, yy = y + dy;
      if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
        sum += src[yy * w + xx];
        n++;
      }
    }
    out[y * w + x] = sum / n;
  }
  return out;
}

/**
 * 1 where any ink (coverage > 0) lies within the (2r+1)-square around a pixel, else 0: a square
 * dilation of the ink's support, separably, from running counts (constant work per pixel for any r).
 */
function inkWithin(src: Float32Array, w: number, h: number, r: number): Uint8Array {
  const rows = new Uint8Array(src.length);
  const out = new Uint8Array(src.length);
  const prefix = new Int32Array(Math.max(w, h) + 1);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) prefix[x + 1] = prefix[x] + (src[o + x] > 0 ? 1 : 0);
    for (let x = 0; x < w; x++) rows[o + x] = prefix[Math.min(w, x + r + 1)] > prefix[Math.max(0, x - r)] ? 1 : 0;
  }
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) prefix[y + 1] = prefix[y] + rows[y * w + x];
    for (let y = 0; y < h; y++) out[y * w + x] = prefix[Math.min(h, y + r + 1)] > prefix[Math.max(0, y - r)] ? 1 : 0;
  }
  return out;
}

/**
 * Smallest glyph height searched, in the analysed plane's pixels. Below it too few pixels carry
 * each glyph, and text or texture of any kind reaches label-like scores (see bench/explicit).
 */
const MIN_DETECT_GLYPH = 9;

/** Ratio between neighbouring heights of the coarse ladder. */
const COARSE_STEP = 1.06;

/** Sparse-look score below which a place is not examined further: far under any real label's. */
const REFINE_FROM = 0.3;

/** Templates depend only on the glyphs, text and height: built once per process. */
const templateCache = new WeakMap<GlyphSet, Map<string, { layout: TextLayout; tpl: Template }>>();

function templateFor(glyphs: GlyphSet, text: string, g: number): { layout: TextLayout; tpl: Template } {
  let byKey = templateCache.get(glyphs);
  if (!byKey) templateCache.set(glyphs, (byKey = new Map()));
  const key = `${g.toFixed(2)}:${text}`;
  let hit = byKey.get(key);
  // Fractional heights make many keys over a long scan; start over rather than grow without bound.
  if (!hit && byKey.size > 4000) byKey.clear();
  if (!hit) {
    const layout = layoutText(glyphs, text, g);
    const coverage = rasterizeContours(layout.contours, layout.width, layout.height);
    hit = { layout, tpl: makeTemplate(coverage, layout, Math.max(1, Math.round(g * 0.15))) };
    byKey.set(key, hit);
  }
  return hit;
}

const offsetsByWidth = new WeakMap<Template, Map<number, Int32Array>>();

/** Template offsets re-expressed in the plane's row stride (kept per width: a scan sees few). */
function planeOffsets(tpl: Template, planeWidth: number): Int32Array {
  return memoPer(offsetsByWidth, tpl, planeWidth, () => tpl.at.map((i) => Math.floor(i / tpl.w) * planeWidth + (i % tpl.w)));
}

export function detectExplicitLabel(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  options: ExplicitImageDetectOptions = {},
): ExplicitImageDetection {
  if (rgba.length !== width * height * 4) {
    throw new AigcError('BAD_OPTION', `Expected ${width}x${height} RGBA (${width * height * 4} bytes), got ${rgba.length}.`);
  }
  const threshold = options.threshold ?? DEFAULT_EXPLICIT_IMAGE_THRESHOLD;
  const glyphs = options.glyphs ?? BUNDLED_GLYPHS;
  const k = Math.max(1, Math.floor(Math.min(width, height) / WORK_SIDE));
  const plane = lumaPlane(rgba, width, height, k);
  const short = Math.min(plane.w, plane.h);
  const minSeparation = options.minSeparation ?? DEFAULT_EXPLICIT_IMAGE_SEPARATION;
  const best = { rank: 0, score: 0, signed: 0, separation: 0, text: null as string | null, position: null as LabelPosition | null, box: null as Box | null };
  const gMin = Math.max(MIN_DETECT_GLYPH, MIN_HEIGHT_FRACTION * short * 0.95);
  const gMax = MAX_HEIGHT_FRACTION * short * 1.05 + 1;
  /** Where the template's support would start for a label of this layout at this position; null if it cannot fit. */
  const expected = (layout: TextLayout, tpl: Template, position: LabelPosition) => {
    try {
      const plate = plateBox(layout, position, plane.w, plane.h);
      return { x: plate.x + layout.pad - tpl.ring, y: plate.y + layout.pad - tpl.ring };
    } catch {
      return null;
    }
  };
  for (const text of options.texts ?? PRESET_EXPLICIT_TEXTS) {
    // Coarse: a ladder of heights, a sparse look on a 2-pixel grid around each expected place.
    const coarse = LABEL_POSITIONS.map(() => ({ r: 0, g: 0, dx: 0, dy: 0 }));
    for (let g = gMin; g <= gMax; g *= COARSE_STEP) {
      const { layout, tpl } = templateFor(glyphs, text, g);
      const rows = planeOffsets(tpl, plane.w);
      const slack = Math.max(2, Math.round(g * 0.1));
      LABEL_POSITIONS.forEach((position, p) => {
        const at = expected(layout, tpl, position);
        if (!at) return;
        for (let dy = -slack; dy <= slack; dy += 2) for (let dx = -slack; dx <= slack; dx += 2) {
          const r = correlate(plane, tpl, rows, at.x + dx, at.y + dy, 4);
          if (Math.abs(r) > Math.abs(coarse[p].r)) coarse[p] = { r, g, dx, dy };
        }
      });
    }
    // Fine: around each promising place, heights in 1.25% steps and every pixel nearby, full match.
    LABEL_POSITIONS.forEach((position, p) => {
      const c = coarse[p];
      if (Math.abs(c.r) < REFINE_FROM) return;
      let local = { r: 0, x: 0, y: 0, layout: null as TextLayout | null, tpl: null as Template | null, rows: null as Int32Array | null };
      for (let f = -4; f <= 4; f++) {
        const { layout, tpl } = templateFor(glyphs, text, c.g * (1 + f * 0.0125));
        const at = expected(layout, tpl, position);
        if (!at) continue;
        const rows = planeOffsets(tpl, plane.w);
        for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) {
          const x = at.x + c.dx + dx, y = at.y + c.dy + dy;
          const r = correlate(plane, tpl, rows, x, y);
          if (Math.abs(r) > Math.abs(local.r)) local = { r, x, y, layout, tpl, rows };
        }
      }
      if (!local.tpl || !local.layout || !local.rows) return;
      const sep = separation(plane, local.tpl, local.rows, local.x, local.y);
      // Both tests must pass; the candidate that passes them by the widest margin wins.
      const rank = Math.min(Math.abs(local.r) / threshold, sep / minSeparation);
      if (rank > best.rank) {
        Object.assign(best, {
          rank,
          score: Math.abs(local.r),
          signed: local.r,
          separation: sep,
          text,
          position,
          box: { x: (local.x + local.tpl.ring) * k, y: (local.y + local.tpl.ring) * k, width: local.layout.width * k, height: local.layout.height * k },
        });
      }
    });
  }
  const found = best.rank >= 1;
  return {
    found,
    score: Math.round(best.score * 1e4) / 1e4,
    separation: Math.round(best.separation * 100) / 100,
    text: found ? best.text : null,
    position: found ? best.position : null,
    box: found ? best.box : null,
    tone: found ? (best.signed > 0 ? 'light' : 'dark') : null,
  };
}
