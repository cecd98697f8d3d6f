// Separable box blur with running sums: O(1) per pixel whatever the radius.
// Edges replicate the border pixel. The vertical pass runs four columns at a time.

/** dst = box(src) with a (2r+1)² window. `tmp` is a w*h f32 plane, `acc` holds w f32. dst may alias src. */
export function boxBlur(src: usize, dst: usize, w: i32, h: i32, r: i32, tmp: usize, acc: usize): void {
  const norm: f32 = <f32>1.0 / <f32>(r * 2 + 1);
  // Horizontal: src -> tmp. Only the first and last r pixels need clamped reads.
  for (let y = 0; y < h; y++) {
    const row = src + (<usize>(y * w) << 2);
    const out = tmp + (<usize>(y * w) << 2);
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
  // Vertical: tmp -> dst, running sum per column held in `acc`.
  const rowBytes = <usize>w << 2;
  memory.fill(acc, 0, rowBytes);
  for (let k = -r; k <= r; k++) addRow(acc, tmp + <usize>clampIndex(k, h) * rowBytes, w, 1.0);
  for (let y = 0; y < h; y++) {
    scaleRow(acc, dst + <usize>y * rowBytes, w, norm);
    addRow(acc, tmp + <usize>clampIndex(y + r + 1, h) * rowBytes, w, 1.0);
    addRow(acc, tmp + <usize>clampIndex(y - r, h) * rowBytes, w, -1.0);
  }
}

@inline function clampIndex(i: i32, n: i32): i32 {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/** acc += sign * row */
function addRow(acc: usize, row: usize, w: i32, sign: f32): void {
  let x = 0;
  if (ASC_FEATURE_SIMD) {
    const s = f32x4.splat(sign);
    for (; x + 4 <= w; x += 4) {
      const o = <usize>x << 2;
      v128.store(acc + o, f32x4.add(v128.load(acc + o), f32x4.mul(v128.load(row + o), s)));
    }
  }
  for (; x < w; x++) {
    const o = <usize>x << 2;
    store<f32>(acc + o, load<f32>(acc + o) + sign * load<f32>(row + o));
  }
}

/** out = acc * k */
function scaleRow(acc: usize, out: usize, w: i32, k: f32): void {
  let x = 0;
  if (ASC_FEATURE_SIMD) {
    const s = f32x4.splat(k);
    for (; x + 4 <= w; x += 4) {
      const o = <usize>x << 2;
      v128.store(out + o, f32x4.mul(v128.load(acc + o), s));
    }
  }
  for (; x < w; x++) {
    const o = <usize>x << 2;
    store<f32>(out + o, load<f32>(acc + o) * k);
  }
}
