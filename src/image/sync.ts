import { SLOT } from '../wasm/slots.js';
import { LagPlane, type Lag } from './lag-plane.js';
import { fitAxis, latticePoints, latticeStrength, meanZ, onLattice } from './lattice.js';
import { TILE_PIXELS } from './limits.js';
import { GEOMETRY } from './tuning.js';
import type { Workspace } from './workspace.js';

/** A scale and rotation the image went through (angle in radians, image coordinates, modulo 90°). */
export interface Geometry {
  scale: number;
  angle: number;
}

interface Reading extends Geometry {
  axis: Lag;
  length: number;
  strength: number;
}

/** Which lattices a search reads: tile spacings (× 128 px), and how far out its lags reach. */
export interface LatticeReach {
  minScale: number;
  maxScale: number;
  /** Longest lag read, as a share of the window's short side (the overlap left shrinks with it). */
  lagShare: number;
  /** Turn (radians) scanned at every scale besides the two lines of likely edits: a crop and a small turn together. */
  scanAngle?: number;
}
const NATIVE_REACH: LatticeReach = { minScale: GEOMETRY.minScale, maxScale: GEOMETRY.maxScale, lagShare: 0.5 };

const MAX_WINDOW = 512; // a 1024 window finds no more and costs 6× as much
const MIN_WINDOW = 160; // a side must hold more than one tile at the smallest scale searched
/** Windows per side, 8 ms each at 1080p: in 144 hard geometry trials one window read 108, two 114, four (2 per side) 118. */
const WINDOWS_PER_AXIS = 2;
const WINDOW_SPACING = 0.75; // a second window on an axis once the image is 1.5 windows long
const HARMONIC_TOLERANCE_PX = 2.5;
const ALIAS_MIN_OVERLAP = 0.2; // share of the window an alias lag still overlaps
const FINER_LATTICE_SHARE = 0.5;
const RANK_POINTS = 4;
/** The scan of likely edits: relative step of scale (and radians of angle), the angle range, how many are refitted. */
const SCAN_STEP = 0.004;
const SCAN_MAX_ANGLE = (10.5 * Math.PI) / 180;
const SCAN_TRIED = 4;
const SCAN_SHORTLIST = 0.75; // unrefined points sit up to a pixel off their peaks

/**
 * The tile repeats every 128 px, so the autocorrelation of the whitened image peaks
 * on a square lattice: its spacing is 128·scale and its axes are turned by the
 * rotation. Returns up to `limit` readings, strongest first, leaving out
 * the identity (already searched) and lattices too weak to stand out of the noise.
 */
