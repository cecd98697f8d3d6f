// The image pipeline of src/image/embed.ts and detect.ts, driven through the plain-TS kernels
// (image-kernels.ts) or through the WASM core's, with identical steps: the speed baseline and
// the cross-check in test/image/baseline.test.ts. Payload coding is left out: both
// take the coded bits and return soft bits, so the kernels alone are compared.
import type { Core } from '../../src/wasm/core.ts';
import { DEFAULT_MAX_PIXELS, TILE_PIXELS } from '../../src/image/limits.ts';
import { CANDIDATES, MASK, PHASE_STEP, SCORE_BITS, SEARCH_KEEP, WHITEN } from '../../src/image/tuning.ts';
import { CODED_BITS, openWorkspace, type Workspace } from '../../src/image/workspace.ts';
import { applyCodedMark, cappedAlpha, psnrFromSse } from '../../src/image/embed.ts';
import { whitenAndFold } from '../../src/image/detect.ts';
import * as K from './image-kernels.ts';

export { CODED_BITS };
export type Seed = readonly [number, number];
const ORIENTATIONS = [0, 1, 2, 3, 4, 5, 6, 7];

export interface EmbedOutcome {
  rgba: Uint8Array;
  /** The strength after the PSNR cap. */
  alpha: number;
  psnr: number;
}

export interface SearchOutcome {
  /** The CANDIDATES best alignments after refinement, best first. */
  alignments: K.Alignment[];
  /** Soft bits at each of them. */
  soft: Float32Array[];
}

/** embed.ts: alpha = strength · min(1, √(cap MSE / mean mark energy)), then add the mark. */
const capAlpha = (energy: number, n: number, strength: number) => cappedAlpha(energy / n, strength, n / (TILE_PIXELS * TILE_PIXELS));
const psnrOf = psnrFromSse;

const bestFirst = (best: K.Alignment[]) => [...best].sort((x, y) => y.score - x.score).slice(0, CANDIDATES);

// ---------------------------------------------------------------- plain TypeScript

export function embedImageTs(rgba: ArrayLike<number>, w: number, h: number, codedBits: Uint8Array, seed: Seed, strength = 1): EmbedOutcome {
  const n = w * h;
  const pix = Uint8Array.from(rgba);
  const y = K.rgbaToLuma(pix, n);
  const map = K.buildSlotMap(seed[0], seed[1], codedBits.length);
  const tile = K.buildTilePattern(codedBits, map);
  const mask = K.perceptualMask(y, w, h, MASK);
  const alpha = capAlpha(K.markEnergy(w, h, tile, mask), n, strength);
  const sse = K.applyMark(pix, w, h, tile, mask, alpha);
  return { rgba: pix, alpha, psnr: psnrOf(sse, n) };
}

/** luma → whiten → fold, plus the slot map: what every detect path starts from. */
function foldTs(rgba: ArrayLike<number>, w: number, h: number, seed: Seed, codedBits: number) {
  const y = K.rgbaToLuma(rgba, w * h);
  const { z, weights } = K.whiten(K.rangeResidual(y, w, h, WHITEN.hostRadius, WHITEN.hostStep, WHITEN.hostTau), w, h, WHITEN);
  return { folded: K.foldTiles(z, w, h, weights, WHITEN.clip), map: K.buildSlotMap(seed[0], seed[1], codedBits) };
}

/** Soft bits at the origin, unflipped: detect.ts's fast path. */
export function detectAlignedTs(rgba: ArrayLike<number>, w: number, h: number, seed: Seed, codedBits = CODED_BITS): Float32Array {
  const { folded, map } = foldTs(rgba, w, h, seed, codedBits);
  return K.softBits(K.blockCoefficients(folded), 0, 0, map);
}

