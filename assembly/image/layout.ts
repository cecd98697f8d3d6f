// Geometry of the image mark: a periodic TILE×TILE pixel tile of 8×8 blocks;
// each block carries chips in the five lowest AC DCT coefficients, the only
// band that survived blur, resizing and JPEG q50 in the feasibility study.

import { keyedPermutation, nextSign, seedPrng } from '../prng';
import { IMAGE_COEFS, IMAGE_LOW_BAND, IMAGE_TILE } from '../../src/wasm/layout';

export const TILE: i32 = IMAGE_TILE;
export const BLOCKS_PER_SIDE: i32 = TILE / 8;
export const BLOCKS: i32 = BLOCKS_PER_SIDE * BLOCKS_PER_SIDE;
export const COEFS: i32 = IMAGE_COEFS;
export const SLOTS: i32 = BLOCKS * COEFS;
const STREAM_SLOTS: u32 = 1;

// Zigzag positions 1..5 as (horizontal u, vertical v).
const COEF_U: StaticArray<i32> = [1, 0, 0, 1, 2];
const COEF_V: StaticArray<i32> = [0, 1, 2, 1, 0];

@inline export function coefU(j: i32): i32 {
  return unchecked(COEF_U[j]);
}

@inline export function coefV(j: i32): i32 {
  return unchecked(COEF_V[j]);
}

/** Orthonormal 8×8 DCT basis images for the five coefficients: basis[j*64 + y*8 + x]. */
export const basis = new StaticArray<f32>(COEFS * 64);

function initBasis(): void {
  for (let j = 0; j < COEFS; j++) {
    const u = unchecked(COEF_U[j]);
    const v = unchecked(COEF_V[j]);
    const au: f64 = u == 0 ? Math.sqrt(0.125) : 0.5;
    const av: f64 = v == 0 ? Math.sqrt(0.125) : 0.5;
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const value = au * av * Math.cos(((2 * x + 1) * u * Math.PI) / 16) * Math.cos(((2 * y + 1) * v * Math.PI) / 16);
        unchecked((basis[j * 64 + y * 8 + x] = <f32>value));
      }
    }
  }
}
initBasis();

/** Coefficients 0 and 1, (1,0) and (0,1), form the low band; JPEG quantises them most gently. */
export const LOW_BAND: i32 = IMAGE_LOW_BAND;
const LOW_SLOTS: i32 = BLOCKS * LOW_BAND;

/**
 * Keyed assignment of the SLOTS chip positions (slot = block*COEFS + coef) to coded bits,
 * interleaved so each bit's chips scatter over the tile, each with a keyed ±1 sign.
 * Low-band and other slots are dealt out separately so that every coded bit owns at
 * least one low-band chip: where the embedder puts all energy in the low band (smooth
 * areas), no bit is left without signal. `permScratch` needs SLOTS i32.
 */
export function buildSlotMap(seedHi: u32, seedLo: u32, codedBits: i32, slotBit: usize, slotSign: usize, permScratch: usize): void {
  seedPrng(seedHi, seedLo, STREAM_SLOTS);
  keyedPermutation(permScratch, LOW_SLOTS);
  for (let i = 0; i < LOW_SLOTS; i++) {
    const k = load<i32>(permScratch + (<usize>i << 2)); // k-th low slot: block k/2, coef k%2
    const slot = (k / LOW_BAND) * COEFS + (k % LOW_BAND);
    store<i32>(slotBit + (<usize>slot << 2), i % codedBits);
  }
  // Continue the bit cycle where the low band stopped, so chip counts per bit stay even.
  const HIGH = COEFS - LOW_BAND;
  keyedPermutation(permScratch, BLOCKS * HIGH);
  for (let i = 0; i < BLOCKS * HIGH; i++) {
    const k = load<i32>(permScratch + (<usize>i << 2));
    const slot = (k / HIGH) * COEFS + LOW_BAND + (k % HIGH);
    store<i32>(slotBit + (<usize>slot << 2), (i + LOW_SLOTS) % codedBits);
  }
  for (let slot = 0; slot < SLOTS; slot++) store<f32>(slotSign + (<usize>slot << 2), nextSign());
}
