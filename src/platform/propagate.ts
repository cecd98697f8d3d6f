/**
 * Article 6 of the Labeling Measures: a platform that distributes content adds
 * its own name or code (ContentPropagator) and content number (PropagateID) to
 * the implicit label, keeping what the producer wrote.
 */
import { mintProduceId } from '../payload/produce-id.js';
import { validateLabel, type AigcLabel } from '../label/index.js';

export interface PropagateOptions {
  /** The platform's name or provider code. */
  propagator: string;
  /** The platform's content number; minted (same scheme as ProduceID) when omitted. */
  propagateId?: string;
  /**
   * The platform's own integrity data. GB 45438 Annex E gives ReservedCode1 to the
   * producer and ReservedCode2 to the propagator, so a previous propagator's
   * ReservedCode2 no longer fits the new propagator fields and is dropped unless one is given here.
   */
  reservedCode2?: string;
}

/** The label with ContentPropagator and PropagateID set; Label, ContentProducer, ProduceID and ReservedCode1 are kept. */
export function propagateLabel(label: AigcLabel, opts: PropagateOptions): AigcLabel {
  const { ReservedCode2: _previous, ...producerFields } = label;
  return validateLabel({
    ...producerFields,
    ContentPropagator: opts.propagator,
    PropagateID: opts.propagateId ?? mintProduceId(),
    ...(opts.reservedCode2 !== undefined ? { ReservedCode2: opts.reservedCode2 } : {}),
  });
}
