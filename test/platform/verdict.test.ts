import { describe, expect, it } from 'vitest';
import { article6Verdict, createLabel } from '../../src/index.js';

describe('Article 6 verdict', () => {
  const metadata = createLabel({ producer: '001191440300708461136T1XGW3', produceId: 'AM0000016' });
  const none = { metadata: null, watermarkFound: false, declared: false, explicitFound: false };

  it('verifies on metadata or a watermark, before any declaration', () => {
    expect(article6Verdict({ ...none, metadata, watermarkFound: true })).toEqual({ label: '1', basis: 'metadata+watermark' });
    expect(article6Verdict({ ...none, metadata, declared: true })).toEqual({ label: '1', basis: 'metadata' });
    expect(article6Verdict({ ...none, watermarkFound: true, explicitFound: true })).toEqual({ label: '1', basis: 'watermark' });
  });

  it('falls back to "possibly" on a declaration, then "suspected" on an explicit label', () => {
    expect(article6Verdict({ ...none, declared: true, explicitFound: true })).toEqual({ label: '2', basis: 'declared' });
    expect(article6Verdict({ ...none, explicitFound: true })).toEqual({ label: '3', basis: 'explicit' });
    expect(article6Verdict(none)).toEqual({ label: null, basis: 'none' });
  });
});
