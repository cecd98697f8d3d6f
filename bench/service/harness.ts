// Shared plumbing for the service benches: the built CLI started as users start it, a real
// redis-server, memory sampling, and the generated uploads.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { landscape } from '../image/procedural.ts';
import { sharpOf } from '../image/raster.ts';
import { startProcess, type Started } from '../../test/interop/processes.ts';

export { startRedis } from '../../test/interop/processes.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist/src/cli/main.js');

/** Compiles the TypeScript, so the benches run the same JavaScript `npm start` users run. */
export function buildDist(): void {
  const r = spawnSync('npm', ['run', 'build:ts'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build:ts failed');
}

export async function startServe(args: readonly string[]): Promise<Started & { url: string }> {
  const s = await startProcess(process.execPath, [CLI, 'serve', '--port', '0', ...args], /listening on http:\/\/\S+ /);
  return { ...s, url: /listening on (http:\/\/\S+)/.exec(s.output())![1]! };
}

export function startWorker(redis: string, args: readonly string[]): Promise<Started> {
  return startProcess(process.execPath, [CLI, 'worker', '--redis', redis, ...args], /aigc-mark worker: \d+ at a time/);
}

export function cli(args: readonly string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`aigc-mark ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

/** Resident memory of a process (the service's threads included), in MiB. */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU seconds a process has used so far, all its threads together (user + system). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // After the command name: state is field 3, utime field 14, stime field 15 (1-based, man proc).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Samples a process's RSS every `everyMs` until stopped. */
export function sampleRss(pid: number, everyMs = 1000): { stop(): { t: number; mib: number }[] } {
  const start = performance.now();
  const samples: { t: number; mib: number }[] = [];
  const take = () => samples.push({ t: (performance.now() - start) / 1000, mib: rssMiB(pid) });
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** Uploads: a 1920×1080 JPEG photo and a 512×512 PNG, procedural landscapes with grain. */
export async function uploads(): Promise<{ jpeg1080: Buffer; png512: Buffer }> {
  return {
    jpeg1080: await sharpOf(landscape(1920, 1080, 11)).jpeg({ quality: 85 }).toBuffer(),
    png512: await sharpOf(landscape(512, 512, 12)).png().toBuffer(),
  };
}

export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
