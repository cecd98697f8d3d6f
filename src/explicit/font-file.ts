// Node only: glyph outlines from a font file (TTF, OTF, TTC, WOFF, WOFF2) for label text the
// bundled subset does not cover (`mark --font`). fontkit parses; we keep only the outlines.
import * as fontkit from 'fontkit';
import { AigcError } from '../errors.js';
import type { GlyphOutline, GlyphSet } from './glyphs.js';

/** fontkit path command names onto our op codes (glyphs.ts). */
const OPS: Record<string, number> = { moveTo: 0, lineTo: 1, quadraticCurveTo: 2, bezierCurveTo: 3, closePath: 4 };

type Face = fontkit.Font;

function openFace(bytes: Uint8Array, face?: string): Face {
  let opened: fontkit.Font | fontkit.FontCollection;
  try {
    opened = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch (e) {
    throw new AigcError('BAD_FONT', `Not a font file fontkit can read (TTF, OTF, TTC, WOFF, WOFF2): ${(e as Error).message}`, { cause: e });
  }
  if ('fonts' in opened) {
    const chosen = face ? opened.getFont(face) : opened.fonts[0];
    if (!chosen) {
      throw new AigcError('BAD_FONT', `The font collection has no face "${face}"; it has ${opened.fonts.map((f) => f.postscriptName).join(', ')}.`);
    }
    return chosen as Face;
  }
  return opened;
}

/** The outline of one character, rounded to 1/100 font unit; null when the font has no glyph for it. */
function outlineOf(font: Face, ch: string): GlyphOutline | null {
  const glyph = font.glyphForCodePoint(ch.codePointAt(0)!);
  if (!glyph || glyph.id === 0) return null;
  const path: number[] = [];
  for (const { command, args } of glyph.path.commands) {
    const op = OPS[command];
    if (op === undefined) throw new AigcError('BAD_FONT', `Unexpected outline command ${command} in the glyph for "${ch}".`);
    path.push(op, ...args.map((v: number) => Math.round(v * 100) / 100));
  }
  return { advance: glyph.advanceWidth, path };
}

export interface FontSubset extends GlyphSet {
  fullName: string;
  version: string;
  copyright: string;
  postscriptName: string;
}

/** The glyphs of every character of `chars` from a font file's bytes; MISSING_GLYPH names any it lacks. */
export function glyphSetFromFont(bytes: Uint8Array, chars: string, face?: string): FontSubset {
  const font = openFace(bytes, face);
  const glyphs: Record<string, GlyphOutline> = {};
  const missing: string[] = [];
  for (const ch of new Set(chars)) {
    const outline = outlineOf(font, ch);
    if (outline) glyphs[ch] = outline;
    else missing.push(ch);
  }
  if (missing.length > 0) throw new AigcError('MISSING_GLYPH', `The font ${font.fullName} has no glyph for ${missing.map((c) => `"${c}"`).join(', ')}.`);
  return {
    name: font.fullName,
    unitsPerEm: font.unitsPerEm,
    glyphs,
    fullName: font.fullName,
    version: String(font.version),
    copyright: font.copyright,
    postscriptName: font.postscriptName,
  };
}
