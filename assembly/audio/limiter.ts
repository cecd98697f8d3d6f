// The peak limiter that adds the watermark change under a ceiling, in one linear pass.
// Where x + d would pass the ceiling, the change (never the original) is scaled down by a
// gain that is the running minimum of what each sample tolerates over +-radius samples,
// then averaged over +-radius, so the mark fades out around a peak instead of clicking.
// The gain at a sample depends only on samples within 2 * radius of it, so the signal is
// processed in blocks of BLOCK samples with a 2 * radius margin each side: memory stays
// O(BLOCK + radius) whatever the length, and blocks with no overshoot near them take the
// plain x + d path. Outside the signal the gain counts as 1 (nothing to limit there).

const BLOCK: i32 = 4096;

// Local copies of one block plus margins: samples, scaled change, tolerated gain, running minimum.
let capacity: i32 = 0;
let xl: usize = 0;
let dl: usize = 0;
let need: usize = 0;
let least: usize = 0;
let queue: usize = 0; // i32 indices of the monotone deque

function ensure(length: i32): void {
  if (length <= capacity) return;
  if (capacity > 0) {
    heap.free(xl);
    heap.free(dl);
    heap.free(need);
    heap.free(least);
    heap.free(queue);
  }
  const bytes = <usize>length << 2;
  xl = heap.alloc(bytes);
  dl = heap.alloc(bytes);
  need = heap.alloc(bytes);
  least = heap.alloc(bytes);
  queue = heap.alloc(bytes);
  capacity = length;
}

@inline function at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/**
 * Writes x + w * scale * d for samples [start, end) of an n-sample channel to `out`
 * (out[0] is sample `start`), with |out| <= max(ceiling, |x|), and returns the energy
 * of what was added. x holds samples from index `xFirst` on and must cover
 * [max(0, start - 2 * radius), min(n, end + 2 * radius)); d likewise from `dFirst`.
 * `out` may be the same memory as x or d over [start, end) (each block's inputs are
 * copied before its outputs are written).
 */
export function audioLimit(
  x: usize,
  xFirst: i32,
  d: usize,
  dFirst: i32,
  n: i32,
  start: i32,
  end: i32,
  out: usize,
  ceiling: f32,
  scale: f32,
  radius: i32,
): f64 {
  assert(radius >= 0 && start >= 0 && start <= end && end <= n, 'audioLimit: bad range');
  const margin = 2 * radius;
  const span: f64 = <f64>(2 * radius + 1);
  ensure(BLOCK + 2 * margin);
  let change: f64 = 0;
  let lastOver: i64 = i64.MIN_VALUE; // the last loaded sample whose x + d passes the ceiling
  let loaded = 0; // local samples already valid at the front (the previous block's tail)
  for (let s = start; s < end; s += BLOCK) {
    const e = s + BLOCK < end ? s + BLOCK : end;
    const base = s - margin; // local index k is sample base + k
    const length = e - s + 2 * margin;
    if (loaded > 0) {
      // The previous block's last 2 * margin samples are this block's first.
      const from = <usize>(BLOCK) << 2;
      const bytes = <usize>(2 * margin) << 2;
      memory.copy(xl, xl + from, bytes);
      memory.copy(dl, dl + from, bytes);
      memory.copy(need, need + from, bytes);
    }
    for (let k = loaded; k < length; ) {
      const g = base + k;
      if (ASC_FEATURE_SIMD && g >= 0 && g + 4 <= n && k + 4 <= length) {
        // Four samples at once while none of them passes the ceiling (the same f32 steps).
        const xv = v128.load(at(x, g - xFirst));
        const dv = f32x4.mul(v128.load(at(d, g - dFirst)), f32x4.splat(scale));
        if (!v128.any_true(f32x4.gt(f32x4.abs(f32x4.add(xv, dv)), f32x4.splat(ceiling)))) {
          v128.store(at(xl, k), xv);
          v128.store(at(dl, k), dv);
          v128.store(at(need, k), f32x4.splat(1));
          k += 4;
          continue;
        }
      }
      let xv: f32 = 0;
      let dv: f32 = 0;
      if (g >= 0 && g < n) {
        xv = load<f32>(at(x, g - xFirst));
        dv = load<f32>(at(d, g - dFirst)) * scale;
      }
      const v = xv + dv;
      let tolerated: f32 = 1;
      if (v > ceiling || v < -ceiling) {
        const room = ceiling - Mathf.abs(xv);
        tolerated = room <= 0 ? 0 : Mathf.min(1, room / Mathf.abs(dv));
        lastOver = <i64>g;
      }
      store<f32>(at(xl, k), xv);
      store<f32>(at(dl, k), dv);
      store<f32>(at(need, k), tolerated);
      k++;
    }
    loaded = 2 * margin;
    const count = e - s;
    if (lastOver < <i64>base) {
      // No overshoot within 2 * radius of this block: the gain is 1 throughout. The energy is
      // summed sample by sample, in order, whatever the vector width.
      let k = margin;
      if (ASC_FEATURE_SIMD) {
        for (; k + 4 <= margin + count; k += 4) {
          const dv = v128.load(at(dl, k));
          v128.store(at(out, k - margin + s - start), f32x4.add(v128.load(at(xl, k)), dv));
          const sq = f32x4.mul(dv, dv);
          change += <f64>f32x4.extract_lane(sq, 0);
          change += <f64>f32x4.extract_lane(sq, 1);
          change += <f64>f32x4.extract_lane(sq, 2);
          change += <f64>f32x4.extract_lane(sq, 3);
        }
      }
      for (; k < margin + count; k++) {
        const dv = load<f32>(at(dl, k));
        store<f32>(at(out, k - margin + s - start), load<f32>(at(xl, k)) + dv);
        change += <f64>(dv * dv);
      }
      continue;
    }
    // Running minimum of `need` over [k - radius, k + radius] for k in [radius, length - radius).
    let head = 0;
    let tail = 0;
    let next = 0;
    for (let k = radius; k < length - radius; k++) {
      while (next <= k + radius) {
        const v = load<f32>(at(need, next));
        while (tail > head && load<f32>(at(need, load<i32>(at(queue, tail - 1)))) >= v) tail--;
        store<i32>(at(queue, tail++), next++);
      }
      while (load<i32>(at(queue, head)) < k - radius) head++;
      const g = base + k;
      store<f32>(at(least, k), g >= 0 && g < n ? load<f32>(at(need, load<i32>(at(queue, head)))) : 1);
    }
    // Gain: the moving average of the running minimum (never above `need`, as each term is a
    // minimum over a window holding k), capped by `need` itself against rounding.
    let sum: f64 = 0;
    for (let k = margin - radius; k <= margin + radius; k++) sum += <f64>load<f32>(at(least, k));
    for (let k = margin; k < margin + count; k++) {
      if (k > margin) sum += <f64>load<f32>(at(least, k + radius)) - <f64>load<f32>(at(least, k - radius - 1));
      const w = Mathf.min(load<f32>(at(need, k)), <f32>(sum / span));
      const xv = load<f32>(at(xl, k));
      let y = xv + w * load<f32>(at(dl, k));
      const limit = Mathf.max(ceiling, Mathf.abs(xv));
      if (y > limit) y = limit;
      else if (y < -limit) y = -limit;
      store<f32>(at(out, k - margin + s - start), y);
      const added = <f64>y - <f64>xv;
      change += added * added;
    }
  }
  return change;
}
