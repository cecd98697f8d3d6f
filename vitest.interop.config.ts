import { defineConfig } from 'vitest/config';

/**
 * `npm run test:interop`: what `npm test` cannot do on a bare machine. The tests that need
 * system tools (Chromium, ImageMagick, sox, lame, espeak-ng; .ci/run installs them), and the
 * whole `npm test` suite once more against the WASM core built with assertions on.
 */
export default defineConfig({
  test: {
    testTimeout: 180_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    setupFiles: ['test/support/setup.ts'],
    projects: [
      { extends: true, test: { name: 'interop', include: ['test/interop/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'checked-core',
          include: ['test/**/*.test.ts'],
          // The long-running suites (memory soak, 500-file scan, the HTTP service) exercise no core path the
          // rest does not, so the checked core skips them to keep CI short.
          exclude: ['test/interop/**', '**/node_modules/**', 'test/image/memory.test.ts', 'test/platform/scan-mixed.test.ts', 'test/service/**'],
          setupFiles: ['test/support/setup.ts', 'test/support/checked-core.ts'],
        },
      },
    ],
  },
});
