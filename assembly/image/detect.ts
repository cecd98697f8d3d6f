// Detection: whiten the luma, fold every tile onto one, then find the block
// phase and tile shift whose chips line up, and read soft bits there.

import { addResidualEnergy, blurRingRows, blurStep, boxBlurResidual } from '../filters';
import { blurCells, CELL, cellsAcross } from './cells';
import { basis, BLOCKS, BLOCKS_PER_SIDE, coefU, coefV, COEFS, SLOTS, TILE } from './layout';

const PHASES: i32 = 64;
const SHIFTS: i32 = BLOCKS;
const PADDED: i32 = TILE + 8;

/**
 * Removes the host's low-pass part, z = y − box(y), with a small box near structure and
 * a large one elsewhere. The small box suppresses edges best but also removes 85% of the
 * lowest chips, (1,0) and (0,1). A cell counts as smooth when the large box leaves little
 * more residual than the small one: structure (an edge, a gradient step) would leak into
 * the low band there, while white noise or JPEG ringing leaves both alike and should not
 * cost the low band. Then per 4×4 cell:
 * weight = 1 / (local RMS + floor), the RMS blurred over `weightBlur` cells only, so
 * the flat panel right beside an edge keeps most of its weight.
 * Planes (w*h f32): y (in), z (out), a, b (scratch). Cell planes: weights (out), smooth.
 */
export function whiten(
  y: usize, w: i32, h: i32, z: usize, a: usize, b: usize, weights: usize, smooth: usize, acc: usize,
  floor: f32, small: i32, large: i32, smoothKnee: f32, weightBlur: i32,
): void {
  const cw = cellsAcross(w);
  const cells = cw * cellsAcross(h);
  const rowBytes = <usize>w << 2;
  // Streamed: both blurs advance a row at a time, and a cell row's pixels are whitened as soon
  // as its energies are complete, so y is read once and z written once, with nothing between
  // through memory. The large blur's ring, SIMD columns, sums and the last 4 far rows go in b,
  // the small blur's in a; shorter planes take the same steps over whole planes instead.
  const smallRing = blurRingRows(small);
  const largeRing = blurRingRows(large);
  if (small <= large && largeRing + 9 <= h) {
    const smallCols = a + <usize>smallRing * rowBytes;
    const smallAcc = smallCols + 4 * rowBytes;
    const largeCols = b + <usize>largeRing * rowBytes;
    const largeAcc = largeCols + 4 * rowBytes;
    const far = largeAcc + rowBytes;
    memory.fill(weights, 0, <usize>cells << 2);
    memory.fill(smooth, 0, <usize>cells << 2);
    memory.fill(smallAcc, 0, rowBytes);
    memory.fill(largeAcc, 0, rowBytes);
    let nextSmall = blurStep(y, w, h, small, a, ASC_FEATURE_SIMD ? smallCols : 0, smallAcc, -1, 0, 0);
    let nextLarge = blurStep(y, w, h, large, b, ASC_FEATURE_SIMD ? largeCols : 0, largeAcc, -1, 0, 0);
    for (let py = 0; py < h; py++) {
      const src = y + <usize>py * rowBytes;
      const near = z + <usize>py * rowBytes;
      const farRow = far + <usize>(py & 3) * rowBytes;
      const cellRow = <usize>((py >> 2) * cw) << 2;
      nextSmall = blurStep(y, w, h, small, a, ASC_FEATURE_SIMD ? smallCols : 0, smallAcc, py, nextSmall, near);
      addResidualEnergy(src, near, w, weights + cellRow);
      nextLarge = blurStep(y, w, h, large, b, ASC_FEATURE_SIMD ? largeCols : 0, largeAcc, py, nextLarge, farRow);
      addResidualEnergy(src, farRow, w, smooth + cellRow);
      if ((py & 3) == 3 || py == h - 1) {
        smoothCells(weights, smooth, (py >> 2) * cw, (py >> 2) * cw + cw, smoothKnee);
        for (let row = py & ~3; row <= py; row++) {
          whitenRow(y + <usize>row * rowBytes, z + <usize>row * rowBytes, far + <usize>(row & 3) * rowBytes, smooth + cellRow, w);
        }
      }
    }
  } else {
    boxBlurResidual(y, z, w, h, small, a, acc, weights);
    boxBlurResidual(y, a, w, h, large, b, acc, smooth);
    smoothCells(weights, smooth, 0, cells, smoothKnee);
    for (let py = 0; py < h; py++) {
      const o = <usize>py * rowBytes;
      whitenRow(y + o, z + o, a + o, smooth + (<usize>((py >> 2) * cw) << 2), w);
    }
  }
  blurCells(weights, w, h, weightBlur, b, acc);
  for (let c = 0; c < cells; c++) {
    const o = <usize>c << 2;
    const rms = Mathf.sqrt(max<f32>(load<f32>(weights + o), 0));
    store<f32>(weights + o, 1.0 / (rms + floor));
  }
}

