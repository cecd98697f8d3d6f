// Explicit (visible and audible) labels, GB 45438 5.2 and 5.3. Universal: no node: imports.
export { DEFAULT_EXPLICIT_TEXT, PRESET_EXPLICIT_TEXTS, validateExplicitText } from './text.js';
export { BUNDLED_GLYPHS } from './glyph-data.js';
export type { GlyphOutline, GlyphSet } from './glyphs.js';
export {
  DEFAULT_HEIGHT_FRACTION,
  LABEL_POSITIONS,
  MAX_HEIGHT_FRACTION,
  MIN_HEIGHT_FRACTION,
  type Box,
  type LabelPosition,
} from './layout.js';
export type { LabelStyle, TextTone } from './contrast.js';
export { drawExplicitLabel, type ExplicitImageOptions, type ExplicitImageResult } from './image-label.js';
export {
  DEFAULT_EXPLICIT_IMAGE_SEPARATION,
  DEFAULT_EXPLICIT_IMAGE_THRESHOLD,
  detectExplicitLabel,
  type ExplicitImageDetectOptions,
  type ExplicitImageDetection,
} from './detect-image.js';
export {
  DEFAULT_RHYTHM,
  PROMPT_PLACEMENTS,
  addAudioPrompt,
  rhythmDuration,
  synthesizeRhythm,
  type PromptPlacement,
  type PromptSpliceOptions,
  type PromptSpliceResult,
  type RhythmOptions,
} from './audio-prompt.js';
export { DEFAULT_RHYTHM_THRESHOLD, detectRhythm, type RhythmDetection } from './detect-audio.js';
export { addAudioExplicitLabel, addImageExplicitLabel, type ExplicitLabelAdded, type ExplicitLabelOptions } from './add-to-file.js';
