import { SLOT } from '../wasm/slots.js';
import { TILE_PIXELS } from './limits.js';
import { GEOMETRY, WHITEN } from './tuning.js';
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
  // The central window, at most 512 px a side, zero-padded to a power of two.
  const dw = Math.min(width, MAX_WINDOW);
  const dh = Math.min(height, MAX_WINDOW);
  const side = Math.min(dw, dh);
  if (side < MIN_WINDOW) return [];
  const n = nextPowerOfTwo(Math.max(dw, dh));
  const { core, k } = ws;
  const e = core.exports;
  const bytes = n * n * 4;
  // The search planes are free again; the pixel slot is not needed after luma.
  const re = e.scratch(SLOT.imagePlaneB, bytes);
  const im = e.scratch(SLOT.imagePlaneC, bytes);
  const tmp = e.scratch(SLOT.imagePixels, bytes);
  const acc = e.scratch(SLOT.imageCellsB, n * 4);
  k.autocorrelate(ws.z, ws.weights, width, (width - dw) >> 1, (height - dh) >> 1, dw, dh, WHITEN.clip, n, re, im, tmp, acc);
  const acf = core.f32(re, n * n);

  // The lags within reach, copied out of the circular layout into a (2E+1)² plane
  // centred on lag (0, 0), with each lag's ring.
  const rMin = TILE_PIXELS * GEOMETRY.minScale;
  const rMax = Math.min(TILE_PIXELS * GEOMETRY.maxScale, side / 2 - 2);
  const reach = Math.ceil(rMax) + 2;
  const stride = 2 * reach + 1;
  const lagValue = new Float32Array(stride * stride);
  const rings = reach + 1;
  const lagRing = ringTable(reach);
  for (let y = -reach; y <= reach; y++) {
    const row = ((y + n) % n) * n;
    const i = (y + reach) * stride + reach;
    for (let x = -reach; x < 0; x++) lagValue[i + x] = acf[row + n + x];
    for (let x = 0; x <= reach; x++) lagValue[i + x] = acf[row + x];
  }
  const index = (x: number, y: number) => (Math.max(-reach, Math.min(reach, y)) + reach) * stride + Math.max(-reach, Math.min(reach, x)) + reach;
  const at = (x: number, y: number) => lagValue[index(x, y)];

  // Host texture makes the autocorrelation fall off with distance: judge each lag
  // against the mean and spread of its own ring, so far lattice peaks count as much as near ones.
  const ringSum = new Float64Array(rings);
  const ringSq = new Float64Array(rings);
  const ringCount = new Float64Array(rings);
  for (let i = 0; i < lagValue.length; i++) {
    ringSum[lagRing[i]] += lagValue[i];
    ringSq[lagRing[i]] += lagValue[i] * lagValue[i];
    ringCount[lagRing[i]]++;
  }
  const lagZ = new Float32Array(lagValue.length);
  for (let i = 0; i < lagValue.length; i++) {
    const r = lagRing[i];
    const mean = ringSum[r] / ringCount[r];
    lagZ[i] = (lagValue[i] - mean) / Math.sqrt(Math.max(ringSq[r] / ringCount[r] - mean * mean, 1e-30));
  }
  const zScore = (x: number, y: number) => lagZ[index(x, y)];
  const peaks: Peak[] = [];
  for (let y = 0; y <= rMax; y++) {
    for (let x = -Math.floor(rMax); x <= rMax; x++) {
      const r2 = x * x + y * y;
      if (r2 < rMin * rMin || r2 > rMax * rMax || (y === 0 && x < 0)) continue;
      const i = (y + reach) * stride + x + reach;
      const v = lagValue[i];
      if (lagZ[i] >= GEOMETRY.minPeak && v > lagValue[i + 1] && v >= lagValue[i - 1] && v > lagValue[i + stride] && v >= lagValue[i - stride]) peaks.push({ x, y, value: lagZ[i] });
    }
  }
  peaks.sort((p, q) => q.value - p.value);

  // Bilinear z-score at a fractional lag.
  const zAt = (x: number, y: number) => {
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    const top = zScore(x0, y0) * (1 - fx) + zScore(x0 + 1, y0) * fx;
    return top * (1 - fy) + (zScore(x0, y0 + 1) * (1 - fx) + zScore(x0 + 1, y0 + 1) * fx) * fy;
  };
  // The lattice points k·v + l·v⊥ (v⊥: v turned by 90°) inside the searched radius, one of each ± pair.
  const latticePoints = (v: { x: number; y: number }) => {
    const points: { k: number; l: number; x: number; y: number }[] = [];
    const reach = Math.floor(rMax / Math.hypot(v.x, v.y));
    for (let k = -reach; k <= reach; k++) {
      for (let l = 0; l <= reach; l++) {
        if (l === 0 && k <= 0) continue;
        const x = k * v.x - l * v.y;
        const y = k * v.y + l * v.x;
        if (Math.hypot(x, y) <= rMax) points.push({ k, l, x, y });
      }
    }
    return points;
  };
  // Least-squares axis through the sub-pixel peaks found near the predicted lattice points:
  // the far points pin the scale and angle down much tighter than the first peak alone.
  const fitAxis = (v: { x: number; y: number }) => {
    let sx = 0;
    let sy = 0;
    let norm = 0;
    for (const { k, l, x, y } of latticePoints(v)) {
      let bx = Math.round(x);
      let by = Math.round(y);
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (at(Math.round(x) + dx, Math.round(y) + dy) > at(bx, by)) [bx, by] = [Math.round(x) + dx, Math.round(y) + dy];
      const weight = zScore(bx, by);
      if (weight < 2) continue;
      const o = refine(at, bx, by);
      sx += weight * (k * o.x + l * o.y);
      sy += weight * (k * o.y - l * o.x);
      norm += weight * (k * k + l * l);
    }
    return norm > 0 ? { x: sx / norm, y: sy / norm } : v;
  };
  // A real lattice lifts every one of its points: the summed z-score over all of them,
  // scaled by √count, is about N(0, 1) for noise and grows with every harmonic the window holds.
  const latticeStrength = (v: { x: number; y: number }) => {
    const points = latticePoints(v);
    let sum = 0;
    for (const { x, y } of points) sum += zAt(x, y);
    return points.length > 0 ? sum / Math.sqrt(points.length) : 0;
  };

  // Each strong peak is tried as the lattice's first axis, and so are the finer lattices
  // it could be a point of (half of it, and half the diagonal it may be): the first peak
  // found is often a diagonal or a second harmonic. Readings that are points of another,
  // finer reading's lattice are dropped below; the rest rank by strength.
  const readings: (Geometry & { strength: number; length: number; axis: { x: number; y: number } })[] = [];
  for (const p of peaks.slice(0, GEOMETRY.peaksTried)) {
    const a = fitAxis(refine(at, p.x, p.y));
    const finer = [a, { x: a.x / 2, y: a.y / 2 }, { x: (a.x - a.y) / 2, y: (a.y + a.x) / 2 }, { x: (a.x + a.y) / 2, y: (a.y - a.x) / 2 }];
    for (const guess of finer) {
      const length = Math.hypot(guess.x, guess.y);
      if (length < rMin) continue;
      const axis = fitAxis(guess);
      const strength = latticeStrength(axis);
      if (strength < GEOMETRY.minStrength) continue;
      const scale = Math.hypot(axis.x, axis.y) / TILE_PIXELS;
      const angle = foldQuarter(Math.atan2(axis.y, axis.x));
      if (readings.some((g) => Math.abs(g.scale - scale) < 0.01 && Math.abs(g.angle - angle) < 0.01)) continue;
      readings.push({ scale, angle, strength, length: scale * TILE_PIXELS, axis });
    }
  }
  // R is a harmonic of Q when it lies within a couple of pixels of a point of Q's lattice.
  // The transform is circular, so R may also hold the lag one window (n px) away on
  // either axis, where the window still overlaps itself. A finer lattice Q only explains
  // R away if Q's own points, those off R's lattice, stand about as high as R's: the
  // tile's layout lifts the half-tile lags too, but far less than the tile's own.
  const onLattice = (q: (typeof readings)[number], x: number, y: number) => {
    const q2 = q.length * q.length;
    const along = (x * q.axis.x + y * q.axis.y) / q2;
    const across = (y * q.axis.x - x * q.axis.y) / q2;
    return Math.hypot(along - Math.round(along), across - Math.round(across)) * q.length < HARMONIC_TOLERANCE_PX;
  };
  const aliases = ({ x, y }: { x: number; y: number }) =>
    [x, x - Math.sign(x) * n].filter((ax) => Math.abs(ax) < dw).flatMap((ax) => [y, y - Math.sign(y) * n].filter((ay) => Math.abs(ay) < dh).map((ay) => [ax, ay]));
  const meanZ = (points: { x: number; y: number }[]) => (points.length > 0 ? points.reduce((sum, p) => sum + zAt(p.x, p.y), 0) / points.length : 0);
  const isHarmonic = (r: (typeof readings)[number]) =>
    readings.some((q) => {
      if (q.length >= r.length * 0.99 || !aliases(r.axis).some(([x, y]) => onLattice(q, x, y))) return false;
      const ownPoints = latticePoints(q.axis).filter((p) => !onLattice(r, p.x, p.y));
      return meanZ(ownPoints) >= FINER_LATTICE_SHARE * meanZ(latticePoints(r.axis));
    });
  return readings
    .filter((g) => !isHarmonic(g))
    .sort((a, b) => b.strength - a.strength)
    .filter((g) => !(Math.abs(g.scale - 1) < 0.004 && Math.abs(g.angle) < 0.003)) // identity: already searched
    .slice(0, GEOMETRY.hypotheses)
    .map(({ scale, angle }) => ({ scale, angle }));
}

/** Ring (rounded radius, at most `reach`) of every lag in a (2·reach+1)² plane centred on (0, 0); cached per reach. */
const ringTables = new Map<number, Int32Array>();
function ringTable(reach: number): Int32Array {
  let table = ringTables.get(reach);
  if (table) return table;
  const stride = 2 * reach + 1;
  table = new Int32Array(stride * stride);
  for (let y = -reach; y <= reach; y++) {
    for (let x = -reach; x <= reach; x++) table[(y + reach) * stride + x + reach] = Math.min(reach, Math.round(Math.sqrt(x * x + y * y)));
  }
  ringTables.set(reach, table);
  return table;
}

const HARMONIC_TOLERANCE_PX = 2.5;
const FINER_LATTICE_SHARE = 0.5;
const MAX_WINDOW = 512; // a 1024 window finds no more and costs 6× as much
const MIN_WINDOW = 160; // a side must hold more than one tile at the smallest scale searched

function nextPowerOfTwo(v: number): number {
  let n = 1;
  while (n < v) n *= 2;
  return n;
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
