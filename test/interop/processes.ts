import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'src/cli/main.ts');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Started {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Spawns a process and resolves once `ready` matches its output; rejects if it exits first or cannot start. */
export function startProcess(command: string, args: readonly string[], ready: RegExp): Promise<Started> {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.once('error', (e) => reject(new Error(`cannot start ${command}: ${e.message}`)));
    const onData = (d: Buffer) => {
      output += d;
      if (ready.test(output)) resolve({ child, output: () => output, exited });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`${command} exited with ${code} before it was ready:\n${output}`)));
  });
}

/** A real redis-server on a free port, nothing persisted. A missing redis-server fails the test. */
export async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const redis = await startProcess('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], /Ready to accept connections/);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      redis.child.kill('SIGTERM');
      await redis.exited;
    },
  };
}

/** `aigc-mark worker` from source, ready once it has connected and says so. */
export function startWorker(args: readonly string[]): Promise<Started> {
  return startProcess(process.execPath, ['--import', 'tsx', MAIN, 'worker', ...args], /aigc-mark worker: \d+ at a time/);
}
