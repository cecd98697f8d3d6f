// `MODULE_TRACE=<file> node --import ./test/support/module-trace.mjs …` appends to <file> one
// line per module file the process loads, through import (a loader hook sees each one) or
// require (the CommonJS cache, listed on exit), so a test can check what a job loads.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.MODULE_TRACE;
if (!file) throw new Error('module-trace.mjs: set MODULE_TRACE to the file to append to.');
register('./module-trace-hooks.mjs', import.meta.url, { data: { file } });
process.on('exit', () => appendFileSync(file, Object.keys(createRequire(import.meta.url).cache).join('\n') + '\n'));
