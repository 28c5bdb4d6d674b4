import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { startAlerts, type AlertsRuntime } from '../../alerts/alerts-runtime.ts';
import { startIngest, type IngestRuntime } from '../../ingest/ingest-runtime.ts';
import { loadConfig, type Config } from '../../infra/config/config.ts';
import { createPool } from '../../infra/db/sql.ts';
import { createLogger } from '../../infra/logging/logger.ts';
import { createRedis } from '../../infra/redis/connection.ts';
import { startScenarioBroker, type ScenarioBroker } from './scenario-broker.ts';
import { settingsEnv, type ResolvedSettings } from './scenario-settings.ts';

export interface ScenarioPlatform {
  config: Config;
  broker: ScenarioBroker;
  ingest: IngestRuntime;
  alerts: AlertsRuntime;
  /** A pool for seeding and for checking expectations. */
  pool: pg.Pool;
  stop(): Promise<void>;
}

/**
 * The platform, really started in this process with a scenario's thresholds: a throwaway broker
 * with the project's configuration, ingest (startIngest, with the scenario's hysteresis) and
 * alerts (startAlerts: relay, worker, watchdogs, SLA, downlink) on `databaseUrl` and REDIS_URL,
 * under a BullMQ prefix of its own that is deleted from Redis when it stops.
 */
export async function startScenarioPlatform(databaseUrl: string, settings: ResolvedSettings, env: Record<string, string | undefined> = process.env): Promise<ScenarioPlatform> {
  const id = randomBytes(4).toString('hex');
  const broker = await startScenarioBroker();
  try {
    const config = loadConfig({
      ...env,
      DATABASE_URL: databaseUrl,
      MQTT_URL: broker.url,
      MQTT_INGEST_USERNAME: broker.ingest.username,
      MQTT_INGEST_PASSWORD: broker.ingest.password,
      MQTT_COMMANDER_USERNAME: broker.commander.username,
      MQTT_COMMANDER_PASSWORD: broker.commander.password,
      MQTT_SHARE_GROUP: '',
      MQTT_TOPIC_ROOT: broker.topics.root,
      DEVICE_PASSWORD_SEED: broker.seed,
      QUEUE_PREFIX: `em-scenario-${id}`,
      INGEST_INSTANCE_ID: `scenario-ingest-${id}`,
      INGEST_METRICS_PORT: '0',
      WEBHOOK_URLS: '',
      LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
      ...settingsEnv(settings),
    });
    const log = createLogger('scenario', config.LOG_LEVEL);
    const ingest = await startIngest(config, log, { episodeSettings: settings.episodes, serveMetrics: false });
    const alerts = await startAlerts(config, log);
    const pool = createPool(config.DATABASE_URL, 4);
    return {
      config, broker, ingest, alerts, pool,
      async stop() {
        await ingest.stop();
        await alerts.stop();
        await broker.stop();
        await pool.end();
        await deleteQueueKeys(config.REDIS_URL, config.QUEUE_PREFIX);
      },
    };
  } catch (err) {
    await broker.stop();
    throw err;
  }
}

/** Removes this run's BullMQ keys (the repeatable sweep would otherwise stay in Redis forever). */
async function deleteQueueKeys(url: string, prefix: string): Promise<void> {
  const redis = createRedis(url);
  try {
    const stream = redis.scanStream({ match: `${prefix}:*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
