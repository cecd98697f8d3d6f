// Embedding: build the pixel-domain tile from the coded bits, shape it with a
// perceptual mask, and add the same ΔY to R, G and B.

import { blurCells, cellActivity, cellsAcross, erodeCells } from './cells';
import { basis, BLOCKS, BLOCKS_PER_SIDE, COEFS, LOW_BAND, SLOTS, TILE } from './layout';

const TILE_BYTES: usize = <usize>(TILE * TILE) << 2;
/** R and G move by this per level of B on the blue–yellow axis: 0.299 + 0.587 of it cancels 0.114 of B in luma. */
const CHROMA_RG: f32 = -0.114 / 0.886;

/**
 * Two TILE×TILE planes at `tile`: the low band's chips, then the other three.
 * Each chip is sign(slot) · symbol(bit) · 8/√COEFS, so the two planes added
 * together have unit RMS per pixel.
 */
export function buildTilePattern(coded: usize, slotBit: usize, slotSign: usize, tile: usize): void {
  memory.fill(tile, 0, TILE_BYTES * 2);
  const amplitude: f32 = <f32>(8.0 / Math.sqrt(<f64>COEFS));
  for (let slot = 0; slot < SLOTS; slot++) {
    const block = slot / COEFS;
    const j = slot % COEFS;
    const bit = load<u8>(coded + <usize>load<i32>(slotBit + (<usize>slot << 2)));
    const chip = amplitude * load<f32>(slotSign + (<usize>slot << 2)) * (bit ? -1.0 : 1.0);
    const ox = (block % BLOCKS_PER_SIDE) * 8;
    const oy = (block / BLOCKS_PER_SIDE) * 8;
    const plane = tile + (j < LOW_BAND ? 0 : TILE_BYTES);
    for (let y = 0; y < 8; y++) {
      const row = plane + (<usize>((oy + y) * TILE + ox) << 2);
      for (let x = 0; x < 8; x++) {
        const p = row + (<usize>x << 2);
        store<f32>(p, load<f32>(p) + chip * unchecked(basis[j * 64 + y * 8 + x]));
      }
    }
  }
}

/**
 * Embedding amplitude in grey levels per 4×4 cell. Texture masks the mark, so the
 * amplitude grows with the local RMS of the high-pass residual (a smooth gradient
 * has none and counts as flat). Near black and white the amplitude eases off,
 * since clipping there would cut the mark in half and show as banding.
 * In smooth cells the energy moves into the low band: spread over five coefficients
 * every chip falls under JPEG's rounding threshold, while two chips of √(5/2) the
 * size survive. (Every coded bit owns low-band chips, see buildSlotMap.) Outputs two
 * cell planes: low-band amplitude in `mask`, other-band amplitude in `maskHigh`
 * (which holds mean luma on the way).
 */
export function perceptualMask(
  y: usize, w: i32, h: i32, mask: usize, maskHigh: usize, tmp: usize, acc: usize,
  flat: f32, gain: f32, ceiling: f32, flatKnee: f32, headroomFloor: f32,
): void {
  const meanY = maskHigh;
  cellActivity(y, w, h, mask, meanY);
  blurCells(mask, w, h, 1, tmp, acc);
  erodeCells(mask, w, h, 2, tmp);
  const cells = cellsAcross(w) * cellsAcross(h);
  for (let i = 0; i < cells; i++) {
    const o = <usize>i << 2;
    const activity = Mathf.sqrt(max<f32>(load<f32>(mask + o), 0)); // running sums can dip below 0
    let m = min<f32>(flat + gain * activity, ceiling);
    const luma = load<f32>(meanY + o);
    const headroom = min<f32>(luma, 255.0 - luma);
    if (headroom < 12.0) m *= headroomFloor + (1 - headroomFloor) * max<f32>(headroom, 0) / 12.0;
    const high: f32 = flatKnee > 0 ? min<f32>(1, activity / flatKnee) : 1;
    const low: f32 = Mathf.sqrt((<f32>COEFS - <f32>(COEFS - LOW_BAND) * high * high) / <f32>LOW_BAND);
    store<f32>(mask + o, m * low);
    store<f32>(maskHigh + o, m * high);
  }
  // Smooth so the amplitude never jumps between neighbouring cells.
  blurCells(mask, w, h, 1, tmp, acc);
  blurCells(maskHigh, w, h, 1, tmp, acc);
}

