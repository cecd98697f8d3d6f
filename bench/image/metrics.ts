// Image quality metrics: PSNR (RGB), SSIM on BT.601 luma (our own, Wang et al. 2004 constants,
// 11×11 Gaussian σ = 1.5), and butteraugli via Debian's `butteraugli_main` (libjxl-devtools).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveTool, runTool } from '../lib/proc.ts';
import { luma, toPng, type Raster } from './raster.ts';

export function psnr(a: Raster, b: Raster): number {
  let se = 0;
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      const d = a.data[i + c]! - b.data[i + c]!;
      se += d * d;
    }
    n += 3;
  }
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255 * n) / se);
}

function gaussKernel(sigma: number, radius: number): Float32Array {
  const k = new Float32Array(2 * radius + 1);
  let s = 0;
  for (let i = -radius; i <= radius; i++) s += k[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= s;
  return k;
}

/** Separable 'valid' Gaussian filter: output is (w-2r)×(h-2r). */
function filterValid(src: Float32Array, w: number, h: number, k: Float32Array): Float32Array {
  const r = (k.length - 1) / 2;
  const ow = w - 2 * r;
  const oh = h - 2 * r;
  const tmp = new Float32Array(ow * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      const base = y * w + x;
      for (let j = 0; j < k.length; j++) s += k[j]! * src[base + j]!;
      tmp[y * ow + x] = s;
    }
  const out = new Float32Array(ow * oh);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let j = 0; j < k.length; j++) s += k[j]! * tmp[(y + j) * ow + x]!;
      out[y * ow + x] = s;
    }
  return out;
}

export function ssimLuma(a: Raster, b: Raster): number {
  const w = a.width;
  const h = a.height;
  if (w < 11 || h < 11) return NaN;
  const x = luma(a);
  const y = luma(b);
  const n = w * h;
  const xx = new Float32Array(n);
  const yy = new Float32Array(n);
  const xy = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i]! * x[i]!;
    yy[i] = y[i]! * y[i]!;
    xy[i] = x[i]! * y[i]!;
  }
  const k = gaussKernel(1.5, 5);
  const [mx, my, sxx, syy, sxy] = [x, y, xx, yy, xy].map((p) => filterValid(p, w, h, k)) as Float32Array[];
  const C1 = (0.01 * 255) ** 2;
  const C2 = (0.03 * 255) ** 2;
  let s = 0;
  for (let i = 0; i < mx!.length; i++) {
    const ux = mx![i]!;
    const uy = my![i]!;
    const vx = sxx![i]! - ux * ux;
    const vy = syy![i]! - uy * uy;
    const cxy = sxy![i]! - ux * uy;
    s += ((2 * ux * uy + C1) * (2 * cxy + C2)) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
  }
  return s / mx!.length;
}

export interface Butteraugli {
  max: number;
  pnorm3: number;
}

export const haveButteraugli = () => haveTool('butteraugli_main');

/** Runs butteraugli_main on PNGs of both rasters (alpha dropped by flattening onto the image as is). */
export async function butteraugli(ref: Raster, dist: Raster): Promise<Butteraugli | null> {
  if (!haveButteraugli()) return null;
  const dir = mkdtempSync(join(tmpdir(), 'aigc-ba-'));
  try {
    const a = join(dir, 'ref.png');
    const b = join(dir, 'dist.png');
    writeFileSync(a, await toPng(opaque(ref)));
    writeFileSync(b, await toPng(opaque(dist)));
    const { stdout } = await runTool('butteraugli_main', [a, b, '--pnorm', '3'], undefined, 900_000);
    const text = stdout.toString();
    const max = parseFloat(text.trim().split(/\s+/)[0]!);
    const m = /3-norm:\s*([\d.eE+-]+)/.exec(text);
    return { max, pnorm3: m ? parseFloat(m[1]!) : NaN };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** butteraugli compares colour only; force alpha to 255 so both files decode the same way. */
function opaque(r: Raster): Raster {
  const d = new Uint8ClampedArray(r.data);
  for (let i = 3; i < d.length; i += 4) d[i] = 255;
  return { data: d, width: r.width, height: r.height };
}

/**
 * The flattest size×size window (lowest summed 16×16-block luma variance). Windows whose mean luma
 * is clipped (< 8 or > 247) are taken only when there is nothing else: the mark cannot show there.
 */
export function flattestRegion(r: Raster, size = 256): { left: number; top: number } {
  const y = luma(r);
  const W = r.width;
  const bs = 16;
  const bw = Math.floor(r.width / bs);
  const bh = Math.floor(r.height / bs);
  const v = new Float32Array(bw * bh);
  const mean = new Float32Array(bw * bh);
  for (let by = 0; by < bh; by++)
    for (let bx = 0; bx < bw; bx++) {
      let s = 0;
      let s2 = 0;
      for (let j = 0; j < bs; j++)
        for (let i = 0; i < bs; i++) {
          const p = y[(by * bs + j) * W + bx * bs + i]!;
          s += p;
          s2 += p * p;
        }
      const m = s / (bs * bs);
      v[by * bw + bx] = s2 / (bs * bs) - m * m;
      mean[by * bw + bx] = m;
    }
  const nb = Math.min(Math.floor(size / bs), bw, bh);
  let best = Infinity;
  let at = { left: 0, top: 0 };
  for (let by = 0; by + nb <= bh; by++)
    for (let bx = 0; bx + nb <= bw; bx++) {
      let s = 0;
      let m = 0;
      for (let j = 0; j < nb; j++)
        for (let i = 0; i < nb; i++) {
          s += v[(by + j) * bw + bx + i]!;
          m += mean[(by + j) * bw + bx + i]!;
        }
      m /= nb * nb;
      if (m < 8 || m > 247) s += 1e12; // clipped: last resort only
      if (s < best) {
        best = s;
        at = { left: bx * bs, top: by * bs };
      }
    }
  return at;
}
