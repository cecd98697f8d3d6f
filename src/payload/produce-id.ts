/**
 * Minted ProduceIDs: "AM" + 7 Crockford base32 characters = 35 bits, exactly the
 * payload's content field, so a platform recovers the full ID from the pixels alone.
 * Layout: 13 bits of day number (days since 2025-01-01 UTC, modulo 8192, a 22-year
 * cycle) then 22 random bits. IDs sort by day; see docs/payload.md for collisions.
 */
export const CONTENT_BITS = 35;
const DAY_BITS = 13;
const RANDOM_BITS = CONTENT_BITS - DAY_BITS;
const EPOCH_MS = Date.UTC(2025, 0, 1);
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const MINTED_PATTERN = /^AM[0-9A-HJKMNP-TV-Z]{7}$/;

export function encodeMintedId(content: number): string {
  let text = '';
  for (let i = 6; i >= 0; i--) text += CROCKFORD[Math.floor(content / 32 ** i) % 32];
  return `AM${text}`;
}

/** The 35-bit content number of a minted ID, or null when `id` is not one of ours. */
export function parseMintedId(id: string): number | null {
  if (!MINTED_PATTERN.test(id)) return null;
  let value = 0;
  for (const ch of id.slice(2)) value = value * 32 + CROCKFORD.indexOf(ch);
  return value;
}

function randomBits(width: number): number {
  const words = new Uint32Array(1);
  globalThis.crypto.getRandomValues(words);
  return words[0] % 2 ** width;
}

export function mintProduceId(now: Date = new Date()): string {
  const day = Math.floor((now.getTime() - EPOCH_MS) / 86_400_000);
  const dayField = ((day % 2 ** DAY_BITS) + 2 ** DAY_BITS) % 2 ** DAY_BITS;
  return encodeMintedId(dayField * 2 ** RANDOM_BITS + randomBits(RANDOM_BITS));
}
