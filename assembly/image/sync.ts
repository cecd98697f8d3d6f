// Geometric sync. The mark is a periodic tile, so the autocorrelation of the
// whitened image has a lattice of peaks whose spacing and angle give the scale
// and rotation the image went through. Resampling undoes them before folding.

import { fftComplex } from '../fft';
import { boxBlur, storeTransposed } from '../filters';
import { cellsAcross } from './cells';

/**
 * rows(transpose(rows(x))): the 2-D DFT of x, transposed. Applied twice it needs no transpose back.
 * Only the first `rows` rows of x may be non-zero: the others transform to zero, so the first
 * pass skips them (a window shorter than its power-of-two square).
 */
function dftTransposed(re: usize, im: usize, n: i32, tmp: usize, rows: i32): void {
  for (let row = 0; row < rows; row++) fftComplex(re + (<usize>(row * n) << 2), im + (<usize>(row * n) << 2), n);
  transpose(re, n, tmp);
  transpose(im, n, tmp);
  for (let row = 0; row < n; row++) fftComplex(re + (<usize>(row * n) << 2), im + (<usize>(row * n) << 2), n);
}

// Transposed in TRANSPOSE_BLOCK² tiles, so both the reads and the writes stay within a few cache lines.
const TRANSPOSE_BLOCK: i32 = 16;

function transpose(plane: usize, n: i32, tmp: usize): void {
  const block = min(TRANSPOSE_BLOCK, n);
  if (ASC_FEATURE_SIMD && (block & 3) == 0) {
    transposeFours(plane, n, block);
    return;
  }
  for (let by = 0; by < n; by += block) {
    for (let bx = 0; bx < n; bx += block) {
      for (let y = by; y < by + block; y++) {
        for (let x = bx; x < bx + block; x++) store<f32>(tmp + (<usize>(x * n + y) << 2), load<f32>(plane + (<usize>(y * n + x) << 2)));
      }
    }
  }
  memory.copy(plane, tmp, <usize>(n * n) << 2);
}

/**
 * transpose in place, in 4×4 squares of vectors: each square and its mirror across the
 * diagonal are read, turned with four shuffles each way and written to each other's place.
 * The same values moved, with a quarter of the loads and no copy back.
 */
function transposeFours(plane: usize, n: i32, block: i32): void {
  const rowBytes = <usize>n << 2;
  for (let by = 0; by < n; by += block) {
    for (let bx = by; bx < n; bx += block) {
      for (let y = by; y < by + block; y += 4) {
        for (let x = bx == by ? y : bx; x < bx + block; x += 4) {
          const a = plane + <usize>y * rowBytes + (<usize>x << 2);
          const b = plane + <usize>x * rowBytes + (<usize>y << 2);
          const a0 = v128.load(a);
          const a1 = v128.load(a + rowBytes);
          const a2 = v128.load(a + 2 * rowBytes);
          const a3 = v128.load(a + 3 * rowBytes);
          const b0 = v128.load(b);
          const b1 = v128.load(b + rowBytes);
          const b2 = v128.load(b + 2 * rowBytes);
          const b3 = v128.load(b + 3 * rowBytes);
          storeTransposed(a0, a1, a2, a3, b, b + rowBytes, b + 2 * rowBytes, b + 3 * rowBytes);
          if (a != b) storeTransposed(b0, b1, b2, b3, a, a + rowBytes, a + 2 * rowBytes, a + 3 * rowBytes);
        }
      }
    }
  }
}

// Flattening window of the power spectrum, in bins.
const FLATTEN_RADIUS: i32 = 3;

/**
 * Adds the power spectra of the dw×dh windows of `z` (row stride w) whose corners are
 * (ax, ay) and, unless bx < 0, (bx, by) into `power` (n² f32): each window weighted and
 * clipped at ±clip as the fold does (so edges do not dominate), mean-removed,
 * Tukey-windowed and zero-padded to n×n. Summing the spectra of several windows (Welch's
 * method) steadies the lattice estimate.
 * Both windows are real, so one complex transform carries the two: with Z = DFT(a + i·b),
 * |A(k)|² + |B(k)|² = (|Z(k)|² + |Z(−k)|²) / 2, which also holds for a alone (b = 0).
 * re, im, tmp: n² f32 scratch.
 */
