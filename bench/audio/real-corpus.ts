/**
 * Real recordings from Debian's data packages (all in Debian main, so DFSG-free:
 * GPL-2+, CC BY-SA or BSD-like), fetched at bench time with `apt-get download` and
 * unpacked with `dpkg-deb -x` into bench/audio/.cache. No media is committed.
 *
 * Two splits from different packages: `tuning` (measured while changing the engine)
 * and `held-out` (run only to report). Every clip is 44.1 kHz stereo 16-bit WAV.
 * Marked clips are 30 s from the middle of a track; speech clips are consecutive
 * recorded lines of one character, joined until 30 s. The false-positive set takes
 * other stretches of the same packages (`fpSeconds`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clip } from './corpus.js';

export const CACHE = 'bench/audio/.cache';
export type Split = 'tuning' | 'held-out';

export interface RealClip extends Clip {
  genre: string;
  split: Split;
  source: string;
}

interface Source {
  pkg: string;
  genre: string;
  kind: 'speech' | 'music';
  split: Split;
  /** Where the media lie in the unpacked package (and, for a .pk3, inside the zip). */
  dir: string;
  zip?: string;
  /** Files of one clip group: a music track, or a speech character's lines. */
  match: RegExp;
  /** Marked clips (30 s) and false-positive stretches taken from this source. */
  clips: number;
  fpClips: number;
}

const SOURCES: Source[] = [
  // tuning
  { pkg: 'wesnoth-1.16-music', genre: 'orchestral', kind: 'music', split: 'tuning', dir: 'usr/share/games/wesnoth/1.16/data/core/music', match: /\.ogg$/, clips: 3, fpClips: 6 },
  { pkg: 'hyperrogue-music', genre: 'ambient', kind: 'music', split: 'tuning', dir: 'usr/share/hyperrogue/music', match: /\.ogg$/, clips: 3, fpClips: 6 },
  { pkg: 'nexuiz-music', genre: 'electronic-rock', kind: 'music', split: 'tuning', dir: 'usr/share/games/nexuiz/data', zip: 'music.pk3', match: /cdtracks\/.*\.ogg$/, clips: 3, fpClips: 6 },
  { pkg: 'fillets-ng-data-cs', genre: 'speech-cs', kind: 'speech', split: 'tuning', dir: 'usr/share/games/fillets-ng/sound', match: /\/cs\/[^/]+-[mv]-[^/]+\.ogg$/, clips: 4, fpClips: 8 },
  // held-out
  { pkg: 'drascula-music', genre: 'soundtrack', kind: 'music', split: 'held-out', dir: 'usr/share/scummvm/drascula/audio', match: /\.ogg$/, clips: 3, fpClips: 6 },
  { pkg: 'asc-music', genre: 'rock', kind: 'music', split: 'held-out', dir: 'usr/share/games/asc/music', match: /\.mp3$/, clips: 3, fpClips: 3 },
  { pkg: 'planetblupi-music-ogg', genre: 'pop', kind: 'music', split: 'held-out', dir: 'usr/share/planetblupi/music', match: /\.ogg$/, clips: 3, fpClips: 6 },
  { pkg: 'fillets-ng-data-nl', genre: 'speech-nl', kind: 'speech', split: 'held-out', dir: 'usr/share/games/fillets-ng/sound', match: /\/nl\/[^/]+-[mv]-[^/]+\.ogg$/, clips: 4, fpClips: 8 },
  { pkg: 'boswars-data', genre: 'speech-en', kind: 'speech', split: 'held-out', dir: 'usr/share/games/boswars/campaigns', match: /\.wav$/, clips: 1, fpClips: 2 },
];

const sh = (cmd: string, args: string[], cwd?: string) => execFileSync(cmd, args, { stdio: 'pipe', cwd, maxBuffer: 1 << 26 });

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Unpacks a package's media once; returns the media files, sorted. */
function unpack(source: Source): string[] {
  const root = join(CACHE, 'pkg', source.pkg);
  if (!existsSync(join(root, '.done'))) {
    const debs = join(CACHE, 'deb');
    mkdirSync(debs, { recursive: true });
    if (!readdirSync(debs).some((f) => f.startsWith(`${source.pkg}_`))) sh('apt-get', ['download', source.pkg], debs);
    const deb = readdirSync(debs).find((f) => f.startsWith(`${source.pkg}_`))!;
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    sh('dpkg-deb', ['-x', join(debs, deb), root]);
    if (source.zip) sh('unzip', ['-q', '-o', join(root, source.dir, source.zip), '-d', join(root, source.dir)]);
    sh('touch', [join(root, '.done')]);
  }
  return walk(join(root, source.dir)).filter((f) => source.match.test(f)).sort();
}

