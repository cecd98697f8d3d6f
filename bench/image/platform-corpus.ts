// The T4 material and attacks, shared by the T4 bench (platform.ts) and the thumbnail options bench
// (platform-options.ts): large Debian wallpapers, tuning and held-out, and the platform pipelines
// that serve them (long side resized, then JPEG 4:2:0 or WebP, or a turn with a crop first).
import { jpegSharp, resize, rotate, webp } from './attacks.ts';
import { debPackageFile } from './corpus.ts';
import { crop, type Raster } from './raster.ts';

export type Split = 'tuning' | 'held-out';
export interface Source {
  id: string;
  split: Split;
  kind: 'photo' | 'illustration';
  pkg: string;
  rel: string;
}

const MATE = 'usr/share/backgrounds/mate';
const PLASMA = 'usr/share/wallpapers';
// Tuning: MATE's photos and two renders. Held out: KDE Plasma's photos and renders, never tuned on.
export const SOURCES: Source[] = [
  ...['Garden', 'LadyBird', 'TwoWings', 'YellowFlower', 'Wood', 'Storm', 'RainDrops', 'Dune', 'FreshFlower'].map((n): Source => ({ id: `mate-${n}`, split: 'tuning', kind: 'photo', pkg: 'mate-backgrounds', rel: `${MATE}/nature/${n}.jpg` })),
  { id: 'mate-Elephants-4k', split: 'tuning', kind: 'illustration', pkg: 'mate-backgrounds', rel: `${MATE}/abstract/Elephants_3840x2160.jpg` },
  { id: 'mate-Silk', split: 'tuning', kind: 'illustration', pkg: 'mate-backgrounds', rel: `${MATE}/abstract/Silk.png` },
  ...['Autumn', 'BytheWater', 'ColorfulCups', 'EveningGlow', 'FallenLeaf', 'Path', 'Kite', 'summer_1am', 'Grey', 'OneStandsOut'].map((n): Source => ({ id: `plasma-${n}`, split: 'held-out', kind: 'photo', pkg: 'plasma-workspace-wallpapers', rel: `${PLASMA}/${n}/contents/images/2560x1600.jpg` })),
  { id: 'plasma-PastelHills', split: 'held-out', kind: 'illustration', pkg: 'plasma-workspace-wallpapers', rel: `${PLASMA}/PastelHills/contents/images/3200x2000.jpg` },
  { id: 'plasma-Volna-5k', split: 'held-out', kind: 'illustration', pkg: 'plasma-workspace-wallpapers', rel: `${PLASMA}/Volna/contents/images/5120x2880.jpg` },
];

export interface Pipeline {
  id: string;
  /** Long side served, px. */
  side: number;
  apply: (r: Raster) => Promise<Raster>;
}
export const SIDES = [1920, 1280, 1080, 720, 480, 256];
const fitLong = (r: Raster, side: number) => {
  const s = side / Math.max(r.width, r.height);
  return s >= 1 ? Promise.resolve(r) : resize(r, r.width * s, r.height * s);
};
const centreCrop = (r: Raster, keep: number) => {
  const w = Math.round(r.width * keep);
  const h = Math.round(r.height * keep);
  return crop(r, Math.round((r.width - w) / 2), Math.round((r.height - h) / 2), w, h);
};
export const PIPELINES: Pipeline[] = [
  ...SIDES.flatMap((side): Pipeline[] => [
    { id: `${side} JPEG q70`, side, apply: async (r) => jpegSharp(await fitLong(r, side), 70) },
    { id: `${side} JPEG q85`, side, apply: async (r) => jpegSharp(await fitLong(r, side), 85) },
    { id: `${side} WebP q75`, side, apply: async (r) => webp(await fitLong(r, side), 75) },
    { id: `${side} rot 1° + crop 90% + JPEG q80`, side, apply: async (r) => jpegSharp(await fitLong(centreCrop(await rotate(r, 1), 0.9), side), 80) },
  ]),
  { id: '1080 crop 50% centre + JPEG q80', side: 1080, apply: async (r) => jpegSharp(await fitLong(centreCrop(r, Math.SQRT1_2), 1080), 80) },
];

/** The wallpaper's file, extracted from its Debian package (downloaded at bench time). */
export const sourcePath = (s: Source) => debPackageFile(s.pkg, s.rel);
