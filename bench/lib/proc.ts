// Child-process helpers for benches that drive external tools (ImageMagick, libjpeg, ffmpeg, butteraugli)
// and that time whole processes (the CLI) under /usr/bin/time.
import { execFile, spawnSync } from 'node:child_process';

export interface ProcResult {
  stdout: Buffer;
  stderr: string;
}

/** Runs a tool with optional stdin bytes; rejects with the tool's stderr on a non-zero exit. */
export function runTool(cmd: string, args: string[], input?: Uint8Array, timeoutMs = 300_000): Promise<ProcResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { encoding: 'buffer', maxBuffer: 1 << 30, timeout: timeoutMs },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${cmd} ${args.join(' ').slice(0, 300)}: exit ${err.code ?? err.signal}\n${stderr.toString().slice(0, 1000)}`));
        else resolve({ stdout, stderr: stderr.toString() });
      },
    );
    if (input) child.stdin!.end(input);
    else child.stdin!.end();
  });
}

const found = new Map<string, boolean>();
/** True when `cmd` is on PATH (cached). */
export function haveTool(cmd: string): boolean {
  let ok = found.get(cmd);
  if (ok === undefined) {
    ok = spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
    found.set(cmd, ok);
  }
  return ok;
}

/** Runs async jobs with at most `limit` in flight, preserving input order in the result. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

export interface ProcessTiming {
  /** Wall-clock seconds. */
  wall: number;
  /** CPU seconds, user + system, of the process and every thread it ran. */
  cpu: number;
  /** Peak resident set, MB. */
  rssMb: number;
  stdout: string;
  status: number;
}

/**
 * One whole-process run under /usr/bin/time: wall and CPU seconds, peak resident MB, and its
 * stdout. Exit 1 counts as a result (detect exits 1 when nothing is found); any other non-zero
 * exit throws.
 */
export function timeProcess(cmd: string[]): ProcessTiming {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', ...cmd], { encoding: 'utf8', maxBuffer: 1 << 26 });
  // The last line of stderr is /usr/bin/time's, even when the tool's own stderr lacks a final newline.
  const line = r.stderr.match(/TIME [\d.]+ [\d.]+ [\d.]+ \d+\s*$/)?.[0].trim();
  if (!line) throw new Error(`${cmd.join(' ')}: no timing (exit ${r.status})\n${r.stderr.slice(-2000)}`);
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd.join(' ')}: exit ${r.status}\n${r.stderr.slice(-2000)}`);
  const [wall, user, sys, kb] = line.slice(5).split(' ').map(Number);
  return { wall, cpu: user + sys, rssMb: kb / 1024, stdout: r.stdout, status: r.status };
}
