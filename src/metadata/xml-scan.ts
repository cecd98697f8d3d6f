/**
 * A position-keeping XML tokenizer for XMP packets. fast-xml-parser's validator
 * checks well-formedness first (its messages carry line and column), but no
 * parser reports source offsets, and the writers must edit a packet in place,
 * leaving every other property byte-for-byte as it was. This scanner gives those
 * offsets and adds the checks XMP needs that the validator leaves out: one root
 * element, no DOCTYPE (so no entity expansion), only predefined or numeric
 * entity references, no '<' in attribute values. Linear time, no recursion.
 */
import { AigcError } from '../errors.js';
import { xmlValidator, type XmlVerdict } from './xml-validator.js';

export interface XmlAttr {
  name: string;
  /** Raw value between the quotes, entities not yet decoded. */
  raw: string;
  /** Span of the whole attribute including the whitespace before it, so removing it keeps the tag well-formed. */
  start: number;
  end: number;
}

export type XmlToken =
  | { kind: 'start'; name: string; attrs: XmlAttr[]; selfClosing: boolean; start: number; end: number }
  | { kind: 'end'; name: string; start: number; end: number }
  | { kind: 'text'; raw: string; cdata: boolean; start: number; end: number }
  | { kind: 'other'; start: number; end: number };

function badXmp(detail: string): AigcError {
  return new AigcError('BAD_XMP', `The XMP packet is not well-formed: ${detail}`);
}