export function addPowerSpectra(z: usize, weights: usize, w: i32, ax: i32, ay: i32, bx: i32, by: i32, dw: i32, dh: i32, clip: f32, n: i32, power: usize, re: usize, im: usize, tmp: usize): void {
  const bytes = <usize>(n * n) << 2;
  memory.fill(re, 0, bytes);
  memory.fill(im, 0, bytes);
  // The windows of the two sides, kept in `tmp` until the transform needs it.
  const taperX = tmp;
  const taperY = tmp + (<usize>n << 2);
  for (let x = 0; x < dw; x++) store<f32>(taperX + (<usize>x << 2), taper(x, dw));
  for (let y = 0; y < dh; y++) store<f32>(taperY + (<usize>y << 2), taper(y, dh));
  const rowWeights = taperY + (<usize>n << 2);
  taperedWindow(z, weights, w, ax, ay, dw, dh, clip, n, re, taperX, taperY, rowWeights);
  if (bx >= 0) taperedWindow(z, weights, w, bx, by, dw, dh, clip, n, im, taperX, taperY, rowWeights);
  dftTransposed(re, im, n, tmp, dh);
  for (let v = 0; v < n; v++) {
    const mirrorRow = <usize>(((n - v) & (n - 1)) * n);
    const row = <usize>(v * n);
    let u = 0;
    if (ASC_FEATURE_SIMD) {
      // Bin 0 mirrors onto itself; bins 1 … n−1 mirror onto n−1 … 1, four at a time, reversed.
      addMirroredPower(re, im, power, row, mirrorRow, 0, n);
      const half = f32x4.splat(0.5);
      for (u = 1; u + 4 <= n; u += 4) {
        const o = (row + <usize>u) << 2;
        const m = (mirrorRow + <usize>(n - u - 3)) << 2;
        const a = v128.load(re + o);
        const b = v128.load(im + o);
        const c = v128.shuffle<f32>(v128.load(re + m), v128.load(re + m), 3, 2, 1, 0);
        const d = v128.shuffle<f32>(v128.load(im + m), v128.load(im + m), 3, 2, 1, 0);
        const sum = f32x4.add(f32x4.add(f32x4.add(f32x4.mul(a, a), f32x4.mul(b, b)), f32x4.mul(c, c)), f32x4.mul(d, d));
        v128.store(power + o, f32x4.add(v128.load(power + o), f32x4.mul(half, sum)));
      }
    }
    for (; u < n; u++) addMirroredPower(re, im, power, row, mirrorRow, u, n);
  }
}

/** power(u, v) += (|Z(u, v)|² + |Z(−u, −v)|²) / 2 for one bin (row: v·n, mirrorRow: (−v mod n)·n). */
@inline function addMirroredPower(re: usize, im: usize, power: usize, row: usize, mirrorRow: usize, u: i32, n: i32): void {
  const o = (row + <usize>u) << 2;
  const m = (mirrorRow + <usize>((n - u) & (n - 1))) << 2;
  const a = load<f32>(re + o);
  const b = load<f32>(im + o);
  const c = load<f32>(re + m);
  const d = load<f32>(im + m);
  store<f32>(power + o, load<f32>(power + o) + 0.5 * (a * a + b * b + c * c + d * d));
}

/**
 * One window of `z` into `out` (row stride n): weighted, clipped at ±clip, mean-removed and
 * tapered. `rowWeights` (dw f32 scratch) holds the SIMD path's cell weights, one per pixel.
 */
