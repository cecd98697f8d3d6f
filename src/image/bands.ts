/**
 * V8 first runs a WASM function in its baseline tier and compiles the optimised code in the
 * background once the function has run a while; a call already under way keeps the baseline
 * code. A pass over a whole large image is therefore run as several calls, each over a band of
 * rows: the first bands pay for the baseline code, every later one runs optimised. (Run once
 * per process, as a one-shot mark does, a single whole-image call never gets the optimised code.)
 */
export const BAND_ROWS = 64;

/** Calls `band(first, end)` over rows [first, end) of `rows`, BAND_ROWS at a time, in order. */
export function forEachBand(rows: number, band: (first: number, end: number) => void): void {
  for (let first = 0; first < rows; first += BAND_ROWS) band(first, Math.min(rows, first + BAND_ROWS));
}
