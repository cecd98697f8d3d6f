// Anti-aliased polygon fill by signed-area accumulation (the approach of font-rs): each edge adds
// its exact area contribution to the cells it crosses, and a running sum along each row gives the
// coverage. Winding cancels inside holes; overlapping same-direction contours clamp to full.
import type { Contour } from './glyphs.js';

/** Coverage in [0, 1] per pixel of a width x height grid, row-major. */
export function rasterizeContours(contours: readonly Contour[], width: number, height: number): Float32Array {
  const stride = width + 2;
  const acc = new Float64Array(stride * height + 2);
  for (const c of contours) {
    const n = c.length;
    for (let i = 0; i < n; i += 2) {
      const j = (i + 2) % n;
      addLine(acc, stride, width, height, c[i], c[i + 1], c[j], c[j + 1]);
    }
  }
  const coverage = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    let sum = 0;
    for (let x = 0; x < width; x++) {
      sum += acc[y * stride + x];
      coverage[y * width + x] = Math.min(1, Math.abs(sum));
    }
  }
  return coverage;
}

function addLine(acc: Float64Array, stride: number, width: number, height: number, xa: number, ya: number, xb: number, yb: number): void {
  if (ya === yb) return;
  const clampX = (x: number) => Math.max(0, Math.min(width, x));
  let dir: number, x0: number, y0: number, x1: number, y1: number;
  if (ya < yb) {
    dir = 1;
    x0 = clampX(xa); y0 = ya; x1 = clampX(xb); y1 = yb;
  } else {
    dir = -1;
    x0 = clampX(xb); y0 = yb; x1 = clampX(xa); y1 = ya;
  }
  const dxdy = (x1 - x0) / (y1 - y0);
  let x = x0;
  if (y0 < 0) x -= y0 * dxdy;
  const yStart = Math.max(0, Math.floor(y0));
  const yEnd = Math.min(height, Math.ceil(y1));
  for (let y = yStart; y < yEnd; y++) {
    const row = y * stride;
    const dy = Math.min(y + 1, y1) - Math.max(y, y0);
    const xNext = x + dxdy * dy;
    const d = dy * dir;
    const lo = x < xNext ? x : xNext;
    const hi = x < xNext ? xNext : x;
    const loFloor = Math.floor(lo);
    const loI = loFloor;
    const hiCeil = Math.ceil(hi);
    const hiI = hiCeil;
    if (hiI <= loI + 1) {
      const mid = 0.5 * (x + xNext) - loFloor;
      acc[row + loI] += d - d * mid;
      acc[row + loI + 1] += d * mid;
    } else {
      const s = 1 / (hi - lo);
      const loFrac = lo - loFloor;
      const a0 = 0.5 * s * (1 - loFrac) * (1 - loFrac);
      const hiFrac = hi - hiCeil + 1;
      const am = 0.5 * s * hiFrac * hiFrac;
      acc[row + loI] += d * a0;
      if (hiI === loI + 2) {
        acc[row + loI + 1] += d * (1 - a0 - am);
      } else {
        const a1 = s * (1.5 - loFrac);
        acc[row + loI + 1] += d * (a1 - a0);
        for (let xi = loI + 2; xi < hiI - 1; xi++) acc[row + xi] += d * s;
        const a2 = a1 + (hiI - loI - 3) * s;
        acc[row + hiI - 1] += d * (1 - a2 - am);
      }
      acc[row + hiI] += d * am;
    }
    x = xNext;
  }
}
