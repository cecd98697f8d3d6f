import { AigcError } from '../errors.js';
import { LABEL_FIELD_ORDER, REQUIRED_FIELDS, type AigcLabel } from './types.js';

/** Longest value we accept in one field; the standard sets none, but metadata chunks must stay small. */
export const MAX_FIELD_LENGTH = 256;

/**
 * Annex E (j): values use GB18030 code points 0x21, 0x23-0x5B and 0x5D-0x7E,
 * i.e. printable ASCII without space, '"' and '\'.
 */
export function isAnnexEChar(code: number): boolean {
  return code === 0x21 || (code >= 0x23 && code <= 0x5b) || (code >= 0x5d && code <= 0x7e);
}

function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const shown = cp > 0x20 && cp < 0x7f ? `'${ch}'` : 'a non-printable or non-ASCII character';
  return `${shown} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** Throws BAD_LABEL naming the field and the first offending character. */
export function validateFieldValue(field: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new AigcError('BAD_LABEL', `${field} must be a string, got ${typeof value}.`);
  }
  if (value.length === 0) throw new AigcError('BAD_LABEL', `${field} is empty; give it a value.`);
  if (value.length > MAX_FIELD_LENGTH) {
    throw new AigcError('BAD_LABEL', `${field} is ${value.length} characters; the limit is ${MAX_FIELD_LENGTH}.`);
  }
  for (let i = 0; i < value.length; i++) {
    if (!isAnnexEChar(value.charCodeAt(i))) {
      const ch = String.fromCodePoint(value.codePointAt(i) ?? 0);
      throw new AigcError(
        'BAD_LABEL',
        `${field} has ${describeChar(ch)} at position ${i}; GB 45438 Annex E allows only printable ASCII without space, '"' and '\\'.`,
      );
    }
  }
  return value;
}

/** Checks a whole label: required fields present, Label is 1/2/3, every value in the Annex E charset. */
export function validateLabel(input: unknown): AigcLabel {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new AigcError('BAD_LABEL', 'A label must be an object with the GB 45438 fields.');
  }
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(LABEL_FIELD_ORDER as readonly string[]).includes(key)) {
      throw new AigcError('BAD_LABEL', `Unknown label field "${key}"; the fields are ${LABEL_FIELD_ORDER.join(', ')}.`);
    }
  }
  for (const field of REQUIRED_FIELDS) {
    if (record[field] === undefined) throw new AigcError('BAD_LABEL', `Required field ${field} is missing.`);
  }
  const label = String(record.Label);
  if (label !== '1' && label !== '2' && label !== '3') {
    throw new AigcError('BAD_LABEL', `Label must be "1", "2" or "3", got ${JSON.stringify(record.Label)}.`);
  }
  const out: AigcLabel = {
    Label: label,
    ContentProducer: validateFieldValue('ContentProducer', record.ContentProducer),
    ProduceID: validateFieldValue('ProduceID', record.ProduceID),
    ContentPropagator: validateFieldValue('ContentPropagator', record.ContentPropagator),
    PropagateID: validateFieldValue('PropagateID', record.PropagateID),
  };
  for (const optional of ['ReservedCode1', 'ReservedCode2'] as const) {
    if (record[optional] !== undefined) out[optional] = validateFieldValue(optional, record[optional]);
  }
  return out;
}
