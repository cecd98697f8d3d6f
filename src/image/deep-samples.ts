// A 16-bit PNG is marked at 8 bits, the engine's depth, and written back at 16: each output
// sample is the input's own sample moved by 257 × the 8-bit change marking made there
// (257 = 65535 / 255, one 8-bit level). An untouched sample comes out exactly as it went in,
// so the input's depth survives wherever the mark leaves it alone, and a reader that brings
// the file to 8 bits by rounding sees the marked value, not one level off. sharp's own
// 16 → 8-bit conversion keeps the high byte (v >> 8): that is the value marking started from.

/**
 * 8-bit RGBA (alpha 255) from interleaved 16-bit RGB: each sample's high byte, as sharp converts it;
 * `fine` tells whether any sample uses its low byte, i.e. is not 257 × an 8-bit value (a file
 * widened from 8 bits has none).
 */
export function rgbaFromRgb16(rgb16: Uint16Array, pixels: number): { rgba: Uint8ClampedArray; fine: boolean } {
  const rgba = new Uint8ClampedArray(pixels * 4);
  let coarse = true;
  for (let p = 0, i = 0, o = 0; p < pixels; p++, i += 3, o += 4) {
    const r = rgb16[i];
    const g = rgb16[i + 1];
    const b = rgb16[i + 2];
    rgba[o] = r >> 8;
    rgba[o + 1] = g >> 8;
    rgba[o + 2] = b >> 8;
    rgba[o + 3] = 255;
    coarse &&= r % 257 === 0 && g % 257 === 0 && b % 257 === 0;
  }
  return { rgba, fine: !coarse };
}

/** The 16-bit RGB to write: `input`'s samples, each moved by 257 × what marking changed in the 8-bit `marked` RGBA, within 0…65535. */
export function markedRgb16(input: Uint16Array, marked: Uint8Array | Uint8ClampedArray, pixels: number): Uint16Array {
  const out = new Uint16Array(pixels * 3);
  for (let p = 0, i = 0, m = 0; p < pixels; p++, i += 3, m += 4) {
    out[i] = moved(input[i], marked[m]);
    out[i + 1] = moved(input[i + 1], marked[m + 1]);
    out[i + 2] = moved(input[i + 2], marked[m + 2]);
  }
  return out;
}

/** A 16-bit sample moved by 257 × the change from its high byte to `marked`, within 0…65535. */
function moved(v: number, marked: number): number {
  const w = v + 257 * (marked - (v >> 8));
  return w < 0 ? 0 : w > 65535 ? 65535 : w;
}
