import { checkKey, invalidParameter, MIN_SECRET_KEY_BYTES } from '../validate.js';
import { sha256, utf8 } from './sha256.js';

/**
 * What a watermark key decides: the seed of every keyed sequence (spreading
 * signs, interleaving) and, for a secret key, the MAC that replaces the CRC.
 */
export interface WatermarkKey {
  readonly keyed: boolean;
  /** Two 32-bit words handed to the WASM PRNG. */
  readonly seed: readonly [number, number];
  readonly macKey: Uint8Array | null;
}

export { MIN_SECRET_KEY_BYTES };

function seedFrom(material: Uint8Array): [number, number] {
  const digest = sha256(material);
  const view = new DataView(digest.buffer);
  return [view.getUint32(0), view.getUint32(4)];
}

/** The interoperable key: any platform can detect any provider's mark. */
export const PUBLIC_KEY: WatermarkKey = Object.freeze({
  keyed: false,
  seed: seedFrom(utf8('aigc-mark public watermark key v1')),
  macKey: null,
});

/** A provider's secret: only its holder can detect or forge the mark. */
export function secretKey(secret: Uint8Array): WatermarkKey {
  const bytes = checkKey(secret);
  if (bytes === null) throw invalidParameter('BAD_KEY', 'key', `at least ${MIN_SECRET_KEY_BYTES} random bytes`, secret);
  const domain = utf8('aigc-mark secret key v1');
  const material = new Uint8Array(domain.length + bytes.length);
  material.set(domain);
  material.set(bytes, domain.length);
  return Object.freeze({ keyed: true, seed: seedFrom(material), macKey: sha256(material) });
}

/** Null or undefined: the public key; otherwise the secret's key (BAD_KEY unless it is at least 16 bytes). */
export function resolveKey(secret?: Uint8Array | null): WatermarkKey {
  const bytes = checkKey(secret);
  return bytes === null ? PUBLIC_KEY : secretKey(bytes);
}
