// Generic statistics and timing helpers shared by the image and audio benches.

export interface Summary {
  n: number;
  mean: number;
  median: number;
  min: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return { n: 0, mean: NaN, median: NaN, min: NaN, max: NaN };
  const sorted = [...v].sort((a, b) => a - b);
  return {
    n: v.length,
    mean: v.reduce((s, x) => s + x, 0) / v.length,
    median: quantileSorted(sorted, 0.5),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
  };
}

export function median(values: readonly number[]): number {
  return summarize(values).median;
}

export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** A success ratio with its count, for "97.2% (35/36)" cells. */
export interface Rate {
  ok: number;
  n: number;
}

export function rate(ok: number, n: number): Rate {
  return { ok, n };
}

export function addRate(a: Rate, b: Rate): Rate {
  return { ok: a.ok + b.ok, n: a.n + b.n };
}

export function formatRate(r: Rate | undefined, digits = 1): string {
  if (!r || r.n === 0) return '–';
  return `${((100 * r.ok) / r.n).toFixed(digits)}% (${r.ok}/${r.n})`;
}

export function pct(r: Rate | undefined): number {
  return r && r.n > 0 ? r.ok / r.n : NaN;
}

export function fmt(x: number | undefined | null, digits = 2): string {
  return x === undefined || x === null || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

export const nowMs = (): number => performance.now();

/** Median wall time in ms of `runs` calls after `warmup` untimed calls. */
export async function timeMedian(
  fn: () => unknown | Promise<unknown>,
  runs: number,
  warmup = 1,
): Promise<{ median: number; min: number; runs: number }> {
  const [timed] = await timeMediansInterleaved([fn], runs, warmup);
  return timed!;
}

/**
 * Times several functions in turn, run after run (A B C A B C ...), so that a burst of
 * load from the machine's other tenants slows all of them alike and their ratio holds.
 */
export async function timeMediansInterleaved(
  fns: (() => unknown | Promise<unknown>)[],
  runs: number,
  warmup = 1,
): Promise<{ median: number; min: number; runs: number }[]> {
  for (let i = 0; i < warmup; i++) for (const fn of fns) await fn();
  const times = fns.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (let f = 0; f < fns.length; f++) {
      const t0 = nowMs();
      await fns[f]!();
      times[f]!.push(nowMs() - t0);
    }
  }
  return times.map((t) => {
    const s = summarize(t);
    return { median: s.median, min: s.min, runs };
  });
}

/** Deterministic PRNG (mulberry32) so corpora and random crops are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviates from a uniform source (Box–Muller). */
export function gaussian(rand: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = rand();
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}
