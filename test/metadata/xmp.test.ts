import { describe, expect, it } from 'vitest';
import { labelToJson } from '../../src/label/index.js';
import {
  TC260_NS,
  buildXmpPacket,
  planXmpEdits,
  readXmpLabelText,
  removeXmpLabel,
  setXmpLabel,
  shrinkPadding,
} from '../../src/metadata/xmp.js';
import { expectAigcError } from './support/assert.js';
import { FOREIGN, LABEL, bareJson, foreignAttributeXmp, foreignElementXmp, wrappedJson, xmpPacket } from './support/fixtures.js';

const json = labelToJson(LABEL);
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const wrap = (inner: string, rdfPrefix = 'rdf') =>
  `<x:xmpmeta xmlns:x="adobe:ns:meta/"><${rdfPrefix}:RDF xmlns:${rdfPrefix}="${RDF}">${inner}</${rdfPrefix}:RDF></x:xmpmeta>`;

describe('XMP label packet', () => {
  it('builds a packet whose label reads back exactly, with &, < and > escaped', () => {
    const packet = buildXmpPacket(json);
    expect(packet).toContain(`xmlns:TC260="${TC260_NS}"`);
    expect(packet).toContain('<TC260:AIGC>{&quot;'.replace('&quot;', '"'));
    expect(packet).toContain('sig&amp;&lt;check&gt;');
    expect(readXmpLabelText(packet)).toBe(json);
    // Built without parsing, it is what a label write into that packet gives: the same bytes again.
    expect(setXmpLabel(packet, json)).toBe(packet);
    expect(setXmpLabel(removeXmpLabel(packet).packet, json)).toBe(packet);
  });

  it('accepts element, attribute, CDATA, numeric-reference and rdf:Alt forms under any prefix bound to the namespace', () => {
    const esc = wrappedJson(FOREIGN).replace(/"/g, '&quot;');
    const forms = [
      wrap(`<rdf:Description xmlns:TC260="${TC260_NS}"><TC260:AIGC>${esc}</TC260:AIGC></rdf:Description>`),
      wrap(`<rdf:Description xmlns:t="${TC260_NS}" t:AIGC="${esc}"/>`),
      wrap(`<rdf:Description xmlns:t="${TC260_NS}" t:AIGC='${wrappedJson(FOREIGN)}'/>`),
      wrap(`<rdf:Description xmlns:a="${TC260_NS}"><a:AIGC><![CDATA[${wrappedJson(FOREIGN)}]]></a:AIGC></rdf:Description>`),
      wrap(`<rdf:Description xmlns:a="${TC260_NS}"><a:AIGC>${wrappedJson(FOREIGN).replace(/"/g, '&#34;').replace(/:/g, '&#x3A;')}</a:AIGC></rdf:Description>`),
      wrap(`<rdf:Description xmlns:a="${TC260_NS}"><a:AIGC><rdf:Alt><rdf:li xml:lang="x-default">${esc}</rdf:li></rdf:Alt></a:AIGC></rdf:Description>`),
      wrap(`<rdf:Description><TC260:AIGC>${esc}</TC260:AIGC></rdf:Description>`), // prefix never declared
      wrap(`<rdf:Description xmlns:a="https://www.tc260.org.cn/ns/AIGC/1.0"><a:AIGC>${esc}</a:AIGC></rdf:Description>`),
    ];
    for (const packet of forms) expect(readXmpLabelText(packet)).toBe(wrappedJson(FOREIGN));
  });

  it('ignores AIGC properties in other namespaces and TC260 bound elsewhere', () => {
    expect(readXmpLabelText(wrap(`<rdf:Description xmlns:o="urn:other" o:AIGC="x"><o:AIGC>y</o:AIGC></rdf:Description>`))).toBeNull();
    expect(readXmpLabelText(wrap(`<rdf:Description xmlns:TC260="urn:other"><TC260:AIGC>y</TC260:AIGC></rdf:Description>`))).toBeNull();
  });

  it('merges: keeps every other character, replaces all copies with one, and is idempotent', () => {
    const host = foreignElementXmp();
    const once = setXmpLabel(host, json);
    expect(readXmpLabelText(once)).toBe(json);
    expect(setXmpLabel(once, json)).toBe(once);
    expect(once.match(/<TC260:AIGC>/g)).toHaveLength(1);
    const plainHost = xmpPacket();
    const merged = setXmpLabel(plainHost, json);
    const at = plainHost.indexOf('</rdf:RDF>');
    expect(merged.slice(0, at)).toBe(plainHost.slice(0, at));
    expect(merged.slice(merged.length - (plainHost.length - at))).toBe(plainHost.slice(at));
    expect(removeXmpLabel(merged)).toEqual({ packet: plainHost, removed: true, empty: false });

    const attr = setXmpLabel(foreignAttributeXmp(), json);
    expect(attr).not.toMatch(/aigc:AIGC=/);
    expect(attr).not.toContain('xmlns:aigc'); // its rdf:Description held nothing else, so it went too
    expect(readXmpLabelText(attr)).toBe(json);

    const shared = wrap(`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:t="${TC260_NS}" dc:format="image/png" t:AIGC="{}"/>`);
    const replaced = setXmpLabel(shared, json);
    expect(replaced).toContain(`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:t="${TC260_NS}" dc:format="image/png"/>`);
    expect(readXmpLabelText(replaced)).toBe(json);
  });

  it('uses the packet’s own RDF prefix and opens a self-closing rdf:RDF', () => {
    const custom = wrap('<r:Description r:about=""/>', 'r');
    const out = setXmpLabel(custom, json);
    expect(out).toContain('<r:Description r:about="" xmlns:TC260=');
    expect(readXmpLabelText(out)).toBe(json);
    const selfClosing = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="${RDF}" /></x:xmpmeta>`;
    expect(readXmpLabelText(setXmpLabel(selfClosing, json))).toBe(json);
    expectAigcError(() => setXmpLabel('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>', json), 'BAD_XMP', /rdf:RDF/);
  });

  it('reports an emptied packet so containers can drop it', () => {
    expect(removeXmpLabel(buildXmpPacket(json)).empty).toBe(true);
    expect(removeXmpLabel(setXmpLabel(xmpPacket(), json)).empty).toBe(false);
    const edits = planXmpEdits([new TextEncoder().encode(buildXmpPacket(json)), new TextEncoder().encode(xmpPacket())], null);
    expect(edits.map((e) => e.action)).toEqual(['drop', 'keep']);
  });

  it('gives up padding only as far as needed', () => {
    const padded = xmpPacket('', 100);
    expect(shrinkPadding(padded, 30).length).toBe(padded.length - 30);
    expect(shrinkPadding(padded, 1000).length).toBe(padded.length - 100 - 1); // the newline before the padding goes too
    expect(shrinkPadding('<a/>', 10)).toBe('<a/>');
  });

  it('rejects packets that are not well-formed XML or not safe XMP with BAD_XMP', () => {
    const bad = [
      '',
      '<a>',
      '<a></b>',
      '<a><b></a></b>',
      '<a x="1" x="2"/>',
      '<a x=1/>',
      '<a>&nbsp;</a>',
      '<a>&#0;</a>',
      '<a>&#xD800;</a>',
      '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
      '<a/><b/>',
      'text<a/>',
      '<a><!-- unterminated </a>',
      '<a x="<"/>',
    ];
    for (const packet of bad) expectAigcError(() => readXmpLabelText(packet), 'BAD_XMP');
    expect(readXmpLabelText(wrap(`<rdf:Description xmlns:a="${TC260_NS}" a:AIGC="${bareJson(FOREIGN).replace(/"/g, '&quot;')}"/>`))).toBe(bareJson(FOREIGN));
  });

  it('stays linear on a deeply nested or long packet', () => {
    const deep = `<a>${'<b>'.repeat(50_000)}${'</b>'.repeat(50_000)}</a>`;
    const t0 = performance.now();
    expect(readXmpLabelText(deep)).toBeNull();
    const long = xmpPacket(`<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>${' '.repeat(60_000)}x</dc:description></rdf:Description>`, 60_000);
    expect(readXmpLabelText(setXmpLabel(long, json))).toBe(json);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
