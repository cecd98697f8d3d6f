import type { WatermarkKey } from '../payload/key.js';
import { NOTHING_READ, originBitErrors, searchGeometries, searchPlane, whitenPlane, type ImageDetection } from './detect.js';
import { planCodedMark } from './embed.js';
import { TILE_PIXELS } from './limits.js';
import { resizePlaneInCore } from './resample-core.js';
import { SLOT } from '../wasm/slots.js';
import { WHITEN, WORKING } from './tuning.js';
import { openLumaWorkspace, type Workspace } from './workspace.js';

/**
 * The working-size layer. A platform serves a 4,000 px render at 1,080, 720 or 256 px: a tile of
 * 128 native pixels shrinks to 35, 23 or 8 px and its 8 px chips are averaged away. So the
 * same mark is also computed at a size tied to the image, a long side of WORKING.longSide px,
 * upsampled and added at full size: after any downscale that keeps the frame, resizing the
 * suspect to that long side puts the layer back where it was computed, and the native
 * detector reads it there. Its upsampled chips are smooth, many pixels wide, which is also
 * why butteraugli charges little for them.
 *
 * The layer uses its own keyed slot map, so its chips never correlate with the native tile's
 * (an image near 2× the working size would otherwise read one as the other).
 */

/** The working size for an image of this size: its long side at WORKING.longSide, the aspect kept. */
export function workingSize(width: number, height: number): { width: number; height: number } {
  const scale = WORKING.longSide / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Whether an image this size carries the working-size layer when marked. */
export function carriesWorkingLayer(width: number, height: number): boolean {
  const small = workingSize(width, height);
  return Math.max(width, height) >= WORKING.minImageLongSide && Math.min(small.width, small.height) >= TILE_PIXELS;
}

/** The key of the working-size layer: the same MAC, a seed of its own. */
export function workingKey(key: WatermarkKey): WatermarkKey {
  return { ...key, seed: [(key.seed[0] ^ 0x9e3779b9) >>> 0, key.seed[1]] };
}

/** The working-size layer of one image, computed at the working size. */
export interface WorkingLayer {
  /** ΔY per working-size pixel, gain and `strength` applied. */
  delta: Float32Array;
  width: number;
  height: number;
  /** The gain chosen (WORKING.gains): above the first, the host's texture hides a stronger layer. */
  gain: number;
}

/**
 * The working-size layer of an image that carries it (carriesWorkingLayer), from the full-size
 * luma in `full` (a workspace over the image). The gain is the first of WORKING.gains at which
 * the layer, read back off the marked working-size luma before any attack, has at most
 * WORKING.cleanBitErrors coded-bit errors: a busy host (a painting, foliage) drowns the layer
 * at the working size, and the same texture hides a stronger one. `full` keeps its pixels, luma
 * and slot map; its search planes are reused.
 */
export function workingLayer(full: Workspace, key: WatermarkKey, coded: Uint8Array, strength: number, maxPixels: number): WorkingLayer {
  const small = workingSize(full.width, full.height);
  const n = small.width * small.height;
  const luma = shrinkPlane(full, full.y, small);
  const ws = openLumaWorkspace(full.core, luma, small.width, small.height, workingKey(key), maxPixels);
  const { core, k } = ws;
  const plan = planCodedMark(ws, coded, strength, WORKING.psnrFloorDb);
  // The unit layer and the host go into the core through a search plane, which each check below
  // overwrites, so they are copied in afresh before each use.
  const unitAt = () => core.exports.scratch(SLOT.imagePlaneD, 2 * n * 4);
  k.markDelta(small.width, small.height, ws.aux.tile, plan.mask, plan.alpha, unitAt());
  const unit = core.f32(unitAt(), n).slice();
  // A resize down from full size undoes the upsampling, so the check reads host + gain · unit.
  const gain =
    WORKING.gains.find((g) => {
      const at = unitAt();
      core.f32(at, n).set(unit);
      core.f32(at + n * 4, n).set(luma);
      k.addScaledPlane(ws.y, at + n * 4, at, g, n);
      return originBitErrors(ws, ws.y, coded) <= WORKING.cleanBitErrors;
    }) ?? WORKING.gains[WORKING.gains.length - 1];
  const at = unitAt();
  core.f32(at, n).set(unit);
  k.scalePlane(at, n, gain);
  return { delta: core.f32(at, n).slice(), width: small.width, height: small.height, gain };
}

/**
 * The layer upsampled to the full size of `ws` (open over the image), in the core, into the
 * full-size f32 plane at `into`; returns `into`.
 */
export function upsampleLayer(ws: Workspace, layer: WorkingLayer, into: number): number {
  const e = ws.core.exports;
  const src = e.scratch(SLOT.imagePlaneC, layer.delta.length * 4);
  ws.core.f32(src, layer.delta.length).set(layer.delta);
  const tmp = e.scratch(SLOT.imagePlaneD, ws.width * layer.height * 4);
  resizePlaneInCore(ws, src, layer.width, layer.height, tmp, into, ws.width, ws.height);
  return into;
}

/** A full-size plane of `ws` resized to the working size, copied out of the core. */
function shrinkPlane(ws: Workspace, plane: number, small: { width: number; height: number }): Float32Array {
  const e = ws.core.exports;
  const tmp = e.scratch(SLOT.imagePlaneB, ws.width * small.height * 4);
  const dst = e.scratch(SLOT.imagePlaneC, small.width * small.height * 4);
  resizePlaneInCore(ws, plane, ws.width, ws.height, tmp, dst, small.width, small.height);
  return ws.core.f32(dst, small.width * small.height).slice();
}

/**
 * The plane the layer is read off: WORKING.chroma.detectWeights · (R, G, B) of the image's pixels
 * (in a search plane the native search has finished with), or luma for a suspect too small to keep
 * the blue–yellow part and for a workspace without pixels.
 */
function detectionPlane(full: Workspace): number {
  if (full.pix === 0 || Math.max(full.width, full.height) < WORKING.chroma.minSuspectLongSide) return full.y;
  const n = full.width * full.height;
  const plane = full.core.exports.scratch(SLOT.imagePlaneA, n * 4);
  const [wr, wg, wb] = WORKING.chroma.detectWeights;
  full.k.rgbaToPlane(full.pix, n, plane, wr, wg, wb);
  return plane;
}

/**
 * Looks for the working-size layer (`full`: the native search's workspace, whose luma is
 * still in place): the suspect resized to the working size, then the native
 * search there (origin, blind alignments and orientations, one lattice reading for a crop or
 * a turn). Decodes at most 1 + WORKING.candidates + WORKING.hypotheses · (1 + WORKING.geometryCandidates).
 */
export function detectWorkingLayer(full: Workspace, key: WatermarkKey, expected: Uint8Array | null, maxPixels: number): ImageDetection {
  const { width, height } = full;
  const small = workingSize(width, height);
  if (Math.max(width, height) < WORKING.minSuspectLongSide || Math.min(small.width, small.height) < TILE_PIXELS) return NOTHING_READ;
  const ws = openLumaWorkspace(full.core, shrinkPlane(full, detectionPlane(full), small), small.width, small.height, workingKey(key), maxPixels);
  const direct = searchPlane(ws, key, expected, ws.y, small.width, small.height, { x: 0, y: 0 }, WORKING.candidates);
  if (direct.found) return { ...direct, layer: 'working-size' };
  whitenPlane(ws, ws.y, small.width, small.height, WHITEN.syncHostRadius, WHITEN.syncHostStep);
  const warped = searchGeometries(ws, key, expected, maxPixels, WORKING.hypotheses, WORKING.geometryCandidates, WORKING.lattice, WORKING.rankedReadings);
  const candidates = direct.candidates + warped.candidates;
  if (warped.found) return { ...warped, candidates, layer: 'working-size' };
  return { ...(warped.score > direct.score ? warped : direct), found: false, payload: null, candidates };
}
