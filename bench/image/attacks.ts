// The attack suites T0–T3 (docs/architecture.md) plus the crop and rotation sweeps.
// Every attack is deterministic: random choices come from a PRNG seeded by image id + attack id.
import type { KernelEnum } from 'sharp';
import { gaussian, prng } from '../lib/stats.ts';
import { runTool } from '../lib/proc.ts';
import { crop, decode, fromSharp, mapRgb, sharpOf, toPpm, type Raster } from './raster.ts';

export type Suite = 'T0' | 'T1' | 'T2' | 'T3' | 'SWEEP';

export interface Attack {
  id: string;
  suite: Suite;
  /** How it was made, for the report. */
  how: string;
  /** Sweep coordinates for the crop, tile and rotation plots. */
  cropArea?: number; // fraction of the area kept
  cropSide?: number; // square crop side in px
  rotation?: number; // degrees
  /** Skip images this attack makes no sense for (returns a reason). */
  skip?: (r: Raster) => string | null;
  apply: (r: Raster, rand: () => number) => Promise<Raster>;
}

// ---------- building blocks ----------
export async function jpegSharp(r: Raster, quality: number, sub: '4:2:0' | '4:4:4' = '4:2:0'): Promise<Raster> {
  const bytes = await sharpOf(r).removeAlpha().jpeg({ quality, chromaSubsampling: sub }).toBuffer();
  return decode(bytes);
}

/** ImageMagick (Debian libjpeg-turbo) JPEG with 4:2:0 chroma; decoded with sharp. */
export async function jpegMagick(r: Raster, quality: number): Promise<Raster> {
  const { stdout } = await runTool('convert', ['-limit', 'thread', '1', 'ppm:-', '-quality', String(quality), '-sampling-factor', '2x2,1x1,1x1', 'jpg:-'], toPpm(r));
  return decode(stdout);
}

/** libjpeg's own cjpeg/djpeg round trip (4:2:0 is cjpeg's default sampling). */
export async function jpegCjpeg(r: Raster, quality: number): Promise<Raster> {
  const { stdout: jpg } = await runTool('cjpeg', ['-quality', String(quality), '-sample', '2x2'], toPpm(r));
  const { stdout: ppm } = await runTool('djpeg', ['-pnm'], jpg);
  return decode(ppm);
}

export async function webp(r: Raster, quality: number): Promise<Raster> {
  return decode(await sharpOf(r).webp({ quality }).toBuffer());
}

export async function resize(r: Raster, width: number, height: number, kernel: keyof KernelEnum = 'lanczos3'): Promise<Raster> {
  return fromSharp(sharpOf(r).resize(Math.max(1, Math.round(width)), Math.max(1, Math.round(height)), { fit: 'fill', kernel }));
}

export const scale = (r: Raster, s: number, kernel: keyof KernelEnum = 'lanczos3') =>
  resize(r, r.width * s, r.height * s, kernel);

/** Rotate about the centre, keep the original frame; uncovered corners are mid grey. */
export async function rotate(r: Raster, degrees: number): Promise<Raster> {
  const rot = await fromSharp(sharpOf(r).rotate(degrees, { background: { r: 128, g: 128, b: 128, alpha: 1 } }));
  return crop(rot, (rot.width - r.width) / 2, (rot.height - r.height) / 2, r.width, r.height);
}

/** A random crop keeping `area` of the image with the original aspect, at a random offset. */
export function randomCrop(r: Raster, area: number, rand: () => number): Raster {
  const s = Math.sqrt(area);
  const w = Math.max(1, Math.round(r.width * s));
  const h = Math.max(1, Math.round(r.height * s));
  return crop(r, Math.floor(rand() * (r.width - w + 1)), Math.floor(rand() * (r.height - h + 1)), w, h);
}

export function squareCrop(r: Raster, side: number, rand: () => number): Raster {
  return crop(r, Math.floor(rand() * (r.width - side + 1)), Math.floor(rand() * (r.height - side + 1)), side, side);
}

function meanLuma(r: Raster): number {
  let s = 0;
  const d = r.data;
  for (let i = 0; i < d.length; i += 4) s += 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
  return s / (r.width * r.height);
}

/** PIL ImageEnhance.Color semantics: blend each pixel with its own luma. */
function saturation(r: Raster, f: number): Raster {
  const d = r.data;
  return mapRgb(r, (v, _c, i) => {
    const y = 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
    return y + (v - y) * f;
  });
}

