// The core built with assertions on (npm run build:wasm:checked): a bad argument stops it
// with the core's own message, which the loader passes on.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import '../../src/wasm/node-source.js';
import { loadCore, setWasmSource } from '../../src/wasm/core.js';

setWasmSource((fileName) => readFile(new URL(`../../src/wasm/${fileName.replace(/\.wasm$/, '.checked.wasm')}`, import.meta.url)));

describe('the checked core', () => {
  it.each(['simd', 'scalar'] as const)('%s: an out-of-range scratch slot aborts with its message and source position', async (flavor) => {
    const core = await loadCore(flavor);
    expect(core.exports.scratch(0, 16)).toBeGreaterThan(0);
    expect(() => core.exports.scratch(99, 16)).toThrow(/^WASM core aborted: scratch: slot number out of range \(assembly\/arena\.ts:\d+:\d+\)$/);
  });
});
