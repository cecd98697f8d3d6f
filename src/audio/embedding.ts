/**
 * Embedding: the watermark change for one channel (each channel -> internal rate -> keyed
 * per-chip gains on the band bins of every frame, in WASM -> the change alone back at the
 * input rate), and the speech heuristic that picks the SNR budget.
 */
import type { Core } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import type { ChannelSource } from './channels.js';
import { audioKernels } from './kernels.js';
import { changeAtRate, readAtInternalRate, SPAN, SpanStats } from './spans.js';
import { internalLength, rowMeans } from './frames.js';
import { BLOCK_FRAMES, CELLS, FRAME, INTERNAL_RATE, SPEECH_PAUSE_RUNS_PER_SECOND, SPEECH_PAUSES, type FrameShape } from './params.js';

/** The step of a chip (DEFAULT_STEP, STEP_TILT, MAX_STEP) and how it varies from frame to frame (params FrameShape). */
export interface StepShape extends FrameShape {
  step: number;
  tilt: number;
  maxStep: number;
}

/** The `q` quantile of the frame energies (mean squares) of an internal-rate signal. */
function frameEnergyQuantile(core: Core, ptr: number, length: number, q: number): number {
  const x = core.f32(ptr, length);
  const frames = Math.floor(length / FRAME);
  if (frames < 1) return 0;
  const e = Float32Array.from(rowMeans(x, frames, FRAME, true)).sort();
  return e[Math.floor(q * (frames - 1))];
}

/** A channel's watermark change at the internal rate, in WASM memory (SLOT.audioC, one stretch per channel) until the next embedding. */
export interface InternalChange {
  ptr: number;
  length: number;
}

/**
 * The watermark change of every channel of `source`, kept at the internal rate in the core
 * (a quarter of the memory at 44.1 kHz; deltaAtRate brings it to the channel's rate span
 * by span), with the channels' energy and peak and the energy of the changes at the
 * channels' rate, all channels together. The detector reads the mean of the channels, so
 * with two or more channels the gains come from that mix and every channel's change is
 * in phase with it (audioEmbedDeltaFromMix): on stereo music, per-channel marks put about
 * half their energy into the channels' difference, which the mix cancels. With `onMix`,
 * the mix at the internal rate (the channel itself when there is one) is shown to the
 * callback before the step shape is used. Only the internal-rate signals and the changes
 * are full length in WASM memory; the changes stay there (no copy in fresh JS memory, whose
 * first write costs page faults) until every channel has been limited.
 */
export function channelDeltas(
  core: Core,
  source: ChannelSource,
  rate: number,
  symbols: Float32Array,
  shape: StepShape,
  onMix?: (signal: { ptr: number; length: number }) => void,
): { deltas: InternalChange[]; energy: number; peak: number; change: number } {
  const k = audioKernels(core);
  const n = source.length;
  const count = source.count;
  const len = internalLength(n, rate);
  // Stretch c of audioC takes channel c's change; with a mix, stretch c + 1 holds channel c
  // at the internal rate until its change is made (so a change never overwrites its input).
  const pStretches = k.scratch(SLOT.audioC, (count + (count > 1 ? 1 : 0)) * len * 4);
  const pMix = k.scratch(SLOT.audioB, len * 4);
  const pGains = k.scratch(SLOT.audioE, CELLS * 4 + SpanStats.BYTES);
  core.f32(pGains, CELLS).set(symbols);
  const stretch = (i: number) => pStretches + i * len * 4;
  let energy = 0;
  let peak = 0;
  if (count > 1) core.f32(pMix, len).fill(0);
  for (let c = 0; c < count; c++) {
    const into = count > 1 ? stretch(c + 1) : pMix;
    const r = readAtInternalRate(core, source, c, rate, into, new SpanStats(core, pGains + CELLS * 4));
    energy += r.energy;
    peak = Math.max(peak, r.peak);
    if (count > 1) {
      const mix = core.f32(pMix, len);
      const x = core.f32(into, len);
      for (let i = 0; i < len; i++) mix[i] += x[i];
    }
  }
  if (count > 1) {
    const mix = core.f32(pMix, len);
    for (let i = 0; i < len; i++) mix[i] /= count;
  }
  onMix?.({ ptr: pMix, length: len });
  const ref = shape.frameTilt > 0 ? frameEnergyQuantile(core, pMix, len, shape.refQuantile) : 0;
  const deltas: InternalChange[] = [];
  let change = 0;
  for (let c = 0; c < count; c++) {
    const pDelta = stretch(c);
    if (count > 1) {
      k.audioEmbedDeltaFromMix(stretch(c + 1), pMix, count, len, pGains, BLOCK_FRAMES, shape.step, shape.tilt, shape.maxStep, pDelta, ref, shape.frameTilt, shape.frameCap, shape.frameFloor);
    } else {
      k.audioEmbedDelta(pMix, len, pGains, BLOCK_FRAMES, shape.step, shape.tilt, shape.maxStep, pDelta, ref, shape.frameTilt, shape.frameCap, shape.frameFloor);
    }
    // The energy of the change as the limiter will add it: at the channel's rate.
    const span = changeAtRate(core, pDelta, len, n, rate);
    const changeStats = new SpanStats(core, pGains + CELLS * 4);
    for (let start = 0; start < n; start += SPAN) {
      const end = Math.min(n, start + SPAN);
      changeStats.add(span(start, end - start), end - start, end === n);
    }
    change += changeStats.result().energy;
    deltas.push({ ptr: pDelta, length: len });
  }
  return { deltas, energy, peak, change };
}

/**
 * channelDeltas' change of one channel at the channel's rate, for the limiter: a function that puts the
 * change for samples [first, first + count) in WASM memory and returns where, valid until
 * the next kernel call that takes scratch.
 */
export function deltaAtRate(core: Core, delta: InternalChange, n: number, rate: number): (first: number, count: number) => number {
  return changeAtRate(core, delta.ptr, delta.length, n, rate);
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
