import type { AigcLabel } from '../label/types.js';
import { resolveKey } from '../payload/key.js';
import { encodePayload, PAYLOAD_BITS, payloadFromLabel, type WatermarkPayload } from '../payload/payload.js';
import { encodeChannel } from '../wasm/channel-code.js';
import { getCore } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import { checkLabel, checkMaxPixels, checkOptions, checkStrength } from '../validate.js';
import { forEachBand } from './bands.js';
import { checkImageSize, checkRgba, TILE_PIXELS } from './limits.js';
import { MASK, STRENGTH_CAP, WORKING } from './tuning.js';
import { carriesWorkingLayer, upsampleLayer, workingLayer, type WorkingLayer } from './working-size.js';
import { cellPlaneBytes, CODED_BITS, openWorkspace, type Workspace } from './workspace.js';

export interface ImageEmbedOptions {
  /** Provider secret; omit for the public interoperable key. */
  key?: Uint8Array | null;
  /** Multiplies the perceptual strength (1 = default, STRENGTH_RANGE 0.25 to 4). Higher is more robust and more visible. */
  strength?: number;
  maxPixels?: number;
}

export interface ImageEmbedResult {
  rgba: Uint8ClampedArray;
  payload: WatermarkPayload;
  /** PSNR of the marked RGB against the input, in dB. */
  psnr: number;
}

export async function embedImage(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  label: AigcLabel,
  options: ImageEmbedOptions = {},
): Promise<ImageEmbedResult> {
  const checked = checkOptions(options, ['key', 'strength', 'maxPixels'], 'embedImage');
  const valid = checkLabel(label);
  const key = resolveKey(checked.key);
  const strength = checkStrength(checked.strength);
  const maxPixels = checkMaxPixels(checked.maxPixels);
  checkImageSize(width, height, maxPixels);
  checkRgba(rgba, width, height);
  const core = await getCore();
  const payload = payloadFromLabel(valid, key.keyed);
  const coded = encodeChannel(core, encodePayload(payload, key), PAYLOAD_BITS);
  // The working-size layer first, from the image's luma (it keeps to slots of its own), then
  // the native tile over both layers (the working-size one along luma and blue–yellow) in one rounding.
  const ws = openWorkspace(core, rgba, width, height, key, maxPixels);
  const working = carriesWorkingLayer(width, height) ? workingLayer(ws, key, coded, strength, maxPixels) : null;
  const plan = planCodedMark(ws, coded, strength * tileShare(width, height, working));
  // The luma is done with once the mask is planned: the upsampled layer takes its plane.
  const extra = working ? upsampleLayer(ws, working, ws.y) : 0;
  // The blue–yellow part keeps the first gain's amplitude: a busy host that needs a stronger
  // luma layer at the working size hides no more chroma. A gray image gets none: it stays gray.
  const chromaGain = working && ws.k.isGray(ws.pix, width * height) === 0 ? (WORKING.chroma.gain * WORKING.gains[0]) / working.gain : 0;
  let sse = 0;
  forEachBand(height, (first, end) => {
    sse += ws.k.applyMarkRows(ws.pix, width, height, ws.aux.tile, plan.mask, plan.alpha, extra, chromaGain, WORKING.chroma.headroom, first, end);
  });
  const n = width * height;
  const out = new Uint8ClampedArray(n * 4);
  out.set(core.u8(ws.pix, n * 4));
  return { rgba: out, payload, psnr: psnrFromSse(sse, n) };
}

/**
 * The native tile's share of its strength: 1 alone; beside the working-size layer, what folds
 * the energy of WORKING.tileFoldTiles full-amplitude tiles.
 */
function tileShare(width: number, height: number, working: WorkingLayer | null): number {
  if (!working) return 1;
  return Math.min(1, Math.sqrt(WORKING.tileFoldTiles / ((width * height) / (TILE_PIXELS * TILE_PIXELS))));
}

/** The amplitude scale: `strength`, cut down so the mark alone never takes PSNR below `floorDb` (psnrFloorDb(tiles) by default). */
export function cappedAlpha(meanEnergy: number, strength: number, tiles: number, floorDb = psnrFloorDb(tiles)): number {
  const capMse = (255 * 255) / 10 ** (floorDb / 10);
  return strength * Math.min(1, Math.sqrt(capMse / Math.max(meanEnergy, 1e-9)));
}

/** STRENGTH_CAP's PSNR floor for an image of this many tiles. */
export function psnrFloorDb(tiles: number): number {
  const { psnrFloorDb: full, fullTiles, smallImageFloorDb } = STRENGTH_CAP;
  return tiles >= fullTiles ? full : Math.max(smallImageFloorDb, full - 10 * Math.log10(fullTiles / tiles));
}

export const psnrFromSse = (sse: number, pixels: number) => (sse > 0 ? 10 * Math.log10((255 * 255) / (sse / (pixels * 3))) : Infinity);

/** The scaled mark's recipe: tile pattern in aux.tile, the two cell-amplitude planes at `mask`, and the amplitude scale. */
export interface MarkPlan {
  mask: number;
  alpha: number;
}

/** Tile from the coded bits, perceptual mask and capped strength, ready to apply (see applyCodedMark). */
export function planCodedMark(ws: Workspace, coded: Uint8Array, strength: number, floorDb?: number): MarkPlan {
  const { core, k, aux, width, height } = ws;
  const e = core.exports;
  core.u8(aux.coded, CODED_BITS).set(coded);
  k.buildTilePattern(aux.coded, aux.slotBit, aux.slotSign, aux.tile);
  const cellBytes = cellPlaneBytes(width, height);
  // Two adjacent cell planes: low-band amplitude, then the other band's (the kernels rely on it).
  const mask = e.scratch(SLOT.imagePlaneA, 2 * cellBytes);
  const tmp = e.scratch(SLOT.imageCellsA, cellBytes);
  const acc = e.scratch(SLOT.imageCellsB, width * 4);
  k.perceptualMask(ws.y, width, height, mask, mask + cellBytes, tmp, acc, MASK.flat, MASK.gain, MASK.ceiling, MASK.flatKnee, MASK.headroomFloor);
  // The mask sets the shape; the cap keeps busy images clean too.
  const n = width * height;
  const alpha = cappedAlpha(k.markEnergy(width, height, aux.tile, mask) / n, strength, n / (TILE_PIXELS * TILE_PIXELS), floorDb);
  return { mask, alpha };
}

/** Tile from the coded bits, perceptual mask, capped strength, then the mark into ws.pix. */
export function applyCodedMark(ws: Workspace, coded: Uint8Array, strength: number): { alpha: number; psnr: number } {
  const { mask, alpha } = planCodedMark(ws, coded, strength);
  const n = ws.width * ws.height;
  return { alpha, psnr: psnrFromSse(ws.k.applyMark(ws.pix, ws.width, ws.height, ws.aux.tile, mask, alpha), n) };
}