function grayscale(r: Raster): Raster {
  const d = r.data;
  return mapRgb(r, (_v, _c, i) => 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!);
}

function addNoise(r: Raster, sigma: number, rand: () => number): Raster {
  const g = gaussian(rand);
  return mapRgb(r, (v) => v + sigma * g());
}

/** Places `r` on a bigger canvas at (left, top): content shifts, size grows. */
async function pad(r: Raster, left: number, top: number, right: number, bottom: number, grey = 255): Promise<Raster> {
  return fromSharp(sharpOf(r).extend({ left, top, right, bottom, background: { r: grey, g: grey, b: grey, alpha: 1 } }));
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A caption/logo overlay covering `area` of the image, as a semi-opaque banner plus a round logo. */
async function overlay(r: Raster, area: number, rand: () => number): Promise<Raster> {
  const w = Math.round(r.width * Math.min(1, Math.sqrt(area) * 1.6));
  const h = Math.max(8, Math.round((area * r.width * r.height) / w));
  const left = Math.floor(rand() * (r.width - w + 1));
  const top = Math.floor(rand() * (r.height - h + 1));
  const fs = Math.max(8, Math.round(h * 0.28));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
  <rect width="${w}" height="${h}" fill="rgb(20,24,32)" fill-opacity="0.78"/>
  <circle cx="${h / 2}" cy="${h / 2}" r="${h * 0.38}" fill="#e63946"/>
  <text x="${h / 2}" y="${h / 2 + fs * 0.35}" font-family="DejaVu Sans" font-weight="bold" font-size="${fs}" text-anchor="middle" fill="white">AI</text>
  <text x="${h * 1.05}" y="${h * 0.45}" font-family="DejaVu Sans" font-size="${fs}" fill="white">${esc('@creator · 2026')}</text>
  <text x="${h * 1.05}" y="${h * 0.8}" font-family="Noto Sans CJK SC" font-size="${Math.round(fs * 0.8)}" fill="#ddd">人工智能生成 · 仅供参考</text>
</svg>`;
  return fromSharp(sharpOf(r).composite([{ input: Buffer.from(svg), left, top }]));
}

/** Screenshot of the image shown in a window: scaled, framed by UI chrome at an odd offset. */
async function screenshotInWindow(r: Raster, s: number): Promise<Raster> {
  const scaled = await scale(r, s, 'linear');
  const withChrome = await pad(scaled, 23, 61, 31, 19, 236);
  const bar = `<svg xmlns="http://www.w3.org/2000/svg" width="${withChrome.width}" height="52"><rect width="100%" height="52" fill="#d9dce1"/><circle cx="20" cy="26" r="7" fill="#ff5f57"/><circle cx="42" cy="26" r="7" fill="#febc2e"/><circle cx="64" cy="26" r="7" fill="#28c840"/><rect x="100" y="12" width="${Math.max(10, withChrome.width - 200)}" height="28" rx="6" fill="white"/><text x="112" y="31" font-family="DejaVu Sans" font-size="14" fill="#555">https://example.com/gallery/image.png</text></svg>`;
  return fromSharp(sharpOf(withChrome).composite([{ input: Buffer.from(bar), left: 0, top: 0 }]));
}

/** Crops that leave less than one 128-px tile cannot carry the payload by design: skipped, not failed. */
const cropBelowTile = (area: number) => (r: Raster) =>
  Math.min(r.width, r.height) * Math.sqrt(area) < 128 ? `a ${Math.round(area * 100)}% crop is under one tile` : null;
const isSquare = (r: Raster) => (r.width === r.height ? 'image is already square' : null);
const tooSmall = (side: number) => (r: Raster) => (r.width < side || r.height < side ? `smaller than ${side}px` : null);

// ---------- the suites ----------
export const ATTACKS: Attack[] = [
  // T0 sanity: the marked image itself, through a lossless PNG file round trip.
  { id: 'png-roundtrip', suite: 'T0', how: 'encode the marked RGBA as PNG with sharp, decode, detect', apply: async (r) => decode(await sharpOf(r).png().toBuffer()) },

  // T1 codecs and colour
  ...[90, 75, 50].map<Attack>((q) => ({ id: `jpeg${q}-sharp`, suite: 'T1', how: `sharp (libvips/mozjpeg build) JPEG q${q}, 4:2:0`, apply: (r) => jpegSharp(r, q) })),
  ...[90, 75, 50].map<Attack>((q) => ({ id: `jpeg${q}-magick`, suite: 'T1', how: `ImageMagick 6 (Debian libjpeg-turbo) JPEG q${q}, -sampling-factor 2x2 (4:2:0), IM's default IFAST integer DCT`, apply: (r) => jpegMagick(r, q) })),
  { id: 'jpeg75-cjpeg', suite: 'T1', how: 'libjpeg-turbo cjpeg -quality 75 -sample 2x2, djpeg', apply: (r) => jpegCjpeg(r, 75) },
  { id: 'double-jpeg', suite: 'T1', how: 'sharp JPEG q90 4:2:0, then ImageMagick JPEG q75 4:2:0', apply: async (r) => jpegMagick(await jpegSharp(r, 90), 75) },
  { id: 'webp80', suite: 'T1', how: 'sharp WebP q80 (lossy)', apply: (r) => webp(r, 80) },
  ...[0.8, 1.2].map<Attack>((f) => ({ id: `brightness×${f}`, suite: 'T1', how: `RGB × ${f}, clipped`, apply: async (r) => mapRgb(r, (v) => v * f) })),
  ...[0.8, 1.2].map<Attack>((f) => ({
    id: `contrast×${f}`,
    suite: 'T1',
    how: `(v − mean luma) × ${f} + mean luma, clipped (PIL ImageEnhance.Contrast)`,
    apply: async (r) => {
      const m = meanLuma(r);
      return mapRgb(r, (v) => (v - m) * f + m);
    },
  })),
  ...[0.8, 1.25].map<Attack>((g) => ({ id: `gamma${g}`, suite: 'T1', how: `255·(v/255)^${g}`, apply: async (r) => mapRgb(r, (v) => 255 * (v / 255) ** g) })),
  ...[0.5, 1.5].map<Attack>((f) => ({ id: `saturation×${f}`, suite: 'T1', how: `chroma × ${f} about each pixel's luma (PIL ImageEnhance.Color)`, apply: async (r) => saturation(r, f) })),
  { id: 'grayscale', suite: 'T1', how: 'BT.601 luma into R=G=B', apply: async (r) => grayscale(r) },
  { id: 'blur-σ1', suite: 'T1', how: 'sharp Gaussian blur σ = 1', apply: (r) => fromSharp(sharpOf(r).blur(1)) },
  { id: 'noise-σ5', suite: 'T1', how: 'additive Gaussian noise σ = 5 per channel, seeded, clipped', apply: async (r, rand) => addNoise(r, 5, rand) },
  { id: 'median3', suite: 'T1', how: 'sharp median 3×3', apply: (r) => fromSharp(sharpOf(r).median(3)) },
  { id: 'sharpen', suite: 'T1', how: 'sharp sharpen σ = 1 (unsharp mask, libvips defaults)', apply: (r) => fromSharp(sharpOf(r).sharpen({ sigma: 1 })) },
  { id: 'resize50-back', suite: 'T1', how: 'sharp lanczos3 to 50%, then back to the original size', apply: async (r) => resize(await scale(r, 0.5), r.width, r.height) },

  // T2 geometry
  ...[0.5, 0.75, 1.5].map<Attack>((s) => ({ id: `scale${s}`, suite: 'T2', how: `sharp lanczos3 to ${s * 100}% (not restored)`, apply: (r) => scale(r, s) })),
  { id: 'crop-border10', suite: 'T2', how: 'cut 5% off each edge (10% of width and of height), keeps 81% of the area', cropArea: 0.81, apply: async (r) => crop(r, r.width * 0.05, r.height * 0.05, r.width * 0.9, r.height * 0.9) },
  { id: 'crop64-random', suite: 'T2', how: 'random crop keeping 64% of the area (0.8 × each side), random offset', cropArea: 0.64, apply: async (r, rand) => randomCrop(r, 0.64, rand) },
  { id: 'crop25-random', suite: 'T2', how: 'random crop keeping 25% of the area (0.5 × each side), random offset', cropArea: 0.25, apply: async (r, rand) => randomCrop(r, 0.25, rand) },
  {
    id: 'crop-square',
    suite: 'T2',
    how: '16:9→1:1: centre square of the shorter side (square images: skipped)',
    skip: isSquare,
    apply: async (r) => {
      const s = Math.min(r.width, r.height);
      return crop(r, (r.width - s) / 2, (r.height - s) / 2, s, s);
    },
  },
  { id: 'shift-crop', suite: 'T2', how: 'cut 37 px off the left and 91 px off the top (content shifts, off the 8-px grid)', apply: async (r) => crop(r, 37, 91, r.width - 37, r.height - 91) },
  { id: 'shift-pad', suite: 'T2', how: 'add 45 px white on the left and 13 px on top (content moves right/down)', apply: (r) => pad(r, 45, 13, 0, 0) },
  ...[1, -1, 2, -2, 5, -5].map<Attack>((a) => ({ id: `rotate${a > 0 ? '+' : ''}${a}°`, suite: 'T2', how: `sharp rotate ${a}° about the centre, cropped back to the original frame, grey corners`, rotation: a, apply: (r) => rotate(r, a) })),
  { id: 'flip-h', suite: 'T2', how: 'mirror left–right (sharp flop)', apply: (r) => fromSharp(sharpOf(r).flop()) },
  { id: 'flip-v', suite: 'T2', how: 'mirror top–bottom (sharp flip)', apply: (r) => fromSharp(sharpOf(r).flip()) },
  ...[90, 180, 270].map<Attack>((a) => ({ id: `turn${a}`, suite: 'T2', how: `rotate ${a}° (lossless)`, apply: (r) => fromSharp(sharpOf(r).rotate(a)) })),
  {
    id: 'scale0.75+crop+jpeg75',
    suite: 'T2',
    how: 'sharp lanczos3 to 75%, random crop keeping 64%, sharp JPEG q75 4:2:0',
    apply: async (r, rand) => jpegSharp(randomCrop(await scale(r, 0.75), 0.64, rand), 75),
  },

  // T3 stress
  { id: 'jpeg30-sharp', suite: 'T3', how: 'sharp JPEG q30, 4:2:0', apply: (r) => jpegSharp(r, 30) },
  { id: 'screenshot1.25-png', suite: 'T3', how: 'bilinear ×1.25 inside a window frame (title bar, odd margins), PNG', apply: (r) => screenshotInWindow(r, 1.25) },
  { id: 'screenshot1.5-jpeg', suite: 'T3', how: 'bilinear ×1.5 inside a window frame, then sharp JPEG q80 4:2:0', apply: async (r) => jpegSharp(await screenshotInWindow(r, 1.5), 80) },
  { id: 'screenshot1.25-jpeg', suite: 'T3', how: 'bilinear ×1.25, no frame, ImageMagick JPEG q85 4:2:0', apply: async (r) => jpegMagick(await scale(r, 1.25, 'linear'), 85) },
  { id: 'screenshot1.5-png', suite: 'T3', how: 'bilinear ×1.5, no frame, PNG', apply: (r) => scale(r, 1.5, 'linear') },
  ...[0.1, 0.25].map<Attack>((a) => ({ id: `overlay${a * 100}%`, suite: 'T3', how: `semi-opaque caption banner with logo and CJK text over ${a * 100}% of the area, random place`, apply: (r, rand) => overlay(r, a, rand) })),

  // Sweeps (reported and plotted, not part of the T2 headline)
  ...[0.49, 0.36, 0.16, 0.09, 0.04].map<Attack>((a) => ({ id: `crop${Math.round(a * 100)}-random`, suite: 'SWEEP', how: `random crop keeping ${Math.round(a * 100)}% of the area, random offset`, cropArea: a, skip: cropBelowTile(a), apply: async (r, rand) => randomCrop(r, a, rand) })),
  ...[512, 256, 192, 128].map<Attack>((s) => ({ id: `crop-${s}px`, suite: 'SWEEP', how: `random ${s}×${s} crop (128 = a single tile), random offset`, cropSide: s, skip: tooSmall(s), apply: async (r, rand) => squareCrop(r, s, rand) })),
  ...[0.5, -0.5, 3, -3, 7, -7, 10, -10].map<Attack>((a) => ({ id: `rotate${a > 0 ? '+' : ''}${a}°`, suite: 'SWEEP', how: `sharp rotate ${a}°, original frame, grey corners`, rotation: a, apply: (r) => rotate(r, a) })),
];

/** Attacks applied to unmarked images for the false-positive count. */
export const FP_ATTACK_IDS = ['jpeg75-sharp', 'jpeg50-magick', 'webp80', 'grayscale', 'blur-σ1', 'noise-σ5', 'scale0.5', 'crop25-random', 'rotate+2°', 'flip-h', 'screenshot1.25-png', 'overlay10%'];

export function attackSeed(imageId: string, attackId: string): () => number {
  let h = 2166136261;
  for (const ch of `${imageId}/${attackId}`) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return prng(h >>> 0);
}

