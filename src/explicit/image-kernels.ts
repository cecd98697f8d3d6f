// The explicit image label detector's planes and templates computed by the WASM core
// (assembly/explicit.ts). The kernels repeat the TypeScript engine in detect-image.ts step for
// step, so the detector reports the same bits either way; they only spare a one-shot process the
// time its JavaScript takes to warm up. The search itself stays in detect-image.ts.
import type { Core } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import { layoutRegions } from '../wasm/sub-alloc.js';
import type { GlyphOutline } from './glyphs.js';
import type { ExplicitEngine, Match, Plane, Sampled, TemplateSpec, TemplateViews } from './detect-image.js';

/** The kernels of assembly/explicit.ts, typed (pointers are byte offsets). */
interface ExplicitKernels {
  explicitLumaRows(pix: number, width: number, k: number, raw: number, cellFrom: number, cellTo: number): void;
  explicitBlur(src: number, out: number, w: number, h: number): void;
  explicitGlyphContours(path: number, length: number, scale: number, x0: number, baseline: number, points: number, ends: number, counts: number): number;
  explicitRasterize(points: number, ends: number, contours: number, width: number, height: number, acc: number, coverage: number): void;
  explicitTemplate(
    coverage: number, cw: number, ch: number, ring: number, halo: number, spans: number, m: number, planeWidth: number, work: number,
    offsets1: number, t1: number, zone1: number, ends1: number, sums1: number,
    offsets4: number, t4: number, ends4: number, sums4: number,
  ): number;
  explicitSearch(
    v: number, pw: number, ph: number, offsets: number, t: number, ends: number, m: number, sums: number, tw: number, th: number,
    origins: number, count: number, reach: number, step: number, out: number,
  ): void;
}

const engines = new WeakMap<Core, ExplicitEngine>();

/** A glyph's command list as the contour kernel reads it, and the most points and contours it can make. */
const pathOf = new WeakMap<GlyphOutline, { path: Float64Array; maxPoints: number; maxContours: number }>();

function glyphPath(outline: GlyphOutline): { path: Float64Array; maxPoints: number; maxContours: number } {
  let entry = pathOf.get(outline);
  if (!entry) {
    // A line or a move adds one point, a curve at most 64 (glyphs.ts caps its pieces there).
    const { path } = outline;
    let maxPoints = 0, maxContours = 0;
    for (let i = 0; i < path.length; i += 1 + ARGS[path[i]]) {
      maxPoints += path[i] === 2 || path[i] === 3 ? 64 : 1;
      if (path[i] === 0) maxContours++;
    }
    pathOf.set(outline, (entry = { path: Float64Array.from(path), maxPoints, maxContours }));
  }
  return entry;
}

/** Numbers after each command of a glyph path. */
const ARGS: Record<number, number> = { 0: 2, 1: 2, 2: 4, 3: 6, 4: 0 };

/** Rows of the shrunk luma per call of the luma kernel. */
const LUMA_BAND = 16;

/** The detector's engine on this core (one per core). */
export function explicitEngine(core: Core): ExplicitEngine {
  let engine = engines.get(core);
  if (!engine) engines.set(core, (engine = makeEngine(core)));
  return engine;
}

