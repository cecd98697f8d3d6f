import type { Lag, LagPlane } from './lag-plane.js';

/** A point k·v + l·v⊥ of the square lattice with axis v (v⊥: v turned by 90°). */
export interface LatticePoint extends Lag {
  k: number;
  l: number;
}

/** The lattice points within rMax of the origin, one of each ± pair. */
export function latticePoints(axis: Lag, rMax: number): LatticePoint[] {
  const points: LatticePoint[] = [];
  visitLatticePoints(axis, rMax, (k, l, x, y) => points.push({ k, l, x, y }));
  return points;
}

/** Calls `visit` on each of latticePoints(axis, rMax), in the same order, without building them. */
function visitLatticePoints(axis: Lag, rMax: number, visit: (k: number, l: number, x: number, y: number) => void): void {
  const reach = Math.floor(rMax / Math.hypot(axis.x, axis.y));
  for (let k = -reach; k <= reach; k++) {
    for (let l = 0; l <= reach; l++) {
      if (l === 0 && k <= 0) continue;
      const x = k * axis.x - l * axis.y;
      const y = k * axis.y + l * axis.x;
      if (Math.hypot(x, y) <= rMax) visit(k, l, x, y);
    }
  }
}

/**
 * Least-squares axis through the sub-pixel peaks found near the predicted lattice points
 * (those standing 2σ over their ring, weighted by it): the far points pin the scale and
 * angle down much tighter than the first peak alone.
 */
export function fitAxis(plane: LagPlane, axis: Lag, rMax: number): Lag {
  let sx = 0;
  let sy = 0;
  let norm = 0;
  for (const { k, l, x, y } of latticePoints(axis, rMax)) {
    const top = plane.highestNear(x, y);
    const weight = plane.z(top.x, top.y);
    if (weight < 2) continue;
    const o = plane.refine(top.x, top.y);
    sx += weight * (k * o.x + l * o.y);
    sy += weight * (k * o.y - l * o.x);
    norm += weight * (k * k + l * l);
  }
  return norm > 0 ? { x: sx / norm, y: sy / norm } : axis;
}

/** Mean z-score over some lags. */
export function meanZ(plane: LagPlane, points: Lag[]): number {
  return points.length > 0 ? points.reduce((sum, p) => sum + plane.zAt(p.x, p.y), 0) / points.length : 0;
}

/**
 * A real lattice lifts every one of its points: the summed z-score over all of them,
 * scaled by √count, is about N(0, 1) for noise and grows with every harmonic the window holds.
 */
export function latticeStrength(plane: LagPlane, axis: Lag, rMax: number): number {
  // meanZ(plane, latticePoints(axis, rMax)) · √count, summed in the same order: the likely-edit
  // scan calls this thousands of times, and building every point list cost more than the sums.
  let sum = 0;
  let count = 0;
  visitLatticePoints(axis, rMax, (_k, _l, x, y) => {
    sum += plane.zAt(x, y);
    count++;
  });
  return (count > 0 ? sum / count : 0) * Math.sqrt(count);
}

/** Whether (x, y) lies within `tolerance` px of a point of the lattice with this axis. */
export function onLattice(axis: Lag, x: number, y: number, tolerance: number): boolean {
  const length2 = axis.x * axis.x + axis.y * axis.y;
  const along = (x * axis.x + y * axis.y) / length2;
  const across = (y * axis.x - x * axis.y) / length2;
  return Math.hypot(along - Math.round(along), across - Math.round(across)) * Math.sqrt(length2) < tolerance;
}
