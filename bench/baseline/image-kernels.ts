// Plain-TypeScript port of the image kernels (assembly/image/*.ts, assembly/filters.ts,
// assembly/prng.ts): the speed baseline and an independent cross-check of the
// WASM core. Same arithmetic and loop order as the scalar WASM path; intermediates run in
// f64 and are rounded to f32 where the core stores them, so results agree to float rounding.

export const TILE = 128;
export const BLOCKS_PER_SIDE = TILE / 8;
export const BLOCKS = BLOCKS_PER_SIDE * BLOCKS_PER_SIDE;
export const COEFS = 5;
export const SLOTS = BLOCKS * COEFS;
export const LOW_BAND = 2;
export const CELL = 4;
const PHASES = 64;
const SHIFTS = BLOCKS;
const PADDED = TILE + 8;
const TILE_MASK = TILE - 1;
const SIDE_MASK = BLOCKS_PER_SIDE - 1;

export const cellsAcross = (n: number) => ((n + CELL - 1) / CELL) | 0;

/** A per-4×4-cell plane of an image w×h. */
export const cellPlane = (w: number, h: number) => new Float32Array(cellsAcross(w) * cellsAcross(h));

// ---------------------------------------------------------------- PRNG (xoshiro128**)

const U64 = (x: bigint) => BigInt.asUintN(64, x);

function splitmix(x: bigint): bigint {
  x = U64(x + 0x9e3779b97f4a7c15n);
  x = U64((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n);
  x = U64((x ^ (x >> 27n)) * 0x94d049bb133111ebn);
  return x ^ (x >> 31n);
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

export class Xoshiro128 {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  constructor(seedHi: number, seedLo: number, stream: number) {
    const a = splitmix((BigInt(seedHi >>> 0) << 32n) | BigInt(seedLo >>> 0));
    const b = splitmix(a ^ U64(BigInt(stream >>> 0) * 0xd1b54a32d192ed03n));
    this.s0 = Number(a & 0xffffffffn);
    this.s1 = Number(a >> 32n);
    this.s2 = Number(b & 0xffffffffn);
    this.s3 = Number(b >> 32n);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform integer in [0, n): (u32 · n) >> 32, exact in f64 for n < 2^21. */
  nextBelow(n: number): number {
    return Math.floor((this.nextU32() * n) / 4294967296);
  }

  nextSign(): number {
    return this.nextU32() >>> 31 ? -1 : 1;
  }

  /** A keyed permutation of 0..count-1 (Fisher-Yates), into `out`. */
  permutation(out: Int32Array, count: number): Int32Array {
    for (let i = 0; i < count; i++) out[i] = i;
    for (let i = count - 1; i > 0; i--) {
      const j = this.nextBelow(i + 1);
      const a = out[i]!;
      out[i] = out[j]!;
      out[j] = a;
    }
    return out;
  }
}

// ---------------------------------------------------------------- layout

/** Zigzag positions 1..5 as (horizontal u, vertical v). */
const COEF_U = [1, 0, 0, 1, 2];
const COEF_V = [0, 1, 2, 1, 0];

/** Orthonormal 8×8 DCT basis images of zigzag coefficients 1..5: basis[j*64 + y*8 + x]. */
export const basis = (() => {
  const u = COEF_U;
  const v = COEF_V;
  const out = new Float32Array(COEFS * 64);
  for (let j = 0; j < COEFS; j++) {
    const au = u[j] === 0 ? Math.sqrt(0.125) : 0.5;
    const av = v[j] === 0 ? Math.sqrt(0.125) : 0.5;
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        out[j * 64 + y * 8 + x] = au * av * Math.cos(((2 * x + 1) * u[j]! * Math.PI) / 16) * Math.cos(((2 * y + 1) * v[j]! * Math.PI) / 16);
      }
    }
  }
  return out;
})();

export interface SlotMap {
  /** Coded bit of each slot (slot = block*COEFS + coef). */
  bit: Int32Array;
  /** Keyed ±1 of each slot. */
  sign: Float32Array;
  codedBits: number;
}

/** Keyed interleaving of chips to coded bits; every bit owns low-band chips (see layout.ts). */
export function buildSlotMap(seedHi: number, seedLo: number, codedBits: number): SlotMap {
  const rng = new Xoshiro128(seedHi, seedLo, 1);
  const bit = new Int32Array(SLOTS);
  const sign = new Float32Array(SLOTS);
  const lowSlots = BLOCKS * LOW_BAND;
  const high = COEFS - LOW_BAND;
  const perm = new Int32Array(SLOTS);
  rng.permutation(perm, lowSlots);
  for (let i = 0; i < lowSlots; i++) {
    const k = perm[i]!;
    bit[((k / LOW_BAND) | 0) * COEFS + (k % LOW_BAND)] = i % codedBits;
  }
  rng.permutation(perm, BLOCKS * high);
  for (let i = 0; i < BLOCKS * high; i++) {
    const k = perm[i]!;
    bit[((k / high) | 0) * COEFS + LOW_BAND + (k % high)] = (i + lowSlots) % codedBits;
  }
  for (let slot = 0; slot < SLOTS; slot++) sign[slot] = rng.nextSign();
  return { bit, sign, codedBits };
}

// ---------------------------------------------------------------- luma, filters, cells

const WR = Math.fround(0.299);
const WG = Math.fround(0.587);
const WB = Math.fround(0.114);

export function rgbaToLuma(pix: ArrayLike<number>, count: number, out = new Float32Array(count)): Float32Array {
  for (let i = 0, p = 0; i < count; i++, p += 4) out[i] = WR * pix[p]! + WG * pix[p + 1]! + WB * pix[p + 2]!;
  return out;
}

const clampIndex = (i: number, n: number) => (i < 0 ? 0 : i >= n ? n - 1 : i);

/** Reusable scratch for boxBlur: a w*h plane and a w-long accumulator. */
export interface BlurScratch {
  tmp: Float32Array;
  acc: Float32Array;
}

export const blurScratch = (w: number, h: number): BlurScratch => ({ tmp: new Float32Array(w * h), acc: new Float32Array(w) });

/** dst = box(src) with a (2r+1)² window, border replicated, running sums. dst may alias src. */
export function boxBlur(src: Float32Array, dst: Float32Array, w: number, h: number, r: number, scratch = blurScratch(w, h)): Float32Array {
  const norm = Math.fround(1 / (r * 2 + 1));
  const { tmp, acc } = scratch;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let sum = 0;
    for (let k = -r; k <= r; k++) sum += src[row + clampIndex(k, w)]!;
    for (let x = 0; x < w; x++) {
      tmp[row + x] = sum * norm;
      sum += src[row + clampIndex(x + r + 1, w)]! - src[row + clampIndex(x - r, w)]!;
    }
  }
  acc.fill(0, 0, w);
  for (let k = -r; k <= r; k++) addRow(acc, tmp, clampIndex(k, h) * w, w, 1);
  for (let y = 0; y < h; y++) {
    const out = y * w;
    for (let x = 0; x < w; x++) dst[out + x] = acc[x]! * norm;
    addRow(acc, tmp, clampIndex(y + r + 1, h) * w, w, 1);
    addRow(acc, tmp, clampIndex(y - r, h) * w, w, -1);
  }
  return dst;
}