function taperedWindow(z: usize, weights: usize, w: i32, x0: i32, y0: i32, dw: i32, dh: i32, clip: f32, n: i32, out: usize, taperX: usize, taperY: usize, rowWeights: usize): void {
  const cw = cellsAcross(w);
  let mean: f64 = 0;
  let spread = -1; // the cell row whose weights rowWeights holds
  for (let y = 0; y < dh; y++) {
    const weightRow = weights + (<usize>(((y0 + y) >> 2) * cw) << 2);
    let x = 0;
    if (ASC_FEATURE_SIMD) {
      if ((y0 + y) >> 2 != spread) {
        for (let i = 0; i < dw; i++) store<f32>(rowWeights + (<usize>i << 2), load<f32>(weightRow + (<usize>((x0 + i) >> 2) << 2)));
        spread = (y0 + y) >> 2;
      }
      // pmin/pmax clip as the ternaries below do; the mean takes the lanes in pixel order.
      const hi = f32x4.splat(clip);
      const lo = f32x4.splat(-clip);
      const src = z + (<usize>((y0 + y) * w + x0) << 2);
      const dst = out + (<usize>(y * n) << 2);
      for (; x + 4 <= dw; x += 4) {
        const v = f32x4.pmin(f32x4.pmax(f32x4.mul(v128.load(src + (<usize>x << 2)), v128.load(rowWeights + (<usize>x << 2))), lo), hi);
        v128.store(dst + (<usize>x << 2), v);
        mean += <f64>f32x4.extract_lane(v, 0);
        mean += <f64>f32x4.extract_lane(v, 1);
        mean += <f64>f32x4.extract_lane(v, 2);
        mean += <f64>f32x4.extract_lane(v, 3);
      }
    }
    for (; x < dw; x++) {
      let v = load<f32>(z + (<usize>((y0 + y) * w + x0 + x) << 2)) * load<f32>(weightRow + (<usize>((x0 + x) >> 2) << 2));
      v = v > clip ? clip : v < -clip ? -clip : v;
      store<f32>(out + (<usize>(y * n + x) << 2), v);
      mean += <f64>v;
    }
  }
  const m = <f32>(mean / <f64>(dw * dh));
  for (let y = 0; y < dh; y++) {
    const wy = load<f32>(taperY + (<usize>y << 2));
    let x = 0;
    if (ASC_FEATURE_SIMD) {
      const m4 = f32x4.splat(m);
      const wy4 = f32x4.splat(wy);
      for (; x + 4 <= dw; x += 4) {
        const o = out + (<usize>(y * n + x) << 2);
        v128.store(o, f32x4.mul(f32x4.mul(f32x4.sub(v128.load(o), m4), wy4), v128.load(taperX + (<usize>x << 2))));
      }
    }
    for (; x < dw; x++) {
      const o = out + (<usize>(y * n + x) << 2);
      store<f32>(o, (load<f32>(o) - m) * wy * load<f32>(taperX + (<usize>x << 2)));
    }
  }
}

/**
 * The autocorrelation (lag (0,0) at index 0, into `re`) of the summed power spectrum in
 * `power`, flattened against its local average first: the host's broad spectral hills go,
 * while the tile's comb of lines (every n/period bins) stands out. The transform is
 * circular, so a lag L also holds some of lag L − n; the caller allows for that.
 * im, tmp: n² f32 scratch; acc: n f32.
 */
export function flattenedAutocorrelation(power: usize, n: i32, re: usize, im: usize, tmp: usize, acc: usize): void {
  boxBlur(power, im, n, n, FLATTEN_RADIUS, tmp, acc);
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const tiny = f32x4.splat(<f32>1e-20);
    for (; i + 4 <= n * n; i += 4) {
      const o = <usize>i << 2;
      v128.store(re + o, f32x4.div(v128.load(power + o), f32x4.add(v128.load(im + o), tiny)));
    }
  }
  for (; i < n * n; i++) {
    const o = <usize>i << 2;
    store<f32>(re + o, load<f32>(power + o) / (load<f32>(im + o) + 1e-20));
  }
  memory.fill(im, 0, <usize>(n * n) << 2);
  dftTransposed(re, im, n, tmp, n);
}

// Tukey window: flat in the middle, cosine tapers over TAPER of each end. A Hann window
// (TAPER 0.5) throws away most of a small image's tiles.
const TAPER: f64 = 0.1;
@inline function taper(i: i32, n: i32): f32 {
  const t = (<f64>i + 0.5) / <f64>n;
  const e = t < 0.5 ? t : 1.0 - t;
  if (e >= TAPER) return 1.0;
  return <f32>(0.5 - 0.5 * Math.cos((Math.PI * e) / TAPER));
}

/**
 * Bicubic (Catmull-Rom) resample of a luma plane: dst(x, y) = src(cx + a·(x − dcx) + b·(y − dcy),
 * cy + c·(x − dcx) + d·(y − dcy)), where (cx, cy) and (dcx, dcy) are the centres.
 * Bilinear would do, but it softens the chips of a downscaled image as it enlarges them
 * back, and a 2× upscale then loses a quarter of its soft-bit SNR. Pixels that fall
 * outside the source take the nearest edge pixel, so no artificial step enters the whitening.
 */
