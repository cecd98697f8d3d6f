/** The GB 45438-2025 Annex E implicit label, field names exactly as the standard spells them. */
export type LabelAttribute = '1' | '2' | '3';

export interface AigcLabel {
  /** "1" generated, "2" possibly generated, "3" suspected. */
  Label: LabelAttribute;
  ContentProducer: string;
  ProduceID: string;
  ReservedCode1?: string;
  ContentPropagator: string;
  PropagateID: string;
  ReservedCode2?: string;
}

/** The standard's field order; writers emit fields in exactly this order. */
export const LABEL_FIELD_ORDER = [
  'Label',
  'ContentProducer',
  'ProduceID',
  'ReservedCode1',
  'ContentPropagator',
  'PropagateID',
  'ReservedCode2',
] as const satisfies readonly (keyof AigcLabel)[];

export const REQUIRED_FIELDS = [
  'Label',
  'ContentProducer',
  'ProduceID',
  'ContentPropagator',
  'PropagateID',
] as const satisfies readonly (keyof AigcLabel)[];