function addRow(acc: Float32Array, plane: Float32Array, row: number, w: number, sign: number): void {
  for (let x = 0; x < w; x++) acc[x] = acc[x]! + sign * plane[row + x]!;
}

/** In-place box blur of a cell plane of an image w×h. */
export function blurCells(plane: Float32Array, w: number, h: number, radius: number): void {
  const cw = cellsAcross(w);
  const ch = cellsAcross(h);
  boxBlur(plane, plane, cw, ch, radius, blurScratch(cw, ch));
}

/** Divides per-cell sums by each cell's pixel count (edge cells are partial). */
function cellMeans(planes: Float32Array[], w: number, h: number): void {
  const cw = cellsAcross(w);
  const ch = cellsAcross(h);
  for (let cy = 0; cy < ch; cy++) {
    const rows = Math.min(CELL, h - cy * CELL);
    for (let cx = 0; cx < cw; cx++) {
      const a = rows * Math.min(CELL, w - cx * CELL);
      for (const plane of planes) plane[cy * cw + cx] = plane[cy * cw + cx]! / a;
    }
  }
}

/** Per cell: mean of r² for r = y − mean of the 4 neighbours, and mean luma. */
export function cellActivity(y: Float32Array, w: number, h: number, energy = cellPlane(w, h), meanY = cellPlane(w, h)): { energy: Float32Array; meanY: Float32Array } {
  const cw = cellsAcross(w);
  energy.fill(0);
  meanY.fill(0);
  for (let py = 0; py < h; py++) {
    const row = py * w;
    const up = Math.max(py - 1, 0) * w;
    const down = Math.min(py + 1, h - 1) * w;
    const cellRow = (py >> 2) * cw;
    for (let px = 0; px < w; px++) {
      const v = y[row + px]!;
      const r = v - 0.25 * (y[row + Math.max(px - 1, 0)]! + y[row + Math.min(px + 1, w - 1)]! + y[up + px]! + y[down + px]!);
      const c = cellRow + (px >> 2);
      energy[c] = energy[c]! + r * r;
      meanY[c] = meanY[c]! + v;
    }
  }
  cellMeans([energy, meanY], w, h);
  return { energy, meanY };
}