/**
 * Cells [from, to): residual-energy sums to means (weights: the small box's), and smooth to
 * the smoothness 1 − leak/knee, leak = √(large box's mean − small box's), clipped at 0.
 */
function smoothCells(weights: usize, smooth: usize, from: i32, to: i32, smoothKnee: f32): void {
  const norm: f32 = <f32>1.0 / <f32>(CELL * CELL);
  for (let c = from; c < to; c++) {
    const o = <usize>c << 2;
    const near = load<f32>(weights + o) * norm;
    store<f32>(weights + o, near);
    const leak = Mathf.sqrt(max<f32>(load<f32>(smooth + o) * norm - near, 0));
    store<f32>(smooth + o, smoothKnee > 0 ? max<f32>(0, 1 - leak / smoothKnee) : 0);
  }
}

/** One row: z = y − lerp(near (small box, in z), far (large box), smoothness of the cell). */
function whitenRow(y: usize, z: usize, far: usize, smoothRow: usize, w: i32): void {
  let px = 0;
  if (ASC_FEATURE_SIMD) {
    for (; px + 4 <= w; px += 4) {
      const o = <usize>px << 2;
      const s = f32x4.splat(load<f32>(smoothRow + (<usize>(px >> 2) << 2)));
      const near = v128.load(z + o);
      v128.store(z + o, f32x4.sub(v128.load(y + o), f32x4.add(near, f32x4.mul(s, f32x4.sub(v128.load(far + o), near)))));
    }
  }
  for (; px < w; px++) {
    const o = <usize>px << 2;
    const s = load<f32>(smoothRow + (<usize>(px >> 2) << 2));
    const near = load<f32>(z + o);
    store<f32>(z + o, load<f32>(y + o) - (near + s * (load<f32>(far + o) - near)));
  }
}

/**
 * folded[(y mod TILE)*TILE + (x mod TILE)] = Σ clip(z · weight(cell), ±clip) over all tiles.
 * The clip keeps the heavy tail of the host residual (edges, JPEG ringing) from outvoting the
 * many small chip readings; at ±1.5 a pixel counts little more than its sign.
 */
export function foldTiles(z: usize, w: i32, h: i32, weights: usize, folded: usize, clip: f32): void {
  memory.fill(folded, 0, <usize>(TILE * TILE) << 2);
  const cw = cellsAcross(w);
  for (let y = 0; y < h; y++) {
    const dstRow = folded + (<usize>((y & (TILE - 1)) * TILE) << 2);
    const srcRow = z + (<usize>(y * w) << 2);
    const weightRow = weights + (<usize>((y >> 2) * cw) << 2);
    let x = 0;
    if (ASC_FEATURE_SIMD) {
      const hi = f32x4.splat(clip);
      const lo = f32x4.splat(-clip);
      for (; x + 4 <= w; x += 4) {
        const d = dstRow + (<usize>(x & (TILE - 1)) << 2);
        const v = f32x4.mul(v128.load(srcRow + (<usize>x << 2)), f32x4.splat(load<f32>(weightRow + (<usize>(x >> 2) << 2))));
        // pmin/pmax clip exactly as min/max do against a non-zero bound, NaN included, in one instruction each.
        v128.store(d, f32x4.add(v128.load(d), f32x4.pmin(f32x4.pmax(v, lo), hi)));
      }
    }
    for (; x < w; x++) {
      const d = dstRow + (<usize>(x & (TILE - 1)) << 2);
      let v = load<f32>(srcRow + (<usize>x << 2)) * load<f32>(weightRow + (<usize>(x >> 2) << 2));
      v = v > clip ? clip : v < -clip ? -clip : v;
      store<f32>(d, load<f32>(d) + v);
    }
  }
}

