import type { WatermarkKey } from '../payload/key.js';
import type { Core } from '../wasm/core.js';
import { CODED_BITS, IMAGE_SLOTS } from '../wasm/boundary.js';
import { IMAGE_CELL } from '../wasm/layout.js';
import { SLOT } from '../wasm/slots.js';
import { layoutRegions } from '../wasm/sub-alloc.js';
import { forEachBand } from './bands.js';
import { imageKernels } from './kernels.js';
import { checkImageSize, checkRgba, TILE_PIXELS } from './limits.js';
import { SEARCH_KEEP } from './tuning.js';

/** Shared by embed and detect: the WASM scratch layout of one image pass. */
export { CODED_BITS };
export const cellPlaneBytes = (w: number, h: number) => Math.ceil(w / IMAGE_CELL) * Math.ceil(h / IMAGE_CELL) * 4;
const SLOTS = IMAGE_SLOTS;
const AUX = layoutRegions({
  slotBit: SLOTS * 4,
  slotSign: SLOTS * 4,
  perm: SLOTS * 4,
  coded: CODED_BITS,
  soft: 512 * 4,
  best: SEARCH_KEEP * 16,
  tile: 2 * TILE_PIXELS * TILE_PIXELS * 4, // embed: low band, then the other coefficients
  folded: TILE_PIXELS * TILE_PIXELS * 4,
  list: SLOTS * 4,
  padded: (TILE_PIXELS + 8) * (TILE_PIXELS + 8) * 4,
  coefs: 64 * SLOTS * 4, // detect: block coefficients of the orientation being searched
  foldCoefs: 64 * SLOTS * 4, // detect: those of the fold itself, from which every orientation's are read
});

export interface Workspace {
  core: Core;
  k: ReturnType<typeof imageKernels>;
  width: number;
  height: number;
  pix: number;
  y: number;
  /** The whitened plane of the last search (scratch), for the geometry estimate. */
  z: number;
  /** Its per-cell whitening weights. */
  weights: number;
  aux: Record<keyof typeof AUX.offsets, number>;
}

/**
 * Copies the pixels in (the one copy), converts to luma and lays out the key's slot map.
 * Synchronous on purpose: the scratch slots are shared, so a whole embed or detect must
 * run without yielding to another one between filling them and reading them back.
 */
export function openWorkspace(core: Core, rgba: ArrayLike<number>, width: number, height: number, key: WatermarkKey, maxPixels: number): Workspace {
  checkImageSize(width, height, maxPixels);
  checkRgba(rgba, width, height);
  const e = core.exports;
  const n = width * height;
  const ws = layOut(core, width, height, key, e.scratch(SLOT.imagePixels, n * 4), e.scratch(SLOT.imagePlaneY, n * 4), SLOT.imageAux);
  core.u8(ws.pix, n * 4).set(rgba);
  forEachBand(height, (first, end) => ws.k.rgbaToLuma(ws.pix + first * width * 4, (end - first) * width, ws.y + first * width * 4));
  return ws;
}

/**
 * A workspace over a luma plane alone (no pixels: `pix` is 0), the working-size layer's. It has
 * slots of its own for the plane and the slot map, so an image workspace open beside it keeps
 * its pixels, luma and slot map (the search planes are shared: whichever runs last owns them).
 */
export function openLumaWorkspace(core: Core, luma: Float32Array, width: number, height: number, key: WatermarkKey, maxPixels: number): Workspace {
  checkImageSize(width, height, maxPixels);
  const e = core.exports;
  const ws = layOut(core, width, height, key, 0, e.scratch(SLOT.workingPlaneY, width * height * 4), SLOT.workingAux);
  core.f32(ws.y, width * height).set(luma);
  return ws;
}

function layOut(core: Core, width: number, height: number, key: WatermarkKey, pix: number, y: number, auxSlot: number): Workspace {
  const k = imageKernels(core);
  const auxBase = core.exports.scratch(auxSlot, AUX.total);
  const aux = Object.fromEntries(Object.entries(AUX.offsets).map(([name, off]) => [name, auxBase + (off as number)])) as Workspace['aux'];
  k.buildSlotMap(key.seed[0], key.seed[1], CODED_BITS, aux.slotBit, aux.slotSign, aux.perm);
  return { core, k, width, height, pix, y, z: 0, weights: 0, aux };
}
