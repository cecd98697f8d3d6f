import { bitsToBytes, bytesToBits } from '../payload/bits.js';
import type { Core } from './core.js';
import { SLOT } from './slots.js';

/** Coded bits (0/1) for the payload, via the core's convolutional encoder. */
export function encodeChannel(core: Core, payload: Uint8Array, dataBits: number): Uint8Array {
  const e = core.exports;
  const codedBits = e.codedLength(dataBits);
  const bitsPtr = e.scratch(SLOT.eccBits, dataBits);
  core.u8(bitsPtr, dataBits).set(bytesToBits(payload, dataBits));
  const outPtr = e.scratch(SLOT.eccCoded, codedBits);
  e.convEncode(bitsPtr, dataBits, outPtr);
  return core.u8(outPtr, codedBits).slice();
}

export interface ChannelDecode {
  payload: Uint8Array;
  /**
   * Normalised correlation of the soft input with the re-encoded winning codeword,
   * in [-1, 1]: near 1 for a clean mark, about 0.55 on noise (a second gate after the check code).
   */
  agreement: number;
}

/** Soft Viterbi on `soft` (positive = coded bit 0). */
export function decodeChannel(core: Core, soft: Float32Array, dataBits: number): ChannelDecode {
  const e = core.exports;
  const codedBits = e.codedLength(dataBits);
  const softPtr = e.scratch(SLOT.eccSoft, codedBits * 4);
  core.f32(softPtr, codedBits).set(soft.subarray(0, codedBits));
  const outPtr = e.scratch(SLOT.eccBits, dataBits);
  const survivorPtr = e.scratch(SLOT.eccSurvivors, codedBits * 64);
  const score = e.viterbiDecode(softPtr, dataBits, outPtr, survivorPtr);
  const payload = bitsToBytes(core.u8(outPtr, dataBits));
  let l1 = 0;
  for (let i = 0; i < codedBits; i++) l1 += Math.abs(soft[i]);
  return { payload, agreement: l1 > 0 ? score / l1 : 0 };
}