// orientCoefficients' per-call tables: which source coefficient, and its sign.
const orientSource = new StaticArray<i32>(COEFS);
const orientSign = new StaticArray<f32>(COEFS);

/**
 * The block coefficients of the tile under one of the 8 symmetries of the square (bit 0:
 * mirror x, bit 1: mirror y, bit 2: transpose; output pixel (x, y) reads the tile at the
 * transposed point, then mirrored), so flipped and quarter-turned images fold onto the
 * mark's own orientation. They are read off the tile's own coefficients (`src`, as
 * blockCoefficients lays them out) instead of recomputed: a mirror maps each
 * block onto another block of the tile, negating the coefficients odd along the mirrored
 * axis, and a transpose swaps (u,v) with (v,u). One blockCoefficients pass then serves
 * all 8 orientations.
 */
export function orientCoefficients(src: usize, dst: usize, orient: i32): void {
  const transpose = (orient & 4) != 0;
  const mirrorX = (orient & 1) != 0;
  const mirrorY = (orient & 2) != 0;
  for (let j = 0; j < COEFS; j++) {
    const u = coefU(j);
    const v = coefV(j);
    const su = transpose ? v : u;
    const sv = transpose ? u : v;
    let sj = 0;
    while (coefU(sj) != su || coefV(sj) != sv) sj++;
    unchecked((orientSource[j] = sj));
    const odd = ((mirrorX ? su : 0) + (mirrorY ? sv : 0)) & 1;
    unchecked((orientSign[j] = odd ? -1.0 : 1.0));
  }
  // The vector path below hard-wires the five coefficients' transpose; any other layout takes the scalar loop.
  const vectors = COEFS == 5 && (transpose ? isSource(1, 0, 4, 3, 2) : isSource(0, 1, 2, 3, 4));
  for (let phase = 0; phase < PHASES; phase++) {
    for (let block = 0; block < BLOCKS; block++) {
      const cx = cornerX(block, phase);
      const cy = cornerY(block, phase);
      const s0 = transpose ? cy : cx;
      const s1 = transpose ? cx : cy;
      const ax = (mirrorX ? 120 - s0 : s0) & (TILE - 1);
      const ay = (mirrorY ? 120 - s1 : s1) & (TILE - 1);
      const from = src + (<usize>(((((ay & 7) << 3) | (ax & 7)) * BLOCKS + (ay >> 3) * BLOCKS_PER_SIDE + (ax >> 3)) * COEFS) << 2);
      const to = blockEntry(dst, phase, block);
      if (ASC_FEATURE_SIMD) {
        if (vectors) {
          orientBlock(from, to, transpose);
          continue;
        }
      }
      for (let j = 0; j < COEFS; j++) {
        store<f32>(to + (<usize>j << 2), unchecked(orientSign[j]) * load<f32>(from + (<usize>unchecked(orientSource[j]) << 2)));
      }
    }
  }
}

@inline function isSource(j0: i32, j1: i32, j2: i32, j3: i32, j4: i32): bool {
  return unchecked(orientSource[0]) == j0 && unchecked(orientSource[1]) == j1 && unchecked(orientSource[2]) == j2 && unchecked(orientSource[3]) == j3 && unchecked(orientSource[4]) == j4;
}

/**
 * One block of orientCoefficients as vectors: its five coefficients as two overlapping
 * vectors, (c0..c3) and (c1..c4). A transpose swaps (1,0) with (0,1) and (0,2) with (2,0),
 * so its first four are (c1, c0, c4, c3) and its last is c2. The same products as the
 * scalar loop, so the same bits.
 */
