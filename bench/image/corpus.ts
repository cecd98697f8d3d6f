// The image corpus, generated at bench time into bench/image/.cache/corpus (never committed).
// Tuning split: photos from Debian packages (scikit-image's sample data, UKUI wallpapers) when they
// can be found or fetched with `apt-get download`; everything else is drawn procedurally, with SVG
// (librsvg through sharp) or with ImageMagick and the Debian DejaVu / Noto CJK fonts.
// Held-out split: KDE Plasma wallpapers cut to the sizes uploads have; run only to report, never
// used while changing the engine.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { prng } from '../lib/stats.ts';
import { runTool } from '../lib/proc.ts';
import { writeFileAtomic } from '../lib/markdown.ts';
import { decode, fromSharp, luma, readImage, sharpOf, toPng, type Raster } from './raster.ts';
import { blurredShapes, landscape, plasma } from './procedural.ts';
import sharp from 'sharp';

export type Category = 'photo' | 'illustration' | 'ui' | 'text' | 'gray' | 'gradient';
export const CATEGORIES: Category[] = ['photo', 'illustration', 'ui', 'text', 'gray', 'gradient'];
/** 'tuning': measured while changing the engine; 'held-out': never tuned on, run only to report. */
export type Split = 'tuning' | 'held-out';
export const SPLITS: Split[] = ['tuning', 'held-out'];

export interface CorpusItem {
  id: string;
  split: Split;
  category: Category;
  width: number;
  height: number;
  /** How the image was made (for the reports). */
  source: string;
  /** Only the T0 sanity suite runs on it (tiny, 8K, alpha). */
  t0Only?: boolean;
  hasAlpha?: boolean;
  path: string;
}

type Spec = Omit<CorpusItem, 'path'> & {
  quick?: boolean; // part of the --quick subset
  /** A Debian package file the image is cut from; without it the item is left out (no stand-in). */
  needs?: { pkg: string; rel: string };
  make: () => Promise<Raster>;
};

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const CACHE = join(HERE, '.cache');
const CORPUS_DIR = join(CACHE, 'corpus');
const DEB_DIR = join(CACHE, 'deb');
const CORPUS_VERSION = 'corpus-v1';

// ---------- Debian media ----------
const SKIMAGE_REL = 'usr/lib/python3/dist-packages/skimage/data';
const WALL_REL = 'usr/share/backgrounds';

function debFile(rel: string, name: string): string | null {
  for (const root of ['/', DEB_DIR]) {
    const p = join(root, rel, name);
    if (existsSync(p)) return p;
  }
  return null;
}

/**
 * A file of a Debian package: where it is installed, or else from the package fetched with
 * `apt-get download` and unpacked into the cache (no install, no root needed); null if neither.
 */
export function debPackageFile(pkg: string, rel: string): string | null {
  for (const root of ['/', DEB_DIR]) if (existsSync(join(root, rel))) return join(root, rel);
  mkdirSync(DEB_DIR, { recursive: true });
  let deb = readdirSync(DEB_DIR).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  if (!deb) {
    spawnSync('apt-get', ['download', pkg], { cwd: DEB_DIR, stdio: 'ignore', timeout: 300_000 });
    deb = readdirSync(DEB_DIR).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (!deb) return null;
  }
  spawnSync('dpkg-deb', ['-x', join(DEB_DIR, deb), DEB_DIR], { stdio: 'ignore' });
  return existsSync(join(DEB_DIR, rel)) ? join(DEB_DIR, rel) : null;
}

let fetchTried = false;
/** Fetches the two packages' files into the cache if they are missing. */
function ensureDebMedia(): void {
  if (fetchTried) return;
  fetchTried = true;
  const want: [string, string, string][] = [
    ['python3-skimage', SKIMAGE_REL, 'astronaut.png'],
    ['ukui-wallpapers', WALL_REL, 'city.png'],
  ];
  for (const [pkg, rel, probe] of want) {
    if (!debPackageFile(pkg, join(rel, probe))) console.warn(`[corpus] could not fetch ${pkg}; its images are replaced by procedural ones`);
  }
}

