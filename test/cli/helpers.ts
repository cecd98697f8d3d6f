import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll } from 'vitest';
import { buildWav, pcm16WavInfo } from '../../src/audio/wav.js';
import { run } from '../../src/cli/program.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'src/cli/main.ts');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the bin from source in a child process, as a user would (exit code, real streams). */
export function bin(args: readonly string[]): Promise<CliRun> {
  return runTs([MAIN, ...args]);
}

/**
 * Runs the same command line in this process (no start-up cost). Tests that use it run one at
 * a time: the image engine shares WASM scratch memory between concurrent calls.
 */
export async function cli(args: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** Runs a TypeScript entry point from source (through tsx) in the repository root. */
export function runTs(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Every stdout line must be one JSON document. */
export function jsonLines(stdout: string): any[] {
  return stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l));
}

const created: string[] = [];

/** A scratch folder, removed with every other one after the test file's tests. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aigc-cli-'));
  created.push(dir);
  return dir;
}

afterAll(() => Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

/** A generated illustration-like image: gradients, waves and flat panels; alpha optional. */
export function texture(width: number, height: number, alpha = false): Buffer {
  const raw = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const x = i % width;
    const y = (i / width) | 0;
    raw[i * 4] = (x * 0.4 + 40 * Math.sin(y / 17)) & 255;
    raw[i * 4 + 1] = (y * 0.5 + Math.sin(x / 9) * 30 + 60) & 255;
    raw[i * 4 + 2] = ((x + y) / 5 + ((x * 7919 + y * 104729) % 13)) & 255;
    raw[i * 4 + 3] = alpha ? (x < width / 3 ? 160 : x < (2 * width) / 3 ? 255 : 40 + (y % 200)) : 255;
  }
  return raw;
}

export function png(width: number, height: number, alpha = false): Promise<Buffer> {
  return sharp(texture(width, height, alpha), { raw: { width, height, channels: 4 } }).png().toBuffer();
}

/** An 8 s mono WAV: a 351 Hz tone over seeded noise, enough texture to carry the audio watermark. */
export function toneWav8s(): Uint8Array {
  let seed = 1;
  const noise = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5;
  const samples = new Float32Array(44100 * 8).map((_, i) => 0.3 * Math.sin(i * 0.05) + 0.1 * noise());
  return buildWav(pcm16WavInfo(1, 44100), [samples]);
}

export function jpeg(width: number, height: number, quality = 85): Promise<Buffer> {
  return sharp(texture(width, height), { raw: { width, height, channels: 4 } }).jpeg({ quality }).toBuffer();
}

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** A decompression bomb's header: a valid IHDR claiming width×height, and almost no data. */
export function hugePngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', new Uint8Array([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

export { rejectionCode } from '../support/errors.js';
