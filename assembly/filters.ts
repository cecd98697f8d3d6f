// Separable box blur with running sums: O(1) per pixel whatever the radius.
// Edges replicate the border pixel. The horizontal pass fills a ring of rows just
// ahead of the vertical pass, so its rows are read back from cache, not memory; the
// vertical pass writes each output row and slides its window in one sweep over `acc`.

/** dst = box(src) with a (2r+1)² window. `tmp` is a w*h f32 plane, `acc` holds w f32. dst may alias src. */
export function boxBlur(src: usize, dst: usize, w: i32, h: i32, r: i32, tmp: usize, acc: usize): void {
  blurPlane(src, dst, w, h, r, tmp, acc, 0);
}

/**
 * boxBlur (dst must not alias src), also summing (src − dst)² per 4×4 cell into `energy`
 * (⌈w/4⌉·⌈h/4⌉ f32, zeroed here) while each output row is still in cache.
 */
export function boxBlurResidual(src: usize, dst: usize, w: i32, h: i32, r: i32, tmp: usize, acc: usize, energy: usize): void {
  memory.fill(energy, 0, <usize>(((w + 3) >> 2) * ((h + 3) >> 2)) << 2);
  blurPlane(src, dst, w, h, r, tmp, acc, energy);
}

function blurPlane(src: usize, dst: usize, w: i32, h: i32, r: i32, tmp: usize, acc: usize, energy: usize): void {
  const rowBytes = <usize>w << 2;
  const ring = blurRingRows(r);
  // The SIMD path keeps four rows' columns in the four tmp rows after the ring.
  const cols = ASC_FEATURE_SIMD && ring + 4 <= h ? tmp + <usize>ring * rowBytes : 0;
  memory.fill(acc, 0, rowBytes);
  let next = blurStep(src, w, h, r, tmp, cols, acc, -1, 0, 0);
  const cw = (w + 3) >> 2;
  for (let y = 0; y < h; y++) {
    const out = dst + <usize>y * rowBytes;
    next = blurStep(src, w, h, r, tmp, cols, acc, y, next, out);
    if (energy) addResidualEnergy(src + <usize>y * rowBytes, out, w, energy + (<usize>((y >> 2) * cw) << 2));
  }
}

/** Rows of horizontal blur a streamed box blur keeps: its window (2r+2) and four made ahead. */
export function blurRingRows(r: i32): i32 {
  return r * 2 + 6;
}

/**
 * One step of a box blur streamed row by row (edges replicated, window (2r+1)²): y = −1 fills
 * the first window (next = 0, `acc` zeroed), then y = 0, 1, … writes output row y to `out`.
 * Returns how many horizontal rows are made so far, for the next step. `ring`: the rows of
 * blurRingRows(r) (or h, if fewer) of w f32; `cols`: 4 such rows for the SIMD path, or 0.
 * Horizontal rows are made before output row y is written, so `out` may be src's row y.
 */
export function blurStep(src: usize, w: i32, h: i32, r: i32, ring: usize, cols: usize, acc: usize, y: i32, next: i32, out: usize): i32 {
  const norm: f32 = <f32>1.0 / <f32>(r * 2 + 1);
  const rowBytes = <usize>w << 2;
  const slots = blurRingRows(r);
  const enter = clampIndex(y + r + 1, h);
  while (next <= enter) {
    const at = src + <usize>next * rowBytes;
    if (next + 4 <= h) {
      const out0 = ring + <usize>(next % slots) * rowBytes;
      const out1 = ring + <usize>((next + 1) % slots) * rowBytes;
      const out2 = ring + <usize>((next + 2) % slots) * rowBytes;
      const out3 = ring + <usize>((next + 3) % slots) * rowBytes;
      if (ASC_FEATURE_SIMD && cols) blurRows4Simd(at, rowBytes, out0, out1, out2, out3, w, r, norm, cols);
      else blurRows4(at, rowBytes, out0, out1, out2, out3, w, r, norm);
      next += 4;
    } else {
      blurRow(at, ring + <usize>(next % slots) * rowBytes, w, r, norm);
      next++;
    }
  }
  if (y < 0) {
    for (let k = -r; k <= r; k++) addRow(acc, ring + <usize>(clampIndex(k, h) % slots) * rowBytes, w);
  } else {
    const leave = clampIndex(y - r, h);
    slideRow(acc, out, ring + <usize>(enter % slots) * rowBytes, ring + <usize>(leave % slots) * rowBytes, w, norm);
  }
  return next;
}