/** A Debian image fitted to width×height (cover + centre crop), or a procedural stand-in. */
async function debImage(rel: string, name: string, width: number, height: number, fallback: () => Promise<Raster> | Raster): Promise<Raster> {
  ensureDebMedia();
  const p = debFile(rel, name);
  if (!p) return fallback();
  const img = sharp(p, { limitInputPixels: false }).removeAlpha();
  const meta = await sharp(p).metadata();
  if (meta.width === width && meta.height === height) return fromSharp(img);
  return fromSharp(img.resize(width, height, { fit: 'cover', kernel: 'lanczos3' }));
}

// ---------- SVG drawings (librsvg via sharp) ----------
async function svg(width: number, height: number, body: string): Promise<Raster> {
  const doc = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`;
  return fromSharp(sharp(Buffer.from(doc), { limitInputPixels: false }).flatten({ background: '#ffffff' }));
}

function illustration(width: number, height: number, seed: number): Promise<Raster> {
  const rand = prng(seed);
  const hue = () => Math.floor(rand() * 360);
  const u = Math.min(width, height);
  let body = `<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue()},70%,80%)"/><stop offset="1" stop-color="hsl(${hue()},60%,55%)"/></linearGradient>`;
  for (let g = 0; g < 4; g++)
    body += `<radialGradient id="g${g}"><stop offset="0" stop-color="hsl(${hue()},80%,70%)"/><stop offset="1" stop-color="hsl(${hue()},70%,40%)"/></radialGradient>`;
  body += `</defs><rect width="100%" height="100%" fill="url(#bg)"/>`;
  // rolling hills
  for (let h = 0; h < 3; h++) {
    const y = height * (0.55 + h * 0.12);
    body += `<path d="M0 ${y} Q ${width * 0.25} ${y - u * 0.15} ${width * 0.5} ${y} T ${width} ${y} V ${height} H 0 Z" fill="hsl(${hue()},45%,${45 - h * 8}%)" stroke="#1d1d1d" stroke-width="${u / 200}"/>`;
  }
  for (let s = 0; s < 14; s++) {
    const x = rand() * width;
    const y = rand() * height * 0.8;
    const r = (0.03 + rand() * 0.09) * u;
    const fill = rand() < 0.5 ? `url(#g${s % 4})` : `hsl(${hue()},65%,60%)`;
    const sw = (u / 250) * (1 + rand() * 2);
    if (s % 3 === 0) body += `<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}" stroke="#222" stroke-width="${sw}"/>`;
    else if (s % 3 === 1) body += `<rect x="${x}" y="${y}" width="${r * 2}" height="${r * 1.4}" rx="${r * 0.2}" fill="${fill}" stroke="#222" stroke-width="${sw}" transform="rotate(${rand() * 40 - 20} ${x} ${y})"/>`;
    else body += `<polygon points="${x},${y - r} ${x + r},${y + r} ${x - r},${y + r}" fill="${fill}" stroke="#222" stroke-width="${sw}"/>`;
  }
  body += `<circle cx="${width * 0.82}" cy="${height * 0.18}" r="${u * 0.08}" fill="#fff3b0" stroke="#e0a800" stroke-width="${u / 150}"/>`;
  return svg(width, height, body);
}

