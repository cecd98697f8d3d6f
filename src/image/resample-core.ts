import { SLOT } from '../wasm/slots.js';
import { forEachBand } from './bands.js';
import { axisTaps } from './resample.js';
import type { Workspace } from './workspace.js';

/**
 * resizePlane (src/image/resample.ts, the reference) run by the core: the plane at `src`
 * (width × height f32) resized to dw × dh into `dst`, through `tmp` (max(dw, width) × max(dh,
 * height) f32 will do). The tap tables travel in the imageTaps slot; src, tmp and dst must be
 * three other slots. The two passes commute; the column pass weighs whole rows with f32x4, so
 * it runs on the wider plane: first when shrinking, last when enlarging.
 */
export function resizePlaneInCore(ws: Workspace, src: number, width: number, height: number, tmp: number, dst: number, dw: number, dh: number): void {
  const { core, k } = ws;
  const across = axisTaps(width, dw);
  const down = axisTaps(height, dh);
  const tables = [across.start, across.weights, down.start, down.weights];
  const bytes = tables.reduce((sum, t) => sum + t.length * 4, 0);
  let at = core.exports.scratch(SLOT.imageTaps, bytes);
  const [rowStarts, rowWeights, colStarts, colWeights] = tables.map((t) => {
    const ptr = at;
    if (t instanceof Int32Array) core.i32(ptr, t.length).set(t);
    else core.f32(ptr, t.length).set(t);
    at += t.length * 4;
    return ptr;
  });
  // In bands of output rows (bands.ts): each output row depends on its own taps alone.
  const columns = (from: number, w: number, h: number, to: number) =>
    forEachBand(dh, (first, end) => k.resampleColumns(from, w, h, to + first * w * 4, end - first, colStarts + first * 4, colWeights + first * down.count * 4, down.count));
  const rows = (from: number, h: number, to: number) =>
    forEachBand(h, (first, end) => k.resampleRows(from + first * width * 4, width, end - first, to + first * dw * 4, dw, rowStarts, rowWeights, across.count));
  if (dw * dh < width * height) {
    columns(src, width, height, tmp);
    rows(tmp, dh, dst);
  } else {
    rows(src, height, tmp);
    columns(tmp, dw, height, dst);
  }
}
