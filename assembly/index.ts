// The WASM core's exports, and nothing else. Pure computation on planes and
// sample buffers living in scratch slots; no I/O, no strings.
export { scratch, releaseScratch } from './arena';
export { seedPrng, nextU32, keyedPermutation } from './prng';
export { convEncode, viterbiDecode, codedLength } from './ecc';
export * from './image/index';
export * from './audio/index';