function ui(width: number, height: number, seed: number, dark = false): Promise<Raster> {
  const rand = prng(seed);
  const fs = Math.max(11, Math.round(Math.min(width, height) / 45));
  const bg = dark ? '#1e1f24' : '#f3f4f6';
  const panel = dark ? '#2a2c33' : '#ffffff';
  const ink = dark ? '#e8e8e8' : '#1f2937';
  const sub = dark ? '#9aa0a6' : '#6b7280';
  const accent = ['#2563eb', '#16a34a', '#db2777', '#ea580c'][seed % 4]!;
  let b = `<rect width="100%" height="100%" fill="${bg}"/>`;
  const side = Math.round(width * 0.18);
  const top = Math.round(fs * 3.2);
  b += `<rect width="100%" height="${top}" fill="${panel}"/><rect y="${top - 1}" width="100%" height="1" fill="${dark ? '#3a3d45' : '#e5e7eb'}"/>`;
  b += `<text x="${fs}" y="${top * 0.62}" font-family="DejaVu Sans" font-weight="bold" font-size="${fs * 1.2}" fill="${accent}">Studio</text>`;
  b += `<text x="${width - fs * 12}" y="${top * 0.62}" font-family="Noto Sans CJK SC" font-size="${fs}" fill="${sub}">设置 · 帮助 · 账户</text>`;
  if (width > 500) {
    b += `<rect y="${top}" width="${side}" height="${height - top}" fill="${panel}"/>`;
    ['Dashboard', 'Projects', 'Images', 'Audio', 'Settings'].forEach((t, i) => {
      const y = top + fs * 2 + i * fs * 2.4;
      if (i === 0) b += `<rect x="${fs * 0.5}" y="${y - fs * 1.3}" width="${side - fs}" height="${fs * 2}" rx="${fs / 3}" fill="${accent}" fill-opacity="0.12"/>`;
      b += `<text x="${fs * 1.2}" y="${y}" font-family="DejaVu Sans" font-size="${fs}" fill="${i === 0 ? accent : ink}">${t}</text>`;
    });
  }
  const x0 = width > 500 ? side + fs : fs;
  const cw = width - x0 - fs;
  let y = top + fs;
  const cards = Math.max(2, Math.floor((height - y) / (fs * 9)));
  for (let c = 0; c < cards && y + fs * 8 < height; c++) {
    b += `<rect x="${x0}" y="${y}" width="${cw}" height="${fs * 7.5}" rx="${fs / 2}" fill="${panel}" stroke="${dark ? '#3a3d45' : '#e5e7eb'}"/>`;
    b += `<text x="${x0 + fs}" y="${y + fs * 1.8}" font-family="DejaVu Sans" font-weight="bold" font-size="${fs * 1.1}" fill="${ink}">Card ${c + 1}: Render queue</text>`;
    b += `<text x="${x0 + fs}" y="${y + fs * 3.4}" font-family="DejaVu Sans" font-size="${fs * 0.9}" fill="${sub}">${Math.floor(rand() * 90 + 5)} jobs · updated ${Math.floor(rand() * 50 + 2)} min ago</text>`;
    b += `<rect x="${x0 + fs}" y="${y + fs * 4.3}" width="${cw - fs * 2}" height="${fs * 0.6}" rx="${fs * 0.3}" fill="${dark ? '#3a3d45' : '#e5e7eb'}"/><rect x="${x0 + fs}" y="${y + fs * 4.3}" width="${(cw - fs * 2) * rand()}" height="${fs * 0.6}" rx="${fs * 0.3}" fill="${accent}"/>`;
    b += `<rect x="${x0 + fs}" y="${y + fs * 5.4}" width="${fs * 6}" height="${fs * 1.7}" rx="${fs / 3}" fill="${accent}"/><text x="${x0 + fs * 4}" y="${y + fs * 6.55}" text-anchor="middle" font-family="DejaVu Sans" font-size="${fs * 0.9}" fill="#fff">Open</text>`;
    b += `<rect x="${x0 + fs * 7.6}" y="${y + fs * 5.4}" width="${fs * 6}" height="${fs * 1.7}" rx="${fs / 3}" fill="none" stroke="${accent}"/><text x="${x0 + fs * 10.6}" y="${y + fs * 6.55}" text-anchor="middle" font-family="DejaVu Sans" font-size="${fs * 0.9}" fill="${accent}">Share</text>`;
    y += fs * 9;
  }
  return svg(width, height, b);
}