@inline function orientBlock(from: usize, to: usize, transpose: bool): void {
  const first = v128.load(from);
  const signs = v128.load(changetype<usize>(orientSign));
  if (transpose) {
    v128.store(to, f32x4.mul(v128.shuffle<f32>(first, v128.load(from + 4), 1, 0, 7, 3), signs));
    store<f32>(to + 16, unchecked(orientSign[4]) * load<f32>(from + 8));
  } else {
    v128.store(to, f32x4.mul(first, signs));
    store<f32>(to + 16, unchecked(orientSign[4]) * load<f32>(from + 16));
  }
}

/**
 * For each of the 64 sub-block phases (px, py), the five coefficients of each of the
 * 256 blocks whose corner is at (8i + px, 8j + py) in the cyclic folded tile.
 * coefs layout: [phase][block][coef]; `padded` needs PADDED² f32.
 */
export function blockCoefficients(folded: usize, coefs: usize, padded: usize): void {
  // Wrap-pad the tile so every block read is contiguous.
  for (let y = 0; y < PADDED; y++) {
    for (let x = 0; x < PADDED; x++) {
      const v = load<f32>(folded + (<usize>((y & (TILE - 1)) * TILE + (x & (TILE - 1))) << 2));
      store<f32>(padded + (<usize>(y * PADDED + x) << 2), v);
    }
  }
  for (let phase = 0; phase < PHASES; phase++) {
    for (let block = 0; block < BLOCKS; block++) {
      const bx = cornerX(block, phase);
      const by = cornerY(block, phase);
      const out = blockEntry(coefs, phase, block);
      for (let j = 0; j < COEFS; j++) store<f32>(out + (<usize>j << 2), project(padded, bx, by, j));
    }
  }
}

/** Corner of `block` in the tile, shifted by the sub-block `phase` (px = phase & 7, py = phase >> 3). */
@inline function cornerX(block: i32, phase: i32): i32 {
  return (block % BLOCKS_PER_SIDE) * 8 + (phase & 7);
}
@inline function cornerY(block: i32, phase: i32): i32 {
  return (block / BLOCKS_PER_SIDE) * 8 + (phase >> 3);
}

/** Where a block's COEFS coefficients sit in a [phase][block][coef] table. */
@inline function blockEntry(table: usize, phase: i32, block: i32): usize {
  return table + (<usize>((phase * BLOCKS + block) * COEFS) << 2);
}

@inline function project(padded: usize, bx: i32, by: i32, j: i32): f32 {
  const b = changetype<usize>(basis) + (<usize>(j * 64) << 2);
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(0);
    for (let y = 0; y < 8; y++) {
      const row = padded + (<usize>((by + y) * PADDED + bx) << 2);
      const brow = b + (<usize>(y * 8) << 2);
      acc = f32x4.add(acc, f32x4.mul(v128.load(row), v128.load(brow)));
      acc = f32x4.add(acc, f32x4.mul(v128.load(row + 16), v128.load(brow + 16)));
    }
    return f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  }
  let sum: f32 = 0;
  for (let y = 0; y < 8; y++) {
    const row = padded + (<usize>((by + y) * PADDED + bx) << 2);
    const brow = b + (<usize>(y * 8) << 2);
    for (let x = 0; x < 8; x++) sum += load<f32>(row + (<usize>x << 2)) * load<f32>(brow + (<usize>x << 2));
  }
  return sum;
}

// Where each slot's chip lives, precomputed so the search loop does no division.
const SLOT_BX = new StaticArray<i32>(SLOTS);
const SLOT_BY = new StaticArray<i32>(SLOTS);
const SLOT_J = new StaticArray<i32>(SLOTS);
for (let slot = 0; slot < SLOTS; slot++) {
  const block = slot / COEFS;
  unchecked((SLOT_BX[slot] = block % BLOCKS_PER_SIDE));
  unchecked((SLOT_BY[slot] = block / BLOCKS_PER_SIDE));
  unchecked((SLOT_J[slot] = slot % COEFS));
}

