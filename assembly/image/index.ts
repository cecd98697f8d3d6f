// Image watermark kernels.
export { rgbaToLuma } from './luma';
export { buildSlotMap } from './layout';
export { buildTilePattern, perceptualMask, applyMark, markEnergy, TILE_SIZE, TILE_SLOTS, TILE_BLOCKS } from './embed';
export { whiten, foldTiles, blockCoefficients, softBits, searchAlignment, refineAlignments, resetAlignments, orientTile } from './detect';
