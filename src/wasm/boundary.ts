/**
 * The WASM boundary's own check: the core exports its layout constants, and this
 * compares them with the TypeScript side once, when a core is loaded. Sizes derived
 * from the constants are computed here, once, for both pipelines.
 */
import { PAYLOAD_BITS } from '../payload/payload.js';
import * as layout from './layout.js';
import { SLOT } from './slots.js';

/** Coded bits of the payload: (data bits + tail) × rate. */
export const CODED_BITS = (PAYLOAD_BITS + layout.ECC_CONSTRAINT - 1) * layout.ECC_RATE;
/** Image: chip slots per tile, one per carrying coefficient of each 8×8 block. */
export const IMAGE_SLOTS = (layout.IMAGE_TILE / 8) ** 2 * layout.IMAGE_COEFS;
/** Audio: band bins plus one guard bin each side for whitening. */
export const AUDIO_ANALYSIS_BINS = layout.AUDIO_BAND_BINS + 2;

const EXPECTED: Record<string, number> = { ...layout, IMAGE_SLOTS, AUDIO_ANALYSIS_BINS };

/** What the check needs from the core's exports. */
export interface LayoutExports {
  codedLength(dataBits: number): number;
  [name: string]: unknown;
}

function exportedNumber(exports: LayoutExports, name: string): number | undefined {
  const value = exports[name];
  if (value instanceof WebAssembly.Global) return value.value as number;
  return typeof value === 'number' ? value : undefined;
}

/**
 * Throws unless every layout constant the core exports equals the TypeScript one and
 * every scratch slot the pipelines use exists: a core built from other sources would
 * otherwise read and write its buffers at the wrong offsets without a word.
 */
export function checkCoreLayout(exports: LayoutExports, name = 'the WASM core'): void {
  const mismatches: string[] = [];
  for (const [constant, expected] of Object.entries(EXPECTED)) {
    const actual = exportedNumber(exports, constant);
    if (actual !== expected) mismatches.push(`${constant} is ${actual ?? 'missing'}, TypeScript expects ${expected}`);
  }
  const coded = typeof exports.codedLength === 'function' ? exports.codedLength(PAYLOAD_BITS) : undefined;
  if (coded !== CODED_BITS) mismatches.push(`codedLength(${PAYLOAD_BITS}) is ${coded ?? 'missing'}, TypeScript expects ${CODED_BITS}`);
  const highestSlot = Math.max(...Object.values(SLOT));
  if (highestSlot >= layout.SCRATCH_SLOTS) mismatches.push(`slot ${highestSlot} is used but the arena holds ${layout.SCRATCH_SLOTS}`);
  if (mismatches.length > 0) {
    throw new Error(`${name} does not match this build of aigc-mark (${mismatches.join('; ')}); rebuild it with npm run build:wasm.`);
  }
}
