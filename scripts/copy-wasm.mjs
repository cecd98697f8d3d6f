// tsc does not copy assets: put the built cores next to the compiled loader.
import { copyFileSync, mkdirSync } from 'node:fs';
mkdirSync('dist/src/wasm', { recursive: true });
for (const flavor of ['simd', 'scalar']) copyFileSync(`src/wasm/core.${flavor}.wasm`, `dist/src/wasm/core.${flavor}.wasm`);
