/** MSB-first bit packing for the fixed-width payload fields. */
export class BitWriter {
  readonly bytes: Uint8Array;
  private position = 0;
  constructor(byteLength: number) {
    this.bytes = new Uint8Array(byteLength);
  }
  /** Writes the low `width` bits of `value` (width ≤ 53, so plain numbers stay exact). */
  write(value: number, width: number): void {
    for (let i = width - 1; i >= 0; i--) {
      const bit = Math.floor(value / 2 ** i) % 2;
      if (bit) this.bytes[this.position >> 3] |= 0x80 >> (this.position & 7);
      this.position++;
    }
  }
}

export class BitReader {
  private position = 0;
  constructor(private readonly bytes: Uint8Array) {}
  read(width: number): number {
    let value = 0;
    for (let i = 0; i < width; i++) {
      const bit = (this.bytes[this.position >> 3] >> (7 - (this.position & 7))) & 1;
      value = value * 2 + bit;
      this.position++;
    }
    return value;
  }
}

export function bytesToBits(bytes: Uint8Array, bitCount = bytes.length * 8): Uint8Array {
  const bits = new Uint8Array(bitCount);
  for (let i = 0; i < bitCount; i++) bits[i] = (bytes[i >> 3] >> (7 - (i & 7))) & 1;
  return bits;
}

export function bitsToBytes(bits: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]) bytes[i >> 3] |= 0x80 >> (i & 7);
  return bytes;
}

export const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