export function estimateGeometry(ws: Workspace, width: number, height: number, reach: LatticeReach = NATIVE_REACH, limit = GEOMETRY.hypotheses): Geometry[] {
  // Windows of at most 512 px a side (see windowStarts), zero-padded to a power of two.
  const dw = Math.min(width, MAX_WINDOW);
  const dh = Math.min(height, MAX_WINDOW);
  const side = Math.min(dw, dh);
  if (side < MIN_WINDOW) return [];
  const n = nextPowerOfTwo(Math.max(dw, dh));
  const { core, k } = ws;
  const e = core.exports;
  const bytes = n * n * 4;
  // The search planes are free again.
  const re = e.scratch(SLOT.imagePlaneB, bytes);
  const im = e.scratch(SLOT.imagePlaneC, bytes);
  const tmp = e.scratch(SLOT.imageSyncTmp, bytes);
  const acc = e.scratch(SLOT.imageCellsB, n * 4);
  const power = e.scratch(SLOT.imagePlaneD, bytes);
  core.f32(power, n * n).fill(0);
  const windows = windowCorners(width, height, dw, dh);
  // Two windows to a transform (addPowerSpectra): half the FFTs for the same summed spectrum.
  for (let i = 0; i < windows.length; i += 2) {
    const a = windows[i];
    const b = windows[i + 1] ?? { x: -1, y: -1 };
    k.addPowerSpectra(ws.z, ws.weights, width, a.x, a.y, b.x, b.y, dw, dh, GEOMETRY.clip, n, power, re, im, tmp);
  }
  k.flattenedAutocorrelation(power, n, re, im, tmp, acc);
  // Summing k spectra divides the noise by √k but leaves the host's own periodic structure
  // (fabric, brickwork, text lines) as it was, so its z-scores grow by √k. The threshold grows
  // by k^¼: the mark's lattice still gains, and unmarked photos gain no spurious readings.
  const minStrength = GEOMETRY.minStrength * Math.pow(windows.length, 0.25);

  const rMin = TILE_PIXELS * reach.minScale;
  const rMax = Math.min(TILE_PIXELS * reach.maxScale, side * reach.lagShare - 2);
  const plane = new LagPlane(core.f32(re, n * n), n, Math.ceil(rMax) + 2);
  const readings = readLattices(plane, rMin, rMax, minStrength, reach.scanAngle ?? 0);

  // The transform is circular: a lag also holds the lag one window (n px) away on either
  // axis, where the window still overlaps itself. Only aliases whose overlap is a real share of
  // the window count: one with a few px of overlap lands on some finer lattice by chance, and
  // made a true reading look like a harmonic of a spurious one.
  const overlap = (a: Lag) => (1 - Math.abs(a.x) / dw) * (1 - Math.abs(a.y) / dh);
  const aliases = ({ x, y }: Lag) =>
    [x, x - Math.sign(x) * n]
      .flatMap((ax) => [y, y - Math.sign(y) * n].map((ay) => ({ x: ax, y: ay })))
      .filter((a) => Math.abs(a.x) < dw && Math.abs(a.y) < dh && overlap(a) >= ALIAS_MIN_OVERLAP);
  // R is a harmonic of a finer reading Q when R (or its alias) lies on Q's lattice, and
  // Q's own points, those off R's lattice, stand at least half as high as R's: the tile's
  // layout lifts the half-tile lags too, but far less than the tile's own.
  const isHarmonic = (r: Reading) =>
    readings.some((q) => {
      if (q.length >= r.length * 0.99 || !aliases(r.axis).some((a) => onLattice(q.axis, a.x, a.y, HARMONIC_TOLERANCE_PX))) return false;
      const ownPoints = latticePoints(q.axis, rMax).filter((p) => !onLattice(r.axis, p.x, p.y, HARMONIC_TOLERANCE_PX));
      return meanZ(plane, ownPoints) >= FINER_LATTICE_SHARE * meanZ(plane, latticePoints(r.axis, rMax));
    });
  // Rank by the mean z-score, credited for at most RANK_POINTS points: pooling every
  // point favours fine lattices of middling peaks (the tile's half and third lattices, or
  // a host grid) over the tile's own, whose few points stand far higher.
  const rank = (r: Reading) => {
    const points = latticePoints(r.axis, rMax);
    return meanZ(plane, points) * Math.sqrt(Math.min(points.length, RANK_POINTS));
  };
  return readings
    .filter((g) => !isHarmonic(g))
    .sort((a, b) => rank(b) - rank(a))
    .filter((g) => !(Math.abs(g.scale - 1) < 0.004 && Math.abs(g.angle) < 0.003)) // identity: already searched
    .slice(0, limit)
    .map(({ scale, angle }) => ({ scale, angle }));
}

/**
 * Each strong peak is tried as the lattice's first axis, and so are the finer lattices it
 * could be a point of (half of it, and half the diagonal it may be): the first peak found
 * is often a diagonal or a second harmonic. The best axes of the likely-edit scan are
 * tried too. Every lattice that stands out is returned once.
 */
