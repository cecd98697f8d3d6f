/** The keyed block layout of the audio mark: which coded bit and sign each (frame, bin) cell carries. */
import type { Core } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import type { WatermarkKey } from '../payload/key.js';
import { audioKernels } from './kernels.js';
import { CELLS, CODED_BITS, SYNC_CHIPS } from './params.js';

export interface Layout {
  /** Coded-bit index of each (frame, bin) cell of the block; -1 = sync chip. */
  chipBit: Int32Array;
  /** Keyed sign of each cell. */
  chipSign: Float32Array;
  /** chipSign on sync cells, 0 elsewhere (the sync correlator's template). */
  sync: Float32Array;
}

const layouts = new Map<string, Layout>();

/** The keyed block layout (cached per key). */
export function layoutFor(core: Core, key: WatermarkKey): Layout {
  const id = `${key.seed[0]}:${key.seed[1]}`;
  let layout = layouts.get(id);
  if (layout) return layout;
  const k = audioKernels(core);
  const base = k.scratch(SLOT.audioE, CELLS * 12);
  k.audioChipMap(key.seed[0] >>> 0, key.seed[1] >>> 0, CELLS, CODED_BITS, SYNC_CHIPS, base, base + CELLS * 4, base + CELLS * 8);
  const chipBit = core.i32(base, CELLS).slice();
  const chipSign = core.f32(base + CELLS * 4, CELLS).slice();
  const sync = new Float32Array(CELLS);
  for (let i = 0; i < CELLS; i++) if (chipBit[i] < 0) sync[i] = chipSign[i];
  layout = { chipBit, chipSign, sync };
  layouts.set(id, layout);
  return layout;
}

/** Per-cell symbol (+1 raise, -1 lower) for the coded bits (coded bit 0 -> +1 times the keyed sign). */
export function cellSymbols(layout: Layout, coded: Uint8Array): Float32Array {
  const symbols = new Float32Array(CELLS);
  for (let i = 0; i < CELLS; i++) {
    const b = layout.chipBit[i];
    symbols[i] = (b < 0 ? 1 : coded[b] ? -1 : 1) * layout.chipSign[i];
  }
  return symbols;
}
