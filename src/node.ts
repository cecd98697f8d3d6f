// Node entry: the universal API plus file I/O.
import './wasm/node-source.js';
export * from './index.js';
