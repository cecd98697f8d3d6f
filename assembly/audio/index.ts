// Audio watermark kernels (re-exported by assembly/index.ts).
export { resample } from './resample';
export { audioEmbedDelta, audioAnalyze, audioWhitenFold, audioSyncScores, audioSoftBits, audioStats } from './frames';
export { audioChipMap } from './chipmap';
export { audioLimit } from './limiter';
