import type { Core } from '../wasm/core.js';

/** The audio kernels of the WASM core (assembly/audio/), typed. */
export interface AudioKernels {
  resample(inPtr: number, inLen: number, inRate: number, outPtr: number, outLen: number, outRate: number, cutoffHz: number): void;
  resampleSpan(inPtr: number, inFirst: number, inLen: number, inRate: number, outPtr: number, outStart: number, outCount: number, outRate: number, cutoffHz: number): void;
  resampleSpanInputStats(inPtr: number, inFirst: number, inLen: number, inRate: number, outPtr: number, outStart: number, outCount: number, outRate: number, cutoffHz: number, state: number, inStart: number, inEnd: number, last: number): void;
  resampleReach(inRate: number, outRate: number, cutoffHz: number): number;
  audioEmbedDelta(x: number, len: number, symbols: number, blockFrames: number, step: number, tilt: number, maxStep: number, delta: number, refEnergy: number, frameTilt: number, frameCap: number, frameFloor: number): void;
  audioEmbedDeltaStereo(left: number, right: number, len: number, symbols: number, blockFrames: number, step: number, tilt: number, maxStep: number, deltaLeft: number, deltaRight: number, refEnergy: number, frameTilt: number, frameCap: number, frameFloor: number): void;
  audioAnalyze(x: number, offset: number, frames: number, pow: number): number;
  audioWhitenFold(pow: number, frames: number, floorRatio: number, absFloor: number, clip: number, minVar: number, resid: number, varScratch: number, fold: number, blockFrames: number, noise: number, gamma: number, cellNoise: number, cellW: number, cellRadius: number): void;
  audioSyncScores(fold: number, sync: number, blockFrames: number, scores: number): void;
  audioSoftBits(fold: number, chipBit: number, chipSign: number, blockFrames: number, p: number, soft: number, bits: number): void;
  audioChipMap(seedHi: number, seedLo: number, cells: number, codedBits: number, syncChips: number, chipBit: number, chipSign: number, perm: number): void;
  audioStats(x: number, n: number, peakOut: number): number;
  audioStatsSpan(x: number, n: number, state: number, last: number): void;
  audioLimit(x: number, xFirst: number, d: number, dFirst: number, n: number, start: number, end: number, out: number, ceiling: number, scale: number, radius: number): number;
  audioStereoMix(left: number, right: number, n: number, mix: number): void;
  audioFrameEnergies(x: number, frames: number, width: number, out: number): void;
  pcm16Read(src: number, channels: number, c: number, n: number, dst: number): void;
  pcm16Write(src: number, n: number, channels: number, c: number, dst: number): void;
  scratch(slot: number, bytes: number): number;
}

export function audioKernels(core: Core): AudioKernels {
  return core.exports as unknown as AudioKernels;
}
