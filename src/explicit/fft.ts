// In-place radix-2 FFT for the rhythm detector's short frames (pure TS, any runtime).

/** What every transform of one size shares: its bit-reversal swaps and each stage's twiddles. */
interface Plan {
  /** Index pairs (i, j), i < j, to exchange. */
  swaps: Int32Array;
  /** Per stage (len = 2, 4, … n): the twiddles (re, im) for k = 0 … len/2 − 1, by the rotation recurrence. */
  twiddles: Float64Array[];
}

const plans = new Map<number, Plan>();

/** Built once per size: a detection transforms thousands of frames of one size. */
function planFor(n: number): Plan {
  let plan = plans.get(n);
  if (plan) return plan;
  const swaps: number[] = [];
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) swaps.push(i, j);
  }
  const twiddles: Float64Array[] = [];
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang), wi = Math.sin(ang);
    const tw = new Float64Array(len);
    let cr = 1, ci = 0;
    for (let k = 0; k < len / 2; k++) {
      tw[2 * k] = cr;
      tw[2 * k + 1] = ci;
      const t = cr * wr - ci * wi;
      ci = cr * wi + ci * wr;
      cr = t;
    }
    twiddles.push(tw);
  }
  plan = { swaps: Int32Array.from(swaps), twiddles };
  plans.set(n, plan);
  return plan;
}

/** Transforms re/im (length a power of two) in place. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  const { swaps, twiddles } = planFor(n);
  for (let s = 0; s < swaps.length; s += 2) {
    const i = swaps[s], j = swaps[s + 1];
    const r = re[i];
    re[i] = re[j];
    re[j] = r;
    const m = im[i];
    im[i] = im[j];
    im[j] = m;
  }
  for (let len = 2, stage = 0; len <= n; len <<= 1, stage++) {
    const tw = twiddles[stage];
    const half = len / 2;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < half; k++) {
        const cr = tw[2 * k], ci = tw[2 * k + 1];
        const a = i + k, b = a + half;
        const xr = re[b] * cr - im[b] * ci;
        const xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}
