// Keyed layout of one watermark block: every (frame, band bin) cell of the block
// is a chip of either the sync pattern or one coded bit, with a keyed sign.
import { keyedPermutation, nextSign, seedPrng } from '../prng';

/** PRNG stream of the audio layout (image uses 1-9). */
export const AUDIO_STREAM: u32 = 101;

/**
 * Fills chipBit (i32, -1 = sync) and chipSign (f32 +-1) for cells = blockFrames * bins.
 * A keyed permutation scatters the cells: the first `syncChips` become sync, the
 * rest go round-robin to the `codedBits` coded bits, so each bit's chips spread
 * over the whole block (time and frequency diversity).
 */
export function audioChipMap(seedHi: u32, seedLo: u32, cells: i32, codedBits: i32, syncChips: i32, chipBit: usize, chipSign: usize, permScratch: usize): void {
  seedPrng(seedHi, seedLo, AUDIO_STREAM);
  keyedPermutation(permScratch, cells);
  for (let i = 0; i < cells; i++) {
    const cell = load<i32>(permScratch + (<usize>i << 2));
    store<i32>(chipBit + (<usize>cell << 2), i < syncChips ? -1 : (i - syncChips) % codedBits);
  }
  for (let i = 0; i < cells; i++) store<f32>(chipSign + (<usize>i << 2), nextSign());
}