/**
 * Soft value of each coded bit for one alignment: Σ over its chips of sign · coefficient,
 * where embedded block (bx, by) sits at folded block (bx + sx, by + sy) for this phase.
 */
export function softBits(coefs: usize, phase: i32, shift: i32, slotBit: usize, slotSign: usize, codedBits: i32, soft: usize): void {
  memory.fill(soft, 0, <usize>codedBits << 2);
  const sx = shift & (BLOCKS_PER_SIDE - 1);
  const sy = shift / BLOCKS_PER_SIDE;
  const base = blockEntry(coefs, phase, 0);
  for (let slot = 0; slot < SLOTS; slot++) {
    const tx = (unchecked(SLOT_BX[slot]) + sx) & (BLOCKS_PER_SIDE - 1);
    const ty = (unchecked(SLOT_BY[slot]) + sy) & (BLOCKS_PER_SIDE - 1);
    const c = load<f32>(base + (<usize>((ty * BLOCKS_PER_SIDE + tx) * COEFS + unchecked(SLOT_J[slot])) << 2));
    const k = soft + (<usize>load<i32>(slotBit + (<usize>slot << 2)) << 2);
    store<f32>(k, load<f32>(k) + c * load<f32>(slotSign + (<usize>slot << 2)));
  }
}

/** Σ_k soft_k² over the listed slots (whose bits are all under `codedBits`) / coefficient energy of the phase: ≈1 for a wrong alignment. */
function alignmentScore(coefs: usize, phase: i32, shift: i32, slotBit: usize, slotSign: usize, codedBits: i32, soft: usize, energy: f32, list: usize, listed: i32): f32 {
  memory.fill(soft, 0, <usize>codedBits << 2);
  const sx = shift & (BLOCKS_PER_SIDE - 1);
  const sy = shift / BLOCKS_PER_SIDE;
  const base = blockEntry(coefs, phase, 0);
  for (let i = 0; i < listed; i++) {
    const slot = load<i32>(list + (<usize>i << 2));
    const tx = (unchecked(SLOT_BX[slot]) + sx) & (BLOCKS_PER_SIDE - 1);
    const ty = (unchecked(SLOT_BY[slot]) + sy) & (BLOCKS_PER_SIDE - 1);
    const c = load<f32>(base + (<usize>((ty * BLOCKS_PER_SIDE + tx) * COEFS + unchecked(SLOT_J[slot])) << 2));
    const k = soft + (<usize>load<i32>(slotBit + (<usize>slot << 2)) << 2);
    store<f32>(k, load<f32>(k) + c * load<f32>(slotSign + (<usize>slot << 2)));
  }
  let sum: f32 = 0;
  for (let k = 0; k < codedBits; k++) {
    const v = load<f32>(soft + (<usize>k << 2));
    sum += v * v;
  }
  // A wrong alignment gives Σ soft² ≈ the listed slots' share of the energy.
  return sum * <f32>SLOTS / (energy * <f32>listed);
}

function phaseEnergy(coefs: usize, phase: i32): f32 {
  const base = blockEntry(coefs, phase, 0);
  let energy: f32 = 0;
  for (let i = 0; i < SLOTS; i++) {
    const c = load<f32>(base + (<usize>i << 2));
    energy += c * c;
  }
  return energy;
}

/**
 * phaseEnergy of all PHASES phases into `out`, four phases at a time: four independent sums
 * keep the adder busy where one waits on each add, and each sum runs in phaseEnergy's order.
 */
function allPhaseEnergies(coefs: usize, out: usize): void {
  const stride = <usize>(BLOCKS * COEFS) << 2;
  for (let phase = 0; phase < PHASES; phase += 4) {
    const base = blockEntry(coefs, phase, 0);
    let e0: f32 = 0;
    let e1: f32 = 0;
    let e2: f32 = 0;
    let e3: f32 = 0;
    for (let i = 0; i < SLOTS; i++) {
      const at = base + (<usize>i << 2);
      const c0 = load<f32>(at);
      const c1 = load<f32>(at + stride);
      const c2 = load<f32>(at + 2 * stride);
      const c3 = load<f32>(at + 3 * stride);
      e0 += c0 * c0;
      e1 += c1 * c1;
      e2 += c2 * c2;
      e3 += c3 * c3;
    }
    store<f32>(out + (<usize>phase << 2), e0);
    store<f32>(out + (<usize>(phase + 1) << 2), e1);
    store<f32>(out + (<usize>(phase + 2) << 2), e2);
    store<f32>(out + (<usize>(phase + 3) << 2), e3);
  }
}

