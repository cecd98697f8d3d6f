// Node entry: the universal API plus file I/O.
import './node-platform.js';
export * from './api.js';
export { decodeImageFile, encodeImageFile, sniffImageFormat, chooseJpegQuality } from './image/file.js';
export type { DecodedImage, EncodeImageOptions, ImageSource, ImageFormat, ReadImageOptions } from './image/file.js';
export { writeFileAtomic } from './fs/atomic.js';
export type { AtomicWriteOptions } from './fs/atomic.js';
export { decodeAudioFile, encodeAudioFile, isAudioFile } from './audio/file.js';
export type { DecodedAudio } from './audio/file.js';
export { checkConversion, addExplicitLabelToFile, convertFile, detectFile, formatForPath, markFile, mediaKind, outputFormatFor, sniffMedia } from './media.js';
export type { DetectFileOptions, FileDetection, MarkedFile, MarkFileOptions, MediaFormat, MediaKind, SniffedMedia } from './media.js';
export { inspectBytes } from './inspect.js';
export type { InspectOptions, Inspection, WatermarkReport } from './inspect.js';
export { glyphSetFromFont } from './explicit/font-file.js';
export type { FontSubset } from './explicit/font-file.js';
