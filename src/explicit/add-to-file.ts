// The explicit label as one step of marking a decoded file: drawn on the pixels (or spliced into
// the samples) before the watermark goes over the result, so the watermark covers it too.
import { addAudioPrompt, type PromptPlacement, type RhythmOptions } from './audio-prompt.js';
import type { GlyphSet } from './glyphs.js';
import { drawExplicitLabel } from './image-label.js';
import type { Box, LabelPosition } from './layout.js';
import type { LabelStyle, TextTone } from './contrast.js';

/** What to add; every field has a default ("AI生成" at the bottom right, the rhythm prompt at the start). */
export interface ExplicitLabelOptions {
  /** Images: the label text, which must name AI and generation. */
  text?: string;
  /** Images: one of LABEL_POSITIONS. */
  position?: LabelPosition;
  /** Images: glyph height as a fraction of the shortest side (0.05 to 0.15). */
  heightFraction?: number;
  /** Images: outlines for text the bundled glyphs lack (glyphSetFromFont in Node). */
  glyphs?: GlyphSet;
  /** Audio: where the prompt goes. */
  placement?: PromptPlacement;
  /** Audio: rhythm prompt settings. */
  rhythm?: RhythmOptions;
  /** Audio: a voice prompt to splice in instead of the rhythm. */
  voice?: { channels: Float32Array[]; sampleRate: number };
}

/** What was added, for reports (`mark --json`). */
export type ExplicitLabelAdded =
  | { kind: 'image'; text: string; position: LabelPosition; box: Box; textBox: Box; glyphHeight: number; style: LabelStyle; tone: TextTone }
  | { kind: 'audio'; prompt: 'rhythm' | 'voice'; placement: PromptPlacement; start: number; end: number };

export function addImageExplicitLabel(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number, options: ExplicitLabelOptions): { rgba: Uint8ClampedArray; added: ExplicitLabelAdded } {
  const r = drawExplicitLabel(rgba, width, height, { text: options.text, position: options.position, heightFraction: options.heightFraction, glyphs: options.glyphs });
  return { rgba: r.rgba, added: { kind: 'image', text: r.text, position: r.position, box: r.box, textBox: r.textBox, glyphHeight: r.glyphHeight, style: r.style, tone: r.tone } };
}

export async function addAudioExplicitLabel(channels: Float32Array[], sampleRate: number, options: ExplicitLabelOptions): Promise<{ channels: Float32Array[]; added: ExplicitLabelAdded }> {
  const r = await addAudioPrompt(channels, sampleRate, { placement: options.placement, rhythm: options.rhythm, voice: options.voice });
  return { channels: r.channels, added: { kind: 'audio', prompt: r.kind, placement: r.placement, start: round3(r.start), end: round3(r.end) } };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
