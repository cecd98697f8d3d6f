import { describe, expect, it } from 'vitest';
import { AigcError, createLabel, labelToJson, parseLabelJson, validateLabel } from '../../src/index.js';

const PRODUCER = '001191440300708461136T1XGW3';

describe('GB 45438 label model', () => {
  it('writes the wrapped form in the standard field order and reads it back', () => {
    const label = createLabel({ producer: PRODUCER, produceId: 'ID-1', reservedCode1: 'sig' });
    const json = labelToJson(label);
    expect(json).toBe(
      '{"AIGC":{"Label":"1","ContentProducer":"001191440300708461136T1XGW3","ProduceID":"ID-1","ReservedCode1":"sig","ContentPropagator":"001191440300708461136T1XGW3","PropagateID":"ID-1"}}',
    );
    expect(parseLabelJson(json)).toEqual(label);
    expect(parseLabelJson(JSON.stringify(label))).toEqual(label);
  });

  it('names the field and the character outside the Annex E charset', () => {
    const bad = { ...createLabel({ producer: PRODUCER }), ProduceID: 'a b' };
    expect(() => validateLabel(bad)).toThrowError(/ProduceID has ' ' \(U\+0020\)|ProduceID has a non-printable/);
    for (const value of ['quote"d', 'back\\slash', '中文', '']) {
      try {
        validateLabel({ ...bad, ProduceID: value });
        expect.unreachable();
      } catch (e) {
        expect((e as AigcError).code).toBe('BAD_LABEL');
        expect((e as AigcError).message).toContain('ProduceID');
      }
    }
  });

  it('requires every mandatory field and Label 1, 2 or 3', () => {
    const label = createLabel({ producer: PRODUCER });
    const { PropagateID: _dropped, ...missing } = label;
    expect(() => validateLabel(missing)).toThrowError(/PropagateID is missing/);
    expect(() => validateLabel({ ...label, Label: '4' })).toThrowError(/Label must be/);
    expect(() => validateLabel({ ...label, Extra: 'x' })).toThrowError(/Unknown label field/);
    expect(() => parseLabelJson('{not json')).toThrowError(AigcError);
  });
});
