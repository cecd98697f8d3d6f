import { readFile } from 'node:fs/promises';
import { setWasmSource } from './core.js';

/** Node cannot fetch file: URLs; read the core from disk beside this module instead. */
setWasmSource((fileName) => readFile(new URL(`./${fileName}`, import.meta.url)));
