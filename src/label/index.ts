export * from './types.js';
export * from './validate.js';
export * from './json.js';
export * from './create.js';
