// Node entry: the universal API plus file I/O.
import './wasm/node-source.js';
export * from './index.js';
export { decodeImageFile, encodeImageFile, sniffImageFormat, estimateJpegQuality, chooseJpegQuality, isLosslessWebp } from './image/file.js';
export type { DecodedImage, ImageSource, ImageFormat, ReadImageOptions } from './image/file.js';
export { writeFileAtomic } from './fs/atomic.js';
export type { AtomicWriteOptions } from './fs/atomic.js';
export { decodeAudioFile, encodeAudioFile, isAudioFile } from './audio/file.js';
export type { DecodedAudio } from './audio/file.js';
export { glyphSetFromFont } from './explicit/font-file.js';
export type { FontSubset } from './explicit/font-file.js';
