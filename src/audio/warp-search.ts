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
import { BLOCK_FRAMES, FRAME, INTERNAL_RATE, OFFSET_STEP, WARP_COARSE_OFFSET_STEP, WARP_COARSE_SECONDS, WARP_COARSE_STEP, WARP_COARSE_STEPS, WARP_FINE_SECONDS, WARP_FINE_STEP, WARP_FINE_STEPS } from './params.js';

export type WarpKind = 'speed' | 'tempo' | 'pitch';
const KINDS: readonly WarpKind[] = ['speed', 'tempo', 'pitch'];

interface Signal {
  ptr: number;
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
function searchWarp(core: Core, signal: Signal, layout: Layout, start: number, length: number, kind: WarpKind, factor: number, offsetStep: number): WarpCandidate | null {
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

/**
 * Coarse: the middle WARP_COARSE_SECONDS, every WARP_COARSE_STEP from -2% to +2% on each
 * warp, grid offsets every WARP_COARSE_OFFSET_STEP. Over 5 s the warps can look alike
 * near their best (a pitch shift read as a speed change drifts under two frames each
 * side), so the best factor of each warp is then measured on the middle
 * WARP_FINE_SECONDS (at most), where the wrong ones lose the grid. Fine: around the best
 * of those, every WARP_FINE_STEP over the same window at offsets every 2 x OFFSET_STEP,
 * where the grid drifts at most a fifth of a frame. Last, when the clip is longer than
 * that window, the best warp is folded over the whole clip (more blocks, a stronger fold
 * to decode). Returns the best candidate (one check-code test).
 */
export function searchWarps(core: Core, signal: Signal, layout: Layout): WarpCandidate | null {
  const window = (seconds: number) => {
    const length = Math.min(signal.length, Math.round(seconds * INTERNAL_RATE));
    return { start: Math.floor((signal.length - length) / 2), length };
  };
  const coarse = window(WARP_COARSE_SECONDS);
  const fine = window(WARP_FINE_SECONDS);
  let best: WarpCandidate | null = null;
  for (const kind of KINDS) {
    let top: WarpCandidate | null = null;
    for (let i = -WARP_COARSE_STEPS; i <= WARP_COARSE_STEPS; i++) {
      if (i === 0) continue;
      const c = searchWarp(core, signal, layout, coarse.start, coarse.length, kind, 1 + i * WARP_COARSE_STEP, WARP_COARSE_OFFSET_STEP);
      if (c && (!top || c.z > top.z)) top = c;
    }
    const long = top && searchWarp(core, signal, layout, fine.start, fine.length, kind, top.factor, WARP_COARSE_OFFSET_STEP);
    if (long && (!best || long.z > best.z)) best = long;
  }
  if (!best) return null;
  const { kind, factor } = best;
  for (let j = -WARP_FINE_STEPS; j <= WARP_FINE_STEPS; j++) {
    const c = searchWarp(core, signal, layout, fine.start, fine.length, kind, factor * (1 + j * WARP_FINE_STEP), 2 * OFFSET_STEP);
    if (c && c.z > best.z) best = c;
  }
  if (fine.length < signal.length) {
    const whole = searchWarp(core, signal, layout, 0, signal.length, best.kind, best.factor, 2 * OFFSET_STEP);
    if (whole && whole.z > best.z) best = whole;
  }
  return best;
}
