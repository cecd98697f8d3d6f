import { falsePositiveChance } from '../payload/false-positive.js';
import { resolveKey, type WatermarkKey } from '../payload/key.js';
import { decodePayload, encodePayload, PAYLOAD_BITS, type WatermarkPayload } from '../payload/payload.js';
import { codedBitErrors, decodeChannel, encodeChannel } from '../wasm/channel-code.js';
import { getCore } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import { checkMaxPixels, checkOptions } from '../validate.js';
import { TILE_PIXELS } from './limits.js';
import { estimateGeometry, type Geometry, type LatticeReach } from './sync.js';
import { detectWorkingLayer } from './working-size.js';
import { AGREEMENT_GATE, CANDIDATES, GEOMETRY, PHASE_STEP, SCORE_BITS, SEARCH_KEEP, WHITEN } from './tuning.js';
import { cellPlaneBytes, CODED_BITS, openWorkspace, type Workspace } from './workspace.js';

export interface ImageDetectOptions {
  key?: Uint8Array | null;
  maxPixels?: number;
  /** For benches and audits: the payload you embedded, so the result can count raw bit errors against it. */
  expect?: WatermarkPayload;
}

export interface ImageDetection {
  found: boolean;
  payload: WatermarkPayload | null;
  /** ρ: correlation of the soft bits with the decoded codeword (≈0.56 on unmarked images, near 1 when clean). */
  score: number;
  /** Coded-bit sign errors against the decoded codeword (of 306), for the best candidate. */
  bitErrors: number;
  /** With `options.expect`: coded-bit sign errors against that payload's codeword (raw bit accuracy, honest on failures too). */
  expectedBitErrors?: number;
  /** Alignment peak over the background (≈1 when nothing is there). */
  syncStrength: number;
  /** Alignments decoded; each costs 2^-32 of false-positive budget. */
  candidates: number;
  /**
   * Calibrated confidence: the chance that an unmarked image gives a result this strong
   * (this ρ, over this many decodes, and with a payload found, the 32-bit check code too).
   * About 1e-20 or less for a clean find; near 1 when nothing is there.
   */
  falsePositiveChance: number;
  /** Where the tile grid sits in this image, in pixels. */
  offset: { x: number; y: number } | null;
  /** The flip or quarter turn the image had undergone, as found by the detector. */
  orientation: OrientationName | null;
  /** Scale and rotation the detector undid to find the mark (absent when none was needed). */
  geometry?: Geometry;
  /**
   * Which layer was read: the native tile, or the working-size layer (after a downscale; its
   * offset, orientation and geometry are then in working-size pixels, docs/algorithms.md).
   */
  layer?: 'tile' | 'working-size';
}

/** The 8 symmetries of the square, by orientCoefficients' bit code (1 mirror x, 2 mirror y, 4 transpose). */
export const ORIENTATION_NAMES = [
  'none', 'flip-horizontal', 'flip-vertical', 'turn-180', 'transpose', 'turn-90', 'turn-270', 'transverse',
] as const;
export type OrientationName = (typeof ORIENTATION_NAMES)[number];
const ORIENTATIONS = [0, 1, 2, 3, 4, 5, 6, 7];
const WARP_MAX_SIDE = 1024;

export async function detectImage(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  options: ImageDetectOptions = {},
): Promise<ImageDetection> {
  const checked = checkOptions(options, ['key', 'maxPixels', 'expect'], 'detectImage');
  const key = resolveKey(checked.key);
  const maxPixels = checkMaxPixels(checked.maxPixels);
  const core = await getCore();
  const expected = checked.expect ? encodeChannel(core, encodePayload(checked.expect, key), PAYLOAD_BITS) : null;
  // The native tile first: it reads crops, flips and rotations at full resolution. A platform's
  // downscale or a thumbnail leaves only the working-size layer, read after it.
  const ws = openWorkspace(core, rgba, width, height, key, maxPixels);
  const tile = detectTile(ws, key, expected, maxPixels);
  if (tile.found) return calibrated({ ...tile, layer: 'tile' });
  const working = detectWorkingLayer(ws, key, expected, maxPixels);
  const candidates = tile.candidates + working.candidates;
  if (working.found) return calibrated({ ...working, candidates });
  return calibrated({ ...(working.score > tile.score ? working : tile), candidates });
}

