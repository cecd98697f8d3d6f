import { instantiateSync } from '@assemblyscript/loader';
import { checkCoreLayout, type LayoutExports } from './boundary.js';

/**
 * The one place the WASM core is instantiated, for Node and browsers alike.
 * Each flavour is instantiated once and cached; callers get typed views over
 * its memory with `f32`/`u8`, rebuilt per call because memory may grow.
 */
export type CoreFlavor = 'simd' | 'scalar';

/** The exports of assembly/index.ts, typed for TypeScript callers. */
export interface CoreExports {
  memory: WebAssembly.Memory;
  scratch(slot: number, bytes: number): number;
  releaseScratch(): void;
  seedPrng(seedHi: number, seedLo: number, stream: number): void;
  convEncode(bitsPtr: number, n: number, outPtr: number): void;
  viterbiDecode(softPtr: number, n: number, outPtr: number, survivorPtr: number): number;
  codedLength(dataBits: number): number;
  [kernel: string]: unknown;
}

export interface Core {
  readonly flavor: CoreFlavor;
  readonly exports: CoreExports;
  f32(ptr: number, length: number): Float32Array;
  u8(ptr: number, length: number): Uint8Array;
  i32(ptr: number, length: number): Int32Array;
}

/** Fetches the bytes of `core.<flavor>.wasm`; Node's entry swaps in a file reader. */
export type WasmSource = (fileName: string) => Promise<BufferSource>;

let source: WasmSource = async (fileName) => {
  // @vite-ignore keeps bundlers that use this module from inlining every file beside it.
  const response = await fetch(new URL(/* @vite-ignore */ `./${fileName}`, import.meta.url));
  if (!response.ok) throw new Error(`Could not load ${fileName}: HTTP ${response.status}`);
  return response.arrayBuffer();
};
const instances = new Map<CoreFlavor, Promise<Core>>();
let preferred: CoreFlavor | null = null;

export function setWasmSource(next: WasmSource): void {
  source = next;
  instances.clear();
}

// The smallest module using a v128 instruction: valid only where SIMD is supported.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

export function simdSupported(): boolean {
  return WebAssembly.validate(SIMD_PROBE);
}

/** Forces a flavour for every later `getCore()` (benches compare them); null restores auto. */
export function preferCoreFlavor(flavor: CoreFlavor | null): void {
  preferred = flavor;
}

export function loadCore(flavor: CoreFlavor): Promise<Core> {
  let pending = instances.get(flavor);
  if (!pending) {
    pending = (async () => {
      const fileName = `core.${flavor}.wasm`;
      const bytes = await source(fileName);
      let readString: ((ptr: number) => string) | null = null;
      // Compiled here, then instantiated synchronously: the loader's async path probes for a fetch
      // Response first, and in Node that alone loads the whole fetch implementation (15 ms of start-up).
      const module = await WebAssembly.compile(bytes);
      const { exports } = instantiateSync<Record<string, unknown>>(module, {
        env: {
          // A failed assertion or bounds check inside the core (only in builds without noAssert).
          abort(message: number, file: number, line: number, column: number) {
            const text = (ptr: number) => (ptr && readString ? readString(ptr) : '?');
            throw new Error(`WASM core aborted: ${text(message)} (${text(file)}:${line}:${column})`);
          },
        },
      });
      readString = exports.__getString;
      checkCoreLayout(exports as unknown as LayoutExports, fileName);
      return wrap(flavor, exports as unknown as CoreExports);
    })();
    pending.catch(() => instances.delete(flavor));
    instances.set(flavor, pending);
  }
  return pending;
}

export function getCore(): Promise<Core> {
  return loadCore(preferred ?? (simdSupported() ? 'simd' : 'scalar'));
}

function wrap(flavor: CoreFlavor, exports: CoreExports): Core {
  return {
    flavor,
    exports,
    f32: (ptr, length) => new Float32Array(exports.memory.buffer, ptr, length),
    u8: (ptr, length) => new Uint8Array(exports.memory.buffer, ptr, length),
    i32: (ptr, length) => new Int32Array(exports.memory.buffer, ptr, length),
  };
}
