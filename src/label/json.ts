import { AigcError } from '../errors.js';
import { LABEL_FIELD_ORDER, type AigcLabel } from './types.js';
import { validateLabel } from './validate.js';

/** `{"AIGC":{...}}` with the fields in the standard's order, as written into metadata. */
export function labelToJson(label: AigcLabel): string {
  const valid = validateLabel(label);
  const ordered: Record<string, string> = {};
  for (const field of LABEL_FIELD_ORDER) {
    const value = valid[field];
    if (value !== undefined) ordered[field] = value;
  }
  return JSON.stringify({ AIGC: ordered });
}

/**
 * Reads the wrapped `{"AIGC":{...}}` form or the bare seven-key object.
 * XML unescaping is the container's job; this takes the JSON text itself.
 */
export function parseLabelJson(text: string): AigcLabel {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.trim());
  } catch (e) {
    throw new AigcError('BAD_LABEL', `The AIGC label is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const inner =
    typeof parsed === 'object' && parsed !== null && 'AIGC' in parsed ? (parsed as { AIGC: unknown }).AIGC : parsed;
  return validateLabel(inner);
}