/** The native-scale tile: at the origin, then over all offsets and orientations, then after undoing the lattice's scale and rotation. */
function detectTile(ws: Workspace, key: WatermarkKey, expected: Uint8Array | null, maxPixels: number): ImageDetection {
  const { width, height } = ws;
  const direct = searchPlane(ws, key, expected, ws.y, width, height, { x: 0, y: 0 });
  if (direct.found) return direct;
  // The plainly whitened plane serves twice. First, one more reading at the origin: the box
  // and the edge-preserving host models fail on different images (illustrations under JPEG
  // q50 read better without host removal, text under brightness or noise only with it).
  whitenPlane(ws, ws.y, width, height, WHITEN.syncHostRadius, WHITEN.syncHostStep);
  const plain = decodeFoldedAt(ws, key, expected, { x: 0, y: 0 }, width, height);
  const candidates = direct.candidates + 1;
  if (plain.found) return { ...plain, candidates };
  // Then the lattice: read scale and rotation off it, undo them, search again.
  const warped = searchGeometries(ws, key, expected, maxPixels, GEOMETRY.hypotheses, CANDIDATES);
  if (warped.found) return warped;
  return { ...[direct, plain, warped].reduce((a, b) => (b.score > a.score ? b : a)), found: false, payload: null, candidates: candidates + warped.candidates };
}

/**
 * Reads scale and rotation off the tile lattice of the plainly whitened plane in ws.z (see
 * estimateGeometry), undoes the strongest `hypotheses` readings and searches each again,
 * decoding `candidates` blind alignments besides the likely origin. With `ranked` >
 * `hypotheses`, that many readings are undone first and ordered by the strongest blind
 * alignment each shows (payload-free, so it costs no false-positive budget): a host's own
 * periodic texture or a diagonal of the tile lattice can out-rank the true lattice, but only
 * the true geometry puts the keyed chips back where the fold reads them.
 */
export function searchGeometries(ws: Workspace, key: WatermarkKey, expected: Uint8Array | null, maxPixels: number, hypotheses: number, candidates: number, reach?: LatticeReach, ranked = hypotheses): ImageDetection {
  let readings = estimateGeometry(ws, ws.width, ws.height, reach, Math.max(hypotheses, ranked));
  if (readings.length > hypotheses) {
    const strength = new Map(readings.map((g) => [g, blindStrengthAfter(ws, g, maxPixels)]));
    readings = readings.sort((a, b) => strength.get(b)! - strength.get(a)!);
  }
  let decoded = 0;
  let best: ImageDetection | null = null;
  for (const geometry of readings.slice(0, hypotheses)) {
    const warped = warpLuma(ws, geometry, maxPixels);
    if (!warped) continue;
    const result = searchPlane(ws, key, expected, warped.plane, warped.width, warped.height, warped.origin, candidates);
    decoded += result.candidates;
    if (result.found) return { ...result, candidates: decoded, geometry };
    if (!best || result.score > best.score) best = result;
  }
  return { ...(best ?? NOTHING_READ), found: false, payload: null, candidates: decoded };
}

/** The strongest blind alignment of the luma once `g` is undone (−∞ if it cannot be): nothing is decoded. */
function blindStrengthAfter(ws: Workspace, g: Geometry, maxPixels: number): number {
  const warped = warpLuma(ws, g, maxPixels);
  if (!warped) return -Infinity;
  whitenPlane(ws, warped.plane, warped.width, warped.height, WHITEN.hostRadius, WHITEN.hostStep);
  foldUnturned(ws, warped.width, warped.height);
  const alignments = rankAlignments(ws, 1);
  return alignments.length ? alignments[0].strength : -Infinity;
}

