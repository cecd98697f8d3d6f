// The engine under test: src/node.ts of the working tree, or of a committed snapshot built by
// prepareEngineSnapshot() (run.ts --engine-rev REV) so that edits in progress cannot skew a run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
export interface Detection {
  found: boolean;
  payload: unknown | null;
  score: number;
  bitErrors?: number;
  expectedBitErrors?: number;
  candidates?: number;
  [k: string]: unknown;
}

export interface EngineApi {
  kind: 'engine';
  embedImage(rgba: Uint8ClampedArray, width: number, height: number, label: unknown, options?: { key?: Uint8Array | null; strength?: number }): Promise<{ rgba: Uint8ClampedArray; payload: unknown; psnr: number }>;
  detectImage(rgba: Uint8ClampedArray, width: number, height: number, options?: { key?: Uint8Array | null; expect?: unknown }): Promise<Detection>;
  createLabel(fields: { producer: string; produceId?: string }): unknown;
  encodeMintedId?(content: number): string;
  payloadFromLabel(label: unknown, keyed: boolean): unknown;
  preferCoreFlavor?(flavor: string | null): void;
}

export const PRODUCER = '001191440300708461136T1XGW3';

let cached: Promise<EngineApi> | null = null;

export function loadEngine(): Promise<EngineApi> {
  cached ??= (async () => {
    const dir = process.env.AIGC_BENCH_ENGINE_DIR;
    const mod = (await import(dir ? pathToFileURL(join(dir, 'src/node.ts')).href : '../../src/node.ts')) as Record<string, unknown>;
    if (typeof mod.embedImage !== 'function' || typeof mod.detectImage !== 'function') {
      throw new Error('src/node.ts does not export embedImage/detectImage');
    }
    return { kind: 'engine', ...(mod as object) } as unknown as EngineApi;
  })();
  return cached;
}

/** The engine's tuned constants (the same module instance the engine reads), so a bench can switch a layer off. */
export async function loadEngineTuning(): Promise<typeof import('../../src/image/tuning.ts')> {
  const dir = process.env.AIGC_BENCH_ENGINE_DIR;
  return import(dir ? pathToFileURL(join(dir, 'src/image/tuning.ts')).href : '../../src/image/tuning.ts');
}

/** Points the engine loader at `rev`'s snapshot (else the working tree), for this process and the workers it forks; returns how to name it. */
export function useEngineRev(rev: string | undefined): string {
  if (!rev) return `working tree at ${gitHead()}`;
  const snap = prepareEngineSnapshot(rev);
  process.env.AIGC_BENCH_ENGINE_DIR = snap.dir; // inherited by the workers
  return `commit ${snap.sha} (snapshot built in bench/image/.cache/engine)`;
}

/** Error code of a typed AigcError, else the message head. */
export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 80);
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The working tree's commit, marked -dirty when it has edits, for report headers. */
export function gitHead(): string {
  const r = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: REPO, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

function git(args: string[]): string {
  const r = spawnSync('git', args, { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * Extracts src/ and assembly/ of `rev` into bench/image/.cache/engine/<trees>, builds both WASM cores
 * there with the repo's AssemblyScript, and returns the folder (cached per commit).
 */
/** `sha` is `rev` itself (a path-limited log would follow a merge's other parent to an older commit). */
export function prepareEngineSnapshot(rev: string): { dir: string; sha: string } {
  const sha = git(['rev-parse', '--short=12', `${rev}^{commit}`]);
  // Keyed by the engine's own trees, so commits that only touch other folders reuse the build.
  const trees = git(['rev-parse', `${sha}:src`, `${sha}:assembly`]).split('\n').map((t) => t.slice(0, 8)).join('-');
  const dir = join(REPO, 'bench/image/.cache/engine', trees);
  if (existsSync(join(dir, 'src/wasm/core.scalar.wasm'))) return { dir, sha };
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const tar = spawnSync('sh', ['-c', `git archive ${sha} src assembly asconfig.json package.json tsconfig.json | tar -x -C "${tmp}"`], { cwd: REPO, stdio: 'inherit' });
  if (tar.status !== 0) throw new Error(`git archive ${sha} failed`);
  symlinkSync(join(REPO, 'node_modules'), join(tmp, 'node_modules'));
  for (const target of ['simd', 'scalar']) {
    const r = spawnSync(join(REPO, 'node_modules/.bin/asc'), ['assembly/index.ts', '--target', target], { cwd: tmp, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`asc --target ${target} failed for ${sha}`);
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { dir, sha };
}
