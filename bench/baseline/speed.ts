// Times the same kernel pipeline (image-pipeline.ts) on the SIMD and scalar WASM cores and in
// plain TypeScript, for the speed pass of bench/image/run.ts (SIMD : scalar : TS).
import { loadCore } from '../../src/node.ts';
import { timeMedian } from '../lib/stats.ts';
import { CODED_BITS, detectAlignedTs, detectAlignedWasm, detectSearchTs, detectSearchWasm, embedImageTs, embedImageWasm, type Seed } from './image-pipeline.ts';

export type KernelFlavor = 'simd' | 'scalar' | 'ts';

/** Median ms of the kernel pipeline: embed, aligned detect (origin only), full alignment search. */
export interface KernelTimes {
  embedMs: number;
  alignedMs: number;
  searchMs: number;
}

const SEED: Seed = [0x2545f491, 0x4f6cdd1d];
// Kernel time does not depend on the bits; alternate them so both chip signs occur.
const CODED = Uint8Array.from({ length: CODED_BITS }, (_, i) => (i * 7) & 1);

export async function timeKernelPipelines(flavor: KernelFlavor, img: { data: Uint8Array | Uint8ClampedArray; width: number; height: number }, runs: number): Promise<KernelTimes> {
  const { data, width: w, height: h } = img;
  const core = flavor === 'ts' ? null : await loadCore(flavor);
  const embed = () => (core ? embedImageWasm(core, data, w, h, CODED, SEED) : embedImageTs(data, w, h, CODED, SEED));
  const marked = embed().rgba;
  const e = await timeMedian(embed, runs);
  const a = await timeMedian(() => (core ? detectAlignedWasm(core, marked, w, h, SEED) : detectAlignedTs(marked, w, h, SEED)), runs);
  const s = await timeMedian(() => (core ? detectSearchWasm(core, marked, w, h, SEED) : detectSearchTs(marked, w, h, SEED)), runs);
  return { embedMs: e.median, alignedMs: a.median, searchMs: s.median };
}
