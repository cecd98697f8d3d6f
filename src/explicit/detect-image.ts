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
  /** |correlation| of the best candidate, 0..1. */
  score: number;
  text: string | null;
  position: LabelPosition | null;
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
}

/** Chosen from the unlabelled-image bench (bench/explicit), well above the highest score seen there. */
export const DEFAULT_EXPLICIT_IMAGE_THRESHOLD = 0.6;
/** The detector works on luma shrunk by an integer factor, keeping the shortest side between this and twice this. */
const WORK_SIDE = 200;

interface Plane {
  v: Float32Array;
  w: number;
  h: number;
}

function lumaPlane(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number, k: number): Plane {
  const w = Math.floor(width / k), h = Math.floor(height / k);
  const v = new Float32Array(w * h);
  for (let y = 0; y < h * k; y++) {
    const row = Math.floor(y / k) * w;
    for (let x = 0; x < w * k; x++) {
      const o = (y * width + x) * 4;
      v[row + Math.floor(x / k)] += 0.299 * rgba[o] + 0.587 * rgba[o + 1] + 0.114 * rgba[o + 2];
    }
  }
  const area = k * k;
  for (let i = 0; i < v.length; i++) v[i] /= area;
  return { v: boxBlur3(v, w, h), w, h };
}

/**
 * The label as the detector sees it: the pixels of the glyphs and of a ring around them (the
 * plate or the outline), each with its mean-centred coverage. Pixels further from the glyphs
 * are left out, so a busy background between the letters does not dilute the match.
 */
interface Template {
  /** Extent of the support and the ink box's offset inside it. */
  w: number;
  h: number;
  ring: number;
  /** Offsets (y * w + x, in the support's frame) and template values of the support pixels. */
  at: Int32Array;
  t: Float32Array;
}

function makeTemplate(coverage: Float32Array, cw: number, ch: number, ring: number): Template {
  const w = cw + 2 * ring, h = ch + 2 * ring;
  const sharpInk = new Float32Array(w * h);
  for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) sharpInk[(y + ring) * w + x + ring] = coverage[y * cw + x];
  const ink = boxBlur3(sharpInk, w, h);
  const near = squareDilate(sharpInk, w, h, ring);
  const at: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < ink.length; i++) {
    if (near[i] > 0) {
      at.push(i);
      vals.push(ink[i]);
    }
  }
  const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
  return { w, h, ring, at: Int32Array.from(at), t: Float32Array.from(vals, (v) => v - mean) };
}

/**
 * Pearson correlation of the template with the plane at support top-left (x, y); 0 where the
 * patch is flat. `step` > 1 samples every step-th support pixel (a cheap first look).
 */
function correlate(p: Plane, tpl: Template, rows: Int32Array, x: number, y: number, step = 1): number {
  if (x < 0 || y < 0 || x + tpl.w > p.w || y + tpl.h > p.h) return 0;
  const base = y * p.w + x;
  const { t } = tpl;
  const v = p.v;
  let dot = 0, s1 = 0, s2 = 0, st = 0, stt = 0, n = 0;
  for (let i = 0; i < t.length; i += step) {
    const a = v[base + rows[i]];
    dot += t[i] * a;
    s1 += a;
    s2 += a * a;
    st += t[i];
    stt += t[i] * t[i];
    n++;
  }
  const varV = s2 - (s1 * s1) / n;
  // A near-flat patch (under ~2 grey levels of spread) carries no text.
  if (varV < 4 * n) return 0;
  const varT = stt - (st * st) / n;
  return (dot - (st * s1) / n) / Math.sqrt(varT * varV);
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

/** Max filter over a (2r+1)-square, separably. */
function squareDilate(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let m = 0;
    for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) m = Math.max(m, src[y * w + xx]);
    tmp[y * w + x] = m;
  }
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let m = 0;
    for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) m = Math.max(m, tmp[yy * w + x]);
    out[y * w + x] = m;
  }
  return out;
}

/** Sparse-look score below which a place is not examined further: far under any real label's. */
const REFINE_FROM = 0.3;

/** Templates depend only on the glyphs, text and height: built once per process. */
const templateCache = new WeakMap<GlyphSet, Map<string, { layout: TextLayout; tpl: Template }>>();

function templateFor(glyphs: GlyphSet, text: string, g: number): { layout: TextLayout; tpl: Template } {
  let byKey = templateCache.get(glyphs);
  if (!byKey) templateCache.set(glyphs, (byKey = new Map()));
  const key = `${g}:${text}`;
  let hit = byKey.get(key);
  if (!hit) {
    const layout = layoutText(glyphs, text, g);
    const coverage = rasterizeContours(layout.contours, layout.width, layout.height);
    hit = { layout, tpl: makeTemplate(coverage, layout.width, layout.height, Math.max(1, Math.round(g * 0.15))) };
    byKey.set(key, hit);
  }
  return hit;
}

/** Template offsets re-expressed in the plane's row stride. */
function planeOffsets(tpl: Template, planeWidth: number): Int32Array {
  return tpl.at.map((i) => Math.floor(i / tpl.w) * planeWidth + (i % tpl.w));
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
  const best: ExplicitImageDetection & { signed: number } = { found: false, score: 0, signed: 0, text: null, position: null, box: null, tone: null };
  const gMin = Math.max(6, Math.floor(MIN_HEIGHT_FRACTION * short * 0.95));
  const gMax = Math.ceil(MAX_HEIGHT_FRACTION * short * 1.05) + 1;
  for (const text of options.texts ?? PRESET_EXPLICIT_TEXTS) {
    for (let g = gMin; g <= gMax; g = Math.max(g + 1, Math.round(g * 1.07))) {
      const { layout, tpl } = templateFor(glyphs, text, g);
      const rows = planeOffsets(tpl, plane.w);
      const slack = Math.max(2, Math.round(g * 0.1));
      for (const position of LABEL_POSITIONS) {
        let plate: Box;
        try {
          plate = plateBox(layout, position, plane.w, plane.h);
        } catch {
          continue; // does not fit at this height
        }
        const x0 = plate.x + layout.pad - tpl.ring, y0 = plate.y + layout.pad - tpl.ring;
        // A sparse look on a 2-pixel grid; only a promising place gets the full match around its best.
        let coarse = { r: 0, x: x0, y: y0 };
        for (let dy = -slack; dy <= slack; dy += 2) for (let dx = -slack; dx <= slack; dx += 2) {
          const r = correlate(plane, tpl, rows, x0 + dx, y0 + dy, 4);
          if (Math.abs(r) > Math.abs(coarse.r)) coarse = { r, x: x0 + dx, y: y0 + dy };
        }
        if (Math.abs(coarse.r) < REFINE_FROM) continue;
        let local = { r: 0, x: x0, y: y0 };
        for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
          const r = correlate(plane, tpl, rows, coarse.x + dx, coarse.y + dy);
          if (Math.abs(r) > Math.abs(local.r)) local = { r, x: coarse.x + dx, y: coarse.y + dy };
        }
        if (Math.abs(local.r) > best.score) {
          Object.assign(best, {
            score: Math.abs(local.r),
            signed: local.r,
            text,
            position,
            box: { x: (local.x + tpl.ring) * k, y: (local.y + tpl.ring) * k, width: layout.width * k, height: layout.height * k },
          });
        }
      }
    }
  }
  const found = best.score >= threshold;
  return {
    found,
    score: Math.round(best.score * 1e4) / 1e4,
    text: found ? best.text : null,
    position: found ? best.position : null,
    box: found ? best.box : null,
    tone: found ? (best.signed > 0 ? 'light' : 'dark') : null,
  };
}
