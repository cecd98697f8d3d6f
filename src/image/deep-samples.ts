// A 16-bit PNG is marked at 8 bits, the engine's depth, and written back at 16: each output
// sample is the marked 8-bit value in its high byte over the input's own low byte. sharp's
// 16 → 8-bit conversion keeps the high byte (v >> 8), so that is the value marking started from
// and the value it reads back: exactly the marked one, as libvips and libpng's strip_16 read it.
// An untouched sample comes out exactly as it went in, so the input's depth survives wherever the
// mark leaves it alone, and a reader that rounds to 8 bits (v / 257) sees the input's value
// moved by the mark's change (256/257 of it). The samples are interleaved grey (1 channel),
// grey and alpha (2), RGB (3) or RGBA (4).

/** Which RGBA byte each of a pixel's `channels` samples is read from and written back to. */
function rgbaIndex(channels: number): readonly number[] {
  switch (channels) {
    case 1:
      return [0];
    case 2:
      return [0, 3];
    case 3:
      return [0, 1, 2];
    case 4:
      return [0, 1, 2, 3];
    default:
      throw new RangeError(`deep samples have 1 to 4 channels, not ${channels}`);
  }
}

/**
 * 8-bit RGBA from interleaved 16-bit samples: each sample's high byte, as sharp converts it (grey
 * into R, G and B; alpha 255 when there is none). `fine` tells whether any sample uses its low byte,
 * i.e. is not 257 × an 8-bit value (a file widened from 8 bits has none).
 */
export function rgbaFromSamples16(samples: Uint16Array, pixels: number, channels: number): { rgba: Uint8ClampedArray; fine: boolean } {
  const at = rgbaIndex(channels);
  const rgba = new Uint8ClampedArray(pixels * 4);
  if (channels < 3) for (let o = 0; o < rgba.length; o += 4) rgba[o + 3] = 255;
  else if (channels === 3) for (let o = 3; o < rgba.length; o += 4) rgba[o] = 255;
  let coarse = true;
  for (let c = 0; c < channels; c++) {
    const to = at[c];
    for (let p = 0, i = c, o = to; p < pixels; p++, i += channels, o += 4) {
      const v = samples[i];
      rgba[o] = v >> 8;
      coarse &&= v % 257 === 0;
    }
  }
  if (channels < 3) {
    for (let o = 0; o < rgba.length; o += 4) rgba[o + 1] = rgba[o + 2] = rgba[o];
  }
  return { rgba, fine: !coarse };
}

/** The 16-bit samples to write: each `marked` RGBA value in the high byte, over `input`'s own low byte. */
export function markedSamples16(input: Uint16Array, marked: Uint8Array | Uint8ClampedArray, pixels: number, channels: number): Uint16Array {
  const at = rgbaIndex(channels);
  const out = new Uint16Array(pixels * channels);
  for (let c = 0; c < channels; c++) {
    for (let p = 0, i = c, m = at[c]; p < pixels; p++, i += channels, m += 4) out[i] = (marked[m] << 8) | (input[i] & 0xff);
  }
  return out;
}