/** out = box(row) along x. Only the first and last r pixels need clamped reads. */
function blurRow(row: usize, out: usize, w: i32, r: i32, norm: f32): void {
  let sum: f32 = 0;
  for (let k = -r; k <= r; k++) sum += load<f32>(row + (<usize>clampIndex(k, w) << 2));
  let x = 0;
  const safeEnd = w - r - 1;
  for (; x < w && x < r; x++) {
    store<f32>(out + (<usize>x << 2), sum * norm);
    sum += load<f32>(row + (<usize>clampIndex(x + r + 1, w) << 2)) - load<f32>(row + (<usize>clampIndex(x - r, w) << 2));
  }
  for (; x < safeEnd; x++) {
    store<f32>(out + (<usize>x << 2), sum * norm);
    sum += load<f32>(row + (<usize>(x + r + 1) << 2)) - load<f32>(row + (<usize>(x - r) << 2));
  }
  for (; x < w; x++) {
    store<f32>(out + (<usize>x << 2), sum * norm);
    sum += load<f32>(row + (<usize>clampIndex(x + r + 1, w) << 2)) - load<f32>(row + (<usize>clampIndex(x - r, w) << 2));
  }
}

/**
 * blurRow on four rows `stride` bytes apart at once: four independent running sums keep the
 * adds in flight together instead of each waiting on the last. Same arithmetic per row.
 */
function blurRows4(row: usize, stride: usize, out0: usize, out1: usize, out2: usize, out3: usize, w: i32, r: i32, norm: f32): void {
  const row1 = row + stride;
  const row2 = row1 + stride;
  const row3 = row2 + stride;
  let s0: f32 = 0;
  let s1: f32 = 0;
  let s2: f32 = 0;
  let s3: f32 = 0;
  for (let k = -r; k <= r; k++) {
    const o = <usize>clampIndex(k, w) << 2;
    s0 += load<f32>(row + o);
    s1 += load<f32>(row1 + o);
    s2 += load<f32>(row2 + o);
    s3 += load<f32>(row3 + o);
  }
  const safeEnd = w - r - 1;
  for (let x = 0; x < w; x++) {
    const o = <usize>x << 2;
    store<f32>(out0 + o, s0 * norm);
    store<f32>(out1 + o, s1 * norm);
    store<f32>(out2 + o, s2 * norm);
    store<f32>(out3 + o, s3 * norm);
    // Inside [r, w − r − 1) both reads are in range; only the ends clamp.
    const inside = x >= r && x < safeEnd;
    const a = <usize>(inside ? x + r + 1 : clampIndex(x + r + 1, w)) << 2;
    const b = <usize>(inside ? x - r : clampIndex(x - r, w)) << 2;
    s0 += load<f32>(row + a) - load<f32>(row + b);
    s1 += load<f32>(row1 + a) - load<f32>(row1 + b);
    s2 += load<f32>(row2 + a) - load<f32>(row2 + b);
    s3 += load<f32>(row3 + a) - load<f32>(row3 + b);
  }
}

/**
 * blurRows4 with one f32x4 per column holding the four rows (`cols`: w·16 bytes), so each
 * lane runs one row's running sum, in the same order as blurRow.
 */
