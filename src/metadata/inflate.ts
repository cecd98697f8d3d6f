/**
 * Synchronous zlib/DEFLATE decoder (RFC 1950/1951) for the few compressed text
 * chunks we must read: PNG zTXt and compressed iTXt (sharp and libvips store XMP
 * as zTXt) and compressed ID3v2 frames. Universal code cannot use node:zlib, and
 * DecompressionStream is asynchronous, which would make every reader async; a
 * decoder this small keeps the API synchronous. It follows Mark Adler's `puff.c`,
 * the reference implementation, including its checks for over-subscribed and
 * incomplete Huffman codes. Output is capped (decompression-bomb guard) and any
 * malformed stream is a CORRUPT_FILE error; nothing here can loop without consuming input.
 */
import { AigcError } from '../errors.js';

const MAX_BITS = 15;

class Huffman {
  readonly count = new Uint16Array(MAX_BITS + 1);
  readonly symbol: Uint16Array;
  constructor(symbols: number) {
    this.symbol = new Uint16Array(symbols);
  }
}

// Base values and extra bits for length codes 257..285 and distance codes 0..29.
const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
  8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

function bad(detail: string): AigcError {
  return new AigcError('CORRUPT_FILE', `Compressed data is damaged: ${detail}.`);
}

/**
 * Fills `h` from code lengths. Returns 0 for a complete code, a negative number
 * for an over-subscribed one and a positive number for an incomplete one (as puff does).
 */
function construct(h: Huffman, lengths: ArrayLike<number>, offset: number, n: number): number {
  h.count.fill(0);
  for (let s = 0; s < n; s++) h.count[lengths[offset + s]]++;
  if (h.count[0] === n) return 0;
  let left = 1;
  for (let len = 1; len <= MAX_BITS; len++) {
    left <<= 1;
    left -= h.count[len];
    if (left < 0) return left;
  }
  const offs = new Uint16Array(MAX_BITS + 1);
  for (let len = 1; len < MAX_BITS; len++) offs[len + 1] = offs[len] + h.count[len];
  for (let s = 0; s < n; s++) if (lengths[offset + s] !== 0) h.symbol[offs[lengths[offset + s]]++] = s;
  return left;
}

class Inflater {
  private pos: number;
  private bitBuf = 0;
  private bitCount = 0;
  out: Uint8Array;
  outLen = 0;

  constructor(
    private readonly input: Uint8Array,
    start: number,
    private readonly maxOutput: number,
  ) {
    this.pos = start;
    this.out = new Uint8Array(Math.min(maxOutput, Math.max(1024, input.length * 4)));
  }

  private bits(need: number): number {
    let val = this.bitBuf;
    while (this.bitCount < need) {
      if (this.pos >= this.input.length) throw bad('the stream ends early');
      val |= this.input[this.pos++] << this.bitCount;
      this.bitCount += 8;
    }
    this.bitBuf = val >>> need;
    this.bitCount -= need;
    return val & ((1 << need) - 1);
  }

  private emit(byte: number): void {
    if (this.outLen === this.out.length) {
      if (this.outLen >= this.maxOutput) throw new AigcError('CORRUPT_FILE', `Compressed text inflates past the ${this.maxOutput}-byte limit.`);
      const grown = new Uint8Array(Math.min(this.maxOutput, this.out.length * 2));
      grown.set(this.out);
      this.out = grown;
    }
    this.out[this.outLen++] = byte;
  }

  private stored(): void {
    this.bitBuf = 0;
    this.bitCount = 0;
    if (this.pos + 4 > this.input.length) throw bad('a stored block header is cut off');
    const len = this.input[this.pos] | (this.input[this.pos + 1] << 8);
    const nlen = this.input[this.pos + 2] | (this.input[this.pos + 3] << 8);
    this.pos += 4;
    if (len !== (~nlen & 0xffff)) throw bad('a stored block length fails its complement check');
    if (this.pos + len > this.input.length) throw bad('a stored block runs past the end');
    for (let i = 0; i < len; i++) this.emit(this.input[this.pos + i]);
    this.pos += len;
  }

