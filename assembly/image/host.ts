// Host removal for detection: subtract an edge-preserving local mean, so that text,
// UI and other piecewise-flat content leave almost nothing behind but the mark.
//
// A box mean drags the 200-level step of a glyph edge into the paper beside it, and
// that leak outweighs the 1–3-level mark there; under brightness or JPEG the paper's
// own mark is often gone, and what survives sits in the ink. Averaging only the
// neighbours close in value to the centre (a range-weighted box, as in a bilateral
// filter) keeps paper and ink apart, so both keep their chips and the edge leaves no
// leak. The range weight is a tent, max(0, 1 − |Δ|/tau), not a hard gate: the output
// then moves smoothly with the input, and a last-bit luma difference cannot swing it.

/**
 * out = y − the range-weighted mean over the (2r+1)² window, sampled every `step` pixels
 * along each axis (step 2 reads a quarter of the taps; the low band, 16 px and longer,
 * is still sampled finely), weight(q) = tent(y(q) − y(p)).
 * Separable: a weighted row pass (weighted sums in `sums`, weights in `counts`), then a
 * column pass that weighs each row's partials by the tent of that row's pixel in p's column
 * against y(p). Out-of-image taps are skipped. Planes are w*h f32; `out` must not alias y.
 * Streamed (SIMD core): the row pass runs just ahead of the column pass, into a ring of the
 * 2r+1 rows a window spans at the top of `sums` and `counts`, so its partials are read back
 * from cache instead of through two whole planes in memory.
 */
export function rangeResidual(y: usize, w: i32, h: i32, out: usize, sums: usize, counts: usize, r: i32, step: i32, tau: f32): void {
  const slope: f32 = 1 / tau;
  if (!ASC_FEATURE_SIMD) {
    // The scalar core's pixel-by-pixel column loop ran at two thirds of the speed streamed.
    wholePlanes(y, w, h, out, sums, counts, r, step, slope);
    return;
  }
  const rowBytes = <usize>w << 2;
  const ring = min(2 * r + 1, h);
  let made = 0;
  for (let py = 0; py < h; py++) {
    // The rows of the window that lie in the image, first to last.
    let first = py - r;
    while (first < 0) first += step;
    const last = min(py + r, h - 1);
    for (; made <= last; made++) {
      const slot = <usize>(made % ring) * rowBytes;
      weightedRow(y + <usize>made * rowBytes, w, sums + slot, counts + slot, r, step, slope);
    }
    columnRow(y, w, out, sums, counts, py, first, last, first % ring, ring, step, slope);
  }
}

/** rangeResidual over whole planes: every row's partials first, then the column pass. */
function wholePlanes(y: usize, w: i32, h: i32, out: usize, sums: usize, counts: usize, r: i32, step: i32, slope: f32): void {
  const rowBytes = <usize>w << 2;
  for (let py = 0; py < h; py++) weightedRow(y + <usize>py * rowBytes, w, sums + <usize>py * rowBytes, counts + <usize>py * rowBytes, r, step, slope);
  for (let py = 0; py < h; py++) {
    const centre = y + <usize>py * rowBytes;
    const dst = out + <usize>py * rowBytes;
    for (let x = 0; x < w; x++) {
      const o = <usize>x << 2;
      const c = load<f32>(centre + o);
      let s: f32 = 0;
      let n: f32 = 0;
      for (let qy = py - r; qy <= py + r; qy += step) {
        if (<u32>qy >= <u32>h) continue;
        const q = <usize>qy * rowBytes + o;
        const weight = tent(load<f32>(y + q), c, slope);
        s += load<f32>(sums + q) * weight;
        n += load<f32>(counts + q) * weight;
      }
      store<f32>(dst + o, c - s / n);
    }
  }
}

/**
 * Output row py of rangeResidual: the partials of rows first, first + step, … last (held in
 * ring slot firstSlot, then each `step` slots on, wrapping at `ring`) weighed by the tent
 * of each row's pixel against y(p).
 */