/**
 * Adds alpha · mask(cell) · tile(x mod TILE, y mod TILE) to R, G and B (alpha channel
 * untouched), rounding and clamping. Returns the summed squared change over RGB samples.
 */
export function applyMark(pix: usize, w: i32, h: i32, tile: usize, mask: usize, alpha: f32): f64 {
  return applyMarkOver(pix, w, h, tile, mask, alpha, 0, 0, 1);
}

/**
 * applyMark with a second ΔY plane (`extra`, w·h f32, 0 for none) added in the same pass, so
 * a pixel that carries two layers is rounded once. With `chromaGain` > 0 the second plane is
 * also added along the blue–yellow axis that leaves luma unchanged (B by chromaGain · extra,
 * R and G by CHROMA_RG times that), eased off near the limits of any channel (chromaEase), where
 * clipping would halve it and leak into luma. Returns the squared change of all of it.
 */
export function applyMarkOver(
  pix: usize, w: i32, h: i32, tile: usize, mask: usize, alpha: f32, extra: usize, chromaGain: f32, chromaHeadroom: f32,
): f64 {
  return applyMarkRows(pix, w, h, tile, mask, alpha, extra, chromaGain, chromaHeadroom, 0, h);
}

/** applyMarkOver on rows firstRow to endRow − 1 of the w × h image alone (the host runs a large image in bands). */
export function applyMarkRows(
  pix: usize, w: i32, h: i32, tile: usize, mask: usize, alpha: f32, extra: usize, chromaGain: f32, chromaHeadroom: f32, firstRow: i32, endRow: i32,
): f64 {
  const cw = cellsAcross(w);
  const cellPlane = <usize>(cw * cellsAcross(h)) << 2;
  let sse: f64 = 0;
  for (let y = max(firstRow, 0); y < min(endRow, h); y++) {
    const tileRow = tile + (<usize>((y & (TILE - 1)) * TILE) << 2);
    const rowPix = pix + (<usize>(y * w) << 2);
    const maskRow = mask + (<usize>((y >> 2) * cw) << 2);
    const extraRow: usize = extra == 0 ? 0 : extra + (<usize>(y * w) << 2);
    let x = 0;
    if (ASC_FEATURE_SIMD) {
      let rowSse = f32x4.splat(0);
      const zero = f32x4.splat(0);
      const white = f32x4.splat(255);
      for (; x + 4 <= w; x += 4) {
        const t = tileRow + (<usize>(x & (TILE - 1)) << 2);
        const c = <usize>(x >> 2) << 2;
        let d = f32x4.add(
          f32x4.mul(f32x4.splat(alpha * load<f32>(maskRow + c)), v128.load(t)),
          f32x4.mul(f32x4.splat(alpha * load<f32>(maskRow + cellPlane + c)), v128.load(t + TILE_BYTES)),
        );
        const ex = extraRow != 0 ? v128.load(extraRow + (<usize>x << 2)) : zero;
        d = f32x4.add(d, ex);
        const p = rowPix + (<usize>x << 2);
        // The four pixels as planes: RRRR GGGG BBBB AAAA (a 4×4 byte transpose, its own inverse).
        const planar = i8x16.shuffle(v128.load(p), zero, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
        const rg = i16x8.extend_low_i8x16_u(planar);
        const ba = i16x8.extend_high_i8x16_u(planar);
        const red = f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(rg));
        const green = f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(rg));
        const blue = f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(ba));
        // pmin and pmax are one instruction where min and max are several (those order ±0 and pass NaN
        // on): these values are finite, and the one −0 they can meet, a rounded −0.4, clamps to the same byte.
        let dRG = d;
        let dB = d;
        if (chromaGain > 0) {
          // The blue–yellow change (B) and its R, G share, eased near the limits of any channel.
          const rgRoom = f32x4.pmin(f32x4.pmin(red, f32x4.sub(white, red)), f32x4.pmin(green, f32x4.sub(white, green)));
          const room = f32x4.pmin(f32x4.pmin(blue, f32x4.sub(white, blue)), f32x4.mul(rgRoom, f32x4.splat(1 / -CHROMA_RG)));
          const ease = f32x4.pmin(f32x4.pmax(f32x4.mul(room, f32x4.splat(1 / chromaHeadroom)), zero), f32x4.splat(1));
          const cb = f32x4.mul(f32x4.mul(ex, ease), f32x4.splat(chromaGain));
          dRG = f32x4.add(d, f32x4.mul(cb, f32x4.splat(CHROMA_RG)));
          dB = f32x4.add(d, cb);
        }
        const qr = f32x4.pmin(f32x4.pmax(f32x4.nearest(f32x4.add(red, dRG)), zero), white);
        const qg = f32x4.pmin(f32x4.pmax(f32x4.nearest(f32x4.add(green, dRG)), zero), white);
        const qb = f32x4.pmin(f32x4.pmax(f32x4.nearest(f32x4.add(blue, dB)), zero), white);
        const er = f32x4.sub(qr, red);
        const eg = f32x4.sub(qg, green);
        const eb = f32x4.sub(qb, blue);
        // Integer squares: the sums are exact (below 2^24 a lane and row), so their order does not matter.
        rowSse = f32x4.add(rowSse, f32x4.add(f32x4.add(f32x4.mul(er, er), f32x4.mul(eg, eg)), f32x4.mul(eb, eb)));
        const rgOut = i16x8.narrow_i32x4_s(i32x4.trunc_sat_f32x4_s(qr), i32x4.trunc_sat_f32x4_s(qg));
        const baOut = i16x8.narrow_i32x4_s(i32x4.trunc_sat_f32x4_s(qb), i32x4.extend_high_i16x8_u(ba));
        const out = i8x16.narrow_i16x8_u(rgOut, baOut);
        v128.store(p, i8x16.shuffle(out, out, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15));
      }
      sse += <f64>(f32x4.extract_lane(rowSse, 0) + f32x4.extract_lane(rowSse, 1) + f32x4.extract_lane(rowSse, 2) + f32x4.extract_lane(rowSse, 3));
    }
    for (; x < w; x++) {
      const ex: f32 = extraRow != 0 ? load<f32>(extraRow + (<usize>x << 2)) : 0;
      const delta = alpha * markAt(tileRow, maskRow, cellPlane, x) + ex;
      const p = rowPix + (<usize>x << 2);
      let cb: f32 = 0;
      if (chromaGain > 0) {
        cb = chromaGain * ex * chromaEase(<f32>load<u8>(p), <f32>load<u8>(p + 1), <f32>load<u8>(p + 2), chromaHeadroom);
      }
      for (let c = 0; c < 3; c++) {
        const before = <f32>load<u8>(p + c);
        let after: f32 = nearest<f32>(before + delta + (c == 2 ? cb : CHROMA_RG * cb));
        after = after < 0 ? 0 : after > 255 ? 255 : after;
        store<u8>(p + c, <u8>after);
        const diff = <f64>(after - before);
        sse += diff * diff;
      }
    }
  }
  return sse;
}

