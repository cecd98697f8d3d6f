import { AigcError } from '../errors.js';
import type { AigcLabel } from '../label/types.js';
import { validateLabel } from '../label/validate.js';
import { resolveKey } from '../payload/key.js';
import { encodePayload, PAYLOAD_BITS, payloadFromLabel, type WatermarkPayload } from '../payload/payload.js';
import { encodeChannel } from '../wasm/channel-code.js';
import { getCore } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import { DEFAULT_MAX_PIXELS } from './limits.js';
import { MASK, PSNR_FLOOR_DB } from './tuning.js';
import { cellPlaneBytes, CODED_BITS, openWorkspace } from './workspace.js';

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

export async function embedImage(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  label: AigcLabel,
  options: ImageEmbedOptions = {},
): Promise<ImageEmbedResult> {
  const valid = validateLabel(label);
  const key = resolveKey(options.key);
  const ws = openWorkspace(await getCore(), rgba, width, height, key, options.maxPixels ?? DEFAULT_MAX_PIXELS);
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

