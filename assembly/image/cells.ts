// Per-cell statistics on a 4×4-pixel grid. Masks and whitening weights vary
// slowly, so computing them per cell costs 1/16 of the per-pixel work.

import { boxBlur } from '../filters';
import { IMAGE_CELL } from '../../src/wasm/layout';

export const CELL: i32 = IMAGE_CELL;

@inline export function cellsAcross(n: i32): i32 {
  return (n + CELL - 1) / CELL;
}

/**
 * energy[cell] = mean over the cell of r², with r = y − mean of its 4 neighbours
 * (a high-pass that ignores smooth gradients); meanY[cell] = mean luma.
 */
export function cellActivity(y: usize, w: i32, h: i32, energy: usize, meanY: usize): void {
  const cw = cellsAcross(w);
  const ch = cellsAcross(h);
  memory.fill(energy, 0, <usize>(cw * ch) << 2);
  memory.fill(meanY, 0, <usize>(cw * ch) << 2);
  for (let py = 0; py < h; py++) {
    const row = y + (<usize>(py * w) << 2);
    const up = y + (<usize>(max(py - 1, 0) * w) << 2);
    const down = y + (<usize>(min(py + 1, h - 1) * w) << 2);
    const energyRow = energy + (<usize>((py >> 2) * cw) << 2);
    const meanRow = meanY + (<usize>((py >> 2) * cw) << 2);
    let px = 0;
    if (ASC_FEATURE_SIMD) {
      // Four pixels starting at a multiple of 4 are exactly one cell.
      const quarter = f32x4.splat(0.25);
      px = 4;
      for (; px + 5 <= w; px += 4) {
        const o = <usize>px << 2;
        const v = v128.load(row + o);
        const around = f32x4.add(f32x4.add(v128.load(row + o - 4), v128.load(row + o + 4)), f32x4.add(v128.load(up + o), v128.load(down + o)));
        const r = f32x4.sub(v, f32x4.mul(quarter, around));
        const r2 = f32x4.mul(r, r);
        const c = <usize>(px >> 2) << 2;
        store<f32>(energyRow + c, load<f32>(energyRow + c) + f32x4.extract_lane(r2, 0) + f32x4.extract_lane(r2, 1) + f32x4.extract_lane(r2, 2) + f32x4.extract_lane(r2, 3));
        store<f32>(meanRow + c, load<f32>(meanRow + c) + f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
      }
      for (let edge = 0; edge < 4 && edge < w; edge++) accumulatePixel(row, up, down, w, edge, energyRow, meanRow);
    }
    for (; px < w; px++) accumulatePixel(row, up, down, w, px, energyRow, meanRow);
  }
  for (let cy = 0; cy < ch; cy++) {
    const rows = <f32>(min(CELL, h - cy * CELL));
    for (let cx = 0; cx < cw; cx++) {
      const area = rows * <f32>min(CELL, w - cx * CELL);
      const c = <usize>(cy * cw + cx) << 2;
      store<f32>(energy + c, load<f32>(energy + c) / area);
      store<f32>(meanY + c, load<f32>(meanY + c) / area);
    }
  }
}

@inline function accumulatePixel(row: usize, up: usize, down: usize, w: i32, px: i32, energyRow: usize, meanRow: usize): void {
  const o = <usize>px << 2;
  const v = load<f32>(row + o);
  const left = <usize>max(px - 1, 0) << 2;
  const right = <usize>min(px + 1, w - 1) << 2;
  const r = v - 0.25 * (load<f32>(row + left) + load<f32>(row + right) + load<f32>(up + o) + load<f32>(down + o));
  const c = <usize>(px >> 2) << 2;
  store<f32>(energyRow + c, load<f32>(energyRow + c) + r * r);
  store<f32>(meanRow + c, load<f32>(meanRow + c) + v);
}

/** In-place box blur of a cell plane; `tmp` needs cw*ch f32 and `acc` cw f32. */
export function blurCells(plane: usize, w: i32, h: i32, radius: i32, tmp: usize, acc: usize): void {
  boxBlur(plane, plane, cellsAcross(w), cellsAcross(h), radius, tmp, acc);
}

/**
 * In-place minimum filter over (2r+1)² cells (separable). An edge should only
 * mask the mark where texture surrounds it, not on the flat side next to it.
 */
export function erodeCells(plane: usize, w: i32, h: i32, radius: i32, tmp: usize): void {
  const cw = cellsAcross(w);
  const ch = cellsAcross(h);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let m: f32 = Infinity;
      for (let k = max(x - radius, 0); k <= min(x + radius, cw - 1); k++) m = min<f32>(m, load<f32>(plane + (<usize>(y * cw + k) << 2)));
      store<f32>(tmp + (<usize>(y * cw + x) << 2), m);
    }
  }
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let m: f32 = Infinity;
      for (let k = max(y - radius, 0); k <= min(y + radius, ch - 1); k++) m = min<f32>(m, load<f32>(tmp + (<usize>(k * cw + x) << 2)));
      store<f32>(plane + (<usize>(y * cw + x) << 2), m);
    }
  }
}
