/**
 * Warp search: finds the block grid again in audio whose time or pitch was changed
 * (docs/audio.md, detection step 8). Three one-parameter warps are searched:
 *
 * - speed s (`sox speed`: a resample, time and pitch together): un-resample by s;
 * - tempo t (`sox tempo`, WSOLA: time only): analyse frames every FRAME / t samples;
 * - pitch p (`sox pitch`: WSOLA then a resample, pitch only): un-resample by p, which
 *   leaves the block grid stretched by p, then analyse frames every FRAME * p samples.
 *
 * Each is a point (resample r, analysis hop h) of one plane: speed (s, 1), tempo
 * (1, 1/t), pitch (p, p). The frames at a fractional hop are gathered into a
 * contiguous buffer, so the ordinary analysis, whitening and sync correlation run unchanged.
 */
import type { Core } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import { audioKernels } from './kernels.js';
import type { Layout } from './layout.js';
import { searchSync, type SyncCandidate } from './sync-search.js';
import { BLOCK_FRAMES, FRAME, INTERNAL_RATE, OFFSET_STEP, WARP_COARSE_OFFSET_STEP, WARP_COARSE_SECONDS, WARP_COARSE_STEP, WARP_COARSE_STEPS, WARP_FINE_SECONDS, WARP_FINE_STEP, WARP_FINE_STEPS, WARP_WHOLE_SECONDS } from './params.js';

export type WarpKind = 'speed' | 'tempo' | 'pitch';
const KINDS: readonly WarpKind[] = ['speed', 'tempo', 'pitch'];

interface Signal {
  ptr: number;
  length: number;
}

/** A stretch of the input: internal-rate samples from `start`. */
interface Window {
  start: number;
  length: number;
}

export interface WarpCandidate extends SyncCandidate {
  kind: WarpKind;
  /** The warp found: speed or tempo (> 1 = faster) or pitch (frequency ratio, > 1 = higher). */
  factor: number;
  /** Internal-rate sample of the input where the first whole block starts (modulo the block period). */
  blockStart: number;
}

/** `length` samples from `start`, resampled as if played at 1/r of their speed (undoing a speed-up by r), into slot audioD. */
function unResample(core: Core, signal: Signal, start: number, length: number, r: number): { signal: Signal; r: number } {
  const k = audioKernels(core);
  const inRate = Math.round(INTERNAL_RATE / r);
  if (inRate === INTERNAL_RATE) return { signal: { ptr: signal.ptr + start * 4, length }, r: 1 };
  const outLen = Math.floor((length * INTERNAL_RATE) / inRate);
  const ptr = k.scratch(SLOT.audioD, outLen * 4);
  k.resample(signal.ptr + start * 4, length, inRate, ptr, outLen, INTERNAL_RATE, 5000);
  return { signal: { ptr, length: outLen }, r: INTERNAL_RATE / inRate };
}

/** Frames of `src` starting every `hop` samples (rounded) from `offset`, laid end to end in slot audioA. */
function regrid(core: Core, src: Signal, offset: number, hop: number): Signal {
  const frames = Math.max(0, Math.floor((src.length - FRAME - offset) / hop) + 1);
  const ptr = audioKernels(core).scratch(SLOT.audioA, Math.max(1, frames) * FRAME * 4);
  const from = core.f32(src.ptr, src.length);
  const to = core.f32(ptr, frames * FRAME);
  for (let f = 0; f < frames; f++) {
    const a = Math.round(offset + f * hop);
    to.set(from.subarray(a, a + FRAME), f * FRAME);
  }
  return { ptr, length: frames * FRAME };
}

/** (resample, hop in frames) of a warp. */
function plane(kind: WarpKind, factor: number): [number, number] {
  return kind === 'speed' ? [factor, 1] : kind === 'tempo' ? [1, 1 / factor] : [factor, factor];
}

