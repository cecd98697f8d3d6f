import { describe, expect, it } from 'vitest';
import { assess, countLabelCopies, createLabel, mintProduceId, payloadFromLabel, planPropagation, type Evidence } from '../../src/index.js';

const PRODUCER = '001191440300708461136T1XGW3';
const label = createLabel({ producer: PRODUCER, produceId: mintProduceId() });
const payload = payloadFromLabel(label, false);
const base: Evidence = {
  metadata: null,
  metadataError: null,
  metadataCopies: 0,
  watermark: { found: false, payload: null, checked: true },
  explicitFound: false,
  declared: false,
};
const codes = (e: Evidence) => assess(e).findings.map((f) => f.code);

describe('Article 6 assessment', () => {
  it('verifies metadata and watermark that agree, with no findings', () => {
    const a = assess({ ...base, metadata: label, metadataCopies: 1, watermark: { found: true, payload, checked: true } });
    expect(a.verdict).toEqual({ label: '1', basis: 'metadata+watermark' });
    expect(a.findings).toEqual([]);
    expect(a.metadataState).toBe('intact');
  });

  it('tells an edited label (watermark disagrees) from a stripped one (watermark alone)', () => {
    const edited = { ...label, ContentProducer: 'OTHERPRODUCER', Label: '3' as const };
    const a = assess({ ...base, metadata: edited, metadataCopies: 1, watermark: { found: true, payload, checked: true } });
    expect(a.metadataState).toBe('edited');
    expect(a.verdict).toEqual({ label: '1', basis: 'watermark', conflict: true });
    expect(a.findings.map((f) => f.code)).toEqual(['WATERMARK_LABEL_MISMATCH', 'WATERMARK_PRODUCER_MISMATCH', 'METADATA_EDITED']);
    expect(codes({ ...base, metadata: { ...label, ProduceID: 'ABC123' }, metadataCopies: 1, watermark: { found: true, payload, checked: true } })).toEqual([
      'WATERMARK_PRODUCE_ID_MISMATCH',
      'METADATA_EDITED',
    ]);
    const stripped = assess({ ...base, watermark: { found: true, payload, checked: true } });
    expect(stripped.metadataState).toBe('stripped');
    expect(stripped.verdict).toEqual({ label: '1', basis: 'watermark' });
    expect(stripped.findings.map((f) => [f.code, f.kind])).toEqual([['METADATA_STRIPPED', 'info']]);
  });

  it('flags metadata without the watermark its minted ProduceID promises, and not otherwise', () => {
    expect(codes({ ...base, metadata: label, metadataCopies: 1 })).toEqual(['METADATA_WITHOUT_WATERMARK']);
    const foreign = createLabel({ producer: PRODUCER, produceId: 'vendor-0042' });
    expect(codes({ ...base, metadata: foreign, metadataCopies: 1 })).toEqual([]);
    expect(codes({ ...base, metadata: foreign, metadataCopies: 1, expectWatermark: true })).toEqual(['METADATA_WITHOUT_WATERMARK']);
    // Too small to hold a watermark: nothing was checked, nothing is missing.
    expect(codes({ ...base, metadata: label, metadataCopies: 1, watermark: { found: false, payload: null, checked: false } })).toEqual([]);
  });

  it('reports a malformed or duplicated label as a conflict', () => {
    const malformed = assess({ ...base, metadataError: { code: 'BAD_LABEL', message: 'Label "7"' }, metadataCopies: 1 });
    expect(malformed.metadataState).toBe('malformed');
    expect(malformed.verdict).toEqual({ label: null, basis: 'none', conflict: true });
    expect(codes({ ...base, metadata: label, metadataCopies: 2, watermark: { found: true, payload, checked: true } })).toEqual(['METADATA_DUPLICATED']);
  });

  it('falls to a declaration, then to the explicit label', () => {
    expect(assess({ ...base, declared: true, explicitFound: true }).verdict).toEqual({ label: '2', basis: 'declared' });
    expect(assess({ ...base, explicitFound: true }).verdict).toEqual({ label: '3', basis: 'explicit' });
  });

  it('counts label copies in plain and XML-escaped form', () => {
    const json = JSON.stringify({ AIGC: label });
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(countLabelCopies(enc(`xx${json}yy`))).toBe(1);
    expect(countLabelCopies(enc(`${json}<x a="${json.replace(/"/g, '&quot;')}"/>`))).toBe(2);
    expect(countLabelCopies(enc('no label here'))).toBe(0);
    // Candidates that start like the key, overlap it, or run past the end of the file.
    expect(countLabelCopies(enc(`CCContentProducerContentProducer CContentProduce`))).toBe(2);
    expect(countLabelCopies(enc('ContentProduce'))).toBe(0);
  });
});

describe('what the platform writes per tier', () => {
  const PLATFORM = '001191110108MA01XXXXXX2PLAT';
  const plan = (e: Evidence) => {
    const a = assess(e);
    return planPropagation({ verdict: a.verdict, metadata: e.metadata, metadataState: a.metadataState, watermark: e.watermark.found ? e.watermark.payload : null }, PLATFORM, 'P-1');
  };

  it("keeps the producer's fields when the watermark confirms them", () => {
    const p = plan({ ...base, metadata: label, metadataCopies: 1, watermark: { found: true, payload, checked: true } });
    expect(p.action).toBe('kept-producer-fields');
    expect(p.label).toEqual({ ...label, ContentPropagator: PLATFORM, PropagateID: 'P-1' });
  });

  it('rebuilds an edited label from the watermark, and says so', () => {
    const p = plan({ ...base, metadata: { ...label, ContentProducer: 'SOMEONEELSE', Label: '3' }, metadataCopies: 1, watermark: { found: true, payload, checked: true } });
    expect(p.action).toBe('rebuilt-from-watermark');
    expect(p.label).toMatchObject({ Label: '1', ContentProducer: `WM-${payload.producerHash}`, ProduceID: label.ProduceID, ContentPropagator: PLATFORM });
    expect(p.explanation).toMatch(/edited/);
  });

  it("states the platform's verdict for a declaration or an explicit label, and writes nothing without one", () => {
    expect(plan({ ...base, declared: true }).label).toMatchObject({ Label: '2', ContentProducer: 'UNKNOWN' });
    expect(plan({ ...base, explicitFound: true }).label).toMatchObject({ Label: '3', ContentProducer: 'UNKNOWN' });
    expect(plan(base)).toMatchObject({ label: null, action: 'nothing-to-write' });
  });
});
