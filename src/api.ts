// The public API, which both entries export (src/index.ts for browsers and any runtime, src/node.ts
// for Node): no node: imports here or below, and no side effects (each entry supplies its platform's parts).
export * from './errors.js';
export { checkKey, checkLabel, checkMaxPixels, checkStrength, STRENGTH_RANGE } from './validate.js';
export * from './label/index.js';
export * from './payload/index.js';
export { getCore, loadCore, preferCoreFlavor, simdSupported, setWasmSource } from './wasm/core.js';
export type { Core, CoreFlavor } from './wasm/core.js';
export * from './image/index.js';
export * from './metadata/index.js';
export { estimateJpegQuality } from './metadata/jpeg-quality.js';
export { isLosslessWebp } from './metadata/webp.js';
export { planPropagation, propagateLabel } from './platform/propagate.js';
export type { PropagateOptions, PropagationPlan } from './platform/propagate.js';
export { article6Verdict, verdictTier } from './platform/verdict.js';
export type { Verdict, VerdictBasis, VerdictTier } from './platform/verdict.js';
export { assess, countLabelCopies } from './platform/assess.js';
export type { Assessment, Evidence, Finding, FindingCode, MetadataState } from './platform/assess.js';
export { embedAudio, detectAudio } from './audio/index.js';
export type { AudioEmbedOptions, AudioEmbedResult, AudioDetection } from './audio/index.js';
export * from './explicit/index.js';
export { buildWav, parseWav, pcm16WavInfo } from './audio/wav.js';
