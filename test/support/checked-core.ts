// Loads the WASM core built with assertions on (npm run build:wasm:checked) in place of the
// release build: the same suite then checks every bounds and argument assertion in the core.
import { readFile } from 'node:fs/promises';
import '../../src/wasm/node-source.js';
import { setWasmSource } from '../../src/wasm/core.js';

setWasmSource((fileName) => readFile(new URL(`../../src/wasm/${fileName.replace(/\.wasm$/, '.checked.wasm')}`, import.meta.url)));
