import type { AigcLabel, LabelAttribute } from '../label/types.js';
import { BitReader, BitWriter } from './bits.js';
import { crc32 } from './crc32.js';
import type { WatermarkKey } from './key.js';
import { CONTENT_BITS, encodeMintedId, parseMintedId } from './produce-id.js';
import { hmacSha256, sha256, utf8 } from './sha256.js';

/**
 * Payload v1: 64 data bits + 32 check bits (docs/payload.md has the layout,
 * the collision analysis and test vectors).
 *   version 2 | label 2 | content kind 1 | producer hash 24 | content 35 | check 32
 */
export const DATA_BITS = 64;
export const CHECK_BITS = 32;
export const PAYLOAD_BITS = DATA_BITS + CHECK_BITS;
export const PAYLOAD_BYTES = PAYLOAD_BITS / 8;
const VERSION = 1;
const PRODUCER_BITS = 24;

export type PayloadContent =
  | { kind: 'minted'; produceId: string }
  | { kind: 'hashed'; produceIdHash: string };

export interface WatermarkPayload {
  version: number;
  label: LabelAttribute;
  /** First 24 bits of SHA-256 over the domain-tagged ContentProducer, as hex. */
  producerHash: string;
  content: PayloadContent;
  /** True when the check code is a keyed MAC rather than the public CRC. */
  keyed: boolean;
}

function truncatedHash(domain: string, value: string, bits: number): number {
  const digest = sha256(utf8(`aigc-mark/${domain}/v1:${value}`));
  return new BitReader(digest).read(bits);
}

export function producerHash(contentProducer: string): string {
  return truncatedHash('producer', contentProducer, PRODUCER_BITS).toString(16).padStart(6, '0');
}

export function produceIdHash(produceId: string): string {
  return truncatedHash('produce-id', produceId, CONTENT_BITS).toString(16).padStart(9, '0');
}

export function payloadFromLabel(label: AigcLabel, keyed: boolean): WatermarkPayload {
  const minted = parseMintedId(label.ProduceID);
  return {
    version: VERSION,
    label: label.Label,
    producerHash: producerHash(label.ContentProducer),
    content:
      minted === null
        ? { kind: 'hashed', produceIdHash: produceIdHash(label.ProduceID) }
        : { kind: 'minted', produceId: label.ProduceID },
    keyed,
  };
}

function checkCode(data: Uint8Array, key: WatermarkKey): number {
  if (!key.macKey) return crc32(data);
  return new DataView(hmacSha256(key.macKey, data).buffer).getUint32(0);
}

/** The 96 payload bits as 12 bytes, MSB first. */
export function encodePayload(payload: WatermarkPayload, key: WatermarkKey): Uint8Array {
  const writer = new BitWriter(PAYLOAD_BYTES);
  writer.write(payload.version, 2);
  writer.write(Number(payload.label), 2);
  writer.write(payload.content.kind === 'minted' ? 0 : 1, 1);
  writer.write(parseInt(payload.producerHash, 16), PRODUCER_BITS);
  const content =
    payload.content.kind === 'minted'
      ? (parseMintedId(payload.content.produceId) as number)
      : parseInt(payload.content.produceIdHash, 16);
  writer.write(content, CONTENT_BITS);
  writer.write(checkCode(writer.bytes.subarray(0, DATA_BITS / 8), key), CHECK_BITS);
  return writer.bytes;
}

/** Null unless the check code matches under `key` and every field is well-formed. */
export function decodePayload(bytes: Uint8Array, key: WatermarkKey): WatermarkPayload | null {
  const reader = new BitReader(bytes);
  const version = reader.read(2);
  const label = reader.read(2);
  const kind = reader.read(1);
  const producer = reader.read(PRODUCER_BITS);
  const content = reader.read(CONTENT_BITS);
  const check = reader.read(CHECK_BITS);
  if (check !== checkCode(bytes.subarray(0, DATA_BITS / 8), key)) return null;
  if (version !== VERSION || label < 1 || label > 3) return null;
  return {
    version,
    label: String(label) as LabelAttribute,
    producerHash: producer.toString(16).padStart(6, '0'),
    content:
      kind === 0
        ? { kind: 'minted', produceId: encodeMintedId(content) }
        : { kind: 'hashed', produceIdHash: content.toString(16).padStart(9, '0') },
    keyed: key.keyed,
  };
}

/** Does a recovered payload belong to this metadata label? (Platforms cross-check the two.) */
export function payloadMatchesLabel(payload: WatermarkPayload, label: AigcLabel): boolean {
  const expected = payloadFromLabel(label, payload.keyed);
  return (
    expected.producerHash === payload.producerHash &&
    JSON.stringify(expected.content) === JSON.stringify(payload.content)
  );
}

