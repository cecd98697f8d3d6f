// The one queue every aigc-mark process on a Redis shares, and how to reach that Redis.
import { Redis } from 'ioredis';
import { AigcError } from '../../errors.js';

export const QUEUE_NAME = 'aigc-mark-detect';

/**
 * A connection as BullMQ needs it (commands wait through reconnects instead of failing), once
 * Redis has answered: an unreachable Redis is an error at start, not a silent hang.
 */
export async function connectRedis(url: string, timeoutMs = 10_000): Promise<Redis> {
  if (!/^rediss?:\/\//.test(url)) throw new AigcError('BAD_OPTION', `--redis expects a redis:// or rediss:// URL, not ${url}.`);
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  let lastError = '';
  redis.on('error', (e: Error) => void (lastError = e.message));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(lastError || 'no answer')), timeoutMs);
      redis.once('ready', () => (clearTimeout(timer), resolve()));
    });
  } catch (e) {
    redis.disconnect();
    throw new AigcError('IO_ERROR', `Cannot reach Redis at ${url} within ${timeoutMs / 1000} s: ${(e as Error).message}.`, { cause: e });
  }
  return redis;
}
