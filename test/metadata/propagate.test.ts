import { describe, expect, it } from 'vitest';
import { propagateLabel } from '../../src/platform/propagate.js';
import { parseMintedId } from '../../src/payload/produce-id.js';
import { readMetadataLabel, writeMetadataLabel } from '../../src/metadata/index.js';
import { expectAigcError } from './support/assert.js';
import { LABEL, riff, riffChunk } from './support/fixtures.js';

const PLATFORM = '0011911000000000000000002A2B0'.slice(0, 27);

describe('propagateLabel (Article 6)', () => {
  it('sets ContentPropagator and PropagateID and keeps the producer fields', () => {
    const out = propagateLabel(LABEL, { propagator: 'PLATFORM-01', propagateId: 'P-42' });
    expect(out).toEqual({ ...LABEL, ContentPropagator: 'PLATFORM-01', PropagateID: 'P-42' });
  });

  it('mints a PropagateID when none is given', () => {
    const out = propagateLabel(LABEL, { propagator: PLATFORM });
    expect(out.ContentPropagator).toBe(PLATFORM);
    expect(parseMintedId(out.PropagateID)).not.toBeNull();
    expect(out.ProduceID).toBe(LABEL.ProduceID);
  });

  it('drops the previous propagator’s ReservedCode2 unless a new one is given', () => {
    const prior = { ...LABEL, ReservedCode2: 'old-platform-sig' };
    expect(propagateLabel(prior, { propagator: 'P2', propagateId: 'x' }).ReservedCode2).toBeUndefined();
    expect(propagateLabel(prior, { propagator: 'P2', propagateId: 'x', reservedCode2: 'new' }).ReservedCode2).toBe('new');
    expect(propagateLabel(prior, { propagator: 'P2', propagateId: 'x' }).ReservedCode1).toBe(LABEL.ReservedCode1);
  });

  it('validates the new fields against Annex E, naming the field and character', () => {
    expectAigcError(() => propagateLabel(LABEL, { propagator: 'has space' }), 'BAD_LABEL', /ContentPropagator.*U\+0020/);
    expectAigcError(() => propagateLabel(LABEL, { propagator: 'ok', propagateId: 'a"b' }), 'BAD_LABEL', /PropagateID/);
  });

  it('round-trips through a container: one copy after propagation', () => {
    const wav = riff('WAVE', [riffChunk('data', Buffer.alloc(8))]);
    const marked = writeMetadataLabel(wav, LABEL);
    const propagated = propagateLabel(readMetadataLabel(marked)!, { propagator: 'PLATFORM-01', propagateId: 'P-1' });
    const out = writeMetadataLabel(marked, propagated);
    expect(readMetadataLabel(out)).toEqual(propagated);
    expect(Buffer.from(out).toString('latin1').match(/AIGC/g)).toHaveLength(2); // chunk id + JSON key
  });
});
