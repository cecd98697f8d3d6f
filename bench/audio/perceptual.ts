/**
 * A perceptual check beside SNR: the mark's noise-to-mask ratio per critical band,
 * in the spirit of PEAQ's NMR (simplified: fixed spreading slopes, no absolute
 * threshold, so quiet passages count as if played loud, which errs on the strict side).
 *
 * Per 2048-sample Hann frame (hop 1024) of the mono mix: the original's energy in
 * each 1-Bark band, spread over neighbouring bands (27 dB/Bark towards lower bands,
 * 24 dB/Bark towards higher ones) and lowered by the masking offset (3 dB up to
 * 12 Bark, 0.25 dB per Bark above) gives the masking threshold; the mark
 * (marked - original) in the same band over that threshold is the band's NMR.
 * Frames with nothing in them (under -90 dBFS) are skipped.
 */

import { fft } from '../../src/explicit/fft.ts';

const N = 2048;
const HOP = 1024;

/** Power spectrum (bins 0..n/2) of re/im, transformed in place. */
function fftPower(re: Float64Array, im: Float64Array): Float64Array {
  fft(re, im);
  const n = re.length;
  const p = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) p[k] = re[k] * re[k] + im[k] * im[k];
  return p;
}

const bark = (f: number) => 13 * Math.atan(0.00076 * f) + 3.5 * Math.atan((f / 7500) ** 2);

export interface MaskingReport {
  /** 10 log10 of the mean NMR over all analysed frame-bands (PEAQ's total NMR); under 0 dB the mark sits under the mask on average. */
  totalNmrDb: number;
  /** Share of frame-bands where the mark exceeds the masking threshold. */
  overMask: number;
  /** The worst band's NMR in the worst 1% of frames, dB. */
  p99NmrDb: number;
  /**
   * Total NMR of each channel's mark against that channel's own masking threshold, the
   * worst channel, dB: what one ear hears on headphones. The mix alone does not see a
   * change that lies in the channels' difference.
   */
  channelNmrDb: number;
}

const mono = (channels: Float32Array[]) => {
  const m = new Float64Array(channels[0].length);
  for (const c of channels) for (let i = 0; i < m.length; i++) m[i] += c[i] / channels.length;
  return m;
};

export function maskingReport(original: Float32Array[], marked: Float32Array[], rate: number): MaskingReport {
  const mix = signalMasking(mono(original), mono(marked), rate);
  const channels = original.map((c, i) => signalMasking(Float64Array.from(c), Float64Array.from(marked[i]), rate).totalNmrDb);
  return { ...mix, channelNmrDb: Math.max(...channels) };
}

function signalMasking(x: Float64Array, y: Float64Array, rate: number): Omit<MaskingReport, 'channelNmrDb'> {
  const bands = Math.ceil(bark(rate / 2));
  const bandOf = Int32Array.from({ length: N / 2 }, (_, k) => Math.min(bands - 1, Math.floor(bark((k * rate) / N))));
  const window = Float64Array.from({ length: N }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / N));
  const offset = Float64Array.from({ length: bands }, (_, z) => 10 ** (-(z <= 12 ? 3 : 0.25 * z) / 10));
  let sum = 0;
  let count = 0;
  let over = 0;
  const worst: number[] = [];
  for (let s = 0; s + N <= x.length; s += HOP) {
    const band = (sig: Float64Array, d?: Float64Array) => {
      const re = new Float64Array(N);
      for (let i = 0; i < N; i++) re[i] = (d ? sig[s + i] - d[s + i] : sig[s + i]) * window[i];
      const p = fftPower(re, new Float64Array(N));
      const e = new Float64Array(bands);
      for (let k = 1; k < N / 2; k++) e[bandOf[k]] += p[k];
      return e;
    };
    const host = band(x);
    let total = 0;
    for (const v of host) total += v;
    // -90 dBFS over the frame: nothing to mask with, and nothing to hear.
    if (total < N * 1e-9 * 0.375 * N) continue;
    const mark = band(y, x);
    let frameWorst = -Infinity;
    for (let z = 0; z < bands; z++) {
      let mask = 0;
      for (let j = 0; j < bands; j++) mask += host[j] * 10 ** (-(j > z ? 27 * (j - z) : 24 * (z - j)) / 10);
      mask *= offset[z];
      if (mask <= 0) continue;
      const nmr = mark[z] / mask;
      sum += nmr;
      count++;
      if (nmr > 1) over++;
      frameWorst = Math.max(frameWorst, 10 * Math.log10(nmr + 1e-30));
    }
    worst.push(frameWorst);
  }
  worst.sort((a, b) => a - b);
  return {
    totalNmrDb: count ? 10 * Math.log10(sum / count) : -Infinity,
    overMask: count ? over / count : 0,
    p99NmrDb: worst.length ? worst[Math.floor(0.99 * (worst.length - 1))] : -Infinity,
  };
}
