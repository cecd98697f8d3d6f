/**
 * The GB 45438 label inside an XMP packet: property TC260:AIGC in namespace
 * http://www.tc260.org.cn/ns/AIGC/1.0/, its value the label JSON.
 *
 * Reading is namespace-aware: any prefix bound to the TC260 URI counts (and the
 * literal prefix TC260 when it is left unbound), in element form, with the text
 * escaped or in CDATA, or in attribute form `TC260:AIGC="…"`.
 *
 * Writing edits the packet text in place: it removes every existing label
 * (one copy, GB 45438 6.1 c), then inserts one
 * `<rdf:Description rdf:about="" xmlns:TC260="…"><TC260:AIGC>…</TC260:AIGC></rdf:Description>`
 * before `</rdf:RDF>`. Every other character of the packet stays as it was, and
 * writing the same label twice gives the same bytes.
 */
import { AigcError } from '../errors.js';
import { utf8DecodeStrict, utf8Encode } from './bytes.js';
import { decodeXmlText, escapeXmlText, scanXml, type XmlAttr, type XmlToken } from './xml-scan.js';

export const TC260_NS = 'http://www.tc260.org.cn/ns/AIGC/1.0/';
export const TC260_PREFIX = 'TC260';
const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
// A packet with an empty rdf:RDF, split where setXmpLabel puts the label's rdf:Description.
const EMPTY_PACKET_HEAD = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="${RDF_NS}">`;
const EMPTY_PACKET_TAIL = `</rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>`;

/** The TC260 URI as written, or with https, or without its trailing slash. */
function isTc260Uri(uri: string | undefined): boolean {
  return uri !== undefined && /^https?:\/\/www\.tc260\.org\.cn\/ns\/AIGC\/1\.0\/?$/i.test(uri);
}

/**
 * The namespace bindings in scope: a stack of URIs per prefix, so that lookups
 * cost the same at any depth (copying a map per element would be quadratic).
 */
class Namespaces {
  private readonly bindings = new Map<string, string[]>([['xml', [XML_NS]]]);

  get(prefix: string): string | undefined {
    const stack = this.bindings.get(prefix);
    return stack?.[stack.length - 1];
  }

  /** Binds the tag's xmlns attributes; returns the prefixes to release when the element ends. */
  open(attrs: readonly XmlAttr[]): string[] {
    const declared: string[] = [];
    for (const attr of attrs) {
      if (attr.name !== 'xmlns' && !attr.name.startsWith('xmlns:')) continue;
      const prefix = attr.name === 'xmlns' ? '' : attr.name.slice(6);
      let stack = this.bindings.get(prefix);
      if (!stack) this.bindings.set(prefix, (stack = []));
      stack.push(decodeXmlText(attr.raw));
      declared.push(prefix);
    }
    return declared;
  }

  close(declared: readonly string[]): void {
    for (const prefix of declared) this.bindings.get(prefix)?.pop();
  }
}

type Scope = Pick<Namespaces, 'get'>;

function splitName(name: string): [prefix: string, local: string] {
  const colon = name.indexOf(':');
  return colon < 0 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)];
}

function isLabelName(name: string, scope: Scope): boolean {
  const [prefix, local] = splitName(name);
  if (local !== 'AIGC' || prefix === '') return false;
  return isTc260Uri(scope.get(prefix)) || (prefix === TC260_PREFIX && scope.get(prefix) === undefined);
}

function isRdf(name: string, scope: Scope, local: string): boolean {
  const [prefix, l] = splitName(name);
  return l === local && scope.get(prefix) === RDF_NS;
}

interface Site {
  start: number;
  end: number;
  value: string | null;
}

interface Description {
  start: number;
  end: number;
  /** Declares a TC260 prefix and carries no property attributes and no content. */
  leftover: boolean;
}

interface Analysis {
  sites: Site[];
  descriptions: Description[];
  /** The first rdf:RDF element. */
  rdf: { name: string; start: Extract<XmlToken, { kind: 'start' }>; endTagStart: number } | null;
  /** Any property besides the AIGC label (or any text or element XMP does not treat as structure). */
  hasOtherProperties: boolean;
}

interface Capture {
  depth: number;
  start: number;
  direct: string;
  firstNested: string | null;
}

interface OpenElement {
  declared: string[];
  description: { start: number; leftover: boolean } | null;
  rdf: boolean;
}

function analyse(text: string): Analysis {
  const tokens = scanXml(text);
  const stack: OpenElement[] = [];
  const sites: Site[] = [];
  const descriptions: Description[] = [];
  let rdf: Analysis['rdf'] = null;
  let rdfStart: Extract<XmlToken, { kind: 'start' }> | null = null;
  let hasOtherProperties = false;
  let capture: Capture | null = null;
  const here = new Namespaces();

  for (const tok of tokens) {
    const top = stack.length > 0 ? stack[stack.length - 1] : null;
    if (tok.kind === 'text') {
      if (capture) {
        const decoded = tok.cdata ? tok.raw : decodeXmlText(tok.raw);
        if (stack.length === capture.depth) capture.direct += decoded;
        else if (capture.firstNested === null && decoded.trim() !== '') capture.firstNested = decoded;
      } else if (tok.raw.trim() !== '') {
        hasOtherProperties = true;
        if (top?.description) top.description.leftover = false;
      }
      continue;
    }
    if (tok.kind === 'end') {
      const closed = stack.pop();
      if (closed) here.close(closed.declared);
      if (capture && stack.length + 1 === capture.depth) {
        const value = capture.direct.trim() !== '' ? capture.direct : capture.firstNested;
        sites.push({ start: capture.start, end: tok.end, value });
        capture = null;
      }
      if (closed?.description) descriptions.push({ ...closed.description, end: tok.end });
      if (closed?.rdf && rdfStart && !rdf) rdf = { name: tok.name, start: rdfStart, endTagStart: tok.start };
      continue;
    }
    if (tok.kind !== 'start') continue;

    const declared = here.open(tok.attrs);
    const isDescription = isRdf(tok.name, here, 'Description');
    const isRdfRoot = isRdf(tok.name, here, 'RDF');
    let declaresTc260 = false;
    let propertyAttrs = false;
    for (const attr of tok.attrs) {
      if (attr.name === 'xmlns' || attr.name.startsWith('xmlns:')) {
        if (isTc260Uri(decodeXmlText(attr.raw))) declaresTc260 = true;
      } else if (isLabelName(attr.name, here)) {
        if (!capture) sites.push({ start: attr.start, end: attr.end, value: decodeXmlText(attr.raw) });
      } else if (isDescription && !isRdf(attr.name, here, 'about') && !attr.name.startsWith('xml:')) {
        propertyAttrs = true;
      }
    }
    if (propertyAttrs) hasOtherProperties = true;

    if (!capture && isLabelName(tok.name, here)) {
      if (tok.selfClosing) sites.push({ start: tok.start, end: tok.end, value: null });
      else capture = { depth: stack.length + 1, start: tok.start, direct: '', firstNested: null };
    } else if (!capture && !isDescription && !isRdfRoot && splitName(tok.name)[1] !== 'xmpmeta') {
      hasOtherProperties = true;
    }
    if (top?.description && !(capture && capture.start === tok.start)) top.description.leftover = false;
    if (isRdfRoot && !rdfStart) {
      rdfStart = tok;
      if (tok.selfClosing) rdf = { name: tok.name, start: tok, endTagStart: -1 };
    }

    const description = isDescription ? { start: tok.start, leftover: declaresTc260 && !propertyAttrs } : null;
    if (tok.selfClosing) {
      if (description) descriptions.push({ ...description, end: tok.end });
      here.close(declared);
    } else {
      stack.push({ declared, description, rdf: isRdfRoot });
    }
  }
  return { sites, descriptions, rdf, hasOtherProperties };
}

interface Span {
  start: number;
  end: number;
}

/** `text` without `spans` (a span nested in one already removed is skipped), and the spans actually removed. */
function removeSpans(text: string, spans: readonly Span[]): { text: string; removed: Span[] } {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const removed: Span[] = [];
  let out = '';
  let at = 0;
  for (const span of sorted) {
    if (span.start < at) continue;
    out += text.slice(at, span.start);
    removed.push(span);
    at = span.end;
  }
  return { text: out + text.slice(at), removed };
}

/** Where offset `pos` of the original text lands once `removed` (sorted, disjoint) is cut out. */
function shifted(pos: number, removed: readonly Span[]): number {
  let out = pos;
  for (const span of removed) if (span.end <= pos) out -= span.end - span.start;
  return out;
}

/** The label JSON text of the first TC260:AIGC property, or null. Throws BAD_XMP when the packet is malformed. */
export function readXmpLabelText(packet: string): string | null {
  const site = analyse(packet).sites.find((s) => s.value !== null && s.value.trim() !== '');
  return site?.value ?? null;
}

export interface StripResult {
  packet: string;
  removed: boolean;
  /** Nothing but the xmpmeta / RDF / Description skeleton is left. */
  empty: boolean;
}

/**
 * One pass: every TC260:AIGC property goes, and so does any rdf:Description that
 * declared the TC260 namespace and held nothing but labels (the one a write adds).
 */
function strip(packet: string): StripResult & { analysis: Analysis; removedSpans: Span[] } {
  const analysis = analyse(packet);
  const empty = !analysis.hasOtherProperties;
  if (analysis.sites.length === 0) return { packet, removed: false, empty, analysis, removedSpans: [] };
  const cut = removeSpans(packet, [...analysis.sites, ...analysis.descriptions.filter((d) => d.leftover)]);
  return { packet: cut.text, removed: true, empty, analysis, removedSpans: cut.removed };
}

/** Removes every TC260:AIGC property, and any rdf:Description that held nothing else. */
export function removeXmpLabel(packet: string): StripResult {
  const { analysis: _a, removedSpans: _r, ...result } = strip(packet);
  return result;
}

/** Replaces any label in `packet` with one carrying `json` (the `{"AIGC":{…}}` text). */
export function setXmpLabel(packet: string, json: string): string {
  const { packet: stripped, analysis, removedSpans } = strip(packet);
  const { rdf } = analysis;
  if (!rdf) throw new AigcError('BAD_XMP', 'The XMP packet has no rdf:RDF element to hold the label.');
  const [prefix] = splitName(rdf.name);
  const description = labelDescription(prefix, json);
  if (rdf.endTagStart >= 0) {
    const at = shifted(rdf.endTagStart, removedSpans);
    return stripped.slice(0, at) + description + stripped.slice(at);
  }
  // <rdf:RDF …/>: open it up.
  const start = shifted(rdf.start.start, removedSpans);
  const end = shifted(rdf.start.end, removedSpans);
  const tag = stripped.slice(start, end - 2).trimEnd() + '>';
  return stripped.slice(0, start) + tag + description + `</${rdf.name}>` + stripped.slice(end);
}

/** The rdf:Description holding the label, for an rdf:RDF element with `prefix` ('' when it uses a default namespace). */
function labelDescription(prefix: string, json: string): string {
  const p = prefix === '' ? 'rdf' : prefix;
  const rdfDecl = prefix === '' ? ` xmlns:rdf="${RDF_NS}"` : '';
  return (
    `<${p}:Description ${p}:about=""${rdfDecl} xmlns:${TC260_PREFIX}="${TC260_NS}">` +
    `<${TC260_PREFIX}:AIGC>${escapeXmlText(json)}</${TC260_PREFIX}:AIGC></${p}:Description>`
  );
}

/**
 * A fresh packet holding only the label: what setXmpLabel writes into the empty packet, built
 * without parsing it (a file with no XMP is labelled without loading the XML validator).
 */
export function buildXmpPacket(json: string): string {
  return EMPTY_PACKET_HEAD + labelDescription('rdf', json) + EMPTY_PACKET_TAIL;
}

/**
 * Packet bytes as text, strict UTF-8 (a lossy decode would change other bytes on write).
 * A leading BOM and trailing NUL padding, which some writers add, are kept aside and put back.
 */
export interface PacketText {
  head: string;
  body: string;
  tail: string;
}

export function decodePacket(bytes: Uint8Array): PacketText {
  const text = utf8DecodeStrict(bytes);
  if (text === null) throw new AigcError('BAD_XMP', 'The XMP packet is not valid UTF-8.');
  const head = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  let tailStart = text.length;
  while (tailStart > head.length && /[\0\s]/.test(text[tailStart - 1])) tailStart--;
  return { head, body: text.slice(head.length, tailStart), tail: text.slice(tailStart) };
}

export function encodePacket(p: PacketText): Uint8Array {
  return utf8Encode(p.head + p.body + p.tail);
}

/**
 * Removes up to `count` characters of the whitespace padding that XMP writers
 * leave before `<?xpacket end=…?>` (the room the XMP spec reserves for in-place
 * edits). Returns the packet unchanged when it has no such padding.
 */
export function shrinkPadding(packet: string, count: number): string {
  const trailer = packet.lastIndexOf('<?xpacket end');
  if (trailer < 0) return packet;
  let start = trailer;
  while (start > 0 && trailer - start < count && /\s/.test(packet[start - 1])) start--;
  return packet.slice(0, start) + packet.slice(trailer);
}

/** The label JSON text in packet bytes, or null. */
export function readPacketLabelText(bytes: Uint8Array): string | null {
  return readXmpLabelText(decodePacket(bytes).body);
}

export type XmpEdit = { action: 'keep' } | { action: 'drop' } | { action: 'replace'; packet: Uint8Array };
export const KEEP: XmpEdit = { action: 'keep' };

export interface PacketLimit {
  bytes: number;
  /** Where the packet goes, for the error message, e.g. "one JPEG APP1 segment". */
  where: string;
}

function fitPacket(p: PacketText, limit: PacketLimit | undefined): Uint8Array {
  let bytes = encodePacket(p);
  if (!limit || bytes.length <= limit.bytes) return bytes;
  const body = shrinkPadding(p.body, bytes.length - limit.bytes);
  bytes = encodePacket({ ...p, body });
  if (bytes.length > limit.bytes) {
    throw new AigcError(
      'UNSUPPORTED_FORMAT',
      `With the AIGC label the XMP packet would be ${bytes.length} bytes, more than ${limit.where} holds (${limit.bytes}). ` +
        'Writing Extended XMP is not supported; remove some XMP properties first.',
    );
  }
  return bytes;
}

/**
 * What to do with each XMP packet a file holds, in file order, so that exactly one
 * label remains: with `json`, the first packet gets it and every other one loses
 * any label it had; with `json` null (strip), every packet loses its label. A
 * packet left with nothing but the empty skeleton is dropped.
 */
export function planXmpEdits(packets: readonly Uint8Array[], json: string | null, limit?: PacketLimit): XmpEdit[] {
  return packets.map((bytes, i) => {
    const text = decodePacket(bytes);
    if (json !== null && i === 0) return { action: 'replace', packet: fitPacket({ ...text, body: setXmpLabel(text.body, json) }, limit) };
    const stripped = removeXmpLabel(text.body);
    if (!stripped.removed) return { action: 'keep' };
    if (stripped.empty) return { action: 'drop' };
    return { action: 'replace', packet: encodePacket({ ...text, body: stripped.packet }) };
  });
}

/** A new packet holding only the label, as bytes. */
export function newPacketBytes(json: string): Uint8Array {
  return utf8Encode(buildXmpPacket(json));
}