function blurRows4Simd(row: usize, stride: usize, out0: usize, out1: usize, out2: usize, out3: usize, w: i32, r: i32, norm: f32, cols: usize): void {
  const row1 = row + stride;
  const row2 = row1 + stride;
  const row3 = row2 + stride;
  let x = 0;
  for (; x + 4 <= w; x += 4) {
    const o = <usize>x << 2;
    const c = cols + (<usize>x << 4);
    storeTransposed(v128.load(row + o), v128.load(row1 + o), v128.load(row2 + o), v128.load(row3 + o), c, c + 16, c + 32, c + 48);
  }
  for (; x < w; x++) {
    const o = <usize>x << 2;
    const c = cols + (<usize>x << 4);
    store<f32>(c, load<f32>(row + o));
    store<f32>(c + 4, load<f32>(row1 + o));
    store<f32>(c + 8, load<f32>(row2 + o));
    store<f32>(c + 12, load<f32>(row3 + o));
  }
  let sum = f32x4.splat(0);
  for (let k = -r; k <= r; k++) sum = f32x4.add(sum, v128.load(cols + (<usize>clampIndex(k, w) << 4)));
  const scale = f32x4.splat(norm);
  const safeEnd = w - r - 1;
  x = 0;
  for (; x + 4 <= w; x += 4) {
    const a = f32x4.mul(sum, scale);
    sum = slideColumns(sum, cols, x, w, r, safeEnd);
    const b = f32x4.mul(sum, scale);
    sum = slideColumns(sum, cols, x + 1, w, r, safeEnd);
    const c = f32x4.mul(sum, scale);
    sum = slideColumns(sum, cols, x + 2, w, r, safeEnd);
    const d = f32x4.mul(sum, scale);
    sum = slideColumns(sum, cols, x + 3, w, r, safeEnd);
    const o = <usize>x << 2;
    storeTransposed(a, b, c, d, out0 + o, out1 + o, out2 + o, out3 + o);
  }
  for (; x < w; x++) {
    const v = f32x4.mul(sum, scale);
    const o = <usize>x << 2;
    store<f32>(out0 + o, f32x4.extract_lane(v, 0));
    store<f32>(out1 + o, f32x4.extract_lane(v, 1));
    store<f32>(out2 + o, f32x4.extract_lane(v, 2));
    store<f32>(out3 + o, f32x4.extract_lane(v, 3));
    sum = slideColumns(sum, cols, x, w, r, safeEnd);
  }
}

/** The four rows' sums after output x: sum + (column x + r + 1 − column x − r), clamped only near the ends. */
@inline function slideColumns(sum: v128, cols: usize, x: i32, w: i32, r: i32, safeEnd: i32): v128 {
  const inside = x >= r && x < safeEnd;
  const enter = cols + (<usize>(inside ? x + r + 1 : clampIndex(x + r + 1, w)) << 4);
  const leave = cols + (<usize>(inside ? x - r : clampIndex(x - r, w)) << 4);
  return f32x4.add(sum, f32x4.sub(v128.load(enter), v128.load(leave)));
}

/** Stores the 4×4 block whose rows are a, b, c, d as its columns: lane i of each to p<i>. */
@inline export function storeTransposed(a: v128, b: v128, c: v128, d: v128, p0: usize, p1: usize, p2: usize, p3: usize): void {
  const ab01 = v128.shuffle<f32>(a, b, 0, 4, 1, 5);
  const ab23 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
  const cd01 = v128.shuffle<f32>(c, d, 0, 4, 1, 5);
  const cd23 = v128.shuffle<f32>(c, d, 2, 6, 3, 7);
  v128.store(p0, v128.shuffle<f32>(ab01, cd01, 0, 1, 4, 5));
  v128.store(p1, v128.shuffle<f32>(ab01, cd01, 2, 3, 6, 7));
  v128.store(p2, v128.shuffle<f32>(ab23, cd23, 0, 1, 4, 5));
  v128.store(p3, v128.shuffle<f32>(ab23, cd23, 2, 3, 6, 7));
}

