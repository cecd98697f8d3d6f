import type { AigcLabel } from '../label/types.js';
import { resolveKey } from '../payload/key.js';
import { encodePayload, PAYLOAD_BITS, payloadFromLabel, type WatermarkPayload } from '../payload/payload.js';
import { encodeChannel } from '../wasm/channel-code.js';
import { getCore } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import { checkLabel, checkMaxPixels, checkOptions, checkStrength } from '../validate.js';
import { TILE_PIXELS } from './limits.js';
import { MASK, STRENGTH_CAP } from './tuning.js';
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
  const ws = openWorkspace(await getCore(), rgba, width, height, key, checkMaxPixels(checked.maxPixels));
  const { core } = ws;
  const payload = payloadFromLabel(valid, key.keyed);
  const { psnr } = applyCodedMark(ws, encodeChannel(core, encodePayload(payload, key), PAYLOAD_BITS), strength);
  const out = new Uint8ClampedArray(width * height * 4);
  out.set(core.u8(ws.pix, width * height * 4));
  return { rgba: out, payload, psnr };
}

/** The amplitude scale: `strength`, cut down so the mark alone never takes PSNR below psnrFloorDb(tiles). */
export function cappedAlpha(meanEnergy: number, strength: number, tiles: number): number {
  const capMse = (255 * 255) / 10 ** (psnrFloorDb(tiles) / 10);
  return strength * Math.min(1, Math.sqrt(capMse / Math.max(meanEnergy, 1e-9)));
}

/** STRENGTH_CAP's PSNR floor for an image of this many tiles. */
export function psnrFloorDb(tiles: number): number {
  const { psnrFloorDb: full, fullTiles, smallImageFloorDb } = STRENGTH_CAP;
  return tiles >= fullTiles ? full : Math.max(smallImageFloorDb, full - 10 * Math.log10(fullTiles / tiles));
}

export const psnrFromSse = (sse: number, pixels: number) => (sse > 0 ? 10 * Math.log10((255 * 255) / (sse / (pixels * 3))) : Infinity);

/** Tile from the coded bits, perceptual mask, capped strength, then the mark into ws.pix. */
export function applyCodedMark(ws: Workspace, coded: Uint8Array, strength: number): { alpha: number; psnr: number } {
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
  const alpha = cappedAlpha(k.markEnergy(width, height, aux.tile, mask) / n, strength, n / (TILE_PIXELS * TILE_PIXELS));
  return { alpha, psnr: psnrFromSse(k.applyMark(ws.pix, width, height, aux.tile, mask, alpha), n) };
}