/** In-place minimum filter over (2r+1)² cells, separable. */
export function erodeCells(plane: Float32Array, w: number, h: number, radius: number): void {
  const cw = cellsAcross(w);
  const ch = cellsAcross(h);
  const tmp = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let m = Infinity;
      for (let k = Math.max(x - radius, 0); k <= Math.min(x + radius, cw - 1); k++) m = Math.min(m, plane[y * cw + k]!);
      tmp[y * cw + x] = m;
    }
  }
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let m = Infinity;
      for (let k = Math.max(y - radius, 0); k <= Math.min(y + radius, ch - 1); k++) m = Math.min(m, tmp[k * cw + x]!);
      plane[y * cw + x] = m;
    }
  }
}

// ---------------------------------------------------------------- embed

/** The tile pattern: low-band chips, then the other three coefficients, each TILE×TILE. */
export interface TilePattern {
  low: Float32Array;
  high: Float32Array;
}

export function buildTilePattern(coded: Uint8Array, map: SlotMap): TilePattern {
  const tile = { low: new Float32Array(TILE * TILE), high: new Float32Array(TILE * TILE) };
  const amplitude = Math.fround(8 / Math.sqrt(COEFS));
  for (let slot = 0; slot < SLOTS; slot++) {
    const block = (slot / COEFS) | 0;
    const j = slot % COEFS;
    const chip = Math.fround(amplitude * map.sign[slot]! * (coded[map.bit[slot]!] ? -1 : 1));
    const ox = (block % BLOCKS_PER_SIDE) * 8;
    const oy = ((block / BLOCKS_PER_SIDE) | 0) * 8;
    const plane = j < LOW_BAND ? tile.low : tile.high;
    for (let y = 0; y < 8; y++) {
      const row = (oy + y) * TILE + ox;
      for (let x = 0; x < 8; x++) plane[row + x] = plane[row + x]! + chip * basis[j * 64 + y * 8 + x]!;
    }
  }
  return tile;
}

export interface MaskParams {
  flat: number;
  gain: number;
  ceiling: number;
  flatKnee: number;
  headroomFloor: number;
}

/** Per-cell amplitudes: `low` for the low band, `high` for the other coefficients. */
export interface Mask {
  low: Float32Array;
  high: Float32Array;
}

/** Texture-masked, headroom-limited embedding amplitude per cell (see embed.ts perceptualMask). */
export function perceptualMask(y: Float32Array, w: number, h: number, p: MaskParams): Mask {
  const { energy: low, meanY: high } = cellActivity(y, w, h);
  blurCells(low, w, h, 1);
  erodeCells(low, w, h, 2);
  const flat = Math.fround(p.flat);
  const gain = Math.fround(p.gain);
  const ceiling = Math.fround(p.ceiling);
  const flatKnee = Math.fround(p.flatKnee);
  const floor = Math.fround(p.headroomFloor);
  for (let i = 0; i < low.length; i++) {
    const activity = Math.fround(Math.sqrt(Math.max(low[i]!, 0)));
    let m = Math.min(Math.fround(flat + gain * activity), ceiling);
    const luma = high[i]!;
    const headroom = Math.min(luma, 255 - luma);
    if (headroom < 12) m = Math.fround(m * Math.fround(floor + ((1 - floor) * Math.max(headroom, 0)) / 12));
    const hi = flatKnee > 0 ? Math.min(1, Math.fround(activity / flatKnee)) : 1;
    const lo = Math.fround(Math.sqrt(Math.fround(COEFS - (COEFS - LOW_BAND) * hi * hi) / LOW_BAND));
    low[i] = m * lo;
    high[i] = m * hi;
  }
  blurCells(low, w, h, 1);
  blurCells(high, w, h, 1);
  return { low, high };
}

