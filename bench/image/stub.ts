// TEMPORARY stand-in for the engine (delete once src/image exports embedImage/detectImage):
// adds ±1 keyed noise so quality metrics have something to measure; never detects anything.
import { prng } from '../lib/stats.ts';

export function createLabel(fields: { producer: string }) {
  return { Label: '1', ContentProducer: fields.producer, ProduceID: 'stub' };
}
export function payloadFromLabel(label: unknown, keyed: boolean) {
  return { label, keyed };
}
export async function embedImage(rgba: Uint8ClampedArray, width: number, height: number, label: unknown) {
  if (width < 128 || height < 128) throw Object.assign(new Error('too small'), { code: 'IMAGE_TOO_SMALL' });
  const out = new Uint8ClampedArray(rgba);
  const r = prng(7);
  for (let i = 0; i < out.length; i += 4) {
    const d = r() < 0.5 ? -1 : 1;
    out[i] = out[i]! + d;
    out[i + 1] = out[i + 1]! + d;
    out[i + 2] = out[i + 2]! + d;
  }
  return { rgba: out, payload: payloadFromLabel(label, false), psnr: 48 };
}
export async function detectImage(_rgba: Uint8ClampedArray, width: number, height: number) {
  if (width < 128 || height < 128) throw Object.assign(new Error('too small'), { code: 'IMAGE_TOO_SMALL' });
  return { found: false, payload: null, score: 0.5 };
}
export function preferCoreFlavor(_f: string | null): void {}
