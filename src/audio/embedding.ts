/**
 * Embedding: the watermark change for one channel (each channel -> internal rate -> keyed
 * per-chip gains on the band bins of every frame, in WASM -> the change alone back at the
 * input rate), and the speech heuristic that picks the SNR budget.
 */
import type { Core } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import type { ChannelSource } from './channels.js';
import { audioKernels } from './kernels.js';
import { changeAtRate, changeEnergy, readAtInternalRate, SpanStats } from './spans.js';
import { internalLength } from './frames.js';
import { BLOCK_FRAMES, CELLS, FRAME, INTERNAL_RATE, SPEECH_PAUSE_RUNS_PER_SECOND, SPEECH_PAUSES, type FrameShape } from './params.js';

/** The step of a chip (DEFAULT_STEP, STEP_TILT, MAX_STEP) and how it varies from frame to frame (params FrameShape). */
export interface StepShape extends FrameShape {
  step: number;
  tilt: number;
  maxStep: number;
}

/** The mean square of every whole FRAME of an internal-rate signal in WASM memory (frame levels the embedder decides on). */
function frameEnergies(core: Core, signal: { ptr: number; length: number }): Float64Array {
  const frames = Math.floor(signal.length / FRAME);
  const k = audioKernels(core);
  // audioD is free until the change is brought to the channels' rate.
  const out = k.scratch(SLOT.audioD, Math.max(1, frames) * 8);
  k.audioFrameEnergies(signal.ptr, frames, FRAME, out);
  return new Float64Array(core.exports.memory.buffer, out, frames).slice();
}

/** The `q` quantile of the frame energies (mean squares) of an internal-rate signal. */
function frameEnergyQuantile(core: Core, ptr: number, length: number, q: number): number {
  const frames = Math.floor(length / FRAME);
  if (frames < 1) return 0;
  const e = Float32Array.from(frameEnergies(core, { ptr, length })).sort();
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
 * a stereo change is steered by that mix (audioEmbedDeltaStereo): on stereo music, changes
 * made from each channel's own spectrum put about half their energy into the channels'
 * difference, which the mix cancels. Mono and more than two channels: each channel's
 * change from its own spectrum. `onShape` is shown the signals the step shape is chosen on,
 * at the internal rate, before the shape is used: the mix and both channels of a stereo
 * clip, else the first channel (embedChannels takes the speech budget only when all of
 * them look like speech). With `keep` (arrays of the channels' length), the changes at the
 * channels' rate are kept there too, where the rates differ.
 * Only the internal-rate signals and the changes are full length in WASM memory; the
 * changes stay there (no copy in fresh JS memory, whose first write costs page faults)
 * until every channel has been limited.
 */
export function channelDeltas(
  core: Core,
  source: ChannelSource,
  rate: number,
  symbols: Float32Array,
  shape: StepShape,
  onShape?: (signals: { ptr: number; length: number }[]) => void,
  keep?: readonly Float32Array[],
): { deltas: InternalChange[]; energy: number; peak: number; change: number } {
  const k = audioKernels(core);
  const n = source.length;
  const count = source.count;
  const len = internalLength(n, rate);
  const stereo = count === 2;
  // Stereo: stretch 0 of audioC holds the mix, then the left change; 1 and 2 the channels
  // at the internal rate; 3 the right change. Otherwise stretch c takes channel c's change
  // and each channel is read into audioB in turn.
  const pStretches = k.scratch(SLOT.audioC, (stereo ? 4 : count) * len * 4);
  const pOne = stereo ? 0 : k.scratch(SLOT.audioB, len * 4);
  // The gains, then two SpanStats states (a stereo pair is read together).
  const pGains = k.scratch(SLOT.audioE, CELLS * 4 + 2 * SpanStats.BYTES);
  core.f32(pGains, CELLS).set(symbols);
  const stretch = (i: number) => pStretches + i * len * 4;
  const stats = (i = 0) => new SpanStats(core, pGains + CELLS * 4 + i * SpanStats.BYTES);
  let energy = 0;
  let peak = 0;
  const read = (reads: { c: number; into: number }[]) => {
    for (const r of readAtInternalRate(core, source, reads.map((read, i) => ({ ...read, stats: stats(i) })), rate)) {
      energy += r.energy;
      peak = Math.max(peak, r.peak);
    }
  };
  const refEnergy = (ptr: number) => (shape.frameTilt > 0 ? frameEnergyQuantile(core, ptr, len, shape.refQuantile) : 0);
  let deltas: InternalChange[];
  if (stereo) {
    read([
      { c: 0, into: stretch(1) },
      { c: 1, into: stretch(2) },
    ]);
    k.audioStereoMix(stretch(1), stretch(2), len, stretch(0));
    onShape?.([0, 1, 2].map((i) => ({ ptr: stretch(i), length: len })));
    const ref = refEnergy(stretch(0));
    k.audioEmbedDeltaStereo(stretch(1), stretch(2), len, pGains, BLOCK_FRAMES, shape.step, shape.tilt, shape.maxStep, stretch(0), stretch(3), ref, shape.frameTilt, shape.frameCap, shape.frameFloor);
    deltas = [stretch(0), stretch(3)].map((ptr) => ({ ptr, length: len }));
  } else {
    deltas = [];
    for (let c = 0; c < count; c++) {
      read([{ c, into: pOne }]);
      if (c === 0) onShape?.([{ ptr: pOne, length: len }]);
      k.audioEmbedDelta(pOne, len, pGains, BLOCK_FRAMES, shape.step, shape.tilt, shape.maxStep, stretch(c), refEnergy(pOne), shape.frameTilt, shape.frameCap, shape.frameFloor);
      deltas.push({ ptr: stretch(c), length: len });
    }
  }
  // The energy of the changes as the limiter will add them: at the channels' rate.
  let change = 0;
  deltas.forEach((delta, c) => (change += changeEnergy(core, delta.ptr, len, n, rate, stats(), keep?.[c])));
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
  const frames = Math.floor(signal.length / FRAME);
  if (frames < 8) return false;
  const level = frameEnergies(core, signal).map((e) => 10 * Math.log10(e + 1e-12));
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