/** Slots whose coded bit is below `scoreBits`, written to `list`; returns their count. */
function listSlots(slotBit: usize, scoreBits: i32, list: usize): i32 {
  let n = 0;
  for (let slot = 0; slot < SLOTS; slot++) {
    if (load<i32>(slotBit + (<usize>slot << 2)) < scoreBits) store<i32>(list + (<usize>(n++) << 2), slot);
  }
  return n;
}

const ENTRY: i32 = 4; // (score f32, phase i32, shift i32, tag i32)

export function resetAlignments(best: usize, keep: i32): void {
  for (let i = 0; i < keep * ENTRY; i++) store<i32>(best + (<usize>i << 2), 0);
  for (let i = 0; i < keep; i++) store<f32>(best + (<usize>(i * ENTRY) << 2), -1.0);
}

/**
 * Scores every shift at every `phaseStep`-th sub-block phase (the chips are low
 * frequency, so a one-pixel miss costs little) and merges the results into the `keep`
 * best (score, phase, shift, tag) entries of `best`. Only the chips of the first
 * `scoreBits` coded bits are summed: enough to rank alignments at a fraction of the
 * cost. `list` needs SLOTS i32, `soft` codedBits f32.
 */
export function searchAlignment(
  coefs: usize, slotBit: usize, slotSign: usize, codedBits: i32, soft: usize, best: usize, keep: i32,
  phaseStep: i32, tag: i32, scoreBits: i32, list: usize,
): void {
  const listed = listSlots(slotBit, scoreBits, list);
  // Only the listed bits collect chips: the rest of `soft` would stay zero, so it is neither cleared nor summed.
  const scoredBits = min(scoreBits, codedBits);
  // Where the block grid lines up, the mark's energy falls into the five coefficients
  // instead of leaking out of them: the phases with the most coefficient energy are
  // searched besides the coarse grid.
  const energies = changetype<usize>(phaseEnergies);
  let grid: u64 = 0;
  allPhaseEnergies(coefs, energies);
  for (let phase = 0; phase < PHASES; phase++) {
    if ((phase & 7) % phaseStep == 0 && (phase >> 3) % phaseStep == 0) grid |= (<u64>1) << phase;
  }
  for (let pick = 0; pick < ENERGY_PHASES; pick++) {
    let top = -1;
    let topEnergy: f32 = -1;
    for (let phase = 0; phase < PHASES; phase++) {
      const value = load<f32>(energies + (<usize>phase << 2));
      if ((grid & ((<u64>1) << phase)) == 0 && value > topEnergy) {
        topEnergy = value;
        top = phase;
      }
    }
    if (top >= 0) grid |= (<u64>1) << top;
  }
  let prepared = false;
  for (let phase = 0; phase < PHASES; phase++) {
    if ((grid & ((<u64>1) << phase)) == 0) continue;
    const energy = load<f32>(energies + (<usize>phase << 2));
    if (!(energy > 0)) continue;
    if (ASC_FEATURE_SIMD) {
      if (!prepared) prepareListed(slotBit, slotSign, list, listed);
      prepared = true;
      scorePhaseFourShifts(coefs, phase, scoredBits, energy, listed, best, keep, tag);
      continue;
    }
    for (let shift = 0; shift < SHIFTS; shift++) {
      insertBest(best, keep, alignmentScore(coefs, phase, shift, slotBit, slotSign, scoredBits, soft, energy, list, listed), phase, shift, tag);
    }
  }
}