export const NOTHING_READ: ImageDetection = { found: false, payload: null, score: 0, bitErrors: 0, syncStrength: 0, candidates: 0, falsePositiveChance: 1, offset: null, orientation: null };

const calibrated = (r: ImageDetection): ImageDetection => ({ ...r, falsePositiveChance: falsePositiveChance(r.score, r.candidates, r.found) });

/** Host removal, whitening and the fold of one luma plane into aux.folded (see whitenPlane). */
export function whitenAndFold(ws: Workspace, y: number, width: number, height: number): void {
  whitenPlane(ws, y, width, height, WHITEN.hostRadius, WHITEN.hostStep);
  ws.k.foldTiles(ws.z, width, height, ws.weights, ws.aux.folded, WHITEN.clip);
}

/** Folds the whitened plane in ws.z, builds its block table (unturned in aux.foldCoefs) and decodes with the tile origin at `origin`. */
function decodeFoldedAt(ws: Workspace, key: WatermarkKey, expected: Uint8Array | null, origin: { x: number; y: number }, width: number, height: number): ImageDetection {
  foldUnturned(ws, width, height);
  return decodeAt(ws, key, expected, alignmentAt(origin), ws.aux.foldCoefs);
}

/** Folds the whitened plane in ws.z and builds its block table, unturned, in aux.foldCoefs. */
function foldUnturned(ws: Workspace, width: number, height: number): void {
  const { k, aux } = ws;
  k.foldTiles(ws.z, width, height, ws.weights, aux.folded, WHITEN.clip);
  k.blockCoefficients(aux.folded, aux.foldCoefs, aux.padded);
}

/**
 * The block table of the last fold in any orientation. Orientation 0 is aux.foldCoefs itself
 * (the identity relabels nothing, so the values are the same); the others are relabelled
 * into aux.coefs, which keeps the last one made. Made afresh after each fold.
 */
function orientedTables(ws: Workspace): { table(o: number): number; readonly held: number } {
  const { k, aux } = ws;
  let held = -1;
  return {
    get held() {
      return held;
    },
    table(o: number): number {
      if (o === 0) return aux.foldCoefs;
      if (o !== held) k.orientCoefficients(aux.foldCoefs, aux.coefs, o);
      held = o;
      return aux.coefs;
    },
  };
}

/**
 * Coded-bit sign errors of the soft bits read off luma plane `y` with the tile grid at the
 * origin, unturned, against `coded`: the embedder's own check of how well a mark stands out of
 * its host before any attack.
 */
export function originBitErrors(ws: Workspace, y: number, coded: Uint8Array): number {
  const { k, aux, width, height } = ws;
  whitenPlane(ws, y, width, height, WHITEN.hostRadius, WHITEN.hostStep);
  foldUnturned(ws, width, height);
  const origin = alignmentAt({ x: 0, y: 0 });
  k.softBits(aux.foldCoefs, origin.phase, origin.shift, aux.slotBit, aux.slotSign, CODED_BITS, aux.soft);
  return codedBitErrors(ws.core.f32(aux.soft, CODED_BITS), coded);
}

/**
 * Whitens one luma plane into ws.z, with its cell weights in ws.weights. With hostRadius > 0,
 * the edge-preserving host mean is subtracted first: best for reading chips, but it also
 * takes away part of a rescaled mark's longer waves, so the lattice estimate (which wants
 * every period it can get) reads the plainly whitened plane.
 */
