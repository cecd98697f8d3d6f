import { AigcError } from '../errors.js';
import { DEFAULT_MAX_PIXELS } from '../validate.js';
import { IMAGE_TILE } from '../wasm/layout.js';

/** The mark tile's side in pixels; a smaller image cannot hold one whole payload. */
export const TILE_PIXELS = IMAGE_TILE;
export { DEFAULT_MAX_PIXELS };

export function checkImageSize(width: number, height: number, maxPixels = DEFAULT_MAX_PIXELS): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new AigcError('CORRUPT_FILE', `Image dimensions ${width}×${height} are not valid.`);
  }
  if (width * height > maxPixels) {
    throw new AigcError(
      'IMAGE_TOO_LARGE',
      `Image is ${width}×${height} (${((width * height) / 1e6).toFixed(1)} MP), over the ${(maxPixels / 1e6).toFixed(0)} MP limit; raise maxPixels (--max-pixels) if you trust this file.`,
    );
  }
  if (width < TILE_PIXELS || height < TILE_PIXELS) {
    throw new AigcError(
      'IMAGE_TOO_SMALL',
      `Image is ${width}×${height}; the watermark needs at least ${TILE_PIXELS}×${TILE_PIXELS} pixels to hold one whole tile.`,
    );
  }
}

export function checkRgba(rgba: ArrayLike<number>, width: number, height: number): void {
  if (rgba.length !== width * height * 4) {
    throw new AigcError('BAD_OPTION', `RGBA buffer has ${rgba.length} bytes; ${width}×${height} needs ${width * height * 4}.`);
  }
}