/** The full orientation × phase × shift search, refinement and soft bits at the best CANDIDATES. */
export function detectSearchTs(rgba: ArrayLike<number>, w: number, h: number, seed: Seed, codedBits = CODED_BITS): SearchOutcome {
  const { folded, map } = foldTs(rgba, w, h, seed, codedBits);
  const own = K.blockCoefficients(folded);
  const coefs = ORIENTATIONS.map((o) => K.orientCoefficients(own, o));
  const best = K.emptyAlignments(SEARCH_KEEP);
  for (const o of ORIENTATIONS) K.searchAlignment(coefs[o]!, map, best, PHASE_STEP, o, SCORE_BITS);
  for (const o of new Set(best.map((b) => b.tag))) K.refineAlignments(coefs[o]!, map, best, o);
  const alignments = bestFirst(best);
  return { alignments, soft: alignments.map((a) => K.softBits(coefs[a.tag]!, a.phase, a.shift, map)) };
}

// ---------------------------------------------------------------- WASM core, same steps

const open = (core: Core, rgba: ArrayLike<number>, w: number, h: number, seed: Seed): Workspace =>
  openWorkspace(core, rgba, w, h, { keyed: false, seed, macKey: null }, DEFAULT_MAX_PIXELS);

export function embedImageWasm(core: Core, rgba: ArrayLike<number>, w: number, h: number, codedBits: Uint8Array, seed: Seed, strength = 1): EmbedOutcome {
  const ws = open(core, rgba, w, h, seed);
  const { alpha, psnr } = applyCodedMark(ws, codedBits, strength);
  return { rgba: core.u8(ws.pix, w * h * 4).slice(), alpha, psnr };
}

/** Whitens and folds into aux.folded; returns the workspace and an orient-then-transform helper. */
function foldWasm(core: Core, rgba: ArrayLike<number>, w: number, h: number, seed: Seed) {
  const ws = open(core, rgba, w, h, seed);
  const { k, aux } = ws;
  whitenAndFold(ws, ws.y, w, h);
  k.blockCoefficients(aux.folded, aux.foldCoefs, aux.padded);
  const orient = (o: number) => k.orientCoefficients(aux.foldCoefs, aux.coefs, o);
  const soft = (phase: number, shift: number) => {
    k.softBits(aux.coefs, phase, shift, aux.slotBit, aux.slotSign, CODED_BITS, aux.soft);
    return core.f32(aux.soft, CODED_BITS).slice();
  };
  return { ws, orient, soft };
}

export function detectAlignedWasm(core: Core, rgba: ArrayLike<number>, w: number, h: number, seed: Seed): Float32Array {
  const { orient, soft } = foldWasm(core, rgba, w, h, seed);
  orient(0);
  return soft(0, 0);
}

export function detectSearchWasm(core: Core, rgba: ArrayLike<number>, w: number, h: number, seed: Seed): SearchOutcome {
  const { ws, orient, soft } = foldWasm(core, rgba, w, h, seed);
  const { k, aux } = ws;
  k.resetAlignments(aux.best, SEARCH_KEEP);
  for (const o of ORIENTATIONS) {
    orient(o);
    k.searchAlignment(aux.coefs, aux.slotBit, aux.slotSign, CODED_BITS, aux.soft, aux.best, SEARCH_KEEP, PHASE_STEP, o, SCORE_BITS, aux.list);
  }
  const tagOf = (i: number) => core.i32(aux.best, SEARCH_KEEP * 4)[i * 4 + 3]!;
  for (const o of new Set(Array.from({ length: SEARCH_KEEP }, (_, i) => tagOf(i)))) {
    orient(o);
    k.refineAlignments(aux.coefs, aux.slotBit, aux.slotSign, CODED_BITS, aux.soft, aux.best, SEARCH_KEEP, o, aux.list);
  }
  const f = core.f32(aux.best, SEARCH_KEEP * 4);
  const i32 = core.i32(aux.best, SEARCH_KEEP * 4);
  const alignments = bestFirst(Array.from({ length: SEARCH_KEEP }, (_, i) => ({ score: f[i * 4]!, phase: i32[i * 4 + 1]!, shift: i32[i * 4 + 2]!, tag: i32[i * 4 + 3]! })));
  return {
    alignments,
    soft: alignments.map((a) => {
      orient(a.tag);
      return soft(a.phase, a.shift);
    }),
  };
}
