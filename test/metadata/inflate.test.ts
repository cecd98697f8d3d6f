import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zlibInflate } from '../../src/metadata/inflate.js';
import { expectAigcError } from './support/assert.js';
import { prng } from './support/prng.js';

describe('zlib inflate (universal, synchronous)', () => {
  it('matches node:zlib on stored, fixed and dynamic blocks at every level', () => {
    const rand = prng(7);
    const samples = [
      Buffer.alloc(0),
      Buffer.from('a'),
      Buffer.from('<x:xmpmeta>'.repeat(500), 'utf8'),
      Buffer.from(Array.from({ length: 70_000 }, () => Math.floor(rand() * 256))), // incompressible: stored blocks
      Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i % 251 < 30 ? Math.floor(rand() * 4) : 65 + (i % 7)))),
    ];
    for (const data of samples) {
      for (const level of [0, 1, 6, 9]) {
        for (const strategy of [0, 1, 2, 3]) {
          const z = deflateSync(data, { level, strategy });
          expect(Buffer.from(zlibInflate(z, 1 << 20)).equals(data)).toBe(true);
        }
      }
    }
  });

  it('refuses output past the limit, bad headers, bad checksums and truncation with CORRUPT_FILE', () => {
    const z = deflateSync(Buffer.alloc(100_000, 0x41));
    expectAigcError(() => zlibInflate(z, 50_000), 'CORRUPT_FILE', /limit/);
    expectAigcError(() => zlibInflate(Buffer.from([0x78, 0x9d, 0, 0, 0, 0]), 10), 'CORRUPT_FILE', /header/);
    const badSum = Buffer.from(deflateSync(Buffer.from('hello')));
    badSum[badSum.length - 1] ^= 1;
    expectAigcError(() => zlibInflate(badSum, 100), 'CORRUPT_FILE', /checksum/);
    const text = deflateSync(Buffer.from('hello hello hello world'));
    for (let cut = 0; cut < text.length; cut++) expectAigcError(() => zlibInflate(text.subarray(0, cut), 100), 'CORRUPT_FILE');
    expectAigcError(() => zlibInflate(Buffer.from([0x78, 0x9c, 0x07, 0, 0, 0, 0, 0]), 100), 'CORRUPT_FILE', /reserved/);
  });

  it('never throws anything but CORRUPT_FILE on random corruption', () => {
    const rand = prng(99);
    const base = deflateSync(Buffer.from('<rdf:Description>'.repeat(40) + 'tail', 'utf8'));
    for (let i = 0; i < 3000; i++) {
      const m = Buffer.from(base);
      const flips = 1 + Math.floor(rand() * 4);
      for (let f = 0; f < flips; f++) m[2 + Math.floor(rand() * (m.length - 2))] ^= 1 << Math.floor(rand() * 8);
      try {
        zlibInflate(m, 1 << 16);
      } catch (e) {
        expect((e as { code?: string }).code).toBe('CORRUPT_FILE');
      }
    }
  });
});
