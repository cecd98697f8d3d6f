import { AigcError } from '../errors.js';
import type { AigcLabel } from '../label/types.js';
import { validateLabel } from '../label/validate.js';
import { resolveKey, type WatermarkKey } from '../payload/key.js';
import { decodePayload, encodePayload, PAYLOAD_BITS, payloadFromLabel, type WatermarkPayload } from '../payload/payload.js';
import { decodeChannel, encodeChannel } from '../wasm/channel-code.js';
import { getCore, type Core } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import { layoutRegions } from '../wasm/sub-alloc.js';
import { imageKernels } from './kernels.js';
import { checkImageSize, checkRgba, DEFAULT_MAX_PIXELS, TILE_PIXELS } from './limits.js';
import { AGREEMENT_GATE, CANDIDATES, MASK, PHASE_STEP, PSNR_FLOOR_DB, SCORE_BITS, SEARCH_KEEP, WHITEN } from './tuning.js';

export interface ImageEmbedOptions {
  /** Provider secret; omit for the public interoperable key. */
  key?: Uint8Array | null;
  /** Multiplies the perceptual strength (1 = default). Higher is more robust and more visible. */
  strength?: number;
  maxPixels?: number;
}

export interface ImageEmbedResult {
  rgba: Uint8ClampedArray;
  payload: WatermarkPayload;
  /** PSNR of the marked RGB against the input, in dB. */
  psnr: number;
}

export interface ImageDetectOptions {
  key?: Uint8Array | null;
  maxPixels?: number;
}

export interface ImageDetection {
  found: boolean;
  payload: WatermarkPayload | null;
  /** ρ: correlation of the soft bits with the decoded codeword (≈0.56 on unmarked images, near 1 when clean). */
  score: number;
  /** Coded-bit sign errors against the decoded codeword (of 306), for the best candidate. */
  bitErrors: number;
  /** Alignment peak over the background (≈1 when nothing is there). */
  syncStrength: number;
  /** Alignments decoded; each costs 2^-32 of false-positive budget. */
  candidates: number;
  /** Where the tile grid sits in this image, in pixels. */
  offset: { x: number; y: number } | null;
  /** The flip or quarter turn the image had undergone, as found by the detector. */
  orientation: OrientationName | null;
}

/** The 8 symmetries of the square, by orientTile's bit code (1 mirror x, 2 mirror y, 4 transpose). */
export const ORIENTATION_NAMES = [
  'none', 'flip-horizontal', 'flip-vertical', 'turn-180', 'transpose', 'turn-90', 'turn-270', 'transverse',
] as const;
export type OrientationName = (typeof ORIENTATION_NAMES)[number];
const ORIENTATIONS = [0, 1, 2, 3, 4, 5, 6, 7];

const CODED_BITS = 306;
const CELL = 4;
const cellPlaneBytes = (w: number, h: number) => Math.ceil(w / CELL) * Math.ceil(h / CELL) * 4;
const SLOTS = 1280;
const AUX = layoutRegions({
  slotBit: SLOTS * 4,
  slotSign: SLOTS * 4,
  perm: SLOTS * 4,
  coded: CODED_BITS,
  soft: 512 * 4,
  best: SEARCH_KEEP * 16,
  tile: 2 * TILE_PIXELS * TILE_PIXELS * 4, // embed: low band, then the other coefficients; detect: oriented fold
  folded: TILE_PIXELS * TILE_PIXELS * 4,
  list: SLOTS * 4,
  padded: (TILE_PIXELS + 8) * (TILE_PIXELS + 8) * 4,
  coefs: 64 * SLOTS * 4,
});

interface Workspace {
  core: Core;
  k: ReturnType<typeof imageKernels>;
  width: number;
  height: number;
  pix: number;
  y: number;
  aux: Record<keyof typeof AUX.offsets, number>;
}

/** Copies the pixels in (the one copy), converts to luma and lays out the key's slot map. */
async function openWorkspace(rgba: ArrayLike<number>, width: number, height: number, key: WatermarkKey, maxPixels: number): Promise<Workspace> {
  checkImageSize(width, height, maxPixels);
  checkRgba(rgba, width, height);
  const core = await getCore();
  const k = imageKernels(core);
  const e = core.exports;
  const n = width * height;
  const pix = e.scratch(SLOT.imagePixels, n * 4);
  const y = e.scratch(SLOT.imagePlaneY, n * 4);
  const auxBase = e.scratch(SLOT.imageAux, AUX.total);
  core.u8(pix, n * 4).set(rgba);
  k.rgbaToLuma(pix, n, y);
  const aux = Object.fromEntries(Object.entries(AUX.offsets).map(([name, off]) => [name, auxBase + (off as number)])) as Workspace['aux'];
  k.buildSlotMap(key.seed[0], key.seed[1], CODED_BITS, aux.slotBit, aux.slotSign, aux.perm);
  return { core, k, width, height, pix, y, aux };
}

