// The one queue every aigc-mark process on a Redis shares, and how to reach that Redis.
import { Redis } from 'ioredis';
import { AigcError } from '../../errors.js';

export const QUEUE_NAME = 'aigc-mark-detect';

/** A connection as BullMQ needs it: commands wait through reconnects instead of failing. */
export function redisConnection(url: string): Redis {
  if (!/^rediss?:\/\//.test(url)) throw new AigcError('BAD_OPTION', `--redis expects a redis:// or rediss:// URL, not ${url}.`);
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}
