export * from './embed.js';
export * from './detect.js';
export { TILE_PIXELS, DEFAULT_MAX_PIXELS } from './limits.js';
