// What an explicit label may say. GB 45438 5.1: it names AI ("人工智能" or "AI") and generation
// ("生成" or "合成"); a text without both is not a compliant label, so it is refused.
import { AigcError } from '../errors.js';

export const DEFAULT_EXPLICIT_TEXT = 'AI生成';
/** The texts the bundled glyphs cover, and the ones the image detector looks for by default. */
export const PRESET_EXPLICIT_TEXTS: readonly string[] = ['AI生成', 'AI合成', '人工智能生成'];

const AI_ELEMENT = /AI|ＡＩ|人工智能/;
const GENERATION_ELEMENT = /生成|合成/;
const MAX_CHARS = 32;

/** The text trimmed, or BAD_EXPLICIT_TEXT saying what is missing. */
export function validateExplicitText(text: string): string {
  const t = text.trim();
  if (t.length === 0) throw new AigcError('BAD_EXPLICIT_TEXT', 'The explicit label text is empty; omit it to get "AI生成".');
  if ([...t].length > MAX_CHARS) {
    throw new AigcError('BAD_EXPLICIT_TEXT', `The explicit label text is over ${MAX_CHARS} characters; a label is a short prompt such as "AI生成".`);
  }
  const missing: string[] = [];
  if (!AI_ELEMENT.test(t)) missing.push('an AI element ("AI" or "人工智能")');
  if (!GENERATION_ELEMENT.test(t)) missing.push('a generation element ("生成" or "合成")');
  if (missing.length > 0) {
    throw new AigcError(
      'BAD_EXPLICIT_TEXT',
      `"${t}" lacks ${missing.join(' and ')}; GB 45438 explicit labels need both, e.g. "AI生成", "AI合成" or "人工智能生成".`,
    );
  }
  return t;
}