// One phase's coefficients as [coef][block row, twice over][block column, twice over]: four
// neighbouring horizontal shifts then read four neighbouring columns with one load, and every
// vertical shift reads rows without a wrap.
const WIDE_ROW: i32 = 2 * BLOCKS_PER_SIDE;
const WIDE_COEF: i32 = 2 * BLOCKS_PER_SIDE * WIDE_ROW;
const widePhase = new StaticArray<f32>(COEFS * WIDE_COEF);
const MAX_SCORED_BITS: i32 = 512;
const softFour = new StaticArray<f32>(MAX_SCORED_BITS * 4);
// Per listed slot, fixed for a whole search: its chip's byte offset in widePhase at shift 0,
// its soft bit's byte offset in softFour, and its sign in every lane.
const listedChip = new StaticArray<i32>(SLOTS);
const listedSoft = new StaticArray<i32>(SLOTS);
const listedSign = new StaticArray<f32>(SLOTS * 4);

/** Fills listedChip, listedSoft and listedSign for the `listed` slots of `list`. */
function prepareListed(slotBit: usize, slotSign: usize, list: usize, listed: i32): void {
  for (let i = 0; i < listed; i++) {
    const slot = load<i32>(list + (<usize>i << 2));
    unchecked((listedChip[i] = ((unchecked(SLOT_J[slot]) * 2 * BLOCKS_PER_SIDE + unchecked(SLOT_BY[slot])) * WIDE_ROW + unchecked(SLOT_BX[slot])) << 2));
    unchecked((listedSoft[i] = load<i32>(slotBit + (<usize>slot << 2)) << 4));
    const sign = load<f32>(slotSign + (<usize>slot << 2));
    for (let lane = 0; lane < 4; lane++) unchecked((listedSign[i * 4 + lane] = sign));
  }
}

/**
 * alignmentScore for every shift of one phase, four horizontal shifts per vector lane, each
 * merged into `best` in the order the scalar loop would: the same sums in the same order,
 * so the scores are bit-identical to it. prepareListed must have run for `list`.
 */
function scorePhaseFourShifts(coefs: usize, phase: i32, scoredBits: i32, energy: f32, listed: i32, best: usize, keep: i32, tag: i32): void {
  const table = changetype<usize>(widePhase);
  const base = blockEntry(coefs, phase, 0);
  for (let block = 0; block < BLOCKS; block++) {
    const bx = block % BLOCKS_PER_SIDE;
    const by = block / BLOCKS_PER_SIDE;
    for (let j = 0; j < COEFS; j++) {
      const c = load<f32>(base + (<usize>(block * COEFS + j) << 2));
      const row = table + (<usize>(j * WIDE_COEF + by * WIDE_ROW + bx) << 2);
      const below = row + (<usize>(BLOCKS_PER_SIDE * WIDE_ROW) << 2);
      store<f32>(row, c);
      store<f32>(row + (<usize>BLOCKS_PER_SIDE << 2), c);
      store<f32>(below, c);
      store<f32>(below + (<usize>BLOCKS_PER_SIDE << 2), c);
    }
  }
  const soft = changetype<usize>(softFour);
  const chips = changetype<usize>(listedChip);
  const softs = changetype<usize>(listedSoft);
  const signs = changetype<usize>(listedSign);
  const bits = min(scoredBits, MAX_SCORED_BITS);
  const denominator: f32 = energy * <f32>listed;
  for (let sy = 0; sy < BLOCKS_PER_SIDE; sy++) {
    for (let sx = 0; sx < BLOCKS_PER_SIDE; sx += 4) {
      memory.fill(soft, 0, <usize>bits << 4);
      const at = table + (<usize>(sy * WIDE_ROW + sx) << 2);
      for (let i = 0; i < listed; i++) {
        const c = v128.load(at + <usize>load<i32>(chips + (<usize>i << 2)));
        const k = soft + <usize>load<i32>(softs + (<usize>i << 2));
        v128.store(k, f32x4.add(v128.load(k), f32x4.mul(c, v128.load(signs + (<usize>i << 4)))));
      }
      let sum = f32x4.splat(0);
      for (let k = 0; k < bits; k++) {
        const v = v128.load(soft + (<usize>k << 4));
        sum = f32x4.add(sum, f32x4.mul(v, v));
      }
      const shift = sy * BLOCKS_PER_SIDE + sx;
      insertBest(best, keep, f32x4.extract_lane(sum, 0) * <f32>SLOTS / denominator, phase, shift, tag);
      insertBest(best, keep, f32x4.extract_lane(sum, 1) * <f32>SLOTS / denominator, phase, shift + 1, tag);
      insertBest(best, keep, f32x4.extract_lane(sum, 2) * <f32>SLOTS / denominator, phase, shift + 2, tag);
      insertBest(best, keep, f32x4.extract_lane(sum, 3) * <f32>SLOTS / denominator, phase, shift + 3, tag);
    }
  }
}