export function warpLuma(src: usize, w: i32, h: i32, dst: usize, dw: i32, dh: i32, a: f32, b: f32, c: f32, d: f32): void {
  const cx = <f32>w * 0.5;
  const cy = <f32>h * 0.5;
  const dcx = <f32>dw * 0.5;
  const dcy = <f32>dh * 0.5;
  const rowBytes = <usize>w << 2;
  for (let y = 0; y < dh; y++) {
    const ry = <f32>y + 0.5 - dcy;
    for (let x = 0; x < dw; x++) {
      const rx = <f32>x + 0.5 - dcx;
      let sx = cx + a * rx + b * ry - 0.5;
      let sy = cy + c * rx + d * ry - 0.5;
      sx = min<f32>(max<f32>(sx, 0), <f32>(w - 1));
      sy = min<f32>(max<f32>(sy, 0), <f32>(h - 1));
      const ix = min(<i32>sx, w - 2);
      const iy = min(<i32>sy, h - 2);
      const fx = sx - <f32>ix;
      const fy = sy - <f32>iy;
      let sum: f32;
      if (ASC_FEATURE_SIMD && ix >= 1 && ix + 2 < w && iy >= 1 && iy + 2 < h) {
        // Interior: the 4×4 taps are four unclamped rows of four; weigh the rows, then the columns.
        const top = src + <usize>(iy - 1) * rowBytes + (<usize>(ix - 1) << 2);
        const wy = catmullWeights(fy);
        let rows = f32x4.mul(v128.load(top), v128.shuffle<f32>(wy, wy, 0, 0, 0, 0));
        rows = f32x4.add(rows, f32x4.mul(v128.load(top + rowBytes), v128.shuffle<f32>(wy, wy, 1, 1, 1, 1)));
        rows = f32x4.add(rows, f32x4.mul(v128.load(top + 2 * rowBytes), v128.shuffle<f32>(wy, wy, 2, 2, 2, 2)));
        rows = f32x4.add(rows, f32x4.mul(v128.load(top + 3 * rowBytes), v128.shuffle<f32>(wy, wy, 3, 3, 3, 3)));
        const weighted = f32x4.mul(rows, catmullWeights(fx));
        sum = f32x4.extract_lane(weighted, 0) + f32x4.extract_lane(weighted, 1) + f32x4.extract_lane(weighted, 2) + f32x4.extract_lane(weighted, 3);
      } else {
        sum = 0;
        for (let j = -1; j <= 2; j++) {
          const row = src + <usize>clampIndex(iy + j, h) * rowBytes;
          const across = catmullRom(fx, load<f32>(row + (<usize>clampIndex(ix - 1, w) << 2)), load<f32>(row + (<usize>ix << 2)), load<f32>(row + (<usize>(ix + 1) << 2)), load<f32>(row + (<usize>clampIndex(ix + 2, w) << 2)));
          sum += catmullWeight(fy, j) * across;
        }
      }
      store<f32>(dst + (<usize>(y * dw + x) << 2), sum);
    }
  }
}

@inline function clampIndex(i: i32, n: i32): i32 {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/** Catmull-Rom interpolation between p1 (t = 0) and p2 (t = 1). */
@inline function catmullRom(t: f32, p0: f32, p1: f32, p2: f32, p3: f32): f32 {
  return p1 + 0.5 * t * (p2 - p0 + t * (2.0 * p0 - 5.0 * p1 + 4.0 * p2 - p3 + t * (3.0 * (p1 - p2) + p3 - p0)));
}

/** The four Catmull-Rom tap weights (taps −1..2) at t, as one vector: Horner on per-tap cubics. */
@inline function catmullWeights(t: f32): v128 {
  const tv = f32x4.splat(t);
  let w = f32x4.add(f32x4.mul(f32x4(-0.5, 1.5, -1.5, 0.5), tv), f32x4(1.0, -2.5, 2.0, -0.5));
  w = f32x4.add(f32x4.mul(w, tv), f32x4(-0.5, 0, 0.5, 0));
  return f32x4.add(f32x4.mul(w, tv), f32x4(0, 1.0, 0, 0));
}

/** Weight of tap j (−1..2) in a Catmull-Rom interpolation at t. */
@inline function catmullWeight(t: f32, j: i32): f32 {
  const t2 = t * t;
  const t3 = t2 * t;
  if (j == -1) return 0.5 * (-t3 + 2.0 * t2 - t);
  if (j == 0) return 0.5 * (3.0 * t3 - 5.0 * t2 + 2.0);
  if (j == 1) return 0.5 * (-3.0 * t3 + 4.0 * t2 + t);
  return 0.5 * (t3 - t2);
}
