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

export interface Plane {
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
    // Each output cell takes k pixels of this row in turn (no division per pixel), summed in single
    // precision pixel by pixel as the plane stores it.
    for (let cell = row; cell < row + w; cell++) {
      let sum = v[cell];
      for (let j = 0; j < k; j++, o += 4) sum = Math.fround(sum + (0.299 * rgba[o] + 0.587 * rgba[o + 1] + 0.114 * rgba[o + 2]));
      v[cell] = sum;
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
  /** The glyph coverage over the support's frame, and the halo's reach, from which zones() works. */
  sharpInk: Float32Array;
  halo: number;
}

function makeTemplate(coverage: Float32Array, layout: TextLayout, ring: number, halo: number): Template {
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
  let count = 0;
  for (let i = 0; i < near.length; i++) count += near[i];
  const at = new Int32Array(count);
  const t = new Float32Array(count);
  const glyph = new Uint8Array(count);
  for (let i = 0, n = 0; i < ink.length; i++) {
    if (near[i] === 0) continue;
    at[n] = i;
    t[n] = ink[i];
    glyph[n] = columnGlyph[i % w];
    n++;
  }
  return { w, h, ring, glyphCount: layout.glyphSpans.length, at, t, glyph, sharpInk, halo };
}

const zonesOf = new WeakMap<Template, Uint8Array>();

/**
 * Per support pixel: 1 inside a stroke, 2 just outside the glyphs (plate or outline), 0 between.
 * Only the best candidate of each position needs them, so they are worked out on first use.
 */
function zones(tpl: Template): Uint8Array {
  let zone = zonesOf.get(tpl);
  if (zone) return zone;
  const { sharpInk, w, h } = tpl;
  const halo = inkWithin(sharpInk, w, h, tpl.halo);
  const touching = inkWithin(sharpInk, w, h, 1);
  zone = new Uint8Array(tpl.at.length);
  for (let n = 0; n < zone.length; n++) {
    const i = tpl.at[n];
    zone[n] = sharpInk[i] >= 0.95 ? 1 : touching[i] === 0 && halo[i] !== 0 ? 2 : 0;
  }
  zonesOf.set(tpl, zone);
  return zone;
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

/**
 * A template as correlate reads it over one plane width: every step-th support pixel, grouped by
 * glyph (in support order within each glyph), with its offset in the plane's row stride; and the
 * template's own n, Σt and Σt² per glyph over those pixels.
 */
export interface Sampled {
  offsets: Int32Array;
  t: Float64Array;
  /** Where each glyph's pixels end in offsets and t. */
  ends: Int32Array;
  /** Per glyph: n, Σt, Σt². */
  sums: Float64Array;
}

/**
 * A template ready for the search over planes of one width: its support's extent, the sparse
 * (every 4th pixel) and full views, and the full view's zones (in its order) for the separation test.
 */
export interface TemplateViews {
  w: number;
  h: number;
  ring: number;
  coarse: Sampled;
  fine: Sampled;
  zones(): Uint8Array;
}

/** One label layout at one glyph height, as the template cache keeps it. */
export interface TemplateSpec {
  layout: TextLayout;
  /** Support ring around the ink, and the halo reach of zone 2, in pixels. */
  ring: number;
  halo: number;
}

/**
 * What the detector computes its planes and templates with: this file's TypeScript, or the WASM
 * core's kernels (src/explicit/image-kernels.ts), which give the same bits faster.
 */
export interface ExplicitEngine {
  plane(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number, k: number): Plane;
  views(spec: TemplateSpec, planeWidth: number): TemplateViews;
  /**
   * Per origin, the view's strongest correlation with the plane over the moves dy, dx =
   * -reach..reach in `step`s (dy outer, dx inner; the first of equals wins), and that move.
   */
  search(plane: Plane, tpl: TemplateViews, view: 'coarse' | 'fine', origins: readonly Origin[], reach: number, step: number): Match[];
}

export interface Origin {
  x: number;
  y: number;
}

export interface Match {
  r: number;
  dx: number;
  dy: number;
}

/** sampled() of a template, and for its full view the support index of each entry (to order the zones). */
const sampledBy = new WeakMap<Template, Map<number, Sampled & { index: Int32Array }>>();

function sampled(tpl: Template, planeWidth: number, step: number): Sampled & { index: Int32Array } {
  return memoPer(sampledBy, tpl, planeWidth * 8 + step, () => {
    const m = tpl.glyphCount;
    const ends = new Int32Array(m);
    for (let i = 0; i < tpl.t.length; i += step) ends[tpl.glyph[i]]++;
    for (let j = 1; j < m; j++) ends[j] += ends[j - 1];
    const fill = Int32Array.from({ length: m }, (_, j) => (j === 0 ? 0 : ends[j - 1]));
    const offsets = new Int32Array(m === 0 ? 0 : ends[m - 1]);
    const t = new Float64Array(offsets.length);
    const index = new Int32Array(offsets.length);
    const sums = new Float64Array(3 * m);
    for (let i = 0; i < tpl.t.length; i += step) {
      const j = tpl.glyph[i];
      const at = tpl.at[i];
      offsets[fill[j]] = Math.floor(at / tpl.w) * planeWidth + (at % tpl.w);
      index[fill[j]] = i;
      t[fill[j]++] = tpl.t[i];
      sums[3 * j] += 1;
      sums[3 * j + 1] += tpl.t[i];
      sums[3 * j + 2] += tpl.t[i] * tpl.t[i];
    }
    return { offsets, t, ends, sums, index };
  });
}

const templateOf = new WeakMap<TemplateSpec, Template>();

/** The TypeScript engine: the reference the WASM kernels are held to. */
export const TYPESCRIPT_ENGINE: ExplicitEngine = {
  plane: lumaPlane,
  search(plane, tpl, view, origins, reach, step) {
    return origins.map(({ x, y }) => {
      let best = { r: 0, dx: 0, dy: 0 };
      for (let dy = -reach; dy <= reach; dy += step) for (let dx = -reach; dx <= reach; dx += step) {
        const r = correlate(plane, tpl, tpl[view], x + dx, y + dy);
        if (Math.abs(r) > Math.abs(best.r)) best = { r, dx, dy };
      }
      return best;
    });
  },
  views(spec, planeWidth) {
    let tpl = templateOf.get(spec);
    if (!tpl) {
      const { layout, ring, halo } = spec;
      templateOf.set(spec, (tpl = makeTemplate(rasterizeContours(layout.contours, layout.width, layout.height), layout, ring, halo)));
    }
    const template = tpl;
    const fine = sampled(template, planeWidth, 1);
    return {
      w: template.w,
      h: template.h,
      ring: template.ring,
      coarse: sampled(template, planeWidth, 4),
      fine,
      zones: () => {
        const all = zones(template);
        return Uint8Array.from(fine.index, (i) => all[i]);
      },
    };
  },
};

/**
 * The weakest per-glyph Pearson correlation of the template with the plane at support top-left
 * (x, y), signed; 0 when the glyphs disagree in sign or a glyph's patch is flat. Every glyph must
 * match on its own, so a plate with other words that share a glyph or two scores low.
 * `view` samples every step-th support pixel when its step is over 1 (a cheap first look).
 */
function correlate(p: Plane, tpl: TemplateViews, view: Sampled, x: number, y: number): number {
  if (x < 0 || y < 0 || x + tpl.w > p.w || y + tpl.h > p.h) return 0;
  const base = y * p.w + x;
  const { offsets, t, ends, sums } = view;
  const v = p.v;
  let weakest = Infinity;
  let sign = 0;
  for (let j = 0, i = 0; j < ends.length; j++) {
    // Σv, Σv², Σtv over this glyph's pixels.
    let sv = 0, svv = 0, stv = 0;
    for (const end = ends[j]; i < end; i++) {
      const a = v[base + offsets[i]];
      sv += a;
      svv += a * a;
      stv += t[i] * a;
    }
    const n = sums[3 * j], st = sums[3 * j + 1], stt = sums[3 * j + 2];
    if (n < 4) continue;
    const varT = stt - (st * st) / n;
    const varV = svv - (sv * sv) / n;
    // A near-flat patch (under ~2 grey levels of spread) carries no text.
    if (varV < 4 * n || varT <= 0) return 0;
    const r = (stv - (st * sv) / n) / Math.sqrt(varT * varV);
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
function separation(p: Plane, tpl: TemplateViews, x: number, y: number): number {
  const base = y * p.w + x;
  const { offsets, ends } = tpl.fine;
  const zone = tpl.zones();
  let weakest = Infinity;
  for (let j = 0, i = 0; j < ends.length; j++) {
    // n, Σ, Σ² inside the strokes and just outside them.
    let ni = 0, si = 0, qi = 0, no = 0, so = 0, qo = 0;
    for (const end = ends[j]; i < end; i++) {
      const z = zone[i];
      if (z === 0) continue;
      const a = p.raw[base + offsets[i]];
      if (z === 1) {
        ni += 1;
        si += a;
        qi += a * a;
      } else {
        no += 1;
        so += a;
        qo += a * a;
      }
    }
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
  for (let y = 0; y < h; y++) {
    const edgeRow = y === 0 || y === h - 1;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (edgeRow || x === 0 || x === w - 1) {
        out[i] = edgeMean3(src, w, h, x, y);
        continue;
      }
      // Inside: the same nine terms in the same order as at the edges, without the bounds tests.
      const a = i - w, b = i + w;
      out[i] = (src[a - 1] + src[a] + src[a + 1] + src[i - 1] + src[i] + src[i + 1] + src[b - 1] + src[b] + src[b + 1]) / 9;
    }
  }
  return out;
}

function edgeMean3(src: Float32Array, w: number, h: number, x: number, y: number): number {
  let sum = 0, n = 0;
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
    const xx = x + dx, yy = y + dy;
    if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
      sum += src[yy * w + xx];
      n++;
    }
  }
  return sum / n;
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

/** Templates depend only on the glyphs, text and height: laid out once per process. */
const templateCache = new WeakMap<GlyphSet, Map<string, TemplateSpec>>();

function templateFor(glyphs: GlyphSet, text: string, g: number): TemplateSpec {
  let byKey = templateCache.get(glyphs);
  if (!byKey) templateCache.set(glyphs, (byKey = new Map()));
  const key = `${g.toFixed(2)}:${text}`;
  let hit = byKey.get(key);
  // Fractional heights make many keys over a long scan; start over rather than grow without bound.
  if (!hit && byKey.size > 4000) byKey.clear();
  if (!hit) {
    const layout = layoutText(glyphs, text, g);
    hit = { layout, ring: Math.max(1, Math.round(g * 0.15)), halo: Math.max(2, Math.round(layout.glyphHeight * 0.1)) };
    byKey.set(key, hit);
  }
  return hit;
}

const viewsBy = new WeakMap<TemplateSpec, Map<string, TemplateViews>>();
const engineIds = new WeakMap<ExplicitEngine, number>();
let engines = 0;

/** The template's views from `engine` over planes `planeWidth` wide (kept: a scan sees few widths). */
function viewsFor(engine: ExplicitEngine, spec: TemplateSpec, planeWidth: number): TemplateViews {
  if (!engineIds.has(engine)) engineIds.set(engine, engines++);
  return memoPer(viewsBy, spec, `${engineIds.get(engine)}:${planeWidth}`, () => engine.views(spec, planeWidth));
}

export function detectExplicitLabel(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  options: ExplicitImageDetectOptions = {},
): ExplicitImageDetection {
  return detectExplicitLabelWith(TYPESCRIPT_ENGINE, rgba, width, height, options);
}

/** detectExplicitLabel computed by `engine`: the same result from either. */
export function detectExplicitLabelWith(
  engine: ExplicitEngine,
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
  const plane = engine.plane(rgba, width, height, k);
  const short = Math.min(plane.w, plane.h);
  const minSeparation = options.minSeparation ?? DEFAULT_EXPLICIT_IMAGE_SEPARATION;
  const best = { rank: 0, score: 0, signed: 0, separation: 0, text: null as string | null, position: null as LabelPosition | null, box: null as Box | null };
  const gMin = Math.max(MIN_DETECT_GLYPH, MIN_HEIGHT_FRACTION * short * 0.95);
  const gMax = MAX_HEIGHT_FRACTION * short * 1.05 + 1;
  /** Where the template's support would start for a label of this layout at this position; null if it cannot fit. */
  const expected = (spec: TemplateSpec, position: LabelPosition) => {
    try {
      const plate = plateBox(spec.layout, position, plane.w, plane.h);
      return { x: plate.x + spec.layout.pad - spec.ring, y: plate.y + spec.layout.pad - spec.ring };
    } catch {
      return null;
    }
  };
  for (const text of options.texts ?? PRESET_EXPLICIT_TEXTS) {
    // Coarse: a ladder of heights, a sparse look on a 2-pixel grid around each expected place.
    const coarse = LABEL_POSITIONS.map(() => ({ r: 0, g: 0, dx: 0, dy: 0 }));
    for (let g = gMin; g <= gMax; g *= COARSE_STEP) {
      const spec = templateFor(glyphs, text, g);
      const slack = Math.max(2, Math.round(g * 0.1));
      const places = LABEL_POSITIONS.map((position) => expected(spec, position));
      const origins = places.filter((at): at is Origin => at !== null);
      if (origins.length === 0) continue;
      // Each place's best on this template replaces the best so far only if stronger (the earlier wins ties).
      const matches = engine.search(plane, viewsFor(engine, spec, plane.w), 'coarse', origins, slack, 2);
      let next = 0;
      places.forEach((at, p) => {
        if (!at) return;
        const { r, dx, dy } = matches[next++];
        if (Math.abs(r) > Math.abs(coarse[p].r)) coarse[p] = { r, g, dx, dy };
      });
    }
    // Fine: around each promising place, heights in 1.25% steps and every pixel nearby, full match.
    LABEL_POSITIONS.forEach((position, p) => {
      const c = coarse[p];
      if (Math.abs(c.r) < REFINE_FROM) return;
      let local = { r: 0, x: 0, y: 0, spec: null as TemplateSpec | null, tpl: null as TemplateViews | null };
      for (let f = -4; f <= 4; f++) {
        const spec = templateFor(glyphs, text, c.g * (1 + f * 0.0125));
        const at = expected(spec, position);
        if (!at) continue;
        const tpl = viewsFor(engine, spec, plane.w);
        const [{ r, dx, dy }] = engine.search(plane, tpl, 'fine', [{ x: at.x + c.dx, y: at.y + c.dy }], 2, 1);
        if (Math.abs(r) > Math.abs(local.r)) local = { r, x: at.x + c.dx + dx, y: at.y + c.dy + dy, spec, tpl };
      }
      if (!local.tpl || !local.spec) return;
      const sep = separation(plane, local.tpl, local.x, local.y);
      // Both tests must pass; the candidate that passes them by the widest margin wins.
      const rank = Math.min(Math.abs(local.r) / threshold, sep / minSeparation);
      if (rank > best.rank) {
        const { layout } = local.spec;
        Object.assign(best, {
          rank,
          score: Math.abs(local.r),
          signed: local.r,
          separation: sep,
          text,
          position,
          box: { x: (local.x + local.tpl.ring) * k, y: (local.y + local.tpl.ring) * k, width: layout.width * k, height: layout.height * k },
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
