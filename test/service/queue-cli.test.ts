import { describe, expect, it } from 'vitest';
import { freePort } from '../interop/processes.js';
import { bin } from '../cli/helpers.js';

// The queue commands' failures that need no Redis: usage errors, and a Redis that is not there.
describe('queue commands without a reachable Redis', { timeout: 60_000 }, () => {
  it('exits 2 when --redis is missing or not a redis:// URL', async () => {
    const missing = await bin(['queue', 'add', 'somewhere']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--redis/);
    const wrong = await bin(['worker', '--redis', 'http://localhost:6379']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/BAD_OPTION: --redis expects a redis:\/\//);
  });

  it('fails with IO_ERROR (exit 3) instead of hanging when nothing listens at the URL', async () => {
    const port = await freePort();
    const run = await bin(['queue', 'report', '--redis', `redis://127.0.0.1:${port}`]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/IO_ERROR: Cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ within 10 s/);
  });
});
