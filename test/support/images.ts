/** Deterministic synthetic test images (no third-party media). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Photo-like RGBA: smooth colour fields plus fine grain, so texture masking has something to work with. */
export function texturedImage(width: number, height: number, seed = 1, grain = 40): Uint8Array {
  const rnd = lcg(seed);
  const fx = 2 + rnd() * 4;
  const fy = 2 + rnd() * 4;
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const base = 128 + 60 * Math.sin((x / width) * fx * Math.PI) * Math.cos((y / height) * fy * Math.PI);
      const noise = (rnd() - 0.5) * grain;
      const i = (y * width + x) * 4;
      out[i] = base + noise;
      out[i + 1] = base * 0.8 + noise + 20;
      out[i + 2] = 255 - base + noise * 0.5;
      out[i + 3] = 255;
    }
  }
  return out;
}

/** A smooth two-axis colour gradient: no texture at all to hide a mark in. */
export function gradientImage(width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      out.set([40 + (150 * x) / width, 80 + (120 * y) / height, 200 - (100 * x) / width, 255], (y * width + x) * 4);
    }
  }
  return out;
}

/**
 * A text page: white paper with near-black, anti-aliased glyph strokes in lines, like a
 * rendered document. Over 90% of it is pure white, the hardest host for an invisible mark.
 */
export function textPageImage(width: number, height: number, seed = 1): Uint8Array {
  const rnd = lcg(seed);
  const ink = new Float32Array(width * height); // coverage 0..1
  const stroke = (x0: number, y0: number, x1: number, y1: number) => {
    for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
      for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        // Fractional cover of the pixel by the rectangle: the anti-aliased rim.
        const cover = Math.max(0, Math.min(x + 1, x1) - Math.max(x, x0)) * Math.max(0, Math.min(y + 1, y1) - Math.max(y, y0));
        ink[y * width + x] = Math.min(1, ink[y * width + x]! + cover);
      }
    }
  };
  for (let line = 20; line + 14 < height - 16; line += 26) {
    for (let x = 24 + rnd() * 4; x < width - 32; ) {
      const glyphWidth = 6 + rnd() * 5;
      stroke(x, line + rnd() * 4, x + 1.7, line + 14); // stem
      stroke(x, line + 6 + rnd() * 7, x + glyphWidth, line + 7.6 + rnd() * 6); // bar
      if (rnd() < 0.5) stroke(x + glyphWidth - 1.7, line + 5, x + glyphWidth, line + 14);
      x += glyphWidth + 2.5 + (rnd() < 0.18 ? 8 : 0); // letter gap, sometimes a word gap
    }
  }
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = Math.round(255 - (255 - 17) * ink[i]!);
    out.set([v, v, v, 255], i * 4);
  }
  return out;
}
