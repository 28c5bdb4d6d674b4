import { bearerMatches } from '../infra/http/bearer.ts';
import { brokerTlsOptions } from '../infra/broker/tls-options.ts';
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import { createGeofenceEngine, DEFAULT_EPISODE_SETTINGS, type EpisodeSettings, type RuleKind } from '../geofence/index.ts';
import { DEFAULT_DETECTION } from './device-detector.ts';
import { topics } from '../infra/broker/topics.ts';
import type { Config } from '../infra/config/config.ts';
import { loadAdminUnits } from '../infra/db/admin-unit-repository.ts';
import { createPool, poolExecutor } from '../infra/db/sql.ts';
import type { Logger } from '../infra/logging/logger.ts';
import { DeviceRegistry } from './device-registry.ts';
import { ContextChangeListener } from './context-change-listener.ts';
import { UplinkStore } from './uplink-store.ts';
import { IngestMetrics } from './ingest-metrics.ts';
import { IngestService } from './ingest-service.ts';

export interface IngestRuntime {
  service: IngestService;
  metrics: IngestMetrics;
  pool: pg.Pool;
  http: FastifyInstance;
  stop(): Promise<void>;
}

export interface IngestRuntimeOptions {
  /** Confirmation per rule; scenario tests shorten dwell times here. */
  episodeSettings?: Record<RuleKind, EpisodeSettings>;
  /** Serve /metrics and /health (the production process does; tests may not need the port). */
  serveMetrics?: boolean;
}

/** Wires the ingest service from configuration; used by ingest/main.ts and by the tests. */
export async function startIngest(config: Config, log: Logger, opts: IngestRuntimeOptions = {}): Promise<IngestRuntime> {
  const pool = createPool(config.DATABASE_URL, config.DB_POOL_MAX);
  const units = await loadAdminUnits(poolExecutor(pool));
  if (units.length === 0) throw new Error('no administrative units in the database: run `npm run import:units` first');
  const engine = createGeofenceEngine(units);
  // The country's index serves every fix: build it (about 1.5 s) before the first beacon waits on it.
  engine.prepare([]);
  const metrics = new IngestMetrics();
  const registry = new DeviceRegistry(pool, config.INGEST_CONTEXT_TTL_MS);
  const contextChanges = new ContextChangeListener(config.DATABASE_URL, registry, log);
  await contextChanges.start();
  const service = new IngestService(
    {
      mqttUrl: config.MQTT_URL,
      ...brokerTlsOptions(config.MQTT_TLS_CA_FILE),
      username: config.MQTT_INGEST_USERNAME,
      password: config.MQTT_INGEST_PASSWORD,
      clientId: config.INGEST_INSTANCE_ID,
      shareGroup: config.MQTT_SHARE_GROUP,
      batchMax: config.INGEST_BATCH_MAX,
      batchMs: config.INGEST_BATCH_MS,
      lanes: config.INGEST_LANES,
      limits: {
        maxPayloadBytes: config.INGEST_MAX_PAYLOAD_BYTES,
        maxFutureMs: config.INGEST_MAX_FUTURE_MS,
        maxAgeMs: config.POSITION_RETENTION_DAYS * 86_400_000,
      },
    },
    topics(config.MQTT_TOPIC_ROOT),
    pool,
    registry,
    new UplinkStore(pool, engine, { ...DEFAULT_DETECTION, fastIntervalS: config.EPISODE_REPORT_INTERVAL_S, episodes: opts.episodeSettings ?? DEFAULT_EPISODE_SETTINGS }, { factor: config.SILENCE_FACTOR, graceMs: config.SILENCE_GRACE_S * 1000 }, {
      afterMs: config.NO_LOCATION_AFTER_S * 1000,
      goodAccuracyM: config.NO_LOCATION_GOOD_ACCURACY_M,
      movingSpeedMps: config.NO_LOCATION_MOVING_SPEED_MPS,
    }),
    metrics,
    log,
  );

  // Partition upkeep for the native storage path (a no-op under TimescaleDB): now and hourly.
  const maintain = () =>
    pool
      .query<{ report: string }>('select maintain_position_storage() as report')
      .then((r) => log.info({ report: r.rows[0]?.report }, 'position storage maintained'))
      .catch((err: Error) => log.error({ err: err.message }, 'position storage maintenance failed'));
  await maintain();
  const upkeep = setInterval(maintain, 3_600_000);

  const http = Fastify({ logger: false });
  http.get('/metrics', async (request, reply) => {
    // The same bearer token as the dashboard's /metrics (production requires one).
    if (config.METRICS_TOKEN && !bearerMatches(request.headers.authorization, config.METRICS_TOKEN)) return reply.status(401).header('www-authenticate', 'Bearer').send('bearer token required\n');
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  http.get('/health', async () => ({ status: 'ok' }));
  if (opts.serveMetrics ?? true) await http.listen({ host: config.HTTP_HOST, port: config.INGEST_METRICS_PORT });

  await service.start();
  log.info({ units: units.length }, 'ingest running');
  return {
    service,
    metrics,
    pool,
    http,
    async stop() {
      clearInterval(upkeep);
      await service.stop();
      await contextChanges.stop();
      await http.close();
      await pool.end();
    },
  };
}
