import { mintProduceId } from '../payload/produce-id.js';
import type { AigcLabel, LabelAttribute } from './types.js';
import { validateLabel } from './validate.js';

export interface NewLabelFields {
  producer: string;
  /** Omit to mint one that the watermark carries exactly. */
  produceId?: string;
  label?: LabelAttribute;
  reservedCode1?: string;
}

/**
 * A producer's first label. As seen in deployed samples, the producer also
 * fills the propagator fields with its own code and ID until a platform replaces them.
 */
export function createLabel(fields: NewLabelFields): AigcLabel {
  const produceId = fields.produceId ?? mintProduceId();
  return validateLabel({
    Label: fields.label ?? '1',
    ContentProducer: fields.producer,
    ProduceID: produceId,
    ...(fields.reservedCode1 !== undefined ? { ReservedCode1: fields.reservedCode1 } : {}),
    ContentPropagator: fields.producer,
    PropagateID: produceId,
  });
}
