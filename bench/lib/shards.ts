// Splits a bench over worker processes: the script forks itself once per shard with `--shard k/n`
// appended to its own arguments, and each child sends back one result over IPC.
import { fork } from 'node:child_process';

/** Runs `script` once per shard (k of `workers`) and resolves with each shard's message. */
export function forkShards<T>(script: string, workers: number): Promise<T[]> {
  return Promise.all(Array.from({ length: workers }, (_, k) => new Promise<T>((resolve, reject) => {
    const child = fork(script, [...process.argv.slice(2), '--shard', `${k}/${workers}`], { execArgv: ['--import', 'tsx'], env: { ...process.env, VIPS_CONCURRENCY: '1' } });
    let got: T | null = null;
    child.on('message', (m) => { got = m as T; });
    child.on('exit', (code) => (got ? resolve(got) : reject(new Error(`shard ${k} exited ${code}`))));
  })));
}

/** The items of shard `spec` ("k/n"): every n-th, starting at k. */
export function shardOf<T>(items: T[], spec: string): T[] {
  const [k, n] = spec.split('/').map(Number) as [number, number];
  return items.filter((_, i) => i % n === k);
}
