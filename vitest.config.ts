import { defineConfig } from 'vitest/config';

/** `npm test`: needs only Node and npm (third-party tools come from the registry). */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/interop/**', '**/node_modules/**'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: one worker per core keeps CPU-heavy watermark tests from starving each other.
    maxWorkers: 2,
  },
});
