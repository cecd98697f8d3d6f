/**
 * Adds the watermark change to a channel under a peak ceiling, with the WASM limiter
 * (assembly/audio/limiter.ts): where x + d would pass the ceiling the change is faded
 * down around the peak, so |marked| <= max(ceiling, |x|) everywhere. The channel is read
 * from its source and handed to the sink in spans, and so is the change: nothing at the
 * channel's rate is full length in WASM memory.
 */
import type { Core } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import type { ChannelSink, ChannelSource } from './channels.js';
import { audioKernels } from './kernels.js';
import { SPAN } from './spans.js';

/** How far (samples) the limiter spreads its gain each side of a peak before smoothing. */
export const LIMITER_RADIUS = 64;
/**
 * Writes channel `c` of `source` plus `scale` times its change to `sink`, limited; returns
 * the energy of what was added. `change(first, count)` puts the change for samples
 * [first, first + count) in WASM memory and returns where (changeAtRate).
 */
export function limitChannel(
  core: Core,
  source: ChannelSource,
  c: number,
  change: (first: number, count: number) => number,
  ceiling: number,
  scale: number,
  sink: ChannelSink,
): number {
  const k = audioKernels(core);
  const n = source.length;
  const margin = 2 * LIMITER_RADIUS;
  const window = k.scratch(SLOT.audioA, (SPAN + 2 * margin) * 4);
  let added = 0;
  for (let start = 0; start < n; start += SPAN) {
    const end = Math.min(n, start + SPAN);
    const first = Math.max(0, start - margin);
    const count = Math.min(n, end + margin) - first;
    source.read(c, first, core.f32(window, count));
    const d = change(first, count);
    // In place: the marked span overwrites the samples it came from.
    const out = window + (start - first) * 4;
    added += k.audioLimit(window, first, d, first, n, start, end, out, ceiling, scale, LIMITER_RADIUS);
    sink(c, start, core.f32(out, end - start));
  }
  return added;
}
