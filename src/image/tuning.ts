/**
 * The image mark's tuned constants, in one place so the bench can sweep them.
 * Values come from bench/image runs (see bench/results/image-quality.md).
 */
export const MASK = {
  /** Amplitude (grey levels, tile RMS = 1) where the host has no texture. */
  flat: 0.85,
  /** Added amplitude per grey level of local high-pass RMS: texture hides the mark. */
  gain: 0.3,
  /** Upper bound on the amplitude, so strong edges do not halo. */
  ceiling: 3,
  /** Local high-pass RMS (grey levels) below which a cell counts as partly smooth and favours the low band. */
  flatKnee: 1,
  /** Amplitude multiplier at pure black or white: clipping keeps only half of each chip there, so give it more. */
  headroomFloor: 1.5,
};
/**
 * Whatever the mask allows, the mark never takes PSNR below `psnrFloorDb`. An image of
 * fewer than `fullTiles` tiles folds fewer copies, so it may spend 10·log10(fullTiles/tiles)
 * dB more, down to `smallImageFloorDb`: the detector's SNR then matches a larger image's.
 */
export const STRENGTH_CAP = { psnrFloorDb: 48.5, fullTiles: 64, smallImageFloorDb: 47 };
/**
 * The detector's pre-whitening. First the host: subtract the mean of the (2·`hostRadius`+1)²
 * window (every `hostStep` px), each neighbour weighted by max(0, 1 − |Δ|/`hostTau`) on its
 * grey-level difference from the centre, so glyph and panel edges leave no leak (radius 6 and
 * step 2 were tried: no better, or worse on photos; hostTau 8 or 10 lost more photos under JPEG and
 * brightness than it won on UI). The lattice estimate reads a plane whose host removal uses
 * `syncHostRadius`/`syncHostStep` (0: none; radius 8, step 2 found fewer lattices, 46 vs 48 of
 * 72 hard geometry trials). Then subtract a box mean (radius `small` near structure, `large`
 * where the large box leaves under `smoothKnee` grey levels RMS more residual than the small
 * one), then divide by the small box's residual RMS, blurred over `weightBlur` cells, + `floor`,
 * and clip each pixel's reading at ±`clip` before folding.
 */
export const WHITEN = { hostRadius: 4, hostStep: 1, hostTau: 14, syncHostRadius: 0, syncHostStep: 1, small: 2, large: 6, smoothKnee: 8, floor: 1, weightBlur: 1, clip: 1.5 };
/** Alignments the detector decodes (each one is a false-positive chance of 2^-32). */
export const CANDIDATES = 4;
/** Minimum ρ between soft bits and decoded codeword to accept, on top of the check code. */
export const AGREEMENT_GATE = 0.62;
/**
 * Sub-block phases searched on a fixed grid of this step (8: the origin only), besides the
 * phases where the block coefficients hold the most energy; the best are refined to one pixel.
 */
export const PHASE_STEP = 8;
/** Coded bits whose chips rank alignments in the coarse search (all 306 rescore the best few). */
export const SCORE_BITS = 102;
/** Alignments kept from the coarse search and rescored with every chip, before the best CANDIDATES are decoded. */
export const SEARCH_KEEP = 24;
/** The lattice search behind scale and rotation sync. */
export const GEOMETRY = {
  /** Tile spacings searched, as multiples of 128 px. */
  minScale: 0.45,
  maxScale: 2.1,
  /** Strongest autocorrelation peaks tried as the lattice's first axis. */
  peaksTried: 24,
  /** Peaks below this many standard deviations over their ring's mean are not tried as an axis. */
  minPeak: 3,
  /** A lattice's summed z-score over all its points, / √count, must reach this. */
  minStrength: 4,
  /** Clip of the weighted whitened pixels before the autocorrelation (the fold clips at WHITEN.clip): ±3 read 2 more lattices than ±1.5 in 60 and in 120 hard geometry trials. */
  clip: 3,
  /** Readings resampled and searched (each adds CANDIDATES decodes to the false-positive count). */
  hypotheses: 2,
};
/**
 * The working-size layer: the same mark computed on the image resized to a long side of
 * `longSide` px, then upsampled and added at `gain`, so it sits at a fixed fraction of the
 * image instead of at a fixed pixel pitch and outlives a platform's downscale. Only images
 * whose long side reaches `minImageLongSide` carry it (below that the two tile lattices would
 * sit too close in scale). There the native tile's amplitude is cut to what folds as much
 * energy as `tileFoldTiles` tiles at full amplitude: a large image folds many copies, and the
 * working-size layer now covers what only the tile's strength bought (codecs at full size).
 */
export const WORKING = {
  longSide: 512,
  minImageLongSide: 768,
  /**
   * Gains tried in turn (see workingLayer): the first is every smooth photo's. The steps between
   * keep an image just over the error budget at 0.5 from jumping to twice the amplitude.
   */
  gains: [0.5, 0.6, 0.7, 0.85, 1],
  /** Coded-bit errors (of 306) the layer may show, read back before any attack, at the gain chosen. */
  cleanBitErrors: 40,
  tileFoldTiles: 32,
  /** PSNR floor of the layer at the working size, before the gain: busy images need the mask's full amplitude to stand out of their texture there. */
  psnrFloorDb: 44,
  /** Suspects whose long side is under this are not read for it (its chips cannot survive). */
  minSuspectLongSide: 192,
  /** Blind alignments decoded at the working size, besides its origin, and after undoing a lattice reading. */
  candidates: 3,
  geometryCandidates: 1,
  hypotheses: 1,
  /** Lattice readings undone and ranked by their strongest blind alignment before the best `hypotheses` are decoded. */
  rankedReadings: 4,
  /**
   * The lattice the layer can show after a crop and a turn (a 90% crop: ×1.11; a 50%-area crop: ×1.41),
   * with every scale also scanned at turns up to ±3°: a turn with a crop is off both lines of likely edits.
   */
  lattice: { minScale: 0.9, maxScale: 1.6, lagShare: 0.8, scanAngle: (3 * Math.PI) / 180 },
  /**
   * The layer's blue–yellow part: B moves by `gain` times the layer's ΔY (R and G so that luma
   * does not), eased off within `headroom` levels of B = 0 and 255. JPEG and WebP keep chroma at
   * half resolution, but the layer's chips are many pixels wide, and butteraugli charges far less
   * for this axis than for luma. The detector reads the layer off `detectWeights` · (R, G, B):
   * half luma, half B, so a mark with no blue–yellow part reads there just as well as off luma.
   * Suspects under `minSuspectLongSide` are read off luma: a 4:2:0 codec keeps their chroma under
   * 192 px, where the layer's chips are under 3 px and gone, and B only adds the host's noise.
   */
  chroma: { gain: 4, headroom: 48, detectWeights: [0.1495, 0.2935, 0.557] as const, minSuspectLongSide: 384 },
};
