import type { AigcLabel, LabelAttribute } from '../label/types.js';

export type VerdictBasis = 'metadata+watermark' | 'metadata' | 'watermark' | 'declared' | 'explicit' | 'none';

export interface Verdict {
  label: LabelAttribute | null;
  basis: VerdictBasis;
  /** Set when the metadata label and the watermark disagree (the metadata may have been edited). */
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