// ---------- ImageMagick text pages ----------
const EN = `Generative models now produce images that are hard to tell from photographs. The national standard GB 45438-2025 asks providers to label such content explicitly, with visible marks, and implicitly, with metadata and digital watermarks that survive ordinary processing such as recompression, resizing and cropping. This page is a test document for the watermark bench: it is mostly white paper with dark glyphs, which leaves little texture to hide a signal in. `;
const ZH = `根据《网络安全技术 人工智能生成合成内容标识方法》(GB 45438-2025)，服务提供者应当对人工智能生成合成的图片、音频、视频等内容添加显式标识和隐式标识。隐式标识包括文件元数据中的标识信息和数字水印，应当能够在常见的压缩、缩放和裁剪处理后保持可检测。本页为水印基准测试用的文本图像，背景大面积为纯白，纹理极少。`;

async function textPage(width: number, height: number, text: string, font: string, opts: { bg?: string; fg?: string; pointsize?: number } = {}): Promise<Raster> {
  const pt = opts.pointsize ?? Math.max(12, Math.round(width / 60));
  // ImageMagick's caption:/label: trip Debian's 16K-pixel width policy on long strings, so wrap by
  // hand (CJK glyphs are ~1 em wide, Latin ~0.58 em) and draw each line with -annotate.
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    let w = 0;
    for (const word of para.match(/[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+\s*|\s+/g) ?? ['']) {
      const ww = [...word].reduce((s, ch) => s + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 1 : 0.58), 0) * pt;
      if (w + ww > width - 80 && line) {
        lines.push(line.trimEnd());
        line = '';
        w = 0;
      }
      line += word;
      w += ww;
    }
    lines.push(line.trimEnd());
  }
  const lead = Math.round(pt * 1.4);
  const args = ['-size', `${width}x${height}`, `xc:${opts.bg ?? 'white'}`, '-fill', opts.fg ?? '#111111', '-font', font, '-pointsize', String(pt)];
  lines.forEach((l, k) => {
    const y = 40 + pt + k * lead;
    if (y < height - 20 && l) args.push('-annotate', `+40+${y}`, l);
  });
  return magick(args);
}

async function magick(args: string[]): Promise<Raster> {
  return decode((await runTool('convert', [...args, 'png:-'])).stdout);
}

function toGray(r: Raster): Raster {
  const y = luma(r);
  const d = r.data;
  for (let p = 0; p < y.length; p++) d[p * 4] = d[p * 4 + 1] = d[p * 4 + 2] = Math.round(y[p]!);
  return r;
}

const FONT_SANS = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const FONT_SERIF = '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf';
const FONT_MONO = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';
const FONT_CJK = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

const sk = (name: string, w: number, h: number, fb: () => Promise<Raster> | Raster) => debImage(SKIMAGE_REL, name, w, h, fb);
const wall = (name: string, w: number, h: number, fb: () => Promise<Raster> | Raster) => debImage(WALL_REL, name, w, h, fb);

// ---------- Held-out split: KDE Plasma wallpapers ----------
const PLASMA_PKG = 'plasma-workspace-wallpapers';

/**
 * A held-out item: a Plasma wallpaper (its largest file) cut to an upload's size, either resized
 * to cover and centre-cropped, or a window cut at the wallpaper's own pixel scale (`at`: where the
 * window sits in the slack, 0…1 per axis), which keeps the photo's native grain.
 */
function heldOut(name: string, file: string, category: Category, width: number, height: number, cut: 'resize' | { at: [number, number] }, quick = false): Spec {
  const rel = `usr/share/wallpapers/${name}/contents/images/${file}`;
  const how = cut === 'resize' ? `resized (cover, lanczos3) to ${width}×${height}` : `a ${width}×${height} window at its own scale`;
  return {
    id: `kde-${name.toLowerCase().replace(/_/g, '')}-${width === 1920 && height === 1080 ? '1080p' : width === height ? width : `${width}x${height}`}${cut === 'resize' ? '' : '-crop'}`,
    split: 'held-out',
    category,
    width,
    height,
    quick,
    source: `KDE Plasma wallpaper ${name} ${file.replace('.jpg', '').replace('x', '×')} JPEG (${PLASMA_PKG}), ${how}`,
    needs: { pkg: PLASMA_PKG, rel },
    make: async () => {
      const path = debPackageFile(PLASMA_PKG, rel)!;
      const img = sharp(path, { limitInputPixels: false }).removeAlpha();
      if (cut === 'resize') return fromSharp(img.resize(width, height, { fit: 'cover', kernel: 'lanczos3' }));
      const meta = await sharp(path).metadata();
      const [fx, fy] = cut.at;
      return fromSharp(img.extract({ left: Math.round(fx * (meta.width! - width)), top: Math.round(fy * (meta.height! - height)), width, height }));
    },
  };
}

