// Known-answer tests from outside this code: NIST FIPS 180-2 examples, RFC 4231, and node:crypto.
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256, sha256, utf8 } from '../../src/payload/sha256.js';
import { lcg } from '../support/images.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('SHA-256', () => {
  it('matches the NIST examples', () => {
    expect(hex(sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(utf8('')))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('matches node:crypto on every length around the block boundaries', () => {
    const next = lcg(7);
    for (let n = 0; n < 200; n++) {
      const data = Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
      expect(hex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });
});

describe('HMAC-SHA-256', () => {
  it('matches RFC 4231 test cases 1, 2 and 6 (a key longer than the block)', () => {
    expect(hex(hmacSha256(new Uint8Array(20).fill(0x0b), utf8('Hi There')))).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    expect(hex(hmacSha256(utf8('Jefe'), utf8('what do ya want for nothing?')))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    expect(hex(hmacSha256(new Uint8Array(131).fill(0xaa), utf8('Test Using Larger Than Block-Size Key - Hash Key First')))).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
  });

  it('matches node:crypto for keys and messages of many lengths', () => {
    const next = lcg(11);
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
    for (const keyLength of [1, 16, 32, 63, 64, 65, 100]) {
      for (const messageLength of [0, 1, 55, 56, 64, 119, 300]) {
        const key = bytes(keyLength);
        const message = bytes(messageLength);
        expect(hex(hmacSha256(key, message))).toBe(createHmac('sha256', key).update(message).digest('hex'));
      }
    }
  });
});
