// The WASM core's exports, and nothing else. Pure computation on planes and
// sample buffers living in scratch slots; no I/O, no strings.
export { scratch, releaseScratch } from './arena';
export { seedPrng, nextU32, keyedPermutation } from './prng';
export { convEncode, viterbiDecode, codedLength } from './ecc';
export * from './image/index';
export * from './audio/index';
export { explicitLumaRows, explicitBlur, explicitGlyphContours, explicitRasterize, explicitTemplate, explicitSearch } from './explicit';
// The layout constants, for the loader to check against the TypeScript side once at load.
export * from '../src/wasm/layout';
// And what the core derives from them, checked the same way.
export { SLOTS as IMAGE_SLOTS } from './image/layout';
export { ANALYSIS_BINS as AUDIO_ANALYSIS_BINS } from './audio/frames';
