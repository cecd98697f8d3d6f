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
