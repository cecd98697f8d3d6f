/**
 * The independent tools the tests check our files against.
 *
 * `npm test` needs only Node and npm: ffmpeg comes from @ffmpeg-installer/ffmpeg (a static
 * binary inside the registry tarball) and ExifTool from exiftool-vendored.pl (run by the
 * system Perl, Debian's `perl`). The system tools the registry cannot supply (ImageMagick, sox, lame,
 * espeak-ng) are used only by `npm run test:interop`; a missing one fails the test with
 * the Debian package to install, it never skips the check.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type OutputInfo } from 'sharp';

const require = createRequire(import.meta.url);

/** Tools from the npm registry: the command line that runs each. */
const NPM_TOOLS: Record<string, () => string[]> = {
  ffmpeg: () => [(require('@ffmpeg-installer/ffmpeg') as { path: string }).path],
  exiftool: () => {
    requirePerlZlib();
    return ['perl', require.resolve('exiftool-vendored.pl/bin/exiftool')];
  },
};

let perlChecked = false;

/**
 * ExifTool reads compressed PNG chunks (zTXt, iCCP) through Perl's Compress::Zlib, which
 * Debian ships in `perl` (on every standard install), not in the minimal `perl-base`.
 * Without it ExifTool answers with a different warning, so say what is missing instead.
 */
function requirePerlZlib(): void {
  if (perlChecked) return;
  const r = spawnSync('perl', ['-MCompress::Zlib', '-e', '1']);
  if (r.error || r.status !== 0) {
    throw new Error('ExifTool needs Perl with Compress::Zlib: install the Debian package perl (perl-base alone lacks it).');
  }
  perlChecked = true;
}

/** System tools (test:interop only) and the Debian package that has each. */
const DEBIAN_PACKAGES: Record<string, string> = {
  convert: 'imagemagick',
  sox: 'sox',
  lame: 'lame',
  'espeak-ng': 'espeak-ng',
  perl: 'perl-base',
};

/** The argv that runs `tool`: the npm-supplied binary where there is one, else the name on PATH. */
export function toolCommand(tool: string): string[] {
  return NPM_TOOLS[tool]?.() ?? [tool];
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  status: number;
}

export function run(tool: string, args: string[], input?: Uint8Array): RunResult {
  const [command, ...prefix] = toolCommand(tool);
  const r = spawnSync(command, [...prefix, ...args], { input, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES') {
      throw new Error(`${command} cannot run (${code}): install the Debian package ${DEBIAN_PACKAGES[command] ?? command} (.ci/run does).`);
    }
    throw r.error;
  }
  if (r.signal) throw new Error(`${tool} was killed by ${r.signal}.`);
  return { stdout: r.stdout, stderr: r.stderr.toString(), status: r.status ?? -1 };
}

export function runOk(tool: string, args: string[], input?: Uint8Array): Buffer {
  const r = run(tool, args, input);
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Fails unless `tool` runs: for tests that call it through another program. */
export function requireTool(tool: string, versionArgs = ['--version']): void {
  run(tool, versionArgs);
}

/** A scratch folder, removed by the returned cleanup. */
export function scratch(): { dir: string; file: (name: string, bytes?: Uint8Array) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'aigc-meta-'));
  return {
    dir,
    file(name, bytes) {
      const path = join(dir, name);
      if (bytes) writeFileSync(path, bytes);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** ExifTool's JSON for several files in one run (it is slow to start), keyed by file path. `-G1:4` names groups and numbers duplicate tags (Copy1, …). */
export function exiftoolJson(paths: string[], extra: string[] = []): Map<string, Record<string, unknown>> {
  const out = runOk('exiftool', ['-j', '-G1:4', '-a', ...extra, ...paths]);
  const list = JSON.parse(out.toString()) as Record<string, unknown>[];
  return new Map(list.map((r) => [r.SourceFile as string, r]));
}

/** ExifTool's -validate warnings for a file, by text. */
export function exiftoolWarnings(record: Record<string, unknown>): string[] {
  return Object.entries(record)
    .filter(([k]) => /Warning|Error/.test(k))
    .map(([, v]) => String(v));
}

export async function sharpPixels(bytes: Uint8Array): Promise<{ data: Buffer; info: OutputInfo }> {
  return sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
}

/** The attack the explicit label must survive: resize to half, JPEG q75, decode to RGBA (sharp). */
export async function jpegHalf(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<{ rgba: Uint8Array; width: number; height: number }> {
  const jpeg = await sharp(Buffer.from(rgba), { raw: { width, height, channels: 4 } })
    .resize(Math.round(width / 2), Math.round(height / 2))
    .jpeg({ quality: 75 })
    .toBuffer();
  const { data, info } = await sharp(jpeg).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { rgba: new Uint8Array(data), width: info.width, height: info.height };
}

/** Decodes through ffmpeg (its own PNG, JPEG and WebP decoders, not libvips) to 8-bit RGBA. */
export function ffmpegPixels(path: string): Buffer {
  return runOk('ffmpeg', ['-v', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgba', '-']);
}

/** Decodes through ImageMagick to 8-bit RGBA (test:interop). */
export function magickPixels(path: string): Buffer {
  return runOk('convert', [path, '-depth', '8', 'rgba:-']);
}

export interface ProbeResult {
  /** ffmpeg's description of each stream (codec, rate, layout, sample format, bit rate). */
  streams: string[];
  duration: string;
}

/** What ffmpeg's demuxer sees in a media file (as ffprobe would); throws when it reports a problem reading it. */
export function probe(path: string): ProbeResult {
  // With no output file ffmpeg describes the input, then exits 1 asking for an output.
  const info = run('ffmpeg', ['-hide_banner', '-i', path]).stderr;
  const problems = info.split('\n').filter((l) => /error|invalid|corrupt|truncat/i.test(l));
  if (problems.length > 0) throw new Error(`ffmpeg reports problems reading ${path}: ${problems.join('; ')}`);
  const streams = info.split('\n').filter((l) => /^\s*Stream #/.test(l)).map((l) => l.trim());
  const duration = /Duration: ([^,]+)/.exec(info)?.[1] ?? '';
  if (streams.length === 0) throw new Error(`ffmpeg finds no stream in ${path}: ${info}`);
  return { streams, duration };
}

/** The decoded audio as raw 16-bit PCM (ffmpeg), to show the samples did not change. */
export function decodedPcm(path: string): Buffer {
  return runOk('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:a', '-f', 's16le', '-']);
}
