/**
 * Buffer-layout constants of the WASM core, defined once for both compilers: the
 * AssemblyScript core (assembly/) and the TypeScript side (src/) each import this
 * file. Plain integer literals only, with no imports and no types: AssemblyScript
 * reads each as an i32 global, TypeScript as a number.
 *
 * The core exports every one of them (assembly/index.ts), and the loader compares
 * the exported values with these once, at load (src/wasm/boundary.ts), so a core
 * built from other sources than the TypeScript beside it is refused before it runs.
 */

/** Scratch slots the arena holds (src/wasm/slots.ts numbers them). */
export const SCRATCH_SLOTS = 28;

/** Channel code: convolutional, constraint length 7, rate 1/3, zero tail. */
export const ECC_CONSTRAINT = 7;
export const ECC_RATE = 3;

/** Audio: samples per frame at the internal rate (23.2 ms at 11025 Hz). */
export const AUDIO_FRAME = 256;
/** Audio: first marked FFT bin (20 × 11025 / 256 = 861 Hz) and how many bins the band holds (to 4264 Hz). */
export const AUDIO_BAND_LO = 20;
export const AUDIO_BAND_BINS = 80;

/** Image: the mark tile's side in pixels, and the side of a statistics cell. */
export const IMAGE_TILE = 128;
export const IMAGE_CELL = 4;
/** Image: DCT coefficients per 8×8 block that carry chips, and how many of them form the low band. */
export const IMAGE_COEFS = 5;
export const IMAGE_LOW_BAND = 2;
