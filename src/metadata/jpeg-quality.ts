/**
 * The IJG quality a JPEG was saved at, estimated from its luma quantisation table
 * (the DQT segment with table id 0), read through the one JPEG segment parser.
 */
import { AigcError } from '../errors.js';
import { u16be } from './bytes.js';
import { parseJpegSegments } from './jpeg.js';

const DQT = 0xdb;

// IJG standard luminance table (JPEG Annex K), in zigzag order as DQT stores it.
const STD_LUMA_ZIGZAG = [
  16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60,
  57, 51, 56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87, 95, 98, 103, 104, 103, 62, 77, 113, 121, 112,
  100, 120, 92, 101, 103, 99,
];
const STD_LUMA_SUM = STD_LUMA_ZIGZAG.reduce((a, b) => a + b, 0);

/** Estimates IJG quality from the luma DQT table; null when there is none or the file is damaged. */
export function estimateJpegQuality(bytes: Uint8Array): number | null {
  let segments;
  try {
    segments = parseJpegSegments(bytes).segments;
  } catch (e) {
    if (e instanceof AigcError) return null;
    throw e;
  }
  for (const segment of segments) {
    if (segment.marker !== DQT) continue;
    // One DQT segment may hold several tables: precision/id byte, then 64 values of 8 or 16 bits.
    for (let p = segment.dataStart; p < segment.end; ) {
      const sixteenBit = bytes[p] >> 4 !== 0;
      const size = sixteenBit ? 128 : 64;
      if (p + 1 + size > segment.end) return null;
      if ((bytes[p] & 15) === 0) {
        let sum = 0;
        for (let k = 0; k < 64; k++) sum += sixteenBit ? u16be(bytes, p + 1 + 2 * k) : bytes[p + 1 + k];
        const scale = (100 * sum) / STD_LUMA_SUM;
        const q = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
        return Math.max(1, Math.min(100, Math.round(q)));
      }
      p += 1 + size;
    }
  }
  return null;
}
