/**
 * The independent tools the metadata tests check against. CI installs them
 * (.ci/run: libimage-exiftool-perl, ffmpeg, imagemagick); a missing tool fails the
 * test with a message saying what to install, it never skips the check.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type OutputInfo } from 'sharp';

const PACKAGES: Record<string, string> = {
  exiftool: 'libimage-exiftool-perl',
  ffprobe: 'ffmpeg',
  ffmpeg: 'ffmpeg',
  convert: 'imagemagick',
};

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  status: number;
}

export function run(tool: string, args: string[], input?: Uint8Array): RunResult {
  const r = spawnSync(tool, args, { input, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error(`${tool} is required by the metadata tests: install the Debian package ${PACKAGES[tool] ?? tool}.`);
    }
    throw r.error;
  }
  return { stdout: r.stdout, stderr: r.stderr.toString(), status: r.status ?? -1 };
}

export function runOk(tool: string, args: string[], input?: Uint8Array): Buffer {
  const r = run(tool, args, input);
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
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

/** Decodes through ImageMagick to 8-bit RGBA. */
export function magickPixels(path: string): Buffer {
  return runOk('convert', [path, '-depth', '8', 'rgba:-']);
}

export interface ProbeResult {
  streams: Record<string, unknown>[];
  format: Record<string, unknown>;
}

export function ffprobe(path: string): ProbeResult {
  const r = run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', path]);
  if (r.status !== 0 || r.stderr.trim() !== '') throw new Error(`ffprobe rejects ${path}: ${r.stderr}`);
  return JSON.parse(r.stdout.toString()) as ProbeResult;
}

/** The decoded audio as raw 16-bit PCM (ffmpeg), to show the samples did not change. */
export function decodedPcm(path: string): Buffer {
  return runOk('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:a', '-f', 's16le', '-']);
}
