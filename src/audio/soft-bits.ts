/** Soft bits: one sync candidate's fold read out as soft coded bits for the Viterbi decoder. */
import type { Core } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import { audioKernels } from './kernels.js';
import type { Layout } from './layout.js';
import type { SyncCandidate } from './sync-search.js';
import { BLOCK_FRAMES, CELLS, CODED_BITS } from './params.js';

/** Soft coded bits of one candidate (positive = coded bit 0), scaled to unit RMS. */
export function softBits(core: Core, candidate: SyncCandidate, layout: Layout): Float32Array {
  const k = audioKernels(core);
  const pTables = k.scratch(SLOT.audioE, CELLS * 12);
  const pWork = k.scratch(SLOT.audioF, (CELLS + BLOCK_FRAMES + CODED_BITS) * 4);
  const pFold = pWork;
  const pSoft = pWork + (CELLS + BLOCK_FRAMES) * 4;
  core.i32(pTables, CELLS).set(layout.chipBit);
  core.f32(pTables + CELLS * 4, CELLS).set(layout.chipSign);
  core.f32(pFold, CELLS).set(candidate.fold);
  k.audioSoftBits(pFold, pTables, pTables + CELLS * 4, BLOCK_FRAMES, candidate.phase, pSoft, CODED_BITS);
  const soft = core.f32(pSoft, CODED_BITS).slice();
  let sq = 0;
  for (const v of soft) sq += v * v;
  const scale = sq > 0 ? 1 / Math.sqrt(sq / CODED_BITS) : 0;
  for (let i = 0; i < soft.length; i++) soft[i] *= scale;
  return soft;
}
