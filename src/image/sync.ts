import { SLOT } from '../wasm/slots.js';
import { TILE_PIXELS } from './limits.js';
import { GEOMETRY } from './tuning.js';
import type { Workspace } from './workspace.js';

/** A scale and rotation the image went through (angle in radians, image coordinates, modulo 90°). */
export interface Geometry {
  scale: number;
  angle: number;
}

interface Peak {
  x: number;
  y: number;
  value: number;
}

/**
 * The tile repeats every 128 px, so the autocorrelation of the whitened image peaks
 * on a square lattice: its spacing is 128·scale and its axes are turned by the
 * rotation. Returns up to GEOMETRY.hypotheses readings, strongest first, leaving out
 * the identity (already searched) and lattices too weak to stand out of the noise.
 */
export function estimateGeometry(ws: Workspace, width: number, height: number): Geometry[] {
  const n = windowSize(Math.min(width, height));
  if (n === 0) return [];
  const { core, k } = ws;
  const e = core.exports;
  const bytes = n * n * 4;
  // The search planes are free again; the pixel slot is not needed after luma.
  const re = e.scratch(SLOT.imagePlaneB, bytes);
  const im = e.scratch(SLOT.imagePlaneC, bytes);
  const tmp = e.scratch(SLOT.imagePixels, bytes);
  const acc = e.scratch(SLOT.imageCellsB, n * 4);
  k.autocorrelate(ws.z, ws.weights, width, (width - n) >> 1, (height - n) >> 1, n, re, im, tmp, acc);
  const acf = core.f32(re, n * n).slice();
  const at = (x: number, y: number) => acf[(((y % n) + n) % n) * n + (((x % n) + n) % n)];

  // Host texture makes the autocorrelation fall off with distance: judge each lag
  // against the mean and spread of its own ring, so far lattice peaks count as much as near ones.
  const rMin = TILE_PIXELS * GEOMETRY.minScale;
  const rMax = Math.min(TILE_PIXELS * GEOMETRY.maxScale, n / 2 - 2);
  const rings = Math.ceil(rMax) + 2;
  const ringSum = new Float64Array(rings);
  const ringSq = new Float64Array(rings);
  const ringCount = new Float64Array(rings);
  for (let y = 0; y <= rMax + 1; y++) {
    for (let x = -Math.ceil(rMax) - 1; x <= rMax + 1; x++) {
      const r = Math.round(Math.hypot(x, y));
      if (r >= rings) continue;
      const v = at(x, y);
      ringSum[r] += v;
      ringSq[r] += v * v;
      ringCount[r]++;
    }
  }
  const zScore = (x: number, y: number) => {
    const r = Math.min(rings - 1, Math.round(Math.hypot(x, y)));
    const mean = ringSum[r] / ringCount[r];
    const sd = Math.sqrt(Math.max(ringSq[r] / ringCount[r] - mean * mean, 1e-30));
    return (at(x, y) - mean) / sd;
  };
  const peaks: Peak[] = [];
  for (let y = 0; y <= rMax; y++) {
    for (let x = -Math.floor(rMax); x <= rMax; x++) {
      const r = Math.hypot(x, y);
      if (r < rMin || r > rMax || (y === 0 && x < 0)) continue;
      const v = at(x, y);
      if (v > at(x + 1, y) && v >= at(x - 1, y) && v > at(x, y + 1) && v >= at(x, y - 1)) peaks.push({ x, y, value: zScore(x, y) });
    }
  }
  peaks.sort((p, q) => q.value - p.value);

  // A lattice shows its first axis v, the second axis v turned by 90°, and the harmonic
  // 2v. Every lattice point passes that test, so readings that are points of another,
  // finer reading's lattice (2v, v+w, ...) are dropped; the rest rank by strength.
  const readings: (Geometry & { strength: number; length: number })[] = [];
  for (const p of peaks.slice(0, GEOMETRY.peaksTried)) {
    const v1 = refine(at, p.x, p.y);
    const v2 = refine(at, -p.y, p.x);
    const length = (Math.hypot(v1.x, v1.y) + Math.hypot(v2.x, v2.y)) / 2;
    const checks = [p.value, zScore(Math.round(v2.x), Math.round(v2.y))];
    if (2 * length <= n / 2 - 2) checks.push(zScore(Math.round(2 * v1.x), Math.round(2 * v1.y)));
    const strength = Math.min(...checks);
    if (strength < GEOMETRY.minStrength) continue;
    const scale = length / TILE_PIXELS;
    const angle = foldQuarter(Math.atan2(v1.y, v1.x));
    if (readings.some((g) => Math.abs(g.scale - scale) < 0.01 && Math.abs(g.angle - angle) < 0.01)) continue;
    readings.push({ scale, angle, strength, length });
  }
  // R is another point of Q's lattice when its coordinates in Q's axes are integers.
  const isHarmonic = (r: { length: number; angle: number }) =>
    readings.some((q) => {
      if (q.length >= r.length * 0.99) return false;
      const along = (r.length / q.length) * Math.cos(r.angle - q.angle);
      const across = (r.length / q.length) * Math.sin(r.angle - q.angle);
      return Math.abs(along - Math.round(along)) < 0.08 && Math.abs(across - Math.round(across)) < 0.08;
    });
  return readings
    .filter((g) => !isHarmonic(g))
    .sort((a, b) => b.strength - a.strength)
    .filter((g) => !(Math.abs(g.scale - 1) < 0.004 && Math.abs(g.angle) < 0.003)) // identity: already searched
    .slice(0, GEOMETRY.hypotheses)
    .map(({ scale, angle }) => ({ scale, angle }));
}

/** The largest power-of-two window that fits: 512 (a 1024 window finds no more and costs 6× as much) or 256. */
function windowSize(side: number): number {
  for (const n of [512, 256]) if (side >= n) return n;
  return 0;
}

/** Sub-pixel peak position by a parabola through the neighbours on each axis. */
function refine(at: (x: number, y: number) => number, x: number, y: number): { x: number; y: number } {
  const cx = Math.round(x);
  const cy = Math.round(y);
  const offset = (minus: number, centre: number, plus: number) => {
    const curvature = minus - 2 * centre + plus;
    return curvature < 0 ? Math.max(-0.5, Math.min(0.5, (minus - plus) / (2 * curvature))) : 0;
  };
  return {
    x: cx + offset(at(cx - 1, cy), at(cx, cy), at(cx + 1, cy)),
    y: cy + offset(at(cx, cy - 1), at(cx, cy), at(cx, cy + 1)),
  };
}

/** The lattice looks the same every 90°: keep the angle in (−45°, 45°]; the orientation search does the rest. */
function foldQuarter(angle: number): number {
  const quarter = Math.PI / 2;
  let a = angle % quarter;
  if (a > quarter / 2) a -= quarter;
  if (a <= -quarter / 2) a += quarter;
  return a;
}