export function whitenPlane(ws: Workspace, y: number, width: number, height: number, hostRadius: number, hostStep: number): void {
  const { core, k } = ws;
  const e = core.exports;
  const n = width * height;
  const z = e.scratch(SLOT.imagePlaneA, n * 4);
  const a = e.scratch(SLOT.imagePlaneB, n * 4);
  const b = e.scratch(SLOT.imagePlaneC, n * 4);
  const cellBytes = cellPlaneBytes(width, height);
  const weights = e.scratch(SLOT.imageCellsA, 2 * cellBytes);
  const acc = e.scratch(SLOT.imageCellsB, width * 4);
  let source = y;
  if (hostRadius > 0) {
    source = e.scratch(SLOT.imagePlaneD, n * 4);
    k.rangeResidual(y, width, height, source, z, a, hostRadius, hostStep, WHITEN.hostTau);
  }
  k.whiten(source, width, height, z, a, b, weights, weights + cellBytes, acc, WHITEN.floor, WHITEN.small, WHITEN.large, WHITEN.smoothKnee, WHITEN.weightBlur);
  ws.z = z;
  ws.weights = weights;
}

/**
 * Whitens and folds one luma plane, then decodes the grid where it most likely sits
 * (`likely`: the tile origin, in pixels, if the image was only ever scaled or turned
 * about its centre) and the `candidates` best alignments over all offsets and orientations.
 */
export function searchPlane(ws: Workspace, key: WatermarkKey, expected: Uint8Array | null, y: number, width: number, height: number, likely: { x: number; y: number }, candidates = CANDIDATES): ImageDetection {
  whitenPlane(ws, y, width, height, WHITEN.hostRadius, WHITEN.hostStep);
  // Fast path: an unflipped, uncropped image keeps the grid where the embedder put it.
  // A weak mark decodes there even when the blind search ranks other alignments higher.
  const aligned = decodeFoldedAt(ws, key, expected, likely, width, height);
  let decoded = 1;
  if (aligned.found) return { ...aligned, candidates: decoded };
  let strongest: ImageDetection = aligned;
  const tables = orientedTables(ws);
  const alignments = rankAlignments(ws, candidates, tables);
  for (const alignment of alignments) {
    const result = decodeAt(ws, key, expected, alignment, tables.table(alignment.orientation));
    decoded++;
    if (result.found) return { ...result, candidates: decoded };
    if (result.score > strongest.score) strongest = result;
  }
  return { ...strongest, candidates: decoded };
}

/**
 * The `count` strongest blind alignments of the block table in aux.foldCoefs, over all offsets
 * and the 8 orientations: a coarse score on SCORE_BITS coded bits, then the best SEARCH_KEEP
 * rescored with every chip, reading each orientation off `tables` (aux.coefs is left in some orientation).
 */
function rankAlignments(ws: Workspace, count: number, tables = orientedTables(ws)): Alignment[] {
  const { core, k, aux } = ws;
  // Each flip or quarter turn is a relabelling of the one block table the fold built.
  k.resetAlignments(aux.best, SEARCH_KEEP);
  for (const o of ORIENTATIONS) {
    k.searchAlignment(tables.table(o), aux.slotBit, aux.slotSign, CODED_BITS, aux.soft, aux.best, SEARCH_KEEP, PHASE_STEP, o, SCORE_BITS, aux.list);
  }
  const tags = Array.from(core.i32(aux.best, SEARCH_KEEP * 4).filter((_, i) => i % 4 === 3));
  // Each orientation's entries are rescored alone, so the one still held goes first.
  const held = tables.held;
  for (const o of [...new Set(tags)].sort((a, b) => Number(b === held) - Number(a === held))) {
    k.refineAlignments(tables.table(o), aux.slotBit, aux.slotSign, CODED_BITS, aux.soft, aux.best, SEARCH_KEEP, o, aux.list);
  }
  // Only the `count` best after rescoring with every chip are decoded (the false-positive budget).
  const best = core.f32(aux.best, SEARCH_KEEP * 4);
  const bestInt = core.i32(aux.best, SEARCH_KEEP * 4);
  return Array.from({ length: SEARCH_KEEP }, (_, i) => ({
    strength: best[i * 4],
    phase: bestInt[i * 4 + 1],
    shift: bestInt[i * 4 + 2],
    orientation: bestInt[i * 4 + 3],
  }))
    .sort((x, y) => y.strength - x.strength)
    .slice(0, count);
}

