import type { Core } from '../wasm/core.js';

/** The image kernels of assembly/image/index.ts, typed (pointers are byte offsets). */
export interface ImageKernels {
  rgbaToLuma(pix: number, count: number, out: number): void;
  rgbaToPlane(pix: number, count: number, out: number, wr: number, wg: number, wb: number): void;
  isGray(pix: number, count: number): number;
  buildSlotMap(seedHi: number, seedLo: number, codedBits: number, slotBit: number, slotSign: number, perm: number): void;
  buildTilePattern(coded: number, slotBit: number, slotSign: number, tile: number): void;
  perceptualMask(y: number, w: number, h: number, mask: number, maskHigh: number, tmp: number, acc: number, flat: number, gain: number, ceiling: number, flatKnee: number, headroomFloor: number): void;
  applyMark(pix: number, w: number, h: number, tile: number, mask: number, alpha: number): number;
  applyMarkOver(pix: number, w: number, h: number, tile: number, mask: number, alpha: number, extra: number, chromaGain: number, chromaHeadroom: number): number;
  applyMarkRows(pix: number, w: number, h: number, tile: number, mask: number, alpha: number, extra: number, chromaGain: number, chromaHeadroom: number, firstRow: number, endRow: number): number;
  resampleRows(src: number, w: number, h: number, dst: number, dw: number, starts: number, weights: number, taps: number): void;
  resampleColumns(src: number, w: number, h: number, dst: number, dh: number, starts: number, weights: number, taps: number): void;
  axisTapCount(from: number, to: number): number;
  axisTaps(from: number, to: number, starts: number, weights: number): void;
  markDelta(w: number, h: number, tile: number, mask: number, alpha: number, out: number): void;
  addScaledPlane(dst: number, a: number, b: number, gain: number, count: number): void;
  scalePlane(plane: number, count: number, gain: number): void;
  markEnergy(w: number, h: number, tile: number, mask: number): number;
  rangeResidual(y: number, w: number, h: number, out: number, sums: number, counts: number, r: number, step: number, tau: number): void;
  whiten(y: number, w: number, h: number, z: number, a: number, b: number, weights: number, smooth: number, acc: number, floor: number, small: number, large: number, smoothKnee: number, weightBlur: number): void;
  foldTiles(z: number, w: number, h: number, weights: number, folded: number, clip: number): void;
  blockCoefficients(folded: number, coefs: number, padded: number): void;
  softBits(coefs: number, phase: number, shift: number, slotBit: number, slotSign: number, codedBits: number, soft: number): void;
  searchAlignment(coefs: number, slotBit: number, slotSign: number, codedBits: number, soft: number, best: number, keep: number, phaseStep: number, tag: number, scoreBits: number, list: number): void;
  refineAlignments(coefs: number, slotBit: number, slotSign: number, codedBits: number, soft: number, best: number, keep: number, tag: number, list: number): void;
  resetAlignments(best: number, keep: number): void;
  orientCoefficients(src: number, dst: number, orient: number): void;
  addPowerSpectra(z: number, weights: number, w: number, ax: number, ay: number, bx: number, by: number, dw: number, dh: number, clip: number, n: number, power: number, re: number, im: number, tmp: number): void;
  flattenedAutocorrelation(power: number, n: number, re: number, im: number, tmp: number, acc: number): void;
  warpLuma(src: number, w: number, h: number, dst: number, dw: number, dh: number, a: number, b: number, c: number, d: number): void;
}

export const imageKernels = (core: Core) => core.exports as unknown as ImageKernels;
