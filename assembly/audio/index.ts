// Audio watermark kernels (re-exported by assembly/index.ts).
export { resample, resampleSpan, resampleSpanInputStats, resampleReach } from './resample';
export { audioEmbedDelta, audioEmbedDeltaStereo, audioAnalyze, audioWhitenFold, audioSyncScores, audioSoftBits, audioStats, audioStatsSpan } from './frames';
export { audioChipMap } from './chipmap';
export { audioLimit } from './limiter';
export { audioStereoMix, audioFrameEnergies } from './levels';
export { pcm16Read, pcm16Write } from './pcm';