function makeEngine(core: Core): ExplicitEngine {
  const e = core.exports;
  const k = e as unknown as ExplicitKernels;
  const memory = () => e.memory.buffer;
  // The plane the last plane() call left in the core, so searches over it need not copy it in.
  let resident: { plane: Plane; v: number } | null = null;
  return {
    plane(rgba, width, height, factor): Plane {
      if (!(Number.isInteger(factor) && factor >= 1 && width >= factor && height >= factor && rgba.length === width * height * 4)) {
        throw new RangeError(`explicit luma: ${width}x${height} RGBA of ${rgba.length} bytes cannot shrink by ${factor}`);
      }
      const w = Math.floor(width / factor), h = Math.floor(height / factor);
      // The pixels go where the watermark pipeline copies them (it keeps nothing there between
      // calls): an inspection that has just read the watermark finds the slot sized already.
      const pix = e.scratch(SLOT.imagePixels, rgba.length);
      const { offsets, total } = layoutRegions({ raw: w * h * 4, v: w * h * 4 });
      const base = e.scratch(SLOT.explicitPlane, total);
      new Uint8Array(memory(), pix, rgba.length).set(rgba);
      // In bands: the core's first-tier code runs a long loop several times slower than the
      // optimised code V8 swaps in between calls once a function has proved hot.
      for (let row = 0; row < h; row += LUMA_BAND) k.explicitLumaRows(pix, width, factor, base + offsets.raw, row, Math.min(h, row + LUMA_BAND));
      k.explicitBlur(base + offsets.raw, base + offsets.v, w, h);
      // Copied out as well, for the separation test (the planes are small).
      const plane = { raw: new Float32Array(memory(), base + offsets.raw, w * h).slice(), v: new Float32Array(memory(), base + offsets.v, w * h).slice(), w, h };
      resident = { plane, v: base + offsets.v };
      return plane;
    },

    search(plane, tpl, which, origins, reach, step): Match[] {
      const view = tpl[which];
      const m = view.ends.length;
      if (!(m >= 1 && step >= 1 && reach >= 0 && plane.v.length === plane.w * plane.h)) throw new RangeError('explicit search: bad template view or plane');
      const inCore = resident?.plane === plane;
      const { offsets: at, total } = layoutRegions({
        plane: inCore ? 0 : plane.v.length * 4,
        offsets: view.offsets.length * 4,
        t: view.t.length * 8,
        ends: m * 4,
        sums: m * 24,
        origins: origins.length * 8,
        out: origins.length * 24,
      });
      // The template's slot: its views were copied out when built, so it is free between builds.
      const base = e.scratch(SLOT.explicitTemplate, total);
      const buffer = memory();
      if (!inCore) new Float32Array(buffer, base + at.plane, plane.v.length).set(plane.v);
      new Int32Array(buffer, base + at.offsets, view.offsets.length).set(view.offsets);
      new Float64Array(buffer, base + at.t, view.t.length).set(view.t);
      new Int32Array(buffer, base + at.ends, m).set(view.ends);
      new Float64Array(buffer, base + at.sums, 3 * m).set(view.sums);
      const xy = new Int32Array(buffer, base + at.origins, origins.length * 2);
      origins.forEach((o, i) => {
        xy[2 * i] = o.x;
        xy[2 * i + 1] = o.y;
      });
      const v = inCore ? resident!.v : base + at.plane;
      k.explicitSearch(v, plane.w, plane.h, base + at.offsets, base + at.t, base + at.ends, m, base + at.sums, tpl.w, tpl.h, base + at.origins, origins.length, reach, step, base + at.out);
      const out = new Float64Array(buffer, base + at.out, origins.length * 3);
      return origins.map((_, i) => ({ r: out[3 * i], dx: out[3 * i + 1], dy: out[3 * i + 2] }));
    },

    views(spec: TemplateSpec, planeWidth: number): TemplateViews {
      const { layout, ring, halo } = spec;
      const cw = layout.width, ch = layout.height, m = layout.glyphSpans.length;
      if (!(cw >= 1 && ch >= 1 && ring >= 1 && m >= 1 && m <= 255)) throw new RangeError(`explicit template: a ${cw}x${ch} layout of ${m} glyphs cannot be templated`);
      const w = cw + 2 * ring, h = ch + 2 * ring, area = w * h;
      const paths = layout.placements.map((p) => glyphPath(p.outline));
      const { offsets: at, total } = layoutRegions({
        paths: paths.reduce((n, p) => n + p.path.length, 0) * 8,
        counts: 8,
        points: paths.reduce((n, p) => n + p.maxPoints, 0) * 16,
        ends: paths.reduce((n, p) => n + p.maxContours, 0) * 4,
        acc: ((cw + 2) * ch + 2) * 8,
        coverage: cw * ch * 4,
        spans: m * 16,
        work: 12 * area + 4 * (Math.max(w, h) + 1) + w + 4 * m,
        offsets1: area * 4,
        t1: area * 8,
        zone1: area,
        ends1: m * 4,
        sums1: m * 24,
        offsets4: area * 4,
        t4: area * 8,
        ends4: m * 4,
        sums4: m * 24,
      });
      const base = e.scratch(SLOT.explicitTemplate, total);
      const buffer = memory();
      // The glyphs' contours, flattened in the core as glyphContours does it, then their coverage.
      const counts = new Int32Array(buffer, base + at.counts, 2);
      counts.fill(0);
      let pathAt = base + at.paths;
      layout.placements.forEach((p, i) => {
        new Float64Array(buffer, pathAt, paths[i].path.length).set(paths[i].path);
        if (k.explicitGlyphContours(pathAt, paths[i].path.length, layout.scale, p.x0, layout.baseline, base + at.points, base + at.ends, base + at.counts) !== 0) {
          throw new Error('bad glyph path op');
        }
        pathAt += paths[i].path.length * 8;
      });
      new Float64Array(buffer, base + at.spans, m * 2).set(layout.glyphSpans.flat());
      k.explicitRasterize(base + at.points, base + at.ends, counts[1], cw, ch, base + at.acc, base + at.coverage);
      const count = k.explicitTemplate(
        base + at.coverage, cw, ch, ring, halo, base + at.spans, m, planeWidth, base + at.work,
        base + at.offsets1, base + at.t1, base + at.zone1, base + at.ends1, base + at.sums1,
        base + at.offsets4, base + at.t4, base + at.ends4, base + at.sums4,
      );
      const view = (offsets: number, t: number, endsAt: number, sums: number): Sampled => {
        const glyphEnds = new Int32Array(buffer, base + endsAt, m).slice();
        const length = glyphEnds[m - 1];
        if (!(length <= count && count <= area)) throw new RangeError(`explicit template: ${length} of ${count} support pixels in a ${w}x${h} frame`);
        return {
          offsets: new Int32Array(buffer, base + offsets, length).slice(),
          t: new Float64Array(buffer, base + t, length).slice(),
          ends: glyphEnds,
          sums: new Float64Array(buffer, base + sums, 3 * m).slice(),
        };
      };
      const fine = view(at.offsets1, at.t1, at.ends1, at.sums1);
      const zones = new Uint8Array(buffer, base + at.zone1, fine.offsets.length).slice();
      return { w, h, ring, coarse: view(at.offsets4, at.t4, at.ends4, at.sums4), fine, zones: () => zones };
    },
  };
}