function columnRow(y: usize, w: i32, out: usize, sums: usize, counts: usize, py: i32, first: i32, last: i32, firstSlot: i32, ring: i32, step: i32, slope: f32): void {
  const rowBytes = <usize>w << 2;
  const centre = y + <usize>py * rowBytes;
  const dst = out + <usize>py * rowBytes;
  let x = 0;
  if (ASC_FEATURE_SIMD) {
    const slope4 = f32x4.splat(slope);
    // Eight pixels at a time: two independent chains of sums keep the vector units busy.
    for (; x + 8 <= w; x += 8) {
      const o = <usize>x << 2;
      const c0 = v128.load(centre + o);
      const c1 = v128.load(centre + o + 16);
      let s0 = f32x4.splat(0);
      let n0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      let n1 = f32x4.splat(0);
      let slot = firstSlot;
      for (let qy = first; qy <= last; qy += step) {
        const q = <usize>qy * rowBytes + o;
        const p = <usize>slot * rowBytes + o;
        const w0 = tent4(v128.load(y + q), c0, slope4);
        const w1 = tent4(v128.load(y + q + 16), c1, slope4);
        s0 = f32x4.add(s0, f32x4.mul(v128.load(sums + p), w0));
        n0 = f32x4.add(n0, f32x4.mul(v128.load(counts + p), w0));
        s1 = f32x4.add(s1, f32x4.mul(v128.load(sums + p + 16), w1));
        n1 = f32x4.add(n1, f32x4.mul(v128.load(counts + p + 16), w1));
        slot += step;
        if (slot >= ring) slot -= ring;
      }
      v128.store(dst + o, f32x4.sub(c0, f32x4.div(s0, n0)));
      v128.store(dst + o + 16, f32x4.sub(c1, f32x4.div(s1, n1)));
    }
    for (; x + 4 <= w; x += 4) {
      const o = <usize>x << 2;
      const c = v128.load(centre + o);
      let s = f32x4.splat(0);
      let n = f32x4.splat(0);
      let slot = firstSlot;
      for (let qy = first; qy <= last; qy += step) {
        const q = <usize>qy * rowBytes + o;
        const p = <usize>slot * rowBytes + o;
        const weight = tent4(v128.load(y + q), c, slope4);
        s = f32x4.add(s, f32x4.mul(v128.load(sums + p), weight));
        n = f32x4.add(n, f32x4.mul(v128.load(counts + p), weight));
        slot += step;
        if (slot >= ring) slot -= ring;
      }
      v128.store(dst + o, f32x4.sub(c, f32x4.div(s, n)));
    }
  }
  for (; x < w; x++) {
    const o = <usize>x << 2;
    const c = load<f32>(centre + o);
    let s: f32 = 0;
    let n: f32 = 0;
    let slot = firstSlot;
    for (let qy = first; qy <= last; qy += step) {
      const q = <usize>qy * rowBytes + o;
      const p = <usize>slot * rowBytes + o;
      const weight = tent(load<f32>(y + q), c, slope);
      s += load<f32>(sums + p) * weight;
      n += load<f32>(counts + p) * weight;
      slot += step;
      if (slot >= ring) slot -= ring;
    }
    store<f32>(dst + o, c - s / n);
  }
}

/** One row's range-weighted sums and weights over ±r columns. The centre weighs 1, so weights ≥ 1. */
function weightedRow(row: usize, w: i32, sums: usize, counts: usize, r: i32, step: i32, slope: f32): void {
  let x = 0;
  const interiorEnd = w - r - 4; // the SIMD body reads x − r … x + 3 + r
  for (; x < w && x < r; x++) weightedPixel(row, w, sums, counts, x, r, step, slope);
  if (ASC_FEATURE_SIMD) {
    const slope4 = f32x4.splat(slope);
    // Eight pixels at a time (two independent chains), then four.
    for (; x + 4 <= interiorEnd; x += 8) {
      const c0 = v128.load(row + (<usize>x << 2));
      const c1 = v128.load(row + (<usize>x << 2) + 16);
      let s0 = f32x4.splat(0);
      let n0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      let n1 = f32x4.splat(0);
      for (let k = -r; k <= r; k += step) {
        const at = row + (<usize>(x + k) << 2);
        const v0 = v128.load(at);
        const v1 = v128.load(at + 16);
        const w0 = tent4(v0, c0, slope4);
        const w1 = tent4(v1, c1, slope4);
        s0 = f32x4.add(s0, f32x4.mul(v0, w0));
        n0 = f32x4.add(n0, w0);
        s1 = f32x4.add(s1, f32x4.mul(v1, w1));
        n1 = f32x4.add(n1, w1);
      }
      v128.store(sums + (<usize>x << 2), s0);
      v128.store(counts + (<usize>x << 2), n0);
      v128.store(sums + (<usize>x << 2) + 16, s1);
      v128.store(counts + (<usize>x << 2) + 16, n1);
    }
    for (; x <= interiorEnd; x += 4) {
      const c = v128.load(row + (<usize>x << 2));
      let s = f32x4.splat(0);
      let n = f32x4.splat(0);
      for (let k = -r; k <= r; k += step) {
        const v = v128.load(row + (<usize>(x + k) << 2));
        const weight = tent4(v, c, slope4);
        s = f32x4.add(s, f32x4.mul(v, weight));
        n = f32x4.add(n, weight);
      }
      v128.store(sums + (<usize>x << 2), s);
      v128.store(counts + (<usize>x << 2), n);
    }
  }
  for (; x < w; x++) weightedPixel(row, w, sums, counts, x, r, step, slope);
}

@inline function weightedPixel(row: usize, w: i32, sums: usize, counts: usize, x: i32, r: i32, step: i32, slope: f32): void {
  const c = load<f32>(row + (<usize>x << 2));
  let s: f32 = 0;
  let n: f32 = 0;
  for (let k = x - r; k <= x + r; k += step) {
    if (<u32>k >= <u32>w) continue;
    const v = load<f32>(row + (<usize>k << 2));
    const weight = tent(v, c, slope);
    s += v * weight;
    n += weight;
  }
  store<f32>(sums + (<usize>x << 2), s);
  store<f32>(counts + (<usize>x << 2), n);
}

/** max(0, 1 − |v − c| · slope): the range weight. */
@inline function tent(v: f32, c: f32, slope: f32): f32 {
  return max<f32>(0, 1 - Mathf.abs(v - c) * slope);
}

// pmax is one instruction where max is several (max must order ±0 and pass NaN on); the
// tent of finite lumas is never NaN and 0 < ±0 is false either way, so the bits are max's.
@inline function tent4(v: v128, c: v128, slope: v128): v128 {
  return f32x4.pmax(f32x4.splat(0), f32x4.sub(f32x4.splat(1), f32x4.mul(f32x4.abs(f32x4.sub(v, c)), slope)));
}