const PHOTO = '2560x1600.jpg';
const HELD_OUT: Spec[] = [
  heldOut('Autumn', PHOTO, 'photo', 1920, 1080, 'resize'),
  heldOut('BytheWater', PHOTO, 'photo', 1920, 1080, { at: [0.5, 0.5] }),
  heldOut('Grey', PHOTO, 'photo', 1920, 1080, 'resize'),
  heldOut('EveningGlow', PHOTO, 'photo', 800, 600, 'resize'),
  heldOut('FallenLeaf', PHOTO, 'photo', 800, 600, { at: [0.3, 0.6] }),
  heldOut('Kite', PHOTO, 'photo', 512, 512, 'resize', true),
  heldOut('ColorfulCups', PHOTO, 'photo', 512, 512, { at: [0.5, 0.5] }),
  heldOut('summer_1am', PHOTO, 'photo', 300, 400, 'resize'),
  heldOut('Path', PHOTO, 'photo', 300, 300, 'resize'),
  heldOut('PastelHills', '3200x2000.jpg', 'illustration', 1920, 1080, 'resize'),
  heldOut('PastelHills', '3200x2000.jpg', 'illustration', 300, 300, 'resize', true),
  heldOut('Volna', '5120x2880.jpg', 'illustration', 800, 600, 'resize'),
  heldOut('Volna', '5120x2880.jpg', 'illustration', 512, 512, { at: [0.5, 0.5] }),
];