/**
 * How much of the blue–yellow part a pixel takes: 1, easing to 0 as B comes within `headroom`
 * levels of 0 or 255, or R or G within the share of it they move by (−CHROMA_RG · headroom).
 */
@inline function chromaEase(red: f32, green: f32, blue: f32, headroom: f32): f32 {
  const rgRoom = min<f32>(min<f32>(red, 255 - red), min<f32>(green, 255 - green)) * (1 / -CHROMA_RG);
  return min<f32>(max<f32>(min<f32>(min<f32>(blue, 255 - blue), rgRoom) * (1 / headroom), 0), 1);
}

/** Unscaled ΔY at column x: low-band and other-band tiles, each times its cell amplitude. */
@inline function markAt(tileRow: usize, maskRow: usize, cellPlane: usize, x: i32): f32 {
  const t = tileRow + (<usize>(x & (TILE - 1)) << 2);
  const c = maskRow + (<usize>(x >> 2) << 2);
  return load<f32>(c) * load<f32>(t) + load<f32>(c + cellPlane) * load<f32>(t + TILE_BYTES);
}

/** Σ (mask · tile)² over the image: the unrounded mark energy, for strength calibration. */
export function markEnergy(w: i32, h: i32, tile: usize, mask: usize): f64 {
  const cw = cellsAcross(w);
  const cellPlane = <usize>(cw * cellsAcross(h)) << 2;
  let sum: f64 = 0;
  for (let y = 0; y < h; y++) {
    const tileRow = tile + (<usize>((y & (TILE - 1)) * TILE) << 2);
    const maskRow = mask + (<usize>((y >> 2) * cw) << 2);
    let rowSum: f32 = 0;
    for (let x = 0; x < w; x++) {
      const d = markAt(tileRow, maskRow, cellPlane, x);
      rowSum += d * d;
    }
    sum += <f64>rowSum;
  }
  return sum;
}

