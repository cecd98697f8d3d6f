/**
 * Calibrated confidence for a decode: the chance that content carrying no mark reaches a
 * given agreement ρ (soft bits vs. the re-encoded Viterbi output, see channel-code.ts).
 *
 * The null tail comes from decoding i.i.d. Gaussian soft bits (20,000 draws): ρ has mean
 * 0.5626 and sd 0.0111, and P(ρ ≥ r) falls by a decade every 0.0102–0.0137 above r = 0.5769
 * (where it is 0.1). The model takes the slowest of those decades, so it overstates the
 * chance further out. Whitened unmarked images score lower (mean 0.553, max 0.597 over
 * 1,116 probes), and heavier-tailed soft bits lower still, so the Gaussian null is the
 * conservative one. test/payload/false-positive.test.ts re-draws it.
 */
const TAIL_START = 0.5769; // ρ where the null exceedance is 0.1
const RHO_PER_DECADE = 0.0137;
const MEAN = 0.5626;
const SD = 0.0111;

/** P(ρ ≥ rho) for one decode of unmarked content. */
export function agreementTail(rho: number): number {
  if (!(rho > MEAN)) return 1;
  if (rho < TAIL_START) return Math.max(0.1, 0.5 * erfc((rho - MEAN) / (SD * Math.SQRT2)));
  return 10 ** (-1 - (rho - TAIL_START) / RHO_PER_DECADE);
}

/**
 * The chance that an unmarked file gives a result at least this strong, over every
 * alignment the detector decoded: with a payload found, it must also pass the 32-bit
 * check code (2^-32 per decode); without one, it is how unusual the best ρ is.
 */
export function falsePositiveChance(rho: number, decodes: number, found: boolean): number {
  const perDecode = agreementTail(rho) * (found ? 2 ** -32 : 1);
  return Math.min(1, Math.max(1, decodes) * perDecode);
}

/** Complementary error function (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
function erfc(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const value = poly * Math.exp(-x * x);
  return x >= 0 ? value : 2 - value;
}
