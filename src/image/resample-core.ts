import { SLOT } from '../wasm/slots.js';
import { forEachBand } from './bands.js';
import type { Workspace } from './workspace.js';

/**
 * resizePlane (src/image/resample.ts, the reference) run by the core: the plane at `src`
 * (width × height f32) resized to dw × dh into `dst`, through `tmp` (max(dw, width) × max(dh,
 * height) f32 will do). The tap tables are made in the imageTaps slot; src, tmp and dst must be
 * three other slots. The two passes commute; the column pass weighs whole rows with f32x4, so
 * it runs on the wider plane: first when shrinking, last when enlarging.
 */
export function resizePlaneInCore(ws: Workspace, src: number, width: number, height: number, tmp: number, dst: number, dw: number, dh: number): void {
  const { core, k } = ws;
  // The tap tables (those of axisTaps in resample.ts, made by the core): row pass, then column pass.
  const rowTaps = k.axisTapCount(width, dw);
  const colTaps = k.axisTapCount(height, dh);
  const rowStarts = core.exports.scratch(SLOT.imageTaps, (dw * (1 + rowTaps) + dh * (1 + colTaps)) * 4);
  const rowWeights = rowStarts + dw * 4;
  const colStarts = rowWeights + dw * rowTaps * 4;
  const colWeights = colStarts + dh * 4;
  k.axisTaps(width, dw, rowStarts, rowWeights);
  k.axisTaps(height, dh, colStarts, colWeights);
  // In bands of output rows (bands.ts): each output row depends on its own taps alone.
  const columns = (from: number, w: number, h: number, to: number) =>
    forEachBand(dh, (first, end) => k.resampleColumns(from, w, h, to + first * w * 4, end - first, colStarts + first * 4, colWeights + first * colTaps * 4, colTaps));
  const rows = (from: number, h: number, to: number) =>
    forEachBand(h, (first, end) => k.resampleRows(from + first * width * 4, width, end - first, to + first * dw * 4, dw, rowStarts, rowWeights, rowTaps));
  if (dw * dh < width * height) {
    columns(src, width, height, tmp);
    rows(tmp, dh, dst);
  } else {
    rows(src, height, tmp);
    columns(tmp, dw, height, dst);
  }
}
