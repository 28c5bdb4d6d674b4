import { Redis } from 'ioredis';

/**
 * A Redis connection for BullMQ and pub/sub. BullMQ requires maxRetriesPerRequest = null so that
 * blocking commands wait through a Redis restart instead of failing.
 */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
