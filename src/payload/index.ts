export * from './payload.js';
export * from './key.js';
export * from './produce-id.js';
