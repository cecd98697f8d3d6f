// Child-process helpers for benches that drive external tools (ImageMagick, libjpeg, ffmpeg, butteraugli).
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
