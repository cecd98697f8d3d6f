/**
 * Embedding: the watermark change for one channel (each channel -> internal rate -> keyed
 * per-chip gains on the band bins of every frame, in WASM -> the change alone back at the
 * input rate), and the speech heuristic that picks the SNR budget.
 */
import type { Core } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import type { ChannelSource } from './channels.js';
import { audioKernels } from './kernels.js';
import { checkSamples } from './validate.js';
import { cutoff, internalLength, rowMeans } from './frames.js';
import { BLOCK_FRAMES, CELLS, FRAME, INTERNAL_RATE, LOUD_FRAME_QUANTILE, SPEECH_PAUSE_RUNS_PER_SECOND, SPEECH_PAUSES } from './params.js';

export interface StepShape {
  step: number;
  tilt: number;
  maxStep: number;
  /** Quieter frames take a step larger by (loud frame energy / frame energy)^frameTilt, at most frameCap. */
  frameTilt: number;
  frameCap: number;
}

/** Mean-square energy of the loud frames of an internal-rate signal (the LOUD_FRAME_QUANTILE quantile of frame energies). */
function loudFrameEnergy(core: Core, ptr: number, length: number): number {
  const x = core.f32(ptr, length);
  const frames = Math.floor(length / FRAME);
  if (frames < 1) return 0;
  const e = Float32Array.from(rowMeans(x, frames, FRAME, true)).sort();
  return e[Math.floor(LOUD_FRAME_QUANTILE * (frames - 1))];
}

/**
 * The watermark change for channel `c` of `source`, kept at the internal rate (a quarter of
 * the memory at 44.1 kHz; deltaAtRate brings it to the channel's rate), with the channel's
 * energy and peak and the energy of the change at the channel's rate. With `onInternal`,
 * the channel at the internal rate is shown to the callback before the kernels reuse it.
 */
export function channelDelta(
  core: Core,
  source: ChannelSource,
  c: number,
  rate: number,
  symbols: Float32Array,
  shape: StepShape,
  onInternal?: (signal: { ptr: number; length: number }) => void,
): { delta: Float32Array; energy: number; peak: number; change: number } {
  const k = audioKernels(core);
  const n = source.length;
  const len = internalLength(n, rate);
  const pIn = k.scratch(SLOT.audioA, n * 4);
  const pInt = k.scratch(SLOT.audioB, len * 4);
  const pDeltaInt = k.scratch(SLOT.audioC, len * 4);
  const pGains = k.scratch(SLOT.audioE, CELLS * 12);
  // At the internal rate the change needs its own buffer; otherwise it goes back over the input.
  const pOut = rate === INTERNAL_RATE ? k.scratch(SLOT.audioD, n * 4) : pIn;
  core.f32(pGains, CELLS).set(symbols);
  source.read(c, 0, core.f32(pIn, n));
  // Scan the samples where they already are: energy, peak, and NaN/Inf (a non-finite sum).
  const pPeak = pGains + CELLS * 4;
  const energy = k.audioStats(pIn, n, pPeak);
  const peak = core.f32(pPeak, 1)[0];
  checkSamples(core.f32(pIn, n), energy, 1);
  let delta: Float32Array;
  if (rate === INTERNAL_RATE) {
    onInternal?.({ ptr: pIn, length: n });
    const ref = shape.frameTilt > 0 ? loudFrameEnergy(core, pIn, n) : 0;
    k.audioEmbedDelta(pIn, n, pGains, BLOCK_FRAMES, shape.step, shape.tilt, shape.maxStep, pOut, ref, shape.frameTilt, shape.frameCap);
    delta = core.f32(pOut, n).slice();
  } else {
    k.resample(pIn, n, rate, pInt, len, INTERNAL_RATE, cutoff(rate, INTERNAL_RATE));
    onInternal?.({ ptr: pInt, length: len });
    const ref = shape.frameTilt > 0 ? loudFrameEnergy(core, pInt, len) : 0;
    k.audioEmbedDelta(pInt, len, pGains, BLOCK_FRAMES, shape.step, shape.tilt, shape.maxStep, pDeltaInt, ref, shape.frameTilt, shape.frameCap);
    delta = core.f32(pDeltaInt, len).slice();
    k.resample(pDeltaInt, len, INTERNAL_RATE, pOut, n, rate, cutoff(rate, INTERNAL_RATE));
  }
  const change = k.audioStats(pOut, n, pPeak);
  return { delta, energy, peak, change };
}

/** channelDelta's change at the channel's rate: a pointer to n samples in WASM memory, valid until the next kernel call that takes scratch. */
export function deltaAtRate(core: Core, delta: Float32Array, n: number, rate: number): number {
  const k = audioKernels(core);
  const pOut = k.scratch(SLOT.audioA, n * 4);
  if (rate === INTERNAL_RATE) {
    core.f32(pOut, n).set(delta);
    return pOut;
  }
  const pDeltaInt = k.scratch(SLOT.audioC, delta.length * 4);
  core.f32(pDeltaInt, delta.length).set(delta);
  k.resample(pDeltaInt, delta.length, INTERNAL_RATE, pOut, n, rate, cutoff(rate, INTERNAL_RATE));
  return pOut;
}

/**
 * Is this speech? A heuristic on the internal-rate mono mix, used only to pick the
 * SNR the mark may cost (docs/audio.md): speech pauses between words, often and
 * briefly. At least 10% of 23 ms frames 25 dB or more under the loud level (the 95th
 * percentile), and pauses entered at least 0.5 times a second, is speech. Recorded
 * speech (actors, espeak-ng) measures 10-29% pause frames and 0.6-3.2 pauses/s;
 * music at most 5% pause frames (percussion, ambient fades), and a track with one
 * silent stretch enters it once. Anything else counts as music, the stricter budget.
 */
export function looksLikeSpeech(core: Core, signal: { ptr: number; length: number }): boolean {
  const x = core.f32(signal.ptr, signal.length);
  const frames = Math.floor(x.length / FRAME);
  if (frames < 8) return false;
  const level = rowMeans(x, frames, FRAME, true).map((e) => 10 * Math.log10(e + 1e-12));
  const top = Float64Array.from(level).sort()[Math.floor(0.95 * frames)];
  let pauses = 0;
  let entered = 0;
  for (let f = 0; f < frames; f++) {
    const pause = level[f] < top - 25;
    if (pause) pauses++;
    if (pause && (f === 0 || level[f - 1] >= top - 25)) entered++;
  }
  const seconds = (frames * FRAME) / INTERNAL_RATE;
  return pauses / frames >= SPEECH_PAUSES && entered / seconds >= SPEECH_PAUSE_RUNS_PER_SECOND;
}
