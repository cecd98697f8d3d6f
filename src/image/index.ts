export * from './engine.js';
export { TILE_PIXELS, DEFAULT_MAX_PIXELS } from './limits.js';
