// The full Noto Sans CJK SC Bold face, for drawing look-alike plates with other words (hard
// negatives). Taken from the system or fetched with `apt-get download fonts-noto-cjk` into
// bench/work (never committed).
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { glyphSetFromFont, type FontSubset } from '../../src/explicit/font-file.ts';

const REL = 'usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc';
const DEB_DIR = 'bench/work/explicit/deb';

export function notoCjkBold(chars: string): FontSubset {
  let path = join('/', REL);
  if (!existsSync(path)) {
    path = join(DEB_DIR, REL);
    if (!existsSync(path)) {
      mkdirSync(DEB_DIR, { recursive: true });
      const dl = spawnSync('apt-get', ['download', 'fonts-noto-cjk'], { cwd: DEB_DIR, stdio: 'inherit', timeout: 300_000 });
      const deb = readdirSync(DEB_DIR).find((f) => f.startsWith('fonts-noto-cjk_') && f.endsWith('.deb'));
      if (dl.status !== 0 || !deb) throw new Error('fonts-noto-cjk is neither installed nor downloadable (apt-get download fonts-noto-cjk)');
      spawnSync('dpkg-deb', ['-x', join(DEB_DIR, deb), DEB_DIR], { stdio: 'inherit' });
    }
  }
  return glyphSetFromFont(new Uint8Array(readFileSync(path)), chars, 'NotoSansCJKsc-Bold');
}