  private decode(h: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAX_BITS; len++) {
      code |= this.bits(1);
      const count = h.count[len];
      if (code - count < first) return h.symbol[index + (code - first)];
      index += count;
      first += count;
      first <<= 1;
      code <<= 1;
    }
    throw bad('a Huffman code is invalid');
  }

  private codes(lencode: Huffman, distcode: Huffman): void {
    for (;;) {
      let symbol = this.decode(lencode);
      if (symbol < 256) {
        this.emit(symbol);
        continue;
      }
      if (symbol === 256) return;
      symbol -= 257;
      if (symbol >= 29) throw bad('a length code is out of range');
      const len = LEN_BASE[symbol] + this.bits(LEN_EXTRA[symbol]);
      const dsym = this.decode(distcode);
      if (dsym >= 30) throw bad('a distance code is out of range');
      const dist = DIST_BASE[dsym] + this.bits(DIST_EXTRA[dsym]);
      if (dist > this.outLen) throw bad('a distance points before the start');
      for (let i = 0; i < len; i++) this.emit(this.out[this.outLen - dist]);
    }
  }

  private fixed(): void {
    const lengths = new Uint8Array(288 + 30);
    for (let s = 0; s < 144; s++) lengths[s] = 8;
    for (let s = 144; s < 256; s++) lengths[s] = 9;
    for (let s = 256; s < 280; s++) lengths[s] = 7;
    for (let s = 280; s < 288; s++) lengths[s] = 8;
    for (let s = 288; s < 318; s++) lengths[s] = 5;
    const lencode = new Huffman(288);
    const distcode = new Huffman(30);
    construct(lencode, lengths, 0, 288);
    construct(distcode, lengths, 288, 30);
    this.codes(lencode, distcode);
  }

  private dynamic(): void {
    const nlen = this.bits(5) + 257;
    const ndist = this.bits(5) + 1;
    const ncode = this.bits(4) + 4;
    if (nlen > 286 || ndist > 30) throw bad('a dynamic block declares too many codes');
    const lengths = new Uint8Array(nlen + ndist);
    const clen = new Uint8Array(19);
    for (let i = 0; i < ncode; i++) clen[CODE_LENGTH_ORDER[i]] = this.bits(3);
    const lencode = new Huffman(286);
    const distcode = new Huffman(30);
    if (construct(lencode, clen, 0, 19) !== 0) throw bad('the code-length code is incomplete');
    let index = 0;
    while (index < nlen + ndist) {
      let symbol = this.decode(lencode);
      if (symbol < 16) {
        lengths[index++] = symbol;
        continue;
      }
      let len = 0;
      if (symbol === 16) {
        if (index === 0) throw bad('a repeat has nothing to repeat');
        len = lengths[index - 1];
        symbol = 3 + this.bits(2);
      } else if (symbol === 17) symbol = 3 + this.bits(3);
      else symbol = 11 + this.bits(7);
      if (index + symbol > nlen + ndist) throw bad('code lengths overrun');
      while (symbol--) lengths[index++] = len;
    }
    if (lengths[256] === 0) throw bad('the block has no end code');
    let err = construct(lencode, lengths, 0, nlen);
    if (err < 0 || (err > 0 && nlen - lencode.count[0] !== 1)) throw bad('the literal/length code is malformed');
    err = construct(distcode, lengths, nlen, ndist);
    if (err < 0 || (err > 0 && ndist - distcode.count[0] !== 1)) throw bad('the distance code is malformed');
    this.codes(lencode, distcode);
  }

  run(): void {
    let last: number;
    do {
      last = this.bits(1);
      const type = this.bits(2);
      if (type === 0) this.stored();
      else if (type === 1) this.fixed();
      else if (type === 2) this.dynamic();
      else throw bad('a block has the reserved type 3');
    } while (!last);
  }

  /** Input position after the final block, rounded up to a whole byte. */
  alignedEnd(): number {
    return this.pos;
  }
}

function adler32(data: Uint8Array, length: number): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < length; ) {
    const end = Math.min(length, i + 3800);
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Inflates a zlib stream (header, DEFLATE data, Adler-32), refusing output beyond `maxOutput` bytes. */
export function zlibInflate(data: Uint8Array, maxOutput: number): Uint8Array {
  if (data.length < 6) throw bad('the zlib stream is too short');
  const cmf = data[0];
  const flg = data[1];
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) throw bad('the zlib header is invalid');
  if (flg & 0x20) throw bad('the zlib stream needs a preset dictionary');
  const inflater = new Inflater(data, 2, maxOutput);
  inflater.run();
  const end = inflater.alignedEnd();
  if (end + 4 > data.length) throw bad('the zlib checksum is missing');
  const stored = ((data[end] << 24) | (data[end + 1] << 16) | (data[end + 2] << 8) | data[end + 3]) >>> 0;
  if (stored !== adler32(inflater.out, inflater.outLen)) throw bad('the zlib checksum does not match');
  return inflater.out.slice(0, inflater.outLen);
}
