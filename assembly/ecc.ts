// Channel code: convolutional, K = 7, rate 1/3, generators 133/171/165 (octal),
// zero-terminated, decoded by soft-decision Viterbi.
// Symbol convention everywhere: coded bit 0 -> +1, coded bit 1 -> -1;
// a soft value is "how much it looks like +1".

import { ECC_CONSTRAINT, ECC_RATE } from '../src/wasm/layout';

export const CONSTRAINT: i32 = ECC_CONSTRAINT;
export const TAIL: i32 = CONSTRAINT - 1;
export const RATE: i32 = ECC_RATE;
const STATES: i32 = 1 << TAIL;
const G0: u32 = 0o133;
const G1: u32 = 0o171;
const G2: u32 = 0o165;

@inline function parity(x: u32): u32 {
  return popcnt<u32>(x) & 1;
}

export function codedLength(dataBits: i32): i32 {
  return (dataBits + TAIL) * RATE;
}

/** bits (u8 0/1, `n` of them) -> coded bits (u8 0/1, codedLength(n) of them). */
export function convEncode(bitsPtr: usize, n: i32, outPtr: usize): void {
  let reg: u32 = 0;
  let o: usize = outPtr;
  for (let i = 0; i < n + TAIL; i++) {
    const bit: u32 = i < n ? <u32>load<u8>(bitsPtr + <usize>i) : 0;
    reg = ((reg << 1) | bit) & 0x7f;
    store<u8>(o, <u8>parity(reg & G0));
    store<u8>(o + 1, <u8>parity(reg & G1));
    store<u8>(o + 2, <u8>parity(reg & G2));
    o += 3;
  }
}

const metricA = new StaticArray<f32>(STATES);
const metricB = new StaticArray<f32>(STATES);

/**
 * Soft Viterbi. `softPtr` holds codedLength(n) f32; writes n u8 bits to `outPtr`.
 * `survivorPtr` needs (n + TAIL) * STATES bytes of scratch.
 * Returns the winning path's correlation with the soft input.
 */
export function viterbiDecode(softPtr: usize, n: i32, outPtr: usize, survivorPtr: usize): f32 {
  const steps = n + TAIL;
  for (let s = 0; s < STATES; s++) unchecked((metricA[s] = s == 0 ? 0 : -1e30));
  let cur = metricA;
  let next = metricB;
  for (let t = 0; t < steps; t++) {
    const y0 = load<f32>(softPtr + (<usize>(t * 3) << 2));
    const y1 = load<f32>(softPtr + (<usize>(t * 3 + 1) << 2));
    const y2 = load<f32>(softPtr + (<usize>(t * 3 + 2) << 2));
    const forcedZero = t >= n;
    for (let ns = 0; ns < STATES; ns++) {
      // next state ns = ((prev << 1) | bit) & 63; bit = ns & 1; prev = (ns >> 1) | (msb << 5)
      const bit: u32 = <u32>ns & 1;
      let best: f32 = -1e30;
      let bestMsb: u8 = 0;
      if (!(forcedZero && bit == 1)) {
        for (let msb: u32 = 0; msb < 2; msb++) {
          const prev = (<u32>ns >> 1) | (msb << 5);
          const reg = (prev << 1) | bit;
          const c0: f32 = parity(reg & G0) ? -y0 : y0;
          const c1: f32 = parity(reg & G1) ? -y1 : y1;
          const c2: f32 = parity(reg & G2) ? -y2 : y2;
          const m = unchecked(cur[prev]) + c0 + c1 + c2;
          if (m > best) {
            best = m;
            bestMsb = <u8>msb;
          }
        }
      }
      unchecked((next[ns] = best));
      store<u8>(survivorPtr + <usize>(t * STATES + ns), bestMsb);
    }
    const swap = cur;
    cur = next;
    next = swap;
  }
  // Zero-terminated: the path ends in state 0.
  let state: u32 = 0;
  const score = unchecked(cur[0]);
  for (let t = steps - 1; t >= 0; t--) {
    if (t < n) store<u8>(outPtr + <usize>t, <u8>(state & 1));
    const msb = <u32>load<u8>(survivorPtr + <usize>(t * STATES + <i32>state));
    state = (state >> 1) | (msb << 5);
  }
  return score;
}
