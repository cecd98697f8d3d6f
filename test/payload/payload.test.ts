import { describe, expect, it } from 'vitest';
import {
  decodePayload,
  encodePayload,
  mintProduceId,
  parseMintedId,
  payloadFromLabel,
  payloadMatchesLabel,
  PUBLIC_KEY,
  secretKey,
  validateLabel,
} from '../../src/index.js';
import { getCore } from '../../src/node.js';
import { decodeChannel, encodeChannel } from '../../src/wasm/channel-code.js';

const PRODUCER = '001191440300708461136T1XGW3';
const labelFor = (produceId: string) =>
  validateLabel({ Label: '1', ContentProducer: PRODUCER, ProduceID: produceId, ContentPropagator: PRODUCER, PropagateID: produceId });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const SECRET = secretKey(new TextEncoder().encode('0123456789abcdef0123456789abcdef'));

describe('payload v1', () => {
  // The same vectors are printed in docs/payload.md.
  it.each([
    ['AM0K2Z9QX', PUBLIC_KEY, '521782b8262fa6fd2e8e1b65'],
    ['AM0K2Z9QX', SECRET, '521782b8262fa6fdd8f8518d'],
    ['order-2025-000123', PUBLIC_KEY, '5a1782bae9f99fdc626c7986'],
  ])('encodes %s to the documented test vector', (produceId, key, expected) => {
    const payload = payloadFromLabel(labelFor(produceId), key.keyed);
    const bytes = encodePayload(payload, key);
    expect(hex(bytes)).toBe(expected);
    expect(decodePayload(bytes, key)).toEqual(payload);
  });

  it('round-trips minted ProduceIDs exactly and hashes foreign ones', () => {
    for (let i = 0; i < 200; i++) {
      const id = mintProduceId(new Date(Date.UTC(2025, 0, 1) + i * 86_400_000 * 37));
      expect(parseMintedId(id)).not.toBeNull();
      const decoded = decodePayload(encodePayload(payloadFromLabel(labelFor(id), false), PUBLIC_KEY), PUBLIC_KEY);
      expect(decoded?.content).toEqual({ kind: 'minted', produceId: id });
    }
    const foreign = payloadFromLabel(labelFor('order-42'), false);
    expect(foreign.content.kind).toBe('hashed');
    expect(payloadMatchesLabel(foreign, labelFor('order-42'))).toBe(true);
    expect(payloadMatchesLabel(foreign, labelFor('order-43'))).toBe(false);
  });

  it('rejects any single flipped bit, and the wrong key', () => {
    const bytes = encodePayload(payloadFromLabel(labelFor('AM0K2Z9QX'), true), SECRET);
    for (let bit = 0; bit < 96; bit++) {
      const flipped = bytes.slice();
      flipped[bit >> 3] ^= 0x80 >> (bit & 7);
      expect(decodePayload(flipped, SECRET)).toBeNull();
    }
    expect(decodePayload(bytes, PUBLIC_KEY)).toBeNull();
  });

  it('corrects channel errors with the soft Viterbi decoder', async () => {
    const core = await getCore();
    const bytes = encodePayload(payloadFromLabel(labelFor('AM0K2Z9QX'), false), PUBLIC_KEY);
    const coded = encodeChannel(core, bytes, 96);
    expect(coded.length).toBe(306);
    // Flip 25 of the 306 coded symbols (8%), spread out; the K=7 rate-1/3 code absorbs them.
    const soft = Float32Array.from(coded, (bit, i) => (bit ? -1 : 1) * (i % 12 === 5 ? -0.8 : 1));
    const decoded = decodeChannel(core, soft, 96);
    expect(hex(decoded.payload)).toBe(hex(bytes));
    expect(decoded.codedBitErrors).toBe(26);
  });
});