const ENERGY_PHASES: i32 = 3;
const phaseEnergies = new StaticArray<f32>(PHASES);
const refineEnergies = new StaticArray<f32>(PHASES);

/**
 * Rescores the entries tagged `tag` with every chip, each over its eight neighbouring
 * sub-block phases, keeping the best. `coefs` must be those of that tag's orientation.
 */
export function refineAlignments(coefs: usize, slotBit: usize, slotSign: usize, codedBits: i32, soft: usize, best: usize, keep: i32, tag: i32, list: usize): void {
  const listed = listSlots(slotBit, codedBits, list);
  let known: u64 = 0;
  for (let i = 0; i < keep; i++) {
    const entry = best + (<usize>(i * ENTRY) << 2);
    if (load<f32>(entry) < 0 || load<i32>(entry + 12) != tag) continue;
    const phase0 = load<i32>(entry + 4);
    const shift0 = load<i32>(entry + 8);
    let bestScore: f32 = -1;
    let bestPhase = phase0;
    let bestShift = shift0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        // Stepping the phase past a block edge moves the block shift by one.
        const qx = (phase0 & 7) + dx;
        const qy = (phase0 >> 3) + dy;
        const sx = ((shift0 & (BLOCKS_PER_SIDE - 1)) + (qx < 0 ? -1 : qx > 7 ? 1 : 0)) & (BLOCKS_PER_SIDE - 1);
        const sy = ((shift0 / BLOCKS_PER_SIDE) + (qy < 0 ? -1 : qy > 7 ? 1 : 0)) & (BLOCKS_PER_SIDE - 1);
        const phase = ((qy + 8) & 7) * 8 + ((qx + 8) & 7);
        const shift = sy * BLOCKS_PER_SIDE + sx;
        // Neighbouring entries share phases: each phase's energy is summed once per call.
        if ((known & ((<u64>1) << phase)) == 0) {
          unchecked((refineEnergies[phase] = phaseEnergy(coefs, phase)));
          known |= (<u64>1) << phase;
        }
        const energy = unchecked(refineEnergies[phase]);
        if (!(energy > 0)) continue;
        const score = alignmentScore(coefs, phase, shift, slotBit, slotSign, codedBits, soft, energy, list, listed);
        if (score > bestScore) {
          bestScore = score;
          bestPhase = phase;
          bestShift = shift;
        }
      }
    }
    store<f32>(entry, bestScore);
    store<i32>(entry + 4, bestPhase);
    store<i32>(entry + 8, bestShift);
  }
}

function insertBest(best: usize, keep: i32, score: f32, phase: i32, shift: i32, tag: i32): void {
  let i = keep - 1;
  if (score <= load<f32>(best + (<usize>(i * ENTRY) << 2))) return;
  while (i > 0 && load<f32>(best + (<usize>((i - 1) * ENTRY) << 2)) < score) {
    memory.copy(best + (<usize>(i * ENTRY) << 2), best + (<usize>((i - 1) * ENTRY) << 2), ENTRY * 4);
    i--;
  }
  const entry = best + (<usize>(i * ENTRY) << 2);
  store<f32>(entry, score);
  store<i32>(entry + 4, phase);
  store<i32>(entry + 8, shift);
  store<i32>(entry + 12, tag);
}

