/**
 * Geometry of the audio watermark (docs/audio.md explains each choice).
 * FRAME, BAND_LO and BAND_BINS come from src/wasm/layout.ts, which the core compiles too.
 */
import { AUDIO_ANALYSIS_BINS, CODED_BITS } from '../wasm/boundary.js';
import { AUDIO_BAND_BINS, AUDIO_BAND_LO, AUDIO_FRAME } from '../wasm/layout.js';

/** The one internal rate: the mark lives in 0.86-4.3 kHz, so 11025 Hz holds it with room to spare. */
export const INTERNAL_RATE = 11025;
export const FRAME = AUDIO_FRAME;
export const BAND_LO = AUDIO_BAND_LO;
export const BAND_BINS = AUDIO_BAND_BINS;
export const ANALYSIS_BINS = AUDIO_ANALYSIS_BINS;
/** Frames per block: 96 x 23.2 ms = 2.23 s, so any 2.3 s window holds every chip of the block once. */
export const BLOCK_FRAMES = 96;
export const CELLS = BLOCK_FRAMES * BAND_BINS;
/** Coded bits of the 96-bit payload (K=7, rate 1/3, zero tail). */
export { CODED_BITS };
/** Chips of the keyed sync pattern per block (the rest carry coded bits). */
export const SYNC_CHIPS = 1536;
/** Resampling low-pass: the band tops out at 4.26 kHz. */
export const RESAMPLE_CUTOFF_HZ = 5500;

/** Log-magnitude step of a chip in a bin at its frame's mean band power (natural-log units; 0.1 = +-10.5%). */
export const DEFAULT_STEP = 0.1;
/**
 * Weaker bins take a larger step, step * (mean / power)^STEP_TILT, up to MAX_STEP:
 * they sit under their strong neighbours' masking and cost little energy. Measured
 * on espeak speech at equal SNR, tilt 0.5 raised the sync correlation 2.5x over a flat step.
 */
export const STEP_TILT = 0.5;
export const MAX_STEP = 0.6;
/**
 * How the step varies from frame to frame (embedding.StepShape): frame f's step is
 * multiplied by (reference energy / its energy)^frameTilt, kept between frameFloor and
 * frameCap, the reference being the refQuantile quantile of the clip's 23 ms frame
 * energies. SNR is counted over the whole clip and dominated by its loud frames, so the
 * same budget buys more chips in the quieter ones.
 * Speech: up to 3x in the quiet syllables, loud frames (the 90th percentile and up) at 1x.
 * Measured at equal SNR (30.5 dB): soft-bit SNR +12-20% on speech after MP3 32k and in
 * 5 s excerpts.
 * Music: a gentler slope around the median frame, from 1/1.5x in the loudest frames to
 * 1.5x in the quietest. Measured on the real-recording tuning split at 35.5 dB (9 music
 * clips after the 64 kbit/s codecs with 5 s and 10 s excerpts): soft-bit SNR +7% on
 * average, the masking check's total NMR up 0.2-2 dB. Slope 0.5 or bounds of 2x gained
 * no more; boosts only (the speech shape, slope 0.5) lost on percussion, whose quiet
 * frames are noise-like tails. Steering by the frame's band power (an extra analysis
 * pass) gained +11% but raised the NMR 1.5-5 dB.
 */
export interface FrameShape {
  frameTilt: number;
  frameCap: number;
  frameFloor: number;
  refQuantile: number;
}
export const SPEECH_FRAMES: FrameShape = { frameTilt: 0.5, frameCap: 3, frameFloor: 1, refQuantile: 0.9 };
export const MUSIC_FRAMES: FrameShape = { frameTilt: 0.25, frameCap: 1.5, frameFloor: 1 / 1.5, refQuantile: 0.5 };

/**
 * The SNR the mark may cost at strength 1: audiowmark's defaults measured here are
 * 28.7 dB on speech and 35 dB on music; we aim 2 dB and 0.5 dB cleaner. Strength s
 * lowers the target by 20 log10(s) dB.
 */
