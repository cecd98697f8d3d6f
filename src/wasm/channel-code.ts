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
   * Normalised correlation ρ of the soft input with the re-encoded winning codeword:
   * near 1 for a clean mark, about 0.56 on pure noise (Viterbi always finds some path),
   * so it gates detection on top of the check code.
   */
  agreement: number;
  /** Coded bits whose soft sign disagrees with the re-encoded codeword. */
  codedBitErrors: number;
}

/** Soft Viterbi on `soft` (positive = coded bit 0). */
export function decodeChannel(core: Core, soft: Float32Array, dataBits: number): ChannelDecode {
  const e = core.exports;
  const codedBits = e.codedLength(dataBits);
  const softPtr = e.scratch(SLOT.eccSoft, codedBits * 4);
  core.f32(softPtr, codedBits).set(soft.subarray(0, codedBits));
  const outPtr = e.scratch(SLOT.eccBits, dataBits);
  const survivorPtr = e.scratch(SLOT.eccSurvivors, codedBits * 64);
  e.viterbiDecode(softPtr, dataBits, outPtr, survivorPtr);
  const payload = bitsToBytes(core.u8(outPtr, dataBits));
  const codeword = encodeChannel(core, payload, dataBits);
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < codedBits; i++) {
    dot += soft[i] * (codeword[i] ? -1 : 1);
    norm += soft[i] * soft[i];
  }
  const agreement = norm > 0 ? dot / Math.sqrt(norm * codedBits) : 0;
  return { payload, agreement, codedBitErrors: codedBitErrors(soft, codeword) };
}

/** Soft bits whose sign disagrees with `codeword` (bit 0 ↔ positive). */
export function codedBitErrors(soft: Float32Array, codeword: Uint8Array): number {
  let errors = 0;
  for (let i = 0; i < codeword.length; i++) if (soft[i] * (codeword[i] ? -1 : 1) < 0) errors++;
  return errors;
}
