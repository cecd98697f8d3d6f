// The one validation layer: every public input is checked before any work, with an
// AigcError naming the parameter, what it must be and what it was.
import { describe, expect, it } from 'vitest';
import { detectAudio, embedAudio } from '../src/audio/index.js';
import { AigcError } from '../src/errors.js';
import { createLabel, detectImage, embedImage, resolveKey, secretKey } from '../src/node.js';
import { checkStrength, STRENGTH_RANGE } from '../src/validate.js';
import { texturedImage } from './support/images.js';

const label = createLabel({ producer: '91110000MA01ABCDEF123456789', produceId: 'AM2Q3WC88' });
const image = texturedImage(128, 128);

function tones(seconds: number, rate: number): Float32Array {
  const x = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < x.length; i++) {
    const t = i / rate;
    let v = 0;
    for (let h = 1; h <= 12; h++) v += Math.sin(2 * Math.PI * 200 * h * t + h) / h;
    x[i] = 0.2 * v * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t));
  }
  return x;
}
const audio = [tones(3, 16000)];

async function failure(p: Promise<unknown> | (() => unknown)): Promise<AigcError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof AigcError) return e;
    throw e;
  }
  throw new Error('expected an AigcError, but the call succeeded');
}

describe('keys', () => {
  it('refuses a string key instead of turning its letters into zero bytes', async () => {
    const asString = 'my-provider-secret-abc' as unknown as Uint8Array;
    for (const e of [
      await failure(() => secretKey(asString)),
      await failure(() => resolveKey(asString)),
      await failure(embedImage(image, 128, 128, label, { key: asString })),
      await failure(detectImage(image, 128, 128, { key: asString })),
      await failure(embedAudio(audio, 16000, label, { key: asString })),
      await failure(detectAudio(audio, 16000, { key: asString })),
    ]) {
      expect(e.code).toBe('BAD_KEY');
      expect(e.message).toMatch(/^key must be a Uint8Array .*; got the string "my-provider-secret-abc"\.$/);
    }
  });

  it('refuses an empty string, an ArrayBuffer, a number array and a short key; null and undefined mean the public key', async () => {
    for (const key of ['', new ArrayBuffer(32), Array.from({ length: 32 }, () => 7), new Uint8Array(15)]) {
      expect((await failure(() => resolveKey(key as unknown as Uint8Array))).code).toBe('BAD_KEY');
    }
    expect(resolveKey(null).keyed).toBe(false);
    expect(resolveKey(undefined).keyed).toBe(false);
    expect(resolveKey(new Uint8Array(16).fill(1)).keyed).toBe(true);
  });
});

describe('labels', () => {
  it('embedAudio refuses a label whose Label is not 1, 2 or 3 (it would be written but never detected)', async () => {
    const bad = { ...label, Label: '4' } as unknown as typeof label;
    const e = await failure(embedAudio(audio, 16000, bad));
    expect(e.code).toBe('BAD_LABEL');
    expect(e.message).toMatch(/Label must be "1", "2" or "3", got "4"/);
    expect((await failure(embedAudio(audio, 16000, { ...label, ContentProducer: 'has space' }))).code).toBe('BAD_LABEL');
  });
});

describe('strength', () => {
  it('is one range for image, audio and the CLI, and the error names parameter, range and value', async () => {
    expect(STRENGTH_RANGE).toEqual({ min: 0.25, max: 4 });
    for (const strength of [0, 0.2, 4.5, 5, 10, Number.NaN, '2']) {
      const s = strength as number;
      const fromImage = await failure(embedImage(image, 128, 128, label, { strength: s }));
      const fromAudio = await failure(embedAudio(audio, 16000, label, { strength: s }));
      for (const e of [fromImage, fromAudio]) {
        expect(e.code).toBe('BAD_OPTION');
        expect(e.message).toMatch(/^strength must be a number from 0\.25 to 4; got /);
      }
    }
    expect(checkStrength(undefined)).toBe(1);
    expect(checkStrength(0.25)).toBe(0.25);
    expect(checkStrength(4)).toBe(4);
  });

  it('is checked on images before the workspace is allocated', async () => {
    // A 100k × 100k image would be refused as too large; the bad strength is found first.
    const e = await failure(embedImage(new Uint8Array(0), 100_000, 100_000, label, { strength: 20 }));
    expect(e.code).toBe('BAD_OPTION');
    expect(e.message).toMatch(/strength/);
  });
});

describe('maxPixels and options', () => {
  it('maxPixels must be a positive whole number', async () => {
    for (const maxPixels of ['many', 0, -5, 1.5, Number.POSITIVE_INFINITY]) {
      const e = await failure(embedImage(image, 128, 128, label, { maxPixels: maxPixels as number }));
      expect(e.code).toBe('BAD_OPTION');
      expect(e.message).toMatch(/^maxPixels must be a positive whole number of pixels; got /);
    }
  });

  it('an unknown option is an error, not silently ignored', async () => {
    const typo = { strenght: 2 } as unknown as { strength: number };
    for (const e of [
      await failure(embedImage(image, 128, 128, label, typo)),
      await failure(embedAudio(audio, 16000, label, typo)),
      await failure(detectImage(image, 128, 128, typo as never)),
      await failure(detectAudio(audio, 16000, typo as never)),
    ]) {
      expect(e.code).toBe('BAD_OPTION');
      expect(e.message).toMatch(/has no "strenght"/);
    }
    expect((await failure(embedImage(image, 128, 128, label, 'fast' as never))).code).toBe('BAD_OPTION');
  });
});
