/** Speed search: finds the block grid again in audio played faster or slower. */
import type { Core } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import { audioKernels } from './kernels.js';
import type { Layout } from './layout.js';
import { searchSync, type SyncCandidate } from './sync-search.js';
import { INTERNAL_RATE, OFFSET_STEP, SPEED_COARSE_SECONDS, SPEED_COARSE_STEP, SPEED_COARSE_STEPS, SPEED_FINE_SECONDS, SPEED_FINE_STEP, SPEED_FINE_STEPS } from './params.js';

export interface SpeedCandidate extends SyncCandidate {
  /** Playback speed of the input relative to the marked original (sox speed s: s > 1 is faster). */
  speed: number;
  /** Internal-rate sample of the input where the searched window starts. */
  windowStart: number;
}

/** `length` samples of the internal-rate signal from `start`, played back at 1/speed (undoing a speed change), into slot audioD. */
function unSped(core: Core, signal: { ptr: number; length: number }, start: number, length: number, speed: number) {
  const k = audioKernels(core);
  const inRate = Math.round(INTERNAL_RATE / speed);
  const outLen = Math.floor((length * INTERNAL_RATE) / inRate);
  const ptr = k.scratch(SLOT.audioD, outLen * 4);
  k.resample(signal.ptr + start * 4, length, inRate, ptr, outLen, INTERNAL_RATE, 5000);
  return { signal: { ptr, length: outLen }, speed: INTERNAL_RATE / inRate };
}

/**
 * Speed search, for when the block grid does not line up because the audio was
 * played faster or slower (resampled without changing the rate, as `sox speed`
 * does: time and pitch together). Coarse: the middle 5 s, un-sped at every 0.2%
 * from -2% to +2%, sync-searched at 8 offsets. Fine: around the best, every 0.05%
 * over the middle 15 s (at most) at 16 offsets, where the grid drifts at most a
 * fifth of a frame.
 * Returns the best candidate of the best speed (one check-code test).
 */
export function searchSpeed(core: Core, signal: { ptr: number; length: number }, layout: Layout): SpeedCandidate | null {
  const window = (seconds: number) => {
    const length = Math.min(signal.length, Math.round(seconds * INTERNAL_RATE));
    return { start: Math.floor((signal.length - length) / 2), length };
  };
  const coarse = window(SPEED_COARSE_SECONDS);
  let bestSpeed = 1;
  let bestZ = -Infinity;
  for (let i = -SPEED_COARSE_STEPS; i <= SPEED_COARSE_STEPS; i++) {
    if (i === 0) continue;
    const { signal: z, speed } = unSped(core, signal, coarse.start, coarse.length, 1 + i * SPEED_COARSE_STEP);
    const top = searchSync(core, z, layout, 4 * OFFSET_STEP, false)[0];
    if (top && top.z > bestZ) {
      bestZ = top.z;
      bestSpeed = speed;
    }
  }
  const fine = window(SPEED_FINE_SECONDS);
  let best: SpeedCandidate | null = null;
  for (let j = -SPEED_FINE_STEPS; j <= SPEED_FINE_STEPS; j++) {
    const { signal: z, speed } = unSped(core, signal, fine.start, fine.length, bestSpeed * (1 + j * SPEED_FINE_STEP));
    const top = searchSync(core, z, layout, 2 * OFFSET_STEP, false)[0];
    if (top && (!best || top.z > best.z)) best = { ...top, speed, windowStart: fine.start };
  }
  return best;
}
