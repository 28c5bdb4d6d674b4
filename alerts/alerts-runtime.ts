import type { Queue } from 'bullmq';
import type pg from 'pg';
import type { Config } from '../infra/config/config.ts';
import { createPool } from '../infra/db/sql.ts';
import type { Logger } from '../infra/logging/logger.ts';
import { createRedis } from '../infra/redis/connection.ts';
import type { AlertIntent } from './alert-intent.ts';
import { createAlertIntentQueue } from './alert-intent-queue.ts';
import { AlertIntentWorker } from './alert-intent-worker.ts';
import { OutboxRelay } from './outbox-relay.ts';

export interface AlertsRuntime {
  pool: pg.Pool;
  queue: Queue<AlertIntent>;
  relay: OutboxRelay;
  worker: AlertIntentWorker;
  stop(): Promise<void>;
}

/** Wires the outbox relay and the alert-intent worker; used by alerts/main.ts and by the tests. */
export async function startAlerts(config: Config, log: Logger): Promise<AlertsRuntime> {
  const pool = createPool(config.DATABASE_URL, config.DB_POOL_MAX);
  const queueConnection = createRedis(config.REDIS_URL);
  const workerConnection = createRedis(config.REDIS_URL);
  const publisher = createRedis(config.REDIS_URL);
  const queue = createAlertIntentQueue(queueConnection, config.QUEUE_PREFIX);
  const relay = new OutboxRelay(pool, config.DATABASE_URL, queue, log, config.OUTBOX_POLL_MS);
  const worker = new AlertIntentWorker(pool, publisher, config.QUEUE_PREFIX, workerConnection, log);
  await relay.start();
  log.info('alerts running: outbox relay and alert-intent worker');
  return {
    pool,
    queue,
    relay,
    worker,
    async stop() {
      await relay.stop();
      await worker.close();
      await queue.close();
      for (const c of [queueConnection, workerConnection, publisher]) c.disconnect();
      await pool.end();
    },
  };
}
