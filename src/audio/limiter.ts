/**
 * Adds the watermark delta under a peak ceiling. Where x + d would pass the
 * ceiling, the delta (never the original) is scaled down, by a gain that is the
 * running minimum of what each sample needs, spread over +-`radius` samples and
 * smoothed, so the mark fades out around a peak instead of clicking.
 * `delta` is scaled in place by `scale` first. Returns x + w * d with
 * |marked| <= max(ceiling, |x|) everywhere, and the energy of what was added.
 */
export function addLimited(
  x: Float32Array,
  delta: Float32Array,
  ceiling: number,
  scale = 1,
  radius = 64,
): { marked: Float32Array; change: number } {
  const n = x.length;
  const d = delta;
  if (scale !== 1) for (let i = 0; i < n; i++) d[i] *= scale;
  const y = new Float32Array(n);
  let over = false;
  let change = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i] + d[i];
    y[i] = v;
    change += d[i] * d[i];
    if (v > ceiling || v < -ceiling) over = true;
  }
  if (!over) return { marked: y, change };
  // need[i]: the largest delta gain sample i tolerates.
  const need = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i] + d[i];
    if (v <= ceiling && v >= -ceiling) need[i] = 1;
    else {
      const room = ceiling - Math.abs(x[i]);
      need[i] = room <= 0 ? 0 : Math.min(1, room / Math.abs(d[i]));
    }
  }
  const minimum = runningMin(need, radius);
  // Moving average of the running minimum stays <= need[i] at every i (each term is a minimum over a window holding i).
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + minimum[i];
  const span = 2 * radius + 1;
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - radius);
    const b = Math.min(n - 1, i + radius);
    const outside = span - (b - a + 1); // beyond the ends: no limiting needed
    w[i] = Math.min(need[i], (prefix[b + 1] - prefix[a] + outside) / span);
  }
  for (let i = 0; i < n; i++) {
    let v = x[i] + w[i] * d[i];
    const limit = Math.max(ceiling, Math.abs(x[i]));
    if (v > limit) v = limit;
    else if (v < -limit) v = -limit;
    y[i] = v;
  }
  change = 0;
  for (let i = 0; i < n; i++) change += (y[i] - x[i]) * (y[i] - x[i]);
  return { marked: y, change };
}

/** Minimum over [i - r, i + r] (clamped to the array), by a monotone deque: O(n). */
function runningMin(a: Float32Array, r: number): Float32Array {
  const n = a.length;
  const out = new Float32Array(n);
  const dq = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let next = 0;
  for (let i = 0; i < n; i++) {
    const hi = Math.min(n - 1, i + r);
    while (next <= hi) {
      while (tail > head && a[dq[tail - 1]] >= a[next]) tail--;
      dq[tail++] = next++;
    }
    while (dq[head] < i - r) head++;
    out[i] = a[dq[head]];
  }
  return out;
}