@inline function clampIndex(i: i32, n: i32): i32 {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/** acc += row */
function addRow(acc: usize, row: usize, w: i32): void {
  let x = 0;
  if (ASC_FEATURE_SIMD) {
    for (; x + 4 <= w; x += 4) {
      const o = <usize>x << 2;
      v128.store(acc + o, f32x4.add(v128.load(acc + o), v128.load(row + o)));
    }
  }
  for (; x < w; x++) {
    const o = <usize>x << 2;
    store<f32>(acc + o, load<f32>(acc + o) + load<f32>(row + o));
  }
}

/** out = acc * k, then acc = acc + enter − leave: the window moves down one row. */
function slideRow(acc: usize, out: usize, enter: usize, leave: usize, w: i32, k: f32): void {
  let x = 0;
  if (ASC_FEATURE_SIMD) {
    const s = f32x4.splat(k);
    for (; x + 4 <= w; x += 4) {
      const o = <usize>x << 2;
      const sum = v128.load(acc + o);
      v128.store(out + o, f32x4.mul(sum, s));
      v128.store(acc + o, f32x4.sub(f32x4.add(sum, v128.load(enter + o)), v128.load(leave + o)));
    }
  }
  for (; x < w; x++) {
    const o = <usize>x << 2;
    const sum = load<f32>(acc + o);
    store<f32>(out + o, sum * k);
    store<f32>(acc + o, sum + load<f32>(enter + o) - load<f32>(leave + o));
  }
}

/** cells[x/4] += Σ (src − blurred)² over the row's pixels, four (one cell) at a time. */
export function addResidualEnergy(src: usize, blurred: usize, w: i32, cells: usize): void {
  let px = 0;
  if (ASC_FEATURE_SIMD) {
    // Four cells at once: transposed, lane i of `first` holds cell i's first pixel, and so on,
    // so each cell still adds its pixels in order, as below.
    for (; px + 16 <= w; px += 16) {
      const o = <usize>px << 2;
      const a = squaredResidual(src + o, blurred + o);
      const b = squaredResidual(src + o + 16, blurred + o + 16);
      const c = squaredResidual(src + o + 32, blurred + o + 32);
      const d = squaredResidual(src + o + 48, blurred + o + 48);
      const ab01 = v128.shuffle<f32>(a, b, 0, 4, 1, 5);
      const ab23 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
      const cd01 = v128.shuffle<f32>(c, d, 0, 4, 1, 5);
      const cd23 = v128.shuffle<f32>(c, d, 2, 6, 3, 7);
      const first = v128.shuffle<f32>(ab01, cd01, 0, 1, 4, 5);
      const second = v128.shuffle<f32>(ab01, cd01, 2, 3, 6, 7);
      const third = v128.shuffle<f32>(ab23, cd23, 0, 1, 4, 5);
      const fourth = v128.shuffle<f32>(ab23, cd23, 2, 3, 6, 7);
      const cell = cells + (<usize>(px >> 2) << 2);
      v128.store(cell, f32x4.add(f32x4.add(f32x4.add(f32x4.add(v128.load(cell), first), second), third), fourth));
    }
    for (; px + 4 <= w; px += 4) {
      const o = <usize>px << 2;
      const v = f32x4.sub(v128.load(src + o), v128.load(blurred + o));
      const v2 = f32x4.mul(v, v);
      const c = cells + (<usize>(px >> 2) << 2);
      store<f32>(c, load<f32>(c) + f32x4.extract_lane(v2, 0) + f32x4.extract_lane(v2, 1) + f32x4.extract_lane(v2, 2) + f32x4.extract_lane(v2, 3));
    }
  }
  for (; px < w; px++) {
    const o = <usize>px << 2;
    const v = load<f32>(src + o) - load<f32>(blurred + o);
    const c = cells + (<usize>(px >> 2) << 2);
    store<f32>(c, load<f32>(c) + v * v);
  }
}

@inline function squaredResidual(src: usize, blurred: usize): v128 {
  const v = f32x4.sub(v128.load(src), v128.load(blurred));
  return f32x4.mul(v, v);
}
