// The limiter as plain TypeScript, whole-signal, for comparison with the WASM one: where any
// sample overshoots it computes the gain over the entire signal (simple and slow).

export function referenceLimit(x: Float32Array, delta: Float32Array, ceiling: number, scale: number, radius = 64): { marked: Float32Array; change: number } {
  const n = x.length;
  const d = Float32Array.from(delta, (v) => v * scale);
  const need = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i] + d[i];
    if (v <= ceiling && v >= -ceiling) need[i] = 1;
    else {
      const room = ceiling - Math.abs(x[i]);
      need[i] = room <= 0 ? 0 : Math.min(1, room / Math.abs(d[i]));
    }
  }
  const minimum = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let m = 1;
    for (let j = Math.max(0, i - radius); j <= Math.min(n - 1, i + radius); j++) m = Math.min(m, need[j]);
    minimum[i] = m;
  }
  const span = 2 * radius + 1;
  const y = new Float32Array(n);
  let change = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = i - radius; j <= i + radius; j++) sum += j >= 0 && j < n ? minimum[j] : 1;
    const w = Math.min(need[i], sum / span);
    let v = x[i] + w * d[i];
    const limit = Math.max(ceiling, Math.abs(x[i]));
    if (v > limit) v = limit;
    else if (v < -limit) v = -limit;
    y[i] = v;
    change += (y[i] - x[i]) ** 2;
  }
  return { marked: y, change };
}