/** Round half to even, as WASM f32.nearest. */
function nearest(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Σ over pixels of the unscaled ΔY, squared or applied: the two per-pixel loops share it. */
function forEachDelta(w: number, h: number, tile: TilePattern, mask: Mask, row: (y: number, delta: Float32Array) => void): void {
  const cw = cellsAcross(w);
  const delta = new Float32Array(w);
  for (let y = 0; y < h; y++) {
    const t = (y & TILE_MASK) * TILE;
    const m = (y >> 2) * cw;
    for (let x = 0; x < w; x++) {
      const tx = t + (x & TILE_MASK);
      const c = m + (x >> 2);
      delta[x] = mask.low[c]! * tile.low[tx]! + mask.high[c]! * tile.high[tx]!;
    }
    row(y, delta);
  }
}

/** Σ (mask · tile)² over the image, for strength calibration. */
export function markEnergy(w: number, h: number, tile: TilePattern, mask: Mask): number {
  let sum = 0;
  forEachDelta(w, h, tile, mask, (_y, delta) => {
    let rowSum = 0;
    for (let x = 0; x < w; x++) rowSum += delta[x]! * delta[x]!;
    sum += rowSum;
  });
  return sum;
}

/** Adds alpha · ΔY to R, G and B in place (rounded, clamped); returns the summed squared change. */
export function applyMark(pix: Uint8Array, w: number, h: number, tile: TilePattern, mask: Mask, alpha: number): number {
  let sse = 0;
  const a = Math.fround(alpha);
  forEachDelta(w, h, tile, mask, (y, delta) => {
    for (let x = 0, p = y * w * 4; x < w; x++, p += 4) {
      const d = Math.fround(a * delta[x]!);
      for (let c = 0; c < 3; c++) {
        const before = pix[p + c]!;
        let after = nearest(Math.fround(before + d));
        after = after < 0 ? 0 : after > 255 ? 255 : after;
        pix[p + c] = after;
        sse += (after - before) * (after - before);
      }
    }
  });
  return sse;
}

// ---------------------------------------------------------------- detect

/** y − the range-weighted (tent of half-width tau) mean of the (2r+1)² window, every `step` px: a weighted row pass, then a weighted column pass. */
export function rangeResidual(y: Float32Array, w: number, h: number, r: number, step: number, tau: number): Float32Array {
  const slope = Math.fround(1 / tau);
  const rows = weightedPass(y, w, h, y, new Float32Array(w * h).fill(1), true, r, step, slope);
  const columns = weightedPass(y, w, h, rows.sums, rows.weights, false, r, step, slope);
  return y.map((c, i) => Math.fround(c - Math.fround(columns.sums[i]! / columns.weights[i]!)));
}

/**
 * For each pixel p: Σ tent(y(q) − y(p)) · sums(q) and Σ tent · weights(q) over the taps
 * q = p + k along the row (or the column), |k| ≤ r, every `step`, inside the image.
 */
function weightedPass(y: Float32Array, w: number, h: number, sums: Float32Array, weights: Float32Array, alongRows: boolean, r: number, step: number, slope: number) {
  const out = { sums: new Float32Array(w * h), weights: new Float32Array(w * h) };
  const [length, stride] = alongRows ? [w, 1] : [h, w];
  for (let p = 0; p < w * h; p++) {
    const at = alongRows ? p % w : Math.floor(p / w); // p's position along the pass
    const c = y[p]!;
    let s = 0;
    let n = 0;
    for (let k = -r; k <= r; k += step) {
      if (at + k < 0 || at + k >= length) continue;
      const q = p + k * stride;
      const tent = Math.max(0, Math.fround(1 - Math.fround(Math.abs(Math.fround(y[q]! - c)) * slope)));
      s = Math.fround(s + Math.fround(sums[q]! * tent));
      n = Math.fround(n + Math.fround(weights[q]! * tent));
    }
    out.sums[p] = s;
    out.weights[p] = n;
  }
  return out;
}

export interface WhitenParams {
  floor: number;
  small: number;
  large: number;
  smoothKnee: number;
  weightBlur: number;
}

/**
 * z = y − lerp(small box, large box, cell smoothness), where a cell is smooth when the large box
 * leaves little more residual than the small one; weights = 1/(local RMS + floor) per cell.
 */
export function whiten(y: Float32Array, w: number, h: number, p: WhitenParams): { z: Float32Array; weights: Float32Array } {
  const scratch = blurScratch(w, h);
  const z = boxBlur(y, new Float32Array(w * h), w, h, p.small, scratch);
  const a = boxBlur(y, new Float32Array(w * h), w, h, p.large, scratch);
  const cw = cellsAcross(w);
  const weights = residualEnergy(y, z, w, h);
  const smooth = residualEnergy(y, a, w, h);
  const floor = Math.fround(p.floor);
  const knee = Math.fround(p.smoothKnee);
  for (let c = 0; c < smooth.length; c++) {
    const leak = Math.fround(Math.sqrt(Math.max(Math.fround(smooth[c]! - weights[c]!), 0)));
    smooth[c] = knee > 0 ? Math.max(0, 1 - Math.fround(leak / knee)) : 0;
  }
  blurCells(weights, w, h, p.weightBlur);
  for (let c = 0; c < weights.length; c++) {
    const rms = Math.fround(Math.sqrt(Math.max(weights[c]!, 0)));
    weights[c] = 1 / Math.fround(rms + floor);
  }
  for (let py = 0; py < h; py++) {
    const row = py * w;
    const cellRow = (py >> 2) * cw;
    for (let px = 0; px < w; px++) {
      const o = row + px;
      const near = z[o]!;
      z[o] = y[o]! - Math.fround(near + Math.fround(smooth[cellRow + (px >> 2)]! * Math.fround(a[o]! - near)));
    }
  }
  return { z, weights };
}

/** Mean of (y − blurred)² per 4×4 cell. */
function residualEnergy(y: Float32Array, blurred: Float32Array, w: number, h: number): Float32Array {
  const cw = cellsAcross(w);
  const energy = cellPlane(w, h);
  for (let py = 0; py < h; py++) {
    const row = py * w;
    const cellRow = (py >> 2) * cw;
    for (let px = 0; px < w; px++) {
      const v = Math.fround(y[row + px]! - blurred[row + px]!);
      const c = cellRow + (px >> 2);
      energy[c] = energy[c]! + Math.fround(v * v);
    }
  }
  const norm = 1 / (CELL * CELL);
  for (let c = 0; c < energy.length; c++) energy[c] = energy[c]! * norm;
  return energy;
}

/** Σ of clip(z · weight, ±clip) over all tiles, folded onto one TILE×TILE plane. */
export function foldTiles(z: Float32Array, w: number, h: number, weights: Float32Array, clip: number): Float32Array {
  const c = Math.fround(clip);
  const folded = new Float32Array(TILE * TILE);
  const cw = cellsAcross(w);
  for (let y = 0; y < h; y++) {
    const dst = (y & TILE_MASK) * TILE;
    const src = y * w;
    const wr = (y >> 2) * cw;
    for (let x = 0; x < w; x++) {
      let v = Math.fround(z[src + x]! * weights[wr + (x >> 2)]!);
      v = v > c ? c : v < -c ? -c : v;
      const d = dst + (x & TILE_MASK);
      folded[d] = folded[d]! + v;
    }
  }
  return folded;
}

/** The folded tile under one of the 8 symmetries of the square (1 mirror x, 2 mirror y, 4 transpose). */
export function orientTile(src: Float32Array, orient: number, dst = new Float32Array(TILE * TILE)): Float32Array {
  for (let y = 0; y < TILE; y++) {
    for (let x = 0; x < TILE; x++) {
      let sx = orient & 4 ? y : x;
      let sy = orient & 4 ? x : y;
      if (orient & 1) sx = TILE - 1 - sx;
      if (orient & 2) sy = TILE - 1 - sy;
      dst[y * TILE + x] = src[sy * TILE + sx]!;
    }
  }
  return dst;
}

/** blockCoefficients(orientTile(tile, orient)) read off blockCoefficients(tile), as assembly/image/detect.ts orientCoefficients does. */
export function orientCoefficients(src: Float32Array, orient: number, dst = new Float32Array(PHASES * SLOTS)): Float32Array {
  const transpose = (orient & 4) !== 0;
  const mirrorX = (orient & 1) !== 0;
  const mirrorY = (orient & 2) !== 0;
  const source: number[] = [];
  const sign: number[] = [];
  for (let j = 0; j < COEFS; j++) {
    const su = transpose ? COEF_V[j]! : COEF_U[j]!;
    const sv = transpose ? COEF_U[j]! : COEF_V[j]!;
    source.push(COEF_U.findIndex((u, i) => u === su && COEF_V[i] === sv));
    sign.push(((mirrorX ? su : 0) + (mirrorY ? sv : 0)) & 1 ? -1 : 1);
  }
  for (let phase = 0; phase < PHASES; phase++) {
    for (let block = 0; block < BLOCKS; block++) {
      const cx = (block % BLOCKS_PER_SIDE) * 8 + (phase & 7);
      const cy = ((block / BLOCKS_PER_SIDE) | 0) * 8 + (phase >> 3);
      const ax = ((mirrorX ? 120 - (transpose ? cy : cx) : transpose ? cy : cx) + TILE) & TILE_MASK;
      const ay = ((mirrorY ? 120 - (transpose ? cx : cy) : transpose ? cx : cy) + TILE) & TILE_MASK;
      const from = (((ay & 7) * 8 + (ax & 7)) * BLOCKS + (ay >> 3) * BLOCKS_PER_SIDE + (ax >> 3)) * COEFS;
      const to = (phase * BLOCKS + block) * COEFS;
      for (let j = 0; j < COEFS; j++) dst[to + j] = sign[j]! * src[from + source[j]!]!;
    }
  }
  return dst;
}

/** coefs[(phase*BLOCKS + block)*COEFS + j]: the five coefficients of every block at every sub-block phase. */
export function blockCoefficients(folded: Float32Array, coefs = new Float32Array(PHASES * SLOTS)): Float32Array {
  const padded = new Float32Array(PADDED * PADDED);
  for (let y = 0; y < PADDED; y++) {
    for (let x = 0; x < PADDED; x++) padded[y * PADDED + x] = folded[(y & TILE_MASK) * TILE + (x & TILE_MASK)]!;
  }
  for (let phase = 0; phase < PHASES; phase++) {
    const px = phase & 7;
    const py = phase >> 3;
    for (let block = 0; block < BLOCKS; block++) {
      const bx = (block % BLOCKS_PER_SIDE) * 8 + px;
      const by = ((block / BLOCKS_PER_SIDE) | 0) * 8 + py;
      const out = (phase * BLOCKS + block) * COEFS;
      for (let j = 0; j < COEFS; j++) {
        let sum = 0;
        for (let y = 0; y < 8; y++) {
          const row = (by + y) * PADDED + bx;
          const brow = j * 64 + y * 8;
          for (let x = 0; x < 8; x++) sum += padded[row + x]! * basis[brow + x]!;
        }
        coefs[out + j] = sum;
      }
    }
  }
  return coefs;
}

// Where each slot's chip lives, precomputed as in detect.ts.
const SLOT_BX = Int32Array.from({ length: SLOTS }, (_, s) => ((s / COEFS) | 0) % BLOCKS_PER_SIDE);
const SLOT_BY = Int32Array.from({ length: SLOTS }, (_, s) => ((s / COEFS / BLOCKS_PER_SIDE) | 0));
const SLOT_J = Int32Array.from({ length: SLOTS }, (_, s) => s % COEFS);

/** Σ sign · coefficient per coded bit over the listed slots, for one (phase, shift) alignment. */
function accumulate(coefs: Float32Array, phase: number, shift: number, map: SlotMap, soft: Float32Array, slots: Int32Array | null, count: number): Float32Array {
  soft.fill(0);
  const sx = shift & SIDE_MASK;
  const sy = (shift / BLOCKS_PER_SIDE) | 0;
  const base = phase * BLOCKS * COEFS;
  for (let i = 0; i < count; i++) {
    const slot = slots ? slots[i]! : i;
    const tx = (SLOT_BX[slot]! + sx) & SIDE_MASK;
    const ty = (SLOT_BY[slot]! + sy) & SIDE_MASK;
    const k = map.bit[slot]!;
    soft[k] = soft[k]! + coefs[base + (ty * BLOCKS_PER_SIDE + tx) * COEFS + SLOT_J[slot]!]! * map.sign[slot]!;
  }
  return soft;
}

/** Soft value of each coded bit at one alignment. */
export function softBits(coefs: Float32Array, phase: number, shift: number, map: SlotMap, soft = new Float32Array(map.codedBits)): Float32Array {
  return accumulate(coefs, phase, shift, map, soft, null, SLOTS);
}

export interface Alignment {
  score: number;
  phase: number;
  shift: number;
  /** The orientation whose coefficients produced it. */
  tag: number;
}

/** The `keep` best alignments so far, best first (score −1: empty). */
export const emptyAlignments = (keep: number): Alignment[] => Array.from({ length: keep }, () => ({ score: -1, phase: 0, shift: 0, tag: 0 }));

function insertBest(best: Alignment[], entry: Alignment): void {
  let i = best.length - 1;
  if (entry.score <= best[i]!.score) return;
  while (i > 0 && best[i - 1]!.score < entry.score) {
    best[i] = best[i - 1]!;
    i--;
  }
  best[i] = entry;
}

function phaseEnergy(coefs: Float32Array, phase: number): number {
  const base = phase * SLOTS;
  let energy = 0;
  for (let i = 0; i < SLOTS; i++) energy += coefs[base + i]! * coefs[base + i]!;
  return Math.fround(energy);
}

function listSlots(map: SlotMap, scoreBits: number): Int32Array {
  const list: number[] = [];
  for (let slot = 0; slot < SLOTS; slot++) if (map.bit[slot]! < scoreBits) list.push(slot);
  return Int32Array.from(list);
}

function alignmentScore(coefs: Float32Array, phase: number, shift: number, map: SlotMap, soft: Float32Array, energy: number, list: Int32Array): number {
  accumulate(coefs, phase, shift, map, soft, list, list.length);
  let sum = 0;
  for (let k = 0; k < map.codedBits; k++) sum += soft[k]! * soft[k]!;
  return Math.fround((sum * SLOTS) / (energy * list.length));
}

const ENERGY_PHASES = 3;

/** Scores every shift at the grid phases plus the ENERGY_PHASES most energetic ones; merges into `best`. */
export function searchAlignment(coefs: Float32Array, map: SlotMap, best: Alignment[], phaseStep: number, tag: number, scoreBits: number): void {
  const list = listSlots(map, scoreBits);
  const soft = new Float32Array(map.codedBits);
  const energies = Float32Array.from({ length: PHASES }, (_, phase) => phaseEnergy(coefs, phase));
  const grid = Array.from({ length: PHASES }, (_, phase) => (phase & 7) % phaseStep === 0 && (phase >> 3) % phaseStep === 0);
  for (let pick = 0; pick < ENERGY_PHASES; pick++) {
    let top = -1;
    let topEnergy = -1;
    for (let phase = 0; phase < PHASES; phase++) {
      if (!grid[phase] && energies[phase]! > topEnergy) {
        topEnergy = energies[phase]!;
        top = phase;
      }
    }
    if (top >= 0) grid[top] = true;
  }
  for (let phase = 0; phase < PHASES; phase++) {
    const energy = energies[phase]!;
    if (!grid[phase] || !(energy > 0)) continue;
    for (let shift = 0; shift < SHIFTS; shift++) {
      insertBest(best, { score: alignmentScore(coefs, phase, shift, map, soft, energy, list), phase, shift, tag });
    }
  }
}

/** Rescores the entries tagged `tag` with every chip over their 3×3 neighbouring phases, keeping the best. */
export function refineAlignments(coefs: Float32Array, map: SlotMap, best: Alignment[], tag: number): void {
  const list = listSlots(map, map.codedBits);
  const soft = new Float32Array(map.codedBits);
  for (const entry of best) {
    if (entry.score < 0 || entry.tag !== tag) continue;
    const { phase: phase0, shift: shift0 } = entry;
    let bestScore = -1;
    let bestPhase = phase0;
    let bestShift = shift0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const qx = (phase0 & 7) + dx;
        const qy = (phase0 >> 3) + dy;
        const sx = ((shift0 & SIDE_MASK) + (qx < 0 ? -1 : qx > 7 ? 1 : 0)) & SIDE_MASK;
        const sy = (((shift0 / BLOCKS_PER_SIDE) | 0) + (qy < 0 ? -1 : qy > 7 ? 1 : 0)) & SIDE_MASK;
        const phase = ((qy + 8) & 7) * 8 + ((qx + 8) & 7);
        const shift = sy * BLOCKS_PER_SIDE + sx;
        const energy = phaseEnergy(coefs, phase);
        if (!(energy > 0)) continue;
        const score = alignmentScore(coefs, phase, shift, map, soft, energy, list);
        if (score > bestScore) {
          bestScore = score;
          bestPhase = phase;
          bestShift = shift;
        }
      }
    }
    entry.score = bestScore;
    entry.phase = bestPhase;
    entry.shift = bestShift;
  }
}
