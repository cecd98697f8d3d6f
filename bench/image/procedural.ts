// Procedural photo-like content (seeded): fractal landscapes, plasma, blurred shapes with film grain.
import { gaussian, prng } from '../lib/stats.ts';
import { fromSharp, newRaster, sharpOf, type Raster } from './raster.ts';

function hash2(x: number, y: number, seed: number): number {
  let h = Math.imul(x, 374761393) + Math.imul(y, 668265263) + Math.imul(seed, 982451653);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function valueNoise(x: number, y: number, seed: number): number {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const fx = x - xi;
  const fy = y - yi;
  const u = fx * fx * (3 - 2 * fx);
  const v = fy * fy * (3 - 2 * fy);
  const a = hash2(xi, yi, seed);
  const b = hash2(xi + 1, yi, seed);
  const c = hash2(xi, yi + 1, seed);
  const d = hash2(xi + 1, yi + 1, seed);
  return a + (b - a) * u + (c - a) * v + (a - b - c + d) * u * v;
}

export function fbm(x: number, y: number, seed: number, octaves: number, gain = 0.5): number {
  let s = 0;
  let amp = 0.5;
  let f = 1;
  for (let o = 0; o < octaves; o++) {
    s += amp * valueNoise(x * f, y * f, seed + o * 31);
    f *= 2.03;
    amp *= gain;
  }
  return s;
}

const mix = (a: number, b: number, t: number) => a + (b - a) * t;

function grain(r: Raster, sigma: number, seed: number): Raster {
  const g = gaussian(prng(seed));
  const d = r.data;
  for (let i = 0; i < d.length; i += 4) {
    const n = sigma * g(); // luminance grain, like film
    d[i] = d[i]! + n;
    d[i + 1] = d[i + 1]! + n;
    d[i + 2] = d[i + 2]! + n;
  }
  return r;
}

/** Sky, three mountain ridges with aerial perspective, textured meadow, film grain. */
export function landscape(width: number, height: number, seed: number): Raster {
  const r = newRaster(width, height);
  const d = r.data;
  const k = 1 / Math.max(width, height);
  const ridges = [0.38, 0.5, 0.62].map((base, j) => ({
    base,
    amp: 0.22 - j * 0.05,
    col: [
      [120, 140, 175],
      [80, 105, 120],
      [55, 85, 60],
    ][j]!,
    seed: seed + 100 * j,
  }));
  for (let x = 0; x < width; x++) {
    const ridgeY = ridges.map((rg) => (rg.base - rg.amp * (fbm(x * k * 6, 0.5, rg.seed, 6) - 0.3)) * height);
    for (let y = 0; y < height; y++) {
      const ty = y / height;
      let R = mix(70, 200, ty * 1.6);
      let G = mix(120, 215, ty * 1.6);
      let B = mix(200, 235, ty * 1.2);
      const cloud = fbm(x * k * 4, y * k * 10, seed + 7, 5);
      if (ty < 0.45 && cloud > 0.55) {
        const c = Math.min(1, (cloud - 0.55) * 4) * (1 - ty * 1.5);
        R = mix(R, 250, c);
        G = mix(G, 250, c);
        B = mix(B, 252, c);
      }
      for (let j = 0; j < ridges.length; j++) {
        if (y >= ridgeY[j]!) {
          const rg = ridges[j]!;
          const tex = fbm(x * k * 40, y * k * 40, rg.seed + 3, 6);
          const shade = 0.65 + 0.7 * tex;
          R = rg.col[0]! * shade;
          G = rg.col[1]! * shade;
          B = rg.col[2]! * shade;
        }
      }
      if (ty > 0.78) {
        const tex = fbm(x * k * 160, y * k * 60, seed + 11, 4);
        R = mix(R, 90 * (0.6 + tex), 0.7);
        G = mix(G, 130 * (0.6 + tex), 0.7);
        B = mix(B, 50 * (0.6 + tex), 0.7);
      }
      const i = (y * width + x) * 4;
      d[i] = R;
      d[i + 1] = G;
      d[i + 2] = B;
    }
  }
  return grain(r, 3, seed + 99);
}

/** Classic plasma: sums of sines warped by fractal noise, mapped through a palette. */
export function plasma(width: number, height: number, seed: number): Raster {
  const r = newRaster(width, height);
  const d = r.data;
  const k = 1 / Math.max(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const n = fbm(x * k * 5, y * k * 5, seed, 6);
      const v = Math.sin(x * k * 9 + n * 6) + Math.sin(y * k * 7 - n * 4) + Math.sin((x + y) * k * 5 + n * 3);
      const i = (y * width + x) * 4;
      d[i] = 128 + 110 * Math.sin(v * 1.1);
      d[i + 1] = 128 + 110 * Math.sin(v * 1.1 + 2.1);
      d[i + 2] = 128 + 110 * Math.sin(v * 1.1 + 4.2);
    }
  }
  return grain(r, 2, seed + 5);
}

/** Random soft shapes blurred like an out-of-focus photo, plus film grain. */
export async function blurredShapes(width: number, height: number, seed: number): Promise<Raster> {
  const rand = prng(seed);
  const r = newRaster(width, height);
  const d = r.data;
  const bg = [rand() * 255, rand() * 255, rand() * 255];
  for (let i = 0; i < d.length; i += 4) [d[i], d[i + 1], d[i + 2]] = bg as [number, number, number];
  for (let s = 0; s < 40; s++) {
    const cx = rand() * width;
    const cy = rand() * height;
    const rad = (0.03 + rand() * 0.2) * Math.min(width, height);
    const col = [rand() * 255, rand() * 255, rand() * 255];
    const y0 = Math.max(0, Math.floor(cy - rad));
    const y1 = Math.min(height, Math.ceil(cy + rad));
    const x0 = Math.max(0, Math.floor(cx - rad));
    const x1 = Math.min(width, Math.ceil(cx + rad));
    const square = rand() < 0.4;
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) {
        if (!square && (x - cx) ** 2 + (y - cy) ** 2 > rad * rad) continue;
        const i = (y * width + x) * 4;
        d[i] = col[0]!;
        d[i + 1] = col[1]!;
        d[i + 2] = col[2]!;
      }
  }
  const blurred = await fromSharp(sharpOf(r).blur(Math.max(2, Math.min(width, height) / 60)));
  return grain(blurred, 4, seed + 1);
}