const NAME = /[A-Za-z_:\u00C0-\uFFFF][\w.:\-\u00B7\u00C0-\uFFFF]*/y;
const ENTITY = /&(?:lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/y;
const ENTITY_ANY = /&(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/g;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The character a numeric reference body (`#65`, `#x41`) stands for; BAD_XMP when it is no XML character. */
function numericChar(body: string): string {
  const cp = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw badXmp(`&${body}; is not a character.`);
  return String.fromCodePoint(cp);
}

function checkEntities(raw: string, offset: number): void {
  for (let at = raw.indexOf('&'); at >= 0; at = raw.indexOf('&', at + 1)) {
    ENTITY.lastIndex = at;
    const m = ENTITY.exec(raw);
    if (!m) throw badXmp(`an undefined or unterminated entity reference at offset ${offset + at}.`);
    if (m[0][1] === '#') numericChar(m[0].slice(1, -1));
  }
}

/** Decodes the predefined and numeric references (the only ones `scanXml` lets through). */
export function decodeXmlText(raw: string): string {
  return raw.replace(ENTITY_ANY, (_m, body: string) => (body[0] === '#' ? numericChar(body) : PREDEFINED[body]));
}

/** Escapes character data for element content. */
export function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function readName(text: string, at: number): string {
  NAME.lastIndex = at;
  const m = NAME.exec(text);
  if (!m) throw badXmp(`expected a name at offset ${at}.`);
  return m[0];
}

/** XML whitespace: space, tab, CR, LF. */
function skipSpace(text: string, at: number): number {
  for (let c = text.charCodeAt(at); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = text.charCodeAt(++at));
  return at;
}

function scanStartTag(text: string, at: number): Extract<XmlToken, { kind: 'start' }> {
  const name = readName(text, at + 1);
  let i = at + 1 + name.length;
  const attrs: XmlAttr[] = [];
  const seen = new Set<string>();
  for (;;) {
    const wsStart = i;
    i = skipSpace(text, i);
    if (i >= text.length) throw badXmp(`the tag <${name}> is not closed.`);
    if (text[i] === '>') return { kind: 'start', name, attrs, selfClosing: false, start: at, end: i + 1 };
    if (text.startsWith('/>', i)) return { kind: 'start', name, attrs, selfClosing: true, start: at, end: i + 2 };
    if (i === wsStart) throw badXmp(`attributes of <${name}> must be separated by whitespace (offset ${i}).`);
    const attrName = readName(text, i);
    i = skipSpace(text, i + attrName.length);
    if (text[i] !== '=') throw badXmp(`attribute ${attrName} has no value (offset ${i}).`);
    i = skipSpace(text, i + 1);
    const quote = text[i];
    if (quote !== '"' && quote !== "'") throw badXmp(`attribute ${attrName} is not quoted (offset ${i}).`);
    const close = text.indexOf(quote, i + 1);
    if (close < 0) throw badXmp(`attribute ${attrName} is not closed.`);
    const raw = text.slice(i + 1, close);
    if (raw.includes('<')) throw badXmp(`attribute ${attrName} contains '<'.`);
    checkEntities(raw, i + 1);
    if (seen.has(attrName)) throw badXmp(`attribute ${attrName} is repeated on <${name}>.`);
    seen.add(attrName);
    attrs.push({ name: attrName, raw, start: wsStart, end: close + 1 });
    i = close + 1;
  }
}

function closeOf(text: string, from: number, marker: string, what: string): number {
  const at = text.indexOf(marker, from);
  if (at < 0) throw badXmp(`${what} is not closed.`);
  return at + marker.length;
}

export function scanXml(text: string): XmlToken[] {
  const validate = xmlValidator();
  let verdict: XmlVerdict;
  try {
    verdict = validate(text);
  } catch (e) {
    throw badXmp(`the validator failed (${(e as Error).message}).`);
  }
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    throw badXmp(`${msg} (line ${line}${col ? `, column ${col}` : ''}).`);
  }
  const tokens: XmlToken[] = [];
  const open: string[] = [];
  let roots = 0;
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const textEnd = lt < 0 ? text.length : lt;
    if (textEnd > i) {
      const raw = text.slice(i, textEnd);
      checkEntities(raw, i);
      if (open.length === 0 && raw.trim() !== '') throw badXmp(`text outside the root element at offset ${i}.`);
      tokens.push({ kind: 'text', raw, cdata: false, start: i, end: textEnd });
      i = textEnd;
      continue;
    }
    if (text.startsWith('<!--', i)) {
      const end = closeOf(text, i + 4, '-->', 'a comment');
      tokens.push({ kind: 'other', start: i, end });
      i = end;
    } else if (text.startsWith('<![CDATA[', i)) {
      if (open.length === 0) throw badXmp(`CDATA outside the root element at offset ${i}.`);
      const end = closeOf(text, i + 9, ']]>', 'a CDATA section');
      tokens.push({ kind: 'text', raw: text.slice(i + 9, end - 3), cdata: true, start: i, end });
      i = end;
    } else if (text.startsWith('<?', i)) {
      const end = closeOf(text, i + 2, '?>', 'a processing instruction');
      tokens.push({ kind: 'other', start: i, end });
      i = end;
    } else if (text.startsWith('<!', i)) {
      throw badXmp(`XMP must not contain a DOCTYPE or other declaration (offset ${i}).`);
    } else if (text.startsWith('</', i)) {
      const name = readName(text, i + 2);
      const gt = skipSpace(text, i + 2 + name.length);
      if (text[gt] !== '>') throw badXmp(`the end tag </${name}> is malformed.`);
      if (open.pop() !== name) throw badXmp(`the end tag </${name}> does not match its start tag.`);
      tokens.push({ kind: 'end', name, start: i, end: gt + 1 });
      i = gt + 1;
    } else {
      const tag = scanStartTag(text, i);
      if (open.length === 0 && ++roots > 1) throw badXmp(`a second root element <${tag.name}> at offset ${i}.`);
      if (!tag.selfClosing) open.push(tag.name);
      tokens.push(tag);
      i = tag.end;
    }
  }
  if (open.length > 0) throw badXmp(`<${open[open.length - 1]}> is not closed.`);
  if (roots === 0) throw badXmp('there is no root element.');
  return tokens;
}
