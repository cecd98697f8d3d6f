/** Resampling a whole channel through the core (for MP3 output at LAME's rate). */
import { getCore } from '../wasm/core.js';
import { SLOT } from '../wasm/slots.js';
import { audioKernels } from './kernels.js';

/** One channel resampled with the core's windowed-sinc resampler (low-pass at 0.47 x the lower rate). */
export async function resampleChannel(channel: Float32Array, from: number, to: number): Promise<Float32Array> {
  if (from === to) return channel.slice();
  const core = await getCore();
  const k = audioKernels(core);
  const outLen = Math.floor((channel.length * to) / from);
  const pIn = k.scratch(SLOT.audioA, channel.length * 4);
  const pOut = k.scratch(SLOT.audioD, outLen * 4);
  core.f32(pIn, channel.length).set(channel);
  k.resample(pIn, channel.length, from, pOut, outLen, to, 0.47 * Math.min(from, to));
  return core.f32(pOut, outLen).slice();
}
