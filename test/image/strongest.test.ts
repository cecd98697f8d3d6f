// When nothing is found, the image detector reports its best decoded candidate, not the first.
import { describe, expect, it, vi } from 'vitest';
import { CANDIDATES } from '../../src/image/tuning.js';
import { detectImage } from '../../src/node.js';
import { texturedImage } from '../support/images.js';

const agreements = vi.hoisted(() => [] as number[]);

vi.mock('../../src/wasm/channel-code.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/wasm/channel-code.js')>();
  return {
    ...actual,
    decodeChannel: (...args: Parameters<typeof actual.decodeChannel>) => {
      const decoded = actual.decodeChannel(...args);
      agreements.push(decoded.agreement);
      return decoded;
    },
  };
});

describe('image detection on an unmarked image', () => {
  it.each([1, 2, 3])('reports the score of the strongest candidate of the search (seed %i)', async (seed) => {
    agreements.length = 0;
    const result = await detectImage(texturedImage(384, 384, seed), 384, 384);
    expect(result.found).toBe(false);
    // The first search decodes the grid origin, then CANDIDATES alignments; more searches follow.
    expect(agreements.length).toBeGreaterThanOrEqual(1 + CANDIDATES);
    expect(result.candidates).toBe(agreements.length);
    expect(result.score).toBe(Math.max(...agreements));
  });
});
