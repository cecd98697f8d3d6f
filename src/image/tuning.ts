/**
 * The image mark's tuned constants, in one place so the bench can sweep them.
 * Values come from bench/image runs (see bench/results/image-quality.md).
 */
export const MASK = {
  /** Amplitude (grey levels, tile RMS = 1) where the host has no texture. */
  flat: 0.75,
  /** Added amplitude per grey level of local high-pass RMS: texture hides the mark. */
  gain: 0.3,
  /** Upper bound on the amplitude, so strong edges do not halo. */
  ceiling: 3,
  /** Local high-pass RMS (grey levels) below which a cell counts as partly flat and favours the low band. */
  flatKnee: 1,
};
/** Whatever the mask allows, the mark never takes PSNR below this. */
export const PSNR_FLOOR_DB = 42.5;
/** Added to the local RMS in the detector's whitening, in grey levels. */
export const WHITEN_FLOOR = 1;
/** Alignments the detector decodes (each one is a false-positive chance of 2^-32). */
export const CANDIDATES = 4;
/** Minimum ρ between soft bits and decoded codeword to accept, on top of the check code. */
export const AGREEMENT_GATE = 0.62;
/** Sub-block phases are searched on this grid, then refined to one pixel around the best. */
export const PHASE_STEP = 2;
