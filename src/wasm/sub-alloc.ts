/**
 * Carves one scratch slot into named, 16-byte-aligned regions, so a pipeline's
 * many small buffers cost a single slot and one grow at most.
 */
export function layoutRegions<K extends string>(sizes: Record<K, number>): { offsets: Record<K, number>; total: number } {
  const offsets = {} as Record<K, number>;
  let total = 0;
  for (const name of Object.keys(sizes) as K[]) {
    offsets[name] = total;
    total += (sizes[name] + 15) & ~15;
  }
  return { offsets, total };
}
