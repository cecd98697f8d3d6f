// The upload folder of the scan bench: 1080p JPEGs (q80-90, 4:2:0) cut from real photos and
// renders of Debian wallpaper packages, one in five marked by the CLI. Built once into
// bench/work/scan (never committed) and reused while its stamp file is there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { debPackageFile } from '../image/corpus.ts';
import { writeFileAtomic } from '../lib/markdown.ts';
import { prng } from '../lib/stats.ts';

const WALL = 'usr/share/backgrounds';
/** Photos (mate-backgrounds' nature set) and 3D renders (ukui-wallpapers), 1280-3840 px wide. */
const SOURCES: [pkg: string, rel: string][] = [
  ...['Aqua', 'Blinds', 'Dune', 'FreshFlower', 'Garden', 'GreenMeadow', 'LadyBird', 'RainDrops', 'Storm', 'TwoWings', 'Wood', 'YellowFlower'].map(
    (name): [string, string] => ['mate-backgrounds', `${WALL}/mate/nature/${name}.jpg`],
  ),
  ['ukui-wallpapers', `${WALL}/2004default.jpg`],
  ['ukui-wallpapers', `${WALL}/rhythm.jpg`],
  ['ukui-wallpapers', `${WALL}/goldfish.png`],
];
/** How each source is cut: the share of its area kept (a centred or random window), and the output shape. */
const CUTS = [
  { area: 1, width: 1920, height: 1080 },
  { area: 0.7, width: 1920, height: 1080 },
  { area: 0.45, width: 1920, height: 1080 },
  { area: 0.8, width: 1080, height: 1920 },
];
const VERSION = 'v1';
export const SCAN_DIR = join('bench/work/scan', `uploads-${VERSION}`);
const STAMP = join('bench/work/scan', `uploads-${VERSION}.complete`);
export const PRODUCER = '91110000MA01ABCDEF123456789';

export interface ScanCorpus {
  dir: string;
  files: number;
  marked: number;
  /** One line on how the files were made, for the report. */
  about: string;
}

/** Every fifth file is marked: alternately the full mark (metadata label + watermark) and the watermark alone. */
const markOf = (i: number): 'full' | 'watermark' | null => (i % 5 !== 2 ? null : (i / 5) % 2 < 1 ? 'full' : 'watermark');

/** A window of `area` of the source's area in the output's aspect, at a seeded place, resized to the output. */
async function cut(path: string, spec: (typeof CUTS)[number], rand: () => number): Promise<Sharp> {
  const meta = await sharp(path).metadata();
  const aspect = spec.width / spec.height;
  // The largest window of the output's aspect, then scaled down to the wanted share of the area.
  let w = Math.min(meta.width!, meta.height! * aspect);
  let h = w / aspect;
  w = Math.round(w * Math.sqrt(spec.area));
  h = Math.round(h * Math.sqrt(spec.area));
  const left = Math.floor(rand() * (meta.width! - w + 1));
  const top = Math.floor(rand() * (meta.height! - h + 1));
  return sharp(path)
    .removeAlpha()
    .extract({ left, top, width: w, height: h })
    .resize(spec.width, spec.height, { fit: 'fill', kernel: 'lanczos3' });
}

/** Builds the folder (about a minute the first time: twelve runs of `mark`) or reuses it. */
export async function scanCorpus(cli: string, log: (line: string) => void): Promise<ScanCorpus> {
  const total = SOURCES.length * CUTS.length;
  const marked = Array.from({ length: total }, (_, i) => markOf(i)).filter(Boolean).length;
  const about =
    `${total} JPEGs, 1920×1080 (1080×1920 for one in four), quality 80-90, 4:2:0, cut from ${SOURCES.length} Debian wallpapers ` +
    `(12 photos of mate-backgrounds, 3 renders of ukui-wallpapers; whole, 70%, 45% and 80% of their area); ` +
    `${total - marked} unmarked, ${marked} marked by \`aigc-mark mark\` (half with the metadata label and watermark, half with the watermark alone, --no-metadata)`;
  if (existsSync(STAMP)) return { dir: SCAN_DIR, files: total, marked, about };
  rmSync(SCAN_DIR, { recursive: true, force: true });
  mkdirSync(SCAN_DIR, { recursive: true });
  const tmp = join('bench/work/scan', 'tmp');
  mkdirSync(tmp, { recursive: true });
  const rand = prng(20261204);
  for (let s = 0; s < SOURCES.length; s++) {
    const [pkg, rel] = SOURCES[s]!;
    const src = debPackageFile(pkg, rel);
    if (!src) throw new Error(`${pkg} (${rel}) could not be found or fetched with apt-get download: the scan corpus needs it.`);
    for (let c = 0; c < CUTS.length; c++) {
      const i = s * CUTS.length + c;
      const quality = 80 + Math.floor(rand() * 11);
      const jpeg = await (await cut(src, CUTS[c]!, rand)).jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
      const mark = markOf(i);
      const name = `${String(i).padStart(3, '0')}-${mark ? `marked-${mark}` : 'unmarked'}.jpg`;
      if (!mark) {
        writeFileAtomic(join(SCAN_DIR, name), jpeg);
        continue;
      }
      const plain = join(tmp, `plain-${i}.jpg`);
      writeFileAtomic(plain, jpeg);
      const args = [cli, 'mark', plain, '-o', join(SCAN_DIR, name), '--producer', PRODUCER, '--force', ...(mark === 'watermark' ? ['--no-metadata'] : [])];
      const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`aigc-mark mark ${plain}: exit ${r.status}\n${r.stderr}`);
      log(`[scan corpus] ${name} marked`);
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  if (readdirSync(SCAN_DIR).length !== total) throw new Error(`${SCAN_DIR}: expected ${total} files`);
  writeFileAtomic(STAMP, `${about}\n`);
  return { dir: SCAN_DIR, files: total, marked, about };
}