export const TARGET_SNR_SPEECH = 30.5;
export const TARGET_SNR_MUSIC = 35.5;
/**
 * How far the delta may be scaled to meet the target. The cap bounds the step on content
 * with little in the band (pure low tones), which would otherwise take steps far beyond
 * DEFAULT_STEP to reach the budget. 3.5x: a stereo change steered by the mix
 * (audioEmbedDeltaStereo) has up to half the energy of per-channel changes at the same
 * steps, so at 2.5x wide-stereo recordings stopped short of the budget (a real ambient
 * track at 37.5 dB).
 */
export const MIN_SCALE = 0.25;
export const MAX_SCALE = 3.5;
/**
 * Speech heuristic thresholds (embedding.looksLikeSpeech): at least this share of
 * 23 ms frames 25 dB or more under the loud level (pauses), entered at least this
 * often per second (gaps between words, not one silent stretch).
 */
export const SPEECH_PAUSES = 0.1;
export const SPEECH_PAUSE_RUNS_PER_SECOND = 0.5;

export const MIN_RATE = 8000;
export const MAX_RATE = 192000;
export const MAX_CHANNELS = 8;
/** Shortest clip we embed into or detect in: one whole block plus slack for the offset search. */
export const MIN_SECONDS = 2.5;

/** Offset search step at the internal rate (8 samples = 0.73 ms = 1/32 frame). */
export const OFFSET_STEP = 8;
/**
 * Check-code tests per file, all searches together: the false-positive bound is
 * MAX_CANDIDATES x 2^-32 (docs/audio.md). The plain search decodes up to
 * MAX_CANDIDATES - 1 candidates; the warp search, run only when those fail, one.
 */
export const MAX_CANDIDATES = 4;
/**
 * Warp search (speed, tempo and pitch; docs/audio.md, detection step 8): coarse steps of
 * 0.2% up to +-2% on the middle 5 s, grid offsets a quarter frame apart; then half a
 * coarse step either side of each warp's best on the middle 15 s (offsets 1/8 frame
 * apart); then 0.025% steps (+-0.05%) around the best (1/16 frame); then half that
 * either side over the middle 30 s (OFFSET_STEP, 1/32 frame).
 */
export const WARP_COARSE_STEP = 0.002;
export const WARP_COARSE_STEPS = 10;
export const WARP_COARSE_SECONDS = 5;
export const WARP_COARSE_OFFSET_STEP = 64;
export const WARP_FINE_STEP = 0.00025;
export const WARP_FINE_STEPS = 2;
export const WARP_FINE_SECONDS = 15;
export const WARP_WHOLE_SECONDS = 30;
/** Clips shorter than this skip the warp search. */
export const WARP_MIN_SECONDS = 4;
/** Soft agreement a decoded codeword must reach (docs/audio.md: false-positive bound). */
export const AGREEMENT_GATE = 0.65;
/** Whitened log2-power residuals are clipped to this, so one transient cannot outvote a block. */
export const RESIDUAL_CLIP = 2;
/** The whitening floor: 20 dB under each frame's mean band power... */
export const FLOOR_RATIO = 1e-2;
/** ...and never under this band power (about the 16-bit noise floor of a Hann frame). */
export const ABS_FLOOR = 1e-8;
/** Frames are weighted by 1 / residual variance (maximum-ratio combining), capped here. */
export const MIN_VARIANCE = 0.2;
/**
 * Frames near the clip's quiet floor carry little or no mark (the mark scales with the
 * signal; digital silence carries none, and dither or codec noise there is pure
 * interference). Each frame's weight is also multiplied by (m / (m + n))^QUIET_POWER,
 * m its mean band power, n = QUIET_KAPPA x the QUIET_QUANTILE quantile of the frames' m.
 */
export const QUIET_QUANTILE = 0.1;
export const QUIET_KAPPA = 3;
export const QUIET_POWER = 2;
/**
 * Cell reliability weighting (docs/audio.md, detection step 4): the noise power of a
 * band cell is CELL_NOISE_KAPPA x the CELL_NOISE_QUANTILE quantile of all band cells,
 * its host power the mean power of frames f-CELL_RADIUS..f+CELL_RADIUS minus that,
 * and its weight host / (host + noise).
 */
export const CELL_NOISE_QUANTILE = 0.1;
export const CELL_NOISE_KAPPA = 10;
export const CELL_RADIUS = 3;
/** Peak ceiling after embedding (one 16-bit step under full scale). */
export const CEILING = 32767 / 32768;
