// Picks the label's colours and style from the pixels it will cover. Luminance uses a squared
// (gamma 2) transfer so the choice is exact integer-friendly arithmetic everywhere.
import type { Box } from './layout.js';

export type LabelStyle = 'plate' | 'outline';
export type TextTone = 'light' | 'dark';

/** WCAG's threshold for normal text. */
const MIN_CONTRAST = 4.5;
/** An outline (halo) alone is enough when at most this share of the covered pixels falls short of MIN_CONTRAST. */
const OUTLINE_MAX_SHORTFALL = 0.02;

function luminance(rgba: Uint8ClampedArray | Uint8Array, i: number): number {
  const r = rgba[i] / 255, g = rgba[i + 1] / 255, b = rgba[i + 2] / 255;
  return 0.2126 * r * r + 0.7152 * g * g + 0.0722 * b * b;
}

export interface ContrastChoice {
  tone: TextTone;
  style: LabelStyle;
}

/** Light or dark text, whichever contrasts with more of the box; a plate unless nearly every pixel already contrasts. */
export function chooseContrast(rgba: Uint8ClampedArray | Uint8Array, width: number, box: Box): ContrastChoice {
  let lightOk = 0;
  let darkOk = 0;
  const n = box.width * box.height;
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      const l = luminance(rgba, (y * width + x) * 4);
      if (1.05 / (l + 0.05) >= MIN_CONTRAST) lightOk++;
      if ((l + 0.05) / 0.05 >= MIN_CONTRAST) darkOk++;
    }
  }
  const tone: TextTone = lightOk >= darkOk ? 'light' : 'dark';
  const shortfall = 1 - Math.max(lightOk, darkOk) / n;
  return { tone, style: shortfall <= OUTLINE_MAX_SHORTFALL ? 'outline' : 'plate' };
}