const SPECS: Spec[] = [
  // photos (Debian scikit-image sample data; procedural stand-ins if unavailable)
  { id: 'astronaut', split: 'tuning', category: 'photo', width: 512, height: 512, quick: true, source: 'scikit-image astronaut.png (python3-skimage)', make: () => sk('astronaut.png', 512, 512, () => landscape(512, 512, 1)) },
  { id: 'coffee', split: 'tuning', category: 'photo', width: 600, height: 400, source: 'scikit-image coffee.png', make: () => sk('coffee.png', 600, 400, () => landscape(600, 400, 2)) },
  { id: 'chelsea', split: 'tuning', category: 'photo', width: 451, height: 300, source: 'scikit-image chelsea.png', make: () => sk('chelsea.png', 451, 300, () => landscape(451, 300, 3)) },
  { id: 'rocket', split: 'tuning', category: 'photo', width: 640, height: 427, source: 'scikit-image rocket.jpg', make: () => sk('rocket.jpg', 640, 427, () => landscape(640, 427, 4)) },
  { id: 'hubble', split: 'tuning', category: 'photo', width: 1000, height: 872, source: 'scikit-image hubble_deep_field.jpg', make: () => sk('hubble_deep_field.jpg', 1000, 872, () => landscape(1000, 872, 5)) },
  { id: 'retina', split: 'tuning', category: 'photo', width: 1411, height: 1411, source: 'scikit-image retina.jpg', make: () => sk('retina.jpg', 1411, 1411, () => landscape(1411, 1411, 6)) },
  { id: 'motorcycle', split: 'tuning', category: 'photo', width: 741, height: 500, source: 'scikit-image motorcycle_left.png', make: () => sk('motorcycle_left.png', 741, 500, () => landscape(741, 500, 7)) },
  { id: 'ihc', split: 'tuning', category: 'photo', width: 512, height: 512, source: 'scikit-image ihc.png (microscopy)', make: () => sk('ihc.png', 512, 512, () => plasma(512, 512, 8)) },
  { id: 'coffee-1080p', split: 'tuning', category: 'photo', width: 1920, height: 1080, source: 'scikit-image coffee.png upscaled (lanczos3, cover) to 1920×1080: a smooth upscale', make: () => sk('coffee.png', 1920, 1080, () => landscape(1920, 1080, 9)) },
  { id: 'landscape-1080p', split: 'tuning', category: 'photo', width: 1920, height: 1080, quick: true, source: 'procedural: fBm sky, clouds, three ridges, meadow, film grain σ3', make: async () => landscape(1920, 1080, 10) },
  { id: 'landscape-4k', split: 'tuning', category: 'photo', width: 4000, height: 3000, source: 'procedural landscape at 4000×3000', make: async () => landscape(4000, 3000, 11) },
  { id: 'plasma-512', split: 'tuning', category: 'photo', width: 512, height: 512, source: 'procedural plasma with fBm warp and grain', make: async () => plasma(512, 512, 12) },
  { id: 'bokeh-odd', split: 'tuning', category: 'photo', width: 333, height: 517, quick: true, source: 'procedural: 40 shapes, Gaussian blur, film grain σ4', make: () => blurredShapes(333, 517, 13) },
  { id: 'bokeh-1080p', split: 'tuning', category: 'photo', width: 1920, height: 1080, source: 'procedural blurred shapes with grain', make: () => blurredShapes(1920, 1080, 14) },
  // illustrations (SVG and Debian UKUI wallpapers: smooth 3D renders and flat vector art)
  { id: 'illus-512', split: 'tuning', category: 'illustration', width: 512, height: 512, quick: true, source: 'SVG: gradient sky, outlined hills and shapes, radial fills', make: () => illustration(512, 512, 21) },
  { id: 'illus-1080p', split: 'tuning', category: 'illustration', width: 1920, height: 1080, source: 'SVG illustration', make: () => illustration(1920, 1080, 22) },
  { id: 'illus-odd', split: 'tuning', category: 'illustration', width: 333, height: 517, source: 'SVG illustration', make: () => illustration(333, 517, 23) },
  { id: 'wall-city-1080p', split: 'tuning', category: 'illustration', width: 1920, height: 1080, source: 'UKUI wallpaper city.png (flat vector, 3 colours) resized to 1920×1080', make: () => wall('city.png', 1920, 1080, () => illustration(1920, 1080, 24)) },
  { id: 'wall-fluent-1080p', split: 'tuning', category: 'illustration', width: 1920, height: 1080, source: 'UKUI wallpaper fluent-color.png (smooth colour clouds) resized', make: () => wall('fluent-color.png', 1920, 1080, () => plasma(1920, 1080, 25)) },
  { id: 'wall-swirl-4k', split: 'tuning', category: 'illustration', width: 4000, height: 3000, source: 'UKUI wallpaper 2004default.jpg (3D ribbon render) resized to 4000×3000', make: () => wall('2004default.jpg', 4000, 3000, () => illustration(4000, 3000, 26)) },
  { id: 'logo', split: 'tuning', category: 'illustration', width: 500, height: 500, source: 'scikit-image logo.png (flattened on white)', make: () => sk('logo.png', 500, 500, () => illustration(500, 500, 27)) },
  // flat UI
  { id: 'ui-dashboard-1080p', split: 'tuning', category: 'ui', width: 1920, height: 1080, quick: true, source: 'SVG UI: top bar, sidebar, cards, buttons, progress bars, DejaVu + Noto CJK text', make: () => ui(1920, 1080, 31) },
  { id: 'ui-dark-1280x720', split: 'tuning', category: 'ui', width: 1280, height: 720, source: 'SVG UI, dark theme', make: () => ui(1280, 720, 32, true) },
  { id: 'ui-512', split: 'tuning', category: 'ui', width: 512, height: 512, source: 'SVG UI', make: () => ui(512, 512, 33) },
  { id: 'ui-phone', split: 'tuning', category: 'ui', width: 375, height: 812, source: 'SVG UI, phone portrait', make: () => ui(375, 812, 34) },
  { id: 'ui-odd', split: 'tuning', category: 'ui', width: 333, height: 517, source: 'SVG UI', make: () => ui(333, 517, 35) },
  // text
  { id: 'text-en-1080p', split: 'tuning', category: 'text', width: 1920, height: 1080, source: 'ImageMagick caption:, DejaVu Sans, English paragraphs on white', make: () => textPage(1920, 1080, EN.repeat(3), FONT_SANS) },
  { id: 'text-zh-800x1000', split: 'tuning', category: 'text', width: 800, height: 1000, quick: true, source: 'ImageMagick caption:, Noto Sans CJK, Chinese paragraphs on white', make: () => textPage(800, 1000, ZH.repeat(2), FONT_CJK, { pointsize: 22 }) },
  { id: 'text-serif-512', split: 'tuning', category: 'text', width: 512, height: 512, source: 'ImageMagick caption:, DejaVu Serif', make: () => textPage(512, 512, EN, FONT_SERIF, { pointsize: 15 }) },
  { id: 'text-code-1280x720', split: 'tuning', category: 'text', width: 1280, height: 720, source: 'ImageMagick caption:, DejaVu Sans Mono, light text on dark', make: () => textPage(1280, 720, 'export async function embedImage(rgba, width, height, label) {\n  const core = await getCore();\n  return core.embed(rgba, width, height, encode(label));\n}\n'.repeat(4), FONT_MONO, { bg: '#1e1e1e', fg: '#d4d4d4', pointsize: 20 }) },
  { id: 'text-odd', split: 'tuning', category: 'text', width: 333, height: 517, source: 'ImageMagick caption:, DejaVu Sans + Chinese', make: () => textPage(333, 517, EN.slice(0, 300) + ZH.slice(0, 60), FONT_CJK, { pointsize: 13 }) },
  // grayscale
  { id: 'gray-camera', split: 'tuning', category: 'gray', width: 512, height: 512, quick: true, source: 'scikit-image camera.png (8-bit gray, stored as R=G=B)', make: async () => toGray(await sk('camera.png', 512, 512, () => landscape(512, 512, 41))) },
  { id: 'gray-moon', split: 'tuning', category: 'gray', width: 512, height: 512, source: 'scikit-image moon.png (low contrast)', make: async () => toGray(await sk('moon.png', 512, 512, () => plasma(512, 512, 42))) },
  { id: 'gray-coins', split: 'tuning', category: 'gray', width: 384, height: 303, source: 'scikit-image coins.png', make: async () => toGray(await sk('coins.png', 384, 303, () => plasma(384, 303, 43))) },
  { id: 'gray-landscape-1080p', split: 'tuning', category: 'gray', width: 1920, height: 1080, source: 'procedural landscape, BT.601 luma', make: async () => toGray(landscape(1920, 1080, 44)) },
  // smooth gradients
  { id: 'grad-linear-1080p', split: 'tuning', category: 'gradient', width: 1920, height: 1080, quick: true, source: 'ImageMagick gradient:#1e3a8a-#f0abfc (vertical)', make: () => magick(['-size', '1920x1080', 'gradient:#1e3a8a-#f0abfc']) },
  { id: 'grad-radial-512', split: 'tuning', category: 'gradient', width: 512, height: 512, source: 'ImageMagick radial-gradient:#fde68a-#7c2d12', make: () => magick(['-size', '512x512', 'radial-gradient:#fde68a-#7c2d12']) },
  { id: 'grad-diag-odd', split: 'tuning', category: 'gradient', width: 333, height: 517, source: 'ImageMagick gradient, rotated 30° (-define gradient:angle=30), light grey to white', make: () => magick(['-size', '333x517', '-define', 'gradient:angle=30', 'gradient:#d1d5db-#ffffff']) },
  // T0-only specials
  { id: 'tiny-64', split: 'tuning', category: 'photo', width: 64, height: 64, t0Only: true, quick: true, source: 'procedural landscape 64×64 (expects IMAGE_TOO_SMALL or success)', make: async () => landscape(64, 64, 51) },
  { id: 'alpha-512', split: 'tuning', category: 'illustration', width: 512, height: 512, t0Only: true, hasAlpha: true, quick: true, source: 'SVG illustration with a transparent background and soft alpha edges', make: () => alphaImage(512, 512) },
  { id: 'huge-8k', split: 'tuning', category: 'photo', width: 7680, height: 4320, t0Only: true, source: 'procedural landscape at 7680×4320 (8K UHD)', make: async () => landscape(7680, 4320, 52) },
  ...HELD_OUT,
];