export async function embedImage(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  label: AigcLabel,
  options: ImageEmbedOptions = {},
): Promise<ImageEmbedResult> {
  const valid = validateLabel(label);
  const key = resolveKey(options.key);
  const ws = await openWorkspace(rgba, width, height, key, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  const { core, k, aux } = ws;
  const e = core.exports;
  const n = width * height;
  const payload = payloadFromLabel(valid, key.keyed);
  core.u8(aux.coded, CODED_BITS).set(encodeChannel(core, encodePayload(payload, key), PAYLOAD_BITS));
  k.buildTilePattern(aux.coded, aux.slotBit, aux.slotSign, aux.tile);

  const cellBytes = cellPlaneBytes(width, height);
  // Two adjacent cell planes: low-band amplitude, then the other band's (the kernels rely on it).
  const mask = e.scratch(SLOT.imagePlaneA, 2 * cellBytes);
  const tmp = e.scratch(SLOT.imageCellsA, cellBytes);
  const acc = e.scratch(SLOT.imageCellsB, width * 4);
  k.perceptualMask(ws.y, width, height, mask, mask + cellBytes, tmp, acc, MASK.flat, MASK.gain, MASK.ceiling, MASK.flatKnee, MASK.headroomFloor);

  // The mask sets the shape; PSNR_FLOOR_DB caps the total so busy images stay clean too.
  const strength = options.strength ?? 1;
  if (!(strength > 0 && strength <= 10)) {
    throw new AigcError('BAD_OPTION', `strength must be in (0, 10], got ${strength}.`);
  }
  const meanEnergy = k.markEnergy(width, height, aux.tile, mask) / n;
  const capMse = (255 * 255) / 10 ** (PSNR_FLOOR_DB / 10);
  const alpha = strength * Math.min(1, Math.sqrt(capMse / Math.max(meanEnergy, 1e-9)));
  const sse = k.applyMark(ws.pix, width, height, aux.tile, mask, alpha);
  const out = new Uint8ClampedArray(n * 4);
  out.set(core.u8(ws.pix, n * 4));
  const mse = sse / (n * 3);
  return { rgba: out, payload, psnr: mse > 0 ? 10 * Math.log10((255 * 255) / mse) : Infinity };
}

export async function detectImage(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  options: ImageDetectOptions = {},
): Promise<ImageDetection> {
  const key = resolveKey(options.key);
  const ws = await openWorkspace(rgba, width, height, key, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  const { core, k, aux } = ws;
  const e = core.exports;
  const n = width * height;
  const z = e.scratch(SLOT.imagePlaneA, n * 4);
  const a = e.scratch(SLOT.imagePlaneB, n * 4);
  const b = e.scratch(SLOT.imagePlaneC, n * 4);
  const cellBytes = cellPlaneBytes(width, height);
  const weights = e.scratch(SLOT.imageCellsA, 2 * cellBytes);
  const acc = e.scratch(SLOT.imageCellsB, width * 4);
  k.whiten(ws.y, width, height, z, a, b, weights, weights + cellBytes, acc, WHITEN.floor, WHITEN.small, WHITEN.large, WHITEN.smoothKnee);
  k.foldTiles(z, width, height, weights, aux.folded);

  // Fast path: an unflipped, uncropped image keeps the grid at the origin. Search only when that fails.
  let oriented = -1;
  const orient = (o: number) => {
    if (o === oriented) return;
    k.orientTile(aux.folded, aux.tile, o);
    k.blockCoefficients(aux.tile, aux.coefs, aux.padded);
    oriented = o;
  };
  orient(0);
  const aligned = decodeAt(ws, key, { strength: 0, phase: 0, shift: 0, orientation: 0 });
  if (aligned.found) return { ...aligned, candidates: 1 };

  k.resetAlignments(aux.best, SEARCH_KEEP);
  for (const o of ORIENTATIONS) {
    orient(o);
    k.searchAlignment(aux.coefs, aux.slotBit, aux.slotSign, CODED_BITS, aux.soft, aux.best, SEARCH_KEEP, PHASE_STEP, o, SCORE_BITS, aux.list);
  }
  const tags = () => Array.from(core.i32(aux.best, SEARCH_KEEP * 4).filter((_, i) => i % 4 === 3));
  for (const o of new Set(tags())) {
    orient(o);
    k.refineAlignments(aux.coefs, aux.slotBit, aux.slotSign, CODED_BITS, aux.soft, aux.best, SEARCH_KEEP, o, aux.list);
  }
  // Only the CANDIDATES best after rescoring with every chip are decoded (the false-positive budget).
  const best = core.f32(aux.best, SEARCH_KEEP * 4);
  const bestInt = core.i32(aux.best, SEARCH_KEEP * 4);
  const alignments: Alignment[] = Array.from({ length: SEARCH_KEEP }, (_, i) => ({
    strength: best[i * 4],
    phase: bestInt[i * 4 + 1],
    shift: bestInt[i * 4 + 2],
    orientation: bestInt[i * 4 + 3],
  }))
    .sort((x, y) => y.strength - x.strength)
    .slice(0, CANDIDATES);
  let strongest: ImageDetection | null = null;
  for (const alignment of alignments) {
    orient(alignment.orientation);
    const result = { ...decodeAt(ws, key, alignment), candidates: 1 + CANDIDATES };
    if (result.found) return result;
    strongest ??= result;
  }
  return strongest ?? { ...aligned, candidates: 1 + CANDIDATES };
}

interface Alignment {
  strength: number;
  phase: number;
  shift: number;
  /** Index into ORIENTATION_NAMES: which flip or quarter turn maps the image back onto the mark. */
  orientation: number;
}

function decodeAt(ws: Workspace, key: WatermarkKey, alignment: Alignment): ImageDetection {
  const { core, k, aux } = ws;
  k.softBits(aux.coefs, alignment.phase, alignment.shift, aux.slotBit, aux.slotSign, CODED_BITS, aux.soft);
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
    offset: found ? gridOffset(alignment.phase, alignment.shift) : null,
    orientation: found ? ORIENTATION_NAMES[alignment.orientation] : null,
  };
}

/** Pixel offset of the tile origin implied by a (phase, shift) alignment. */
function gridOffset(phase: number, shift: number): { x: number; y: number } {
  const blocks = TILE_PIXELS / 8;
  return {
    x: ((shift % blocks) * 8 + (phase & 7)) % TILE_PIXELS,
    y: (Math.floor(shift / blocks) * 8 + (phase >> 3)) % TILE_PIXELS,
  };
}