/** Seconds of a media file; 0 for one ffmpeg cannot read (a few packaged Vorbis headers are damaged), so it is skipped. */
function duration(path: string): number {
  try {
    return Number(sh('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path]).toString().trim()) || 0;
  } catch {
    return 0;
  }
}
const toWav = (input: string, output: string, start: number, seconds: number) =>
  sh('ffmpeg', ['-v', 'error', '-y', '-ss', start.toFixed(3), '-t', String(seconds), '-i', input, '-ar', '44100', '-ac', '2', '-c:a', 'pcm_s16le', output]);

/** Music: the longest tracks, each cut from its middle (the marked clip) or from after that (false positives). */
function musicClips(source: Source, files: string[], which: 'marked' | 'fp', seconds: number, out: string): string[] {
  const tracks = files.map((f) => ({ f, d: duration(f) })).filter((t) => t.d >= seconds + 5).sort((a, b) => b.d - a.d || (a.f < b.f ? -1 : 1));
  // Marked clips come from the longest tracks; false-positive stretches from the next ones (and from the start of the marked ones when a package runs short).
  const picked = which === 'marked' ? tracks.slice(0, source.clips) : [...tracks.slice(source.clips), ...tracks.slice(0, source.clips)].slice(0, source.fpClips);
  return picked.map((t, i) => {
    const path = join(out, `${source.genre}-${which}-${i}.wav`);
    const start = which === 'marked' ? Math.max(0, t.d / 2 - seconds / 2) : 0;
    if (!existsSync(path)) {
      toWav(t.f, `${path}.tmp.wav`, start, Math.min(seconds, t.d - start));
      renameSync(`${path}.tmp.wav`, path);
    }
    return path;
  });
}

/**
 * Speech: lines of one speaker joined in file order. fillets-ng names a line
 * level-speaker-word; the two fish (m, v) are two actors. Clip i takes speaker i % 2,
 * starting at line block i / 2; false-positive clips take later blocks.
 */
function speechClips(source: Source, files: string[], which: 'marked' | 'fp', seconds: number, out: string): string[] {
  const speakers = new Map<string, string[]>();
  for (const f of files) {
    const who = /-([mv])-[^/]+$/.exec(f)?.[1] ?? 'narrator';
    speakers.set(who, [...(speakers.get(who) ?? []), f]);
  }
  const voices = [...speakers.values()];
  const count = which === 'marked' ? source.clips : source.fpClips;
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const lines = voices[i % voices.length];
    const block = Math.floor(i / voices.length) + (which === 'fp' ? Math.ceil(source.clips / voices.length) : 0);
    const path = join(out, `${source.genre}-${which}-${i}.wav`);
    paths.push(path);
    if (existsSync(path)) continue;
    // Each block takes lines until it holds `seconds` of speech; blocks follow each other through the list.
    let at = 0;
    let chosen: string[] = [];
    for (let b = 0; b <= block; b++) {
      chosen = [];
      let total = 0;
      while (total < seconds + 1 && lines.length > 0) {
        const f = lines[at++ % lines.length];
        const d = duration(f);
        if (d > 0) chosen.push(f);
        total += d;
      }
    }
    const parts = chosen.map((f, j) => {
      const p = `${path}.${j}.wav`;
      toWav(f, p, 0, 600);
      return p;
    });
    sh('sox', [...parts, `${path}.tmp.wav`, 'trim', '0', String(seconds)]);
    renameSync(`${path}.tmp.wav`, path);
    for (const p of parts) rmSync(p);
  }
  return paths;
}

/**
 * The real-recording corpus of one split: `marked` gives the 30 s clips that the
 * robustness bench marks and attacks, `fp` the unmarked stretches of `fpSeconds`.
 */
export function realCorpus(split: Split, which: 'marked' | 'fp' = 'marked', fpSeconds = 60): RealClip[] {
  for (const tool of ['apt-get', 'dpkg-deb', 'ffmpeg', 'ffprobe', 'sox', 'unzip']) {
    try {
      sh('sh', ['-c', `command -v ${tool}`]);
    } catch {
      throw new Error(`The real-recording audio bench needs '${tool}' (Debian: apt-get install ffmpeg sox unzip).`);
    }
  }
  const out = join(CACHE, 'clips');
  mkdirSync(out, { recursive: true });
  const clips: RealClip[] = [];
  for (const source of SOURCES.filter((s) => s.split === split)) {
    const files = unpack(source);
    if (files.length === 0) throw new Error(`${source.pkg}: no media matched ${source.match} under ${source.dir}`);
    const seconds = which === 'marked' ? 30 : fpSeconds;
    const paths = source.kind === 'music' ? musicClips(source, files, which, seconds, out) : speechClips(source, files, which, seconds, out);
    paths.forEach((path, i) => clips.push({ name: `${source.genre}-${which === 'marked' ? '' : 'fp-'}${i}`, kind: source.kind, seconds: duration(path), path, genre: source.genre, split, source: source.pkg }));
  }
  return clips;
}

/** The packages of each split, for the result pages. */
export function realSources(split: Split): { pkg: string; genre: string; kind: string }[] {
  return SOURCES.filter((s) => s.split === split).map(({ pkg, genre, kind }) => ({ pkg, genre, kind }));
}
