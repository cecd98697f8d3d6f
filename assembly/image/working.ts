// The working-size layer's per-pixel arithmetic (src/image/working-size.ts): in double
// precision, each result rounded to f32 once, so the planes are the ones the TypeScript
// formulas give, bit for bit.

import { cellsAcross } from './cells';
import { TILE } from './layout';

/**
 * out = alpha · (low-band mask · low tile + other mask · other tile) per pixel, unrounded: the ΔY
 * applyMark would add. `mask` holds the two cell planes one after the other, `tile` the two tiles.
 */
export function markDelta(w: i32, h: i32, tile: usize, mask: usize, alpha: f64, out: usize): void {
  const cw = cellsAcross(w);
  const cellPlane = <usize>(cw * cellsAcross(h)) << 2;
  const tilePlane = <usize>(TILE * TILE) << 2;
  for (let y = 0; y < h; y++) {
    const tileRow = tile + (<usize>((y % TILE) * TILE) << 2);
    const maskRow = mask + (<usize>((y >> 2) * cw) << 2);
    const outRow = out + (<usize>(y * w) << 2);
    for (let x = 0; x < w; x++) {
      const t = tileRow + (<usize>(x % TILE) << 2);
      const c = maskRow + (<usize>(x >> 2) << 2);
      const low = <f64>load<f32>(c) * <f64>load<f32>(t);
      const other = <f64>load<f32>(c + cellPlane) * <f64>load<f32>(t + tilePlane);
      store<f32>(outRow + (<usize>x << 2), <f32>(alpha * (low + other)));
    }
  }
}

/** dst = a + gain · b over `count` samples (dst may be a or b). */
export function addScaledPlane(dst: usize, a: usize, b: usize, gain: f64, count: i32): void {
  for (let i = 0; i < count; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, <f32>(<f64>load<f32>(a + o) + gain * <f64>load<f32>(b + o)));
  }
}

/** plane ·= gain over `count` samples. */
export function scalePlane(plane: usize, count: i32, gain: f64): void {
  for (let i = 0; i < count; i++) {
    const o = <usize>i << 2;
    store<f32>(plane + o, <f32>(<f64>load<f32>(plane + o) * gain));
  }
}
