import { describe, expect, it } from 'vitest';
import '../../src/node.js';
import { whitenPlane } from '../../src/image/detect.js';
import { estimateGeometry } from '../../src/image/sync.js';
import { WHITEN } from '../../src/image/tuning.js';
import { openLumaWorkspace } from '../../src/image/workspace.js';
import { PUBLIC_KEY } from '../../src/payload/key.js';
import { getCore } from '../../src/wasm/core.js';
import { lcg } from '../support/images.js';

/** ±amplitude chips of a 16×16 random tile repeated on the square lattice with axis `axis` (px). */
function latticePattern(width: number, height: number, axis: { x: number; y: number }, amplitude: number, seed: number): Float32Array {
  const rnd = lcg(seed);
  const chips = Float32Array.from({ length: 256 }, () => (rnd() < 0.5 ? -amplitude : amplitude));
  const length2 = axis.x * axis.x + axis.y * axis.y;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const along = (x * axis.x + y * axis.y) / length2;
      const across = (y * axis.x - x * axis.y) / length2;
      const i = Math.floor((along - Math.floor(along)) * 16);
      const j = Math.floor((across - Math.floor(across)) * 16);
      out[y * width + x] = chips[j * 16 + i];
    }
  }
  return out;
}

describe('lattice harmonics', () => {
  // A 1° turn of the tile lattice, read in 512 px windows. One of its lags' circular aliases,
  // (−384, −510), overlaps the window by 2 px rows only, yet lies on a second, finer lattice
  // (101 px at −18.6°) that the host (or the tile's own layout) may show. That alias must not
  // make the tile's own lattice look like a harmonic of the finer one.
  it('keeps a turned tile lattice whose far circular alias lies on a finer lattice', async () => {
    const core = await getCore();
    const [width, height] = [1728, 1080];
    const turn = Math.PI / 180;
    const tile = latticePattern(width, height, { x: 128 * Math.cos(turn), y: 128 * Math.sin(turn) }, 3, 1);
    const finer = latticePattern(width, height, { x: 95.66, y: -32.11 }, 3, 2);
    const luma = tile.map((v, i) => 128 + v + finer[i]);
    const ws = openLumaWorkspace(core, luma, width, height, PUBLIC_KEY, 1e8);
    whitenPlane(ws, ws.y, width, height, WHITEN.syncHostRadius, WHITEN.syncHostStep);
    const readings = estimateGeometry(ws, width, height, undefined, 4);
    const turned = readings.find((g) => Math.abs(g.scale - 1) < 0.01 && Math.abs(g.angle - turn) < 0.003);
    expect(turned).toBeDefined();
  });
});
