import type { AigcLabel, LabelAttribute } from '../label/types.js';

export type VerdictBasis = 'metadata+watermark' | 'metadata' | 'watermark' | 'declared' | 'explicit' | 'none';

export type VerdictTier = 'verified' | 'possibly' | 'suspected' | 'none';

/** Article 6's words for Label 1, 2, 3 and no label. */
export function verdictTier(label: LabelAttribute | null): VerdictTier {
  return label === '1' ? 'verified' : label === '2' ? 'possibly' : label === '3' ? 'suspected' : 'none';
}

export interface Verdict {
  label: LabelAttribute | null;
  basis: VerdictBasis;
  /** Set when the layers disagree or a label is damaged (the findings say how). */
  conflict?: true;
}

/**
 * the Article 6 rule (docs/architecture.md): a metadata label or a valid watermark verifies ("1"); otherwise a user
 * declaration makes it possible ("2"); otherwise an explicit label or other trace makes it
 * suspected ("3"); otherwise there is no verdict.
 */
export function article6Verdict(input: {
  metadata: AigcLabel | null;
  watermarkFound: boolean;
  declared: boolean;
  explicitFound: boolean;
}): Verdict {
  if (input.metadata && input.watermarkFound) return { label: '1', basis: 'metadata+watermark' };
  if (input.metadata) return { label: '1', basis: 'metadata' };
  if (input.watermarkFound) return { label: '1', basis: 'watermark' };
  if (input.declared) return { label: '2', basis: 'declared' };
  if (input.explicitFound) return { label: '3', basis: 'explicit' };
  return { label: null, basis: 'none' };
}
