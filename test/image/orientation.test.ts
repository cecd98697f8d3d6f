import { describe, expect, it } from 'vitest';
import { getCore, loadCore } from '../../src/node.js';
import { imageKernels } from '../../src/image/kernels.js';
import { blockCoefficients, orientTile } from '../../bench/baseline/image-kernels.js';
import { lcg } from '../support/images.js';

const TILE = 128;
const TABLE = 64 * 256 * 5; // phases × blocks × coefficients

describe.each(['simd', 'scalar'] as const)('orientCoefficients on the %s core', (flavor) => {
  it('gives, for all 8 flips and quarter turns, the coefficients of the re-oriented tile', async () => {
    const core = flavor === 'simd' ? await getCore() : await loadCore('scalar');
    const k = imageKernels(core);
    const base = core.exports.scratch(0, (TILE * TILE + (TILE + 8) ** 2 + 2 * TABLE) * 4);
    const folded = base;
    const padded = folded + TILE * TILE * 4;
    const own = padded + (TILE + 8) ** 2 * 4;
    const derived = own + TABLE * 4;
    const rand = lcg(11);
    const tile = Float32Array.from({ length: TILE * TILE }, () => rand() * 2 - 1);
    core.f32(folded, TILE * TILE).set(tile);
    k.blockCoefficients(folded, own, padded);
    for (let orient = 0; orient < 8; orient++) {
      // The reference recomputes every block of the physically flipped or turned tile.
      const want = blockCoefficients(orientTile(tile, orient));
      k.orientCoefficients(own, derived, orient);
      const got = core.f32(derived, TABLE);
      let worst = 0;
      for (let i = 0; i < TABLE; i++) worst = Math.max(worst, Math.abs(want[i]! - got[i]!));
      expect(worst, `orientation ${orient}`).toBeLessThan(1e-4);
    }
  });
});