function readLattices(plane: LagPlane, rMin: number, rMax: number, minStrength: number, scanAngle: number): Reading[] {
  const readings: Reading[] = [];
  const fromPeaks = plane.peaks(rMin, rMax, GEOMETRY.minPeak).slice(0, GEOMETRY.peaksTried).flatMap((peak) => {
    const a = fitAxis(plane, plane.refine(peak.x, peak.y), rMax);
    return [a, { x: a.x / 2, y: a.y / 2 }, { x: (a.x - a.y) / 2, y: (a.y + a.x) / 2 }, { x: (a.x + a.y) / 2, y: (a.y - a.x) / 2 }];
  });
  for (const guess of [...fromPeaks, ...likelyEdits(plane, rMin, rMax, minStrength, scanAngle)]) {
    if (Math.hypot(guess.x, guess.y) < rMin) continue;
    const axis = fitAxis(plane, guess, rMax);
    const strength = latticeStrength(plane, axis, rMax);
    if (strength < minStrength) continue;
    const length = Math.hypot(axis.x, axis.y);
    const scale = length / TILE_PIXELS;
    const angle = foldQuarter(Math.atan2(axis.y, axis.x));
    if (readings.some((g) => Math.abs(g.scale - scale) < 0.01 && Math.abs(g.angle - angle) < 0.01)) continue;
    readings.push({ scale, angle, strength, length, axis });
  }
  return readings;
}

/**
 * A plain resize or a small turn is what images mostly go through, and a weak lattice may
 * have no single peak high enough to be tried as an axis. So scan those two lines of the
 * (scale, angle) plane finely: scale alone at angle 0, angle alone (±10°) at scale 1, scored
 * by the pooled z-score on the predicted points; the best few are refitted as axis guesses.
 */
function likelyEdits(plane: LagPlane, rMin: number, rMax: number, minStrength: number, scanAngle: number): Lag[] {
  const axes: Lag[] = [];
  for (let length = rMin; length <= rMax; length *= 1 + SCAN_STEP) {
    for (let angle = -scanAngle; angle <= scanAngle + 1e-9; angle += SCAN_STEP) axes.push({ x: length * Math.cos(angle), y: length * Math.sin(angle) });
  }
  for (let angle = -SCAN_MAX_ANGLE; angle <= SCAN_MAX_ANGLE; angle += SCAN_STEP) axes.push({ x: TILE_PIXELS * Math.cos(angle), y: TILE_PIXELS * Math.sin(angle) });
  return axes
    .map((axis) => ({ axis, strength: latticeStrength(plane, axis, rMax) }))
    .filter((c) => c.strength >= minStrength * SCAN_SHORTLIST)
    .sort((p, q) => q.strength - p.strength)
    .slice(0, SCAN_TRIED)
    .map((c) => fitAxis(plane, c.axis, rMax));
}

/** The corners of the windows whose spectra are summed (up to WINDOWS_PER_AXIS² = 4): more of the image's tiles then feed the lattice estimate. */
function windowCorners(width: number, height: number, dw: number, dh: number): { x: number; y: number }[] {
  const across = windowStarts(width, dw);
  return windowStarts(height, dh).flatMap((y) => across.map((x) => ({ x, y })));
}

/** Where the windows of one axis start: the central one if the image is not much longer than a window, else WINDOWS_PER_AXIS spread from edge to edge. */
function windowStarts(length: number, window: number): number[] {
  const count = Math.min(WINDOWS_PER_AXIS, Math.max(1, Math.floor(length / (WINDOW_SPACING * window))));
  if (count === 1) return [(length - window) >> 1];
  return Array.from({ length: count }, (_, i) => Math.round((i * (length - window)) / (count - 1)));
}

function nextPowerOfTwo(v: number): number {
  let n = 1;
  while (n < v) n *= 2;
  return n;
}

/** The lattice looks the same every 90°: keep the angle in (−45°, 45°]; the orientation search does the rest. */
function foldQuarter(angle: number): number {
  const quarter = Math.PI / 2;
  let a = angle % quarter;
  if (a > quarter / 2) a -= quarter;
  if (a <= -quarter / 2) a += quarter;
  return a;
}