/** The best sync candidate of one warp over a window of the input, grid offsets every `offsetStep` samples. */
export function searchWarp(core: Core, signal: Signal, layout: Layout, start: number, length: number, kind: WarpKind, factor: number, offsetStep: number): WarpCandidate | null {
  const [rWanted, h] = plane(kind, factor);
  const { signal: un, r } = unResample(core, signal, start, length, rWanted);
  // The pitch warp's grid stretch is the resample actually applied (rates are integers).
  const hop = (kind === 'pitch' ? r : h) * FRAME;
  let best: WarpCandidate | null = null;
  for (let offset = 0; offset < hop; offset += offsetStep) {
    const top = searchSync(core, regrid(core, un, offset, hop), layout, FRAME, false)[0];
    if (top && (!best || top.z > best.z)) {
      // Frame f of the regridded buffer starts at offset + f * hop of the un-resampled window.
      const first = offset + ((BLOCK_FRAMES - top.phase) % BLOCK_FRAMES) * hop;
      const period = (BLOCK_FRAMES * hop) / r;
      best = { ...top, kind, factor: kind === 'tempo' ? factor : r, blockStart: (start + first / r) % period };
    }
  }
  return best;
}

/** The best candidate of `kind` at factor x (1 + j x step), j = -steps..steps, over a window. */
function refine(core: Core, signal: Signal, layout: Layout, window: Window, kind: WarpKind, factor: number, step: number, steps: number, offsetStep: number): WarpCandidate | null {
  let best: WarpCandidate | null = null;
  for (let j = -steps; j <= steps; j++) {
    if (factor * (1 + j * step) === 1) continue; // no warp: the plain search's case
    const c = searchWarp(core, signal, layout, window.start, window.length, kind, factor * (1 + j * step), offsetStep);
    if (c && (!best || c.z > best.z)) best = c;
  }
  return best;
}

/**
 * The sync z the middle stage's best must reach for the two later stages to run; under it the
 * search ends with that candidate (still the one candidate decoded). On the tuning split, unmarked
 * music and speech reach at most 4.8 there (26 stretches, all but one under 4.3), and every warped
 * mark the later stages went on to decode was already above 5.6, where those stages raise z by at
 * most a quarter. So most unmarked audio (a platform's common case) skips two thirds of the
 * search, its finest and longest part.
 */
export const WARP_REFINE_FROM_Z = 4.5;

/**
 * Four stages, each narrower in factor and finer in grid offset (params WARP_*). Coarse:
 * the middle 5 s, every 0.2% from -2% to +2% on each warp. Over 5 s the warps can look
 * alike near their best (a pitch shift read as a speed change drifts under two frames
 * each side), so the best factor of each warp is then measured again, and half a coarse
 * step either side, on the middle 15 s (at most), where the wrong warps lose the grid.
 * Fine: around the best of those, every 0.025% over the same window, where the grid
 * drifts under a tenth of a frame. Last, when the clip is longer than that window, the
 * best warp over the middle 30 s (at most), half a fine step either side: more blocks,
 * a stronger fold to decode; the last two only when the middle stage reaches WARP_REFINE_FROM_Z.
 * Returns the best candidate (one check-code test).
 */
export function searchWarps(core: Core, signal: Signal, layout: Layout): WarpCandidate | null {
  const window = (seconds: number): Window => {
    const length = Math.min(signal.length, Math.round(seconds * INTERNAL_RATE));
    return { start: Math.floor((signal.length - length) / 2), length };
  };
  const fine = window(WARP_FINE_SECONDS);
  let best: WarpCandidate | null = null;
  for (const kind of KINDS) {
    const coarse = refine(core, signal, layout, window(WARP_COARSE_SECONDS), kind, 1, WARP_COARSE_STEP, WARP_COARSE_STEPS, WARP_COARSE_OFFSET_STEP);
    const mid = coarse && refine(core, signal, layout, fine, kind, coarse.factor, WARP_COARSE_STEP / 2, 1, 4 * OFFSET_STEP);
    if (mid && (!best || mid.z > best.z)) best = mid;
  }
  if (!best || best.z < WARP_REFINE_FROM_Z) return best;
  best = refine(core, signal, layout, fine, best.kind, best.factor, WARP_FINE_STEP, WARP_FINE_STEPS, 2 * OFFSET_STEP) ?? best;
  if (fine.length < signal.length) {
    best = refine(core, signal, layout, window(WARP_WHOLE_SECONDS), best.kind, best.factor, WARP_FINE_STEP / 2, 1, OFFSET_STEP) ?? best;
  }
  return best;
}
