import { Redis } from 'ioredis';

/**
 * A Redis connection for BullMQ and pub/sub. BullMQ requires maxRetriesPerRequest = null so that
 * blocking commands wait through a Redis restart instead of failing.
 */
export function createRedis(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  // ioredis reconnects by itself; without a listener every failed attempt would be reported as an
  // unhandled error event while Redis restarts.
  redis.on('error', () => {});
  return redis;
}
