/**
 * Adds the watermark change to the channels under a peak ceiling, with the WASM limiter
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
 * Writes every channel of `source` plus `scale` times its change to `sink`, limited, span
 * by span (each span's channels in order, as ChannelSink says); returns the energy of what
 * was added, all channels together. `changes[c](first, count)` puts channel c's change for
 * samples [first, first + count) in WASM memory and returns where (changeAtRate).
 */
export function limitChannels(
  core: Core,
  source: ChannelSource,
  changes: readonly ((first: number, count: number) => number)[],
  ceiling: number,
  scale: number,
  sink: ChannelSink,
): number {
  const k = audioKernels(core);
  const n = source.length;
  const margin = 2 * LIMITER_RADIUS;
  const window = k.scratch(SLOT.audioA, (SPAN + 2 * margin) * 4);
  // Summed per channel, then over channels in order: the same additions as channel by channel.
  const added = new Float64Array(source.count);
  for (let start = 0; start < n; start += SPAN) {
    const end = Math.min(n, start + SPAN);
    const first = Math.max(0, start - margin);
    const count = Math.min(n, end + margin) - first;
    for (let c = 0; c < source.count; c++) {
      source.read(c, first, core.f32(window, count));
      const d = changes[c](first, count);
      // In place: the marked span overwrites the samples it came from.
      const out = window + (start - first) * 4;
      added[c] += k.audioLimit(window, first, d, first, n, start, end, out, ceiling, scale, LIMITER_RADIUS);
      sink(c, start, core.f32(out, end - start));
    }
  }
  let total = 0;
  for (const a of added) total += a;
  return total;
}

/**
 * limitChannels' changes read from `stores`, the changes at the channels' rate kept in the
 * very arrays the sink writes the marked channels to (embedAudio): each span's change is
 * copied into WASM memory before its marked samples replace it, and the part of a span's
 * window that the next one needs again (its margin before the span) is kept from the last
 * window, since the store no longer holds it.
 */
export function storedChanges(core: Core, stores: readonly Float32Array[]): ((first: number, count: number) => number)[] {
  const window = SPAN + 4 * LIMITER_RADIUS;
  const base = audioKernels(core).scratch(SLOT.audioD, stores.length * window * 4);
  return stores.map((store, c) => {
    const at = base + c * window * 4;
    let held = 0; // the window holds samples [heldFirst, heldFirst + held)
    let heldFirst = 0;
    return (first, count) => {
      if (count > window) throw new Error(`storedChanges: a window of ${count} samples is more than ${window}.`);
      const from = Math.max(first, Math.min(heldFirst + held, first + count));
      const keep = held > 0 && first >= heldFirst ? from - first : 0;
      const bytes = new Uint8Array(core.exports.memory.buffer);
      if (keep > 0) bytes.copyWithin(at, at + (first - heldFirst) * 4, at + (first - heldFirst + keep) * 4);
      core.f32(at + keep * 4, count - keep).set(store.subarray(first + keep, first + count));
      heldFirst = first;
      held = count;
      return at;
    };
  });
}
