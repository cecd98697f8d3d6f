// Reusable scratch buffers. JS asks for a slot of at least N bytes, writes its
// input there (the one copy in), calls a kernel, and reads results through a view.
// Slots only grow, so 10,000 calls on same-sized inputs never grow memory.

import { SCRATCH_SLOTS } from '../src/wasm/layout';

const SLOT_COUNT: i32 = SCRATCH_SLOTS;
const slotPtr = new StaticArray<usize>(SLOT_COUNT);
const slotSize = new StaticArray<usize>(SLOT_COUNT);

/** Pointer to slot `slot`, grown to at least `bytes`. Contents are not preserved on growth. */
export function scratch(slot: i32, bytes: usize): usize {
  assert(slot >= 0 && slot < SLOT_COUNT, 'scratch: slot number out of range');
  const current = unchecked(slotSize[slot]);
  if (current >= bytes) return unchecked(slotPtr[slot]);
  if (current > 0) heap.free(unchecked(slotPtr[slot]));
  // Round up so slightly different sizes reuse the same block; 16-byte aligned for v128.
  const size = (bytes + 65535) & ~(<usize>65535);
  const ptr = heap.alloc(size);
  unchecked((slotPtr[slot] = ptr));
  unchecked((slotSize[slot] = size));
  return ptr;
}

/** Returns every slot to the allocator (e.g. after one huge image). */
export function releaseScratch(): void {
  for (let i = 0; i < SLOT_COUNT; i++) {
    if (unchecked(slotSize[i]) > 0) heap.free(unchecked(slotPtr[i]));
    unchecked((slotSize[i] = 0));
    unchecked((slotPtr[i] = 0));
  }
}
