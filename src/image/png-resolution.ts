// The pHYs chunk (pixel density) of a PNG written from raw pixels. libvips gives a raw image
// 1 pixel per millimetre; a file written over its input instead keeps the input's density.
// These carry the input's density over into the raw-written file, byte for byte what libvips
// writes when it opens the input itself.
import { putU32be } from '../metadata/bytes.js';
import { pngChunks } from '../metadata/png.js';
import { crc32 } from '../payload/crc32.js';

const PHYS_BYTES = 9;
/** libvips' density for a PNG without pHYs (72 dpi), in pixels per metre. */
const LIBVIPS_DEFAULT_PER_METRE = 2834;
const UNIT_METRE = 1;

/** The 9 data bytes of the first pHYs chunk before the pixels, or null when there is none. */
function physData(png: Uint8Array): Uint8Array | null {
  for (const c of pngChunks(png)) {
    if (c.type === 'IDAT') return null;
    if (c.type === 'pHYs') return c.length === PHYS_BYTES ? png.subarray(c.dataStart, c.dataStart + c.length) : null;
  }
  return null;
}

/**
 * The pHYs data libvips writes for a PNG it opened itself: the input's own when it is in
 * pixels per metre, its default when there is none; null when the input's is unit-less (libvips
 * reinterprets those, and such a file is written over the input instead).
 */
export function carriedDensity(input: Uint8Array): Uint8Array | null {
  const own = physData(input);
  if (own) return own[8] === UNIT_METRE ? own : null;
  const data = new Uint8Array(PHYS_BYTES);
  putU32be(data, 0, LIBVIPS_DEFAULT_PER_METRE);
  putU32be(data, 4, LIBVIPS_DEFAULT_PER_METRE);
  data[8] = UNIT_METRE;
  return data;
}

/** `png` (libvips' output, which always has a pHYs chunk) with its pHYs data replaced by `density`, in place. */
export function setDensity(png: Uint8Array, density: Uint8Array): Uint8Array {
  const data = physData(png);
  if (!data) throw new Error('libvips wrote a PNG without a pHYs chunk');
  data.set(density);
  const at = data.byteOffset - png.byteOffset;
  putU32be(png, at + PHYS_BYTES, crc32(png.subarray(at - 4, at + PHYS_BYTES)));
  return png;
}
