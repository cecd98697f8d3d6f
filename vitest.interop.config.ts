import { defineConfig } from 'vitest/config';

// Tests that need system tools the npm registry cannot supply (redis-server, ...): `npm run test:interop`.
export default defineConfig({
  test: {
    include: ['test/interop/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    maxWorkers: 1,
  },
});
