/**
 * Article 6 of the Labeling Measures: a platform that distributes content adds
 * its own name or code (ContentPropagator) and content number (PropagateID) to
 * the implicit label, keeping what the producer wrote.
 */
import { mintProduceId } from '../payload/produce-id.js';
import { validateLabel, type AigcLabel } from '../label/index.js';
import type { WatermarkPayload } from '../payload/payload.js';
import type { MetadataState } from './assess.js';
import type { Verdict } from './verdict.js';

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

export interface PropagationPlan {
  /** The label to write, or null when there is nothing to state (no verdict). */
  label: AigcLabel | null;
  /** What the platform did with the producer's fields, in words a moderator can log. */
  action: 'kept-producer-fields' | 'rebuilt-from-watermark' | 'platform-verdict' | 'nothing-to-write';
  explanation: string;
}

/**
 * The label the platform writes for each tier (the closing paragraph of Article 6). A producer's
 * label that verifies, or that nothing contradicts, keeps the producer's fields, Label included
 * (it is the producer's statement). A label the watermark contradicts is rebuilt from the
 * watermark. Without one, the platform states its own verdict and names the producer as far as
 * the file tells it: the watermark's producer hash ("WM-" prefix) and ProduceID, or "UNKNOWN".
 * Those stand-ins are Annex E valid and never pretend to be a real code.
 */
export function planPropagation(
  input: { verdict: Verdict; metadata: AigcLabel | null; metadataState: MetadataState; watermark: WatermarkPayload | null },
  propagator: string,
  propagateId: string,
): PropagationPlan {
  const { verdict, metadata, metadataState, watermark } = input;
  if (verdict.label === null) return { label: null, action: 'nothing-to-write', explanation: 'nothing found and nothing declared: no label written' };
  if (metadata && metadataState !== 'edited') {
    return {
      label: propagateLabel(metadata, { propagator, propagateId }),
      action: 'kept-producer-fields',
      explanation: `kept the producer's Label, ContentProducer and ProduceID (${metadataState === 'intact' ? 'the watermark confirms them' : 'nothing contradicts them'}); set ContentPropagator and PropagateID`,
    };
  }
  const fromWatermark = watermark !== null;
  const label = validateLabel({
    Label: fromWatermark ? watermark.label : verdict.label,
    ContentProducer: fromWatermark ? `WM-${watermark.producerHash}` : 'UNKNOWN',
    ProduceID: fromWatermark ? (watermark.content.kind === 'minted' ? watermark.content.produceId : `WMH-${watermark.content.produceIdHash}`) : 'UNKNOWN',
    ContentPropagator: propagator,
    PropagateID: propagateId,
  });
  if (metadata) {
    return { label, action: 'rebuilt-from-watermark', explanation: "replaced the edited metadata label with what the watermark carries; the producer's edited fields were not kept" };
  }
  return {
    label,
    action: 'platform-verdict',
    explanation: fromWatermark
      ? `no metadata label: wrote Label ${label.Label} from the watermark (producer hash, ProduceID) with the platform's fields`
      : `no metadata label or watermark: wrote the platform's verdict, Label ${label.Label} (${verdict.basis}), producer UNKNOWN`,
  };
}
