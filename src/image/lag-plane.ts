/** A lag vector or lattice axis, in pixels. */
export interface Lag {
  x: number;
  y: number;
}

/**
 * The autocorrelation lags within `reach` of (0, 0), copied out of the transform's
 * circular n×n layout into a centred (2·reach+1)² plane, each also as a z-score against
 * its own ring: host texture makes the autocorrelation fall off with distance, and
 * judging each lag against its ring lets far lattice peaks count as much as near ones.
 */
export class LagPlane {
  private readonly stride: number;
  private readonly value: Float32Array;
  private readonly ring: Int32Array;
  private readonly ringMean: Float64Array;
  private readonly ringScale: Float64Array; // 1 / the ring's standard deviation

  constructor(acf: Float32Array, n: number, readonly reach: number) {
    const stride = 2 * reach + 1;
    const value = new Float32Array(stride * stride);
    for (let y = -reach; y <= reach; y++) {
      const row = ((y + n) % n) * n;
      const i = (y + reach) * stride + reach;
      value.set(acf.subarray(row + n - reach, row + n), i - reach);
      value.set(acf.subarray(row, row + reach + 1), i);
    }
    const ring = ringTable(reach);
    const sum = new Float64Array(reach + 1);
    const sumSq = new Float64Array(reach + 1);
    const count = new Float64Array(reach + 1);
    // Neighbouring lags mostly share a ring: each run of one ring is summed in locals, in
    // index order, so every ring's sums take the same adds in the same order as lag by lag.
    for (let i = 0; i < value.length; ) {
      const r = ring[i];
      let s = sum[r];
      let q = sumSq[r];
      let c = count[r];
      do {
        const v = value[i];
        s += v;
        q += v * v;
        c++;
        i++;
      } while (i < value.length && ring[i] === r);
      sum[r] = s;
      sumSq[r] = q;
      count[r] = c;
    }
    const ringMean = new Float64Array(reach + 1);
    const ringScale = new Float64Array(reach + 1);
    for (let r = 0; r <= reach; r++) {
      ringMean[r] = sum[r] / count[r];
      ringScale[r] = 1 / Math.sqrt(Math.max(sumSq[r] / count[r] - ringMean[r] * ringMean[r], 1e-30));
    }
    this.stride = stride;
    this.value = value;
    this.ring = ring;
    this.ringMean = ringMean;
    this.ringScale = ringScale;
  }

  private zOf(i: number): number {
    const r = this.ring[i];
    return (this.value[i] - this.ringMean[r]) * this.ringScale[r];
  }

  private index(x: number, y: number): number {
    const r = this.reach;
    return (Math.max(-r, Math.min(r, y)) + r) * this.stride + Math.max(-r, Math.min(r, x)) + r;
  }

  at(x: number, y: number): number {
    return this.value[this.index(x, y)];
  }

  z(x: number, y: number): number {
    return this.zOf(this.index(x, y));
  }

  /** Bilinear z-score at a fractional lag. */
  zAt(x: number, y: number): number {
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    const top = this.z(x0, y0) * (1 - fx) + this.z(x0 + 1, y0) * fx;
    return top * (1 - fy) + (this.z(x0, y0 + 1) * (1 - fx) + this.z(x0 + 1, y0 + 1) * fx) * fy;
  }

  /** Local maxima of one half-plane (the autocorrelation is symmetric) between rMin and rMax, at least minZ, strongest first. */
  peaks(rMin: number, rMax: number, minZ: number): Lag[] {
    const found: (Lag & { z: number })[] = [];
    for (let y = 0; y <= rMax; y++) {
      // Only the lags inside the circle are candidates: the row's span of x, padded by one
      // against rounding, with the exact test kept below.
      const span = Math.min(Math.floor(rMax), Math.floor(Math.sqrt(Math.max(0, rMax * rMax - y * y))) + 1);
      for (let x = -span; x <= span; x++) {
        const r2 = x * x + y * y;
        if (r2 < rMin * rMin || r2 > rMax * rMax || (y === 0 && x < 0)) continue;
        const i = this.index(x, y);
        const v = this.value[i];
        const s = this.stride;
        if (v > this.value[i + 1] && v >= this.value[i - 1] && v > this.value[i + s] && v >= this.value[i - s] && this.zOf(i) >= minZ) found.push({ x, y, z: this.zOf(i) });
      }
    }
    return found.sort((p, q) => q.z - p.z);
  }

  /** Sub-pixel position of the peak at (x, y), by a parabola through its neighbours on each axis. */
  refine(x: number, y: number): Lag {
    const cx = Math.round(x);
    const cy = Math.round(y);
    const offset = (minus: number, centre: number, plus: number) => {
      const curvature = minus - 2 * centre + plus;
      return curvature < 0 ? Math.max(-0.5, Math.min(0.5, (minus - plus) / (2 * curvature))) : 0;
    };
    const centre = this.at(cx, cy);
    return {
      x: cx + offset(this.at(cx - 1, cy), centre, this.at(cx + 1, cy)),
      y: cy + offset(this.at(cx, cy - 1), centre, this.at(cx, cy + 1)),
    };
  }

  /** The highest lag among (x, y) rounded and its 8 neighbours. */
  highestNear(x: number, y: number): Lag {
    const cx = Math.round(x);
    const cy = Math.round(y);
    let best = { x: cx, y: cy };
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) if (this.at(cx + dx, cy + dy) > this.at(best.x, best.y)) best = { x: cx + dx, y: cy + dy };
    }
    return best;
  }
}

/**
 * Ring (rounded radius, at most `reach`) of every lag in a (2·reach+1)² plane centred on
 * (0, 0), cut out of one cached table for the largest reach, so varied image sizes in a
 * long-running process do not pile up tables. The few last cut are kept too: a detection
 * reads the same one or two reaches image after image.
 */
const MAX_REACH = 256;
const KEPT_CUTS = 4;
let fullTable: Int32Array | null = null;
const cuts = new Map<number, Int32Array>();
function ringTable(reach: number): Int32Array {
  const kept = cuts.get(reach);
  if (kept) return kept;
  const table = cutRingTable(reach);
  if (cuts.size >= KEPT_CUTS) cuts.delete(cuts.keys().next().value!);
  cuts.set(reach, table);
  return table;
}

function cutRingTable(reach: number): Int32Array {
  if (reach > MAX_REACH) throw new RangeError(`lag reach ${reach} is over ${MAX_REACH}`);
  const fullStride = 2 * MAX_REACH + 1;
  if (!fullTable) {
    fullTable = new Int32Array(fullStride * fullStride);
    for (let y = -MAX_REACH; y <= MAX_REACH; y++) {
      for (let x = -MAX_REACH; x <= MAX_REACH; x++) fullTable[(y + MAX_REACH) * fullStride + x + MAX_REACH] = Math.round(Math.sqrt(x * x + y * y));
    }
  }
  const stride = 2 * reach + 1;
  const table = new Int32Array(stride * stride);
  for (let y = -reach; y <= reach; y++) {
    const from = (y + MAX_REACH) * fullStride + MAX_REACH - reach;
    table.set(fullTable.subarray(from, from + stride), (y + reach) * stride);
  }
  for (let i = 0; i < table.length; i++) if (table[i] > reach) table[i] = reach;
  return table;
}