async function alphaImage(width: number, height: number): Promise<Raster> {
  const body = `<defs><radialGradient id="a"><stop offset="0" stop-color="#f97316"/><stop offset="0.7" stop-color="#db2777" stop-opacity="0.9"/><stop offset="1" stop-color="#7c3aed" stop-opacity="0"/></radialGradient></defs><circle cx="${width / 2}" cy="${height / 2}" r="${width * 0.45}" fill="url(#a)"/><rect x="${width * 0.2}" y="${height * 0.4}" width="${width * 0.6}" height="${height * 0.2}" fill="#0ea5e9" fill-opacity="0.6" stroke="#000" stroke-width="4"/>`;
  const doc = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${body}</svg>`;
  return fromSharp(sharp(Buffer.from(doc)));
}

/**
 * Builds (or reuses) the corpus and returns its items: the tuning split unless `splits` asks for
 * the held-out one too (only the report bench does); `quick` keeps a small subset. A held-out item
 * whose package cannot be found or fetched is left out with a warning, never replaced.
 */
export async function buildCorpus(opts: { quick?: boolean; only?: string[]; splits?: Split[]; log?: (s: string) => void } = {}): Promise<CorpusItem[]> {
  mkdirSync(CORPUS_DIR, { recursive: true });
  const log = opts.log ?? (() => {});
  const splits = opts.splits ?? ['tuning'];
  let specs = SPECS.filter((s) => splits.includes(s.split) && (!opts.quick || s.quick));
  if (opts.only?.length) specs = specs.filter((s) => opts.only!.some((o) => s.id.includes(o)));
  const items: CorpusItem[] = [];
  for (const s of specs) {
    if (s.needs && !debPackageFile(s.needs.pkg, s.needs.rel)) {
      console.warn(`[corpus] ${s.id} left out: ${s.needs.pkg} has no ${s.needs.rel} (install it or allow apt-get download)`);
      continue;
    }
    const path = join(CORPUS_DIR, `${CORPUS_VERSION}-${s.id}.png`);
    if (!existsSync(path)) {
      const t0 = performance.now();
      let r = await s.make();
      if (r.width !== s.width || r.height !== s.height) r = await fromSharp(sharpOf(r).resize(s.width, s.height, { fit: 'fill' }));
      writeFileAtomic(path, await toPng(r, 6));
      log(`[corpus] ${s.id} ${s.width}×${s.height} made in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const { make: _m, quick: _q, needs: _n, ...rest } = s;
    items.push({ ...rest, path });
  }
  return items;
}

export async function loadItem(item: CorpusItem): Promise<Raster> {
  return readImage(item.path);
}

/** "N images (n photo, …)" for the given items. */
export function corpusCounts(items: CorpusItem[]): string {
  const byCat = new Map<string, number>();
  for (const it of items) byCat.set(it.category, (byCat.get(it.category) ?? 0) + 1);
  return `${items.length} images (${[...byCat].map(([c, n]) => `${n} ${c}`).join(', ')})`;
}

export function corpusSummary(items: CorpusItem[]): string {
  const parts = SPLITS.map((split) => [split, items.filter((it) => it.split === split)] as const).filter(([, its]) => its.length);
  return `${parts.map(([split, its]) => `${split}: ${corpusCounts(its)}`).join('; ')}, generated at bench time into bench/image/.cache/corpus`;
}

