// Image watermark kernels.
export { rgbaToLuma, rgbaToPlane, isGray } from './luma';
export { buildSlotMap } from './layout';
export { buildTilePattern, perceptualMask, applyMark, applyMarkOver, applyMarkRows, markEnergy } from './embed';
export { resampleRows, resampleColumns, axisTapCount, axisTaps } from './resample';
export { markDelta, addScaledPlane, scalePlane } from './working';
export { rangeResidual } from './host';
export { whiten, foldTiles, blockCoefficients, softBits, searchAlignment, refineAlignments, resetAlignments, orientCoefficients } from './detect';
export { addPowerSpectra, flattenedAutocorrelation, warpLuma } from './sync';