/**
 * The luma plane resampled so the tile lattice is 128 px and axis-aligned again, keeping
 * the central WARP_MAX_SIDE² at most (64 tiles fold plenty of signal); null if too large.
 * `origin`: where the tile grid lands if the scaling or turn was about the image centre
 * (a resize, or a rotation kept in its frame), as it usually is.
 */
function warpLuma(ws: Workspace, g: Geometry, maxPixels: number): { plane: number; width: number; height: number; origin: { x: number; y: number } } | null {
  const fullWidth = ws.width / g.scale;
  const fullHeight = ws.height / g.scale;
  const width = Math.min(WARP_MAX_SIDE, Math.round(fullWidth));
  const height = Math.min(WARP_MAX_SIDE, Math.round(fullHeight));
  if (width * height > maxPixels || width < TILE_PIXELS || height < TILE_PIXELS) return null;
  // The image was scaled by s and turned by θ: sample it at s·R(θ)·p for each output pixel p.
  const cos = g.scale * Math.cos(g.angle);
  const sin = g.scale * Math.sin(g.angle);
  const plane = ws.core.exports.scratch(SLOT.imageWarp, width * height * 4);
  ws.k.warpLuma(ws.y, ws.width, ws.height, plane, width, height, cos, -sin, sin, cos);
  const onTile = (v: number) => ((Math.round(v) % TILE_PIXELS) + TILE_PIXELS) % TILE_PIXELS;
  return { plane, width, height, origin: { x: onTile((width - fullWidth) / 2), y: onTile((height - fullHeight) / 2) } };
}

interface Alignment {
  strength: number;
  phase: number;
  shift: number;
  /** Index into ORIENTATION_NAMES: which flip or quarter turn maps the image back onto the mark. */
  orientation: number;
}

/** Decodes at `alignment` off `coefs`, the block table in that alignment's orientation. */
function decodeAt(ws: Workspace, key: WatermarkKey, expected: Uint8Array | null, alignment: Alignment, coefs: number): ImageDetection {
  const { core, k, aux } = ws;
  k.softBits(coefs, alignment.phase, alignment.shift, aux.slotBit, aux.slotSign, CODED_BITS, aux.soft);
  const soft = core.f32(aux.soft, CODED_BITS).slice();
  const decoded = decodeChannel(core, soft, PAYLOAD_BITS);
  const payload = decodePayload(decoded.payload, key);
  const found = payload !== null && decoded.agreement >= AGREEMENT_GATE;
  return {
    found,
    payload: found ? payload : null,
    score: decoded.agreement,
    bitErrors: decoded.codedBitErrors,
    syncStrength: alignment.strength,
    candidates: 1,
    falsePositiveChance: 1, // set once the whole search is counted
    offset: found ? gridOffset(alignment.phase, alignment.shift) : null,
    orientation: found ? ORIENTATION_NAMES[alignment.orientation] : null,
    ...(expected && { expectedBitErrors: codedBitErrors(soft, expected) }),
  };
}

/** The (phase, shift) alignment that puts the tile origin at this pixel offset, unturned. */
function alignmentAt(offset: { x: number; y: number }): Alignment {
  const blocks = TILE_PIXELS / 8;
  return { strength: 0, phase: (offset.y & 7) * 8 + (offset.x & 7), shift: (offset.y >> 3) * blocks + (offset.x >> 3), orientation: 0 };
}

/** Pixel offset of the tile origin implied by a (phase, shift) alignment. */
function gridOffset(phase: number, shift: number): { x: number; y: number } {
  const blocks = TILE_PIXELS / 8;
  return {
    x: ((shift % blocks) * 8 + (phase & 7)) % TILE_PIXELS,
    y: (Math.floor(shift / blocks) * 8 + (phase >> 3)) % TILE_PIXELS,
  };
}
