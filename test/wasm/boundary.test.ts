// The WASM boundary checks itself: the core exports its layout constants and the loader
// refuses a core whose constants differ from the TypeScript side's.
import { describe, expect, it } from 'vitest';
import '../../src/wasm/node-source.js';
import { checkCoreLayout, CODED_BITS, IMAGE_SLOTS } from '../../src/wasm/boundary.js';
import { loadCore } from '../../src/wasm/core.js';
import * as layout from '../../src/wasm/layout.js';

describe('WASM layout constants', () => {
  it.each(['simd', 'scalar'] as const)('the %s core exports every layout constant, equal to the TypeScript one', async (flavor) => {
    const core = await loadCore(flavor);
    const exported = core.exports as unknown as Record<string, WebAssembly.Global>;
    for (const [name, value] of Object.entries(layout)) expect(exported[name].value, name).toBe(value);
    expect(exported.IMAGE_SLOTS.value).toBe(IMAGE_SLOTS);
    expect(core.exports.codedLength(96)).toBe(CODED_BITS);
    expect(() => checkCoreLayout(core.exports)).not.toThrow();
  });

  it('refuses a core built from other sources, naming what differs', async () => {
    const core = await loadCore('simd');
    const stale = { ...core.exports, AUDIO_FRAME: new WebAssembly.Global({ value: 'i32', mutable: false }, 512) };
    expect(() => checkCoreLayout(stale, 'core.simd.wasm')).toThrow(/core\.simd\.wasm does not match .*AUDIO_FRAME is 512, TypeScript expects 256.*npm run build:wasm/);
    const { IMAGE_TILE: _tile, ...missing } = core.exports as Record<string, unknown>;
    expect(() => checkCoreLayout(missing as never)).toThrow(/IMAGE_TILE is missing/);
    expect(() => checkCoreLayout({ ...core.exports, codedLength: () => 300 })).toThrow(/codedLength\(96\) is 300, TypeScript expects 306/);
  });
});
