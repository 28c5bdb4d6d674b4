import { envSchema } from 'env-schema';
import { Type, type Static } from 'typebox';
import { productionProblems } from './production-checks.ts';

/**
 * Every setting comes from the environment and is validated once at start-up, so a typo in a
 * deployment fails loudly before any beacon is accepted. Defaults work on a developer machine
 * (services on 127.0.0.1, trust auth for PostgreSQL, the project's own broker on 1884).
 */
export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Enum(['development', 'test', 'production'], { default: 'development' }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),

  DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/kgz_em', pattern: '^postgres(ql)?://' }),
  DB_POOL_MAX: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  /** How long position rows are kept. A year of evidence is needed for the art. 168(2) window. */
  POSITION_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 400 }),
  /**
   * How long audit entries are kept (`npm run audit:prune`); the chain stays verifiable from the
   * prune's anchor. At least a year, the art. 168(2) window whose decisions the log must show.
   */
  AUDIT_RETENTION_DAYS: Type.Integer({ minimum: 365, maximum: 36_500, default: 1825 }),
  /** Native partitioning: how many daily partitions to keep created ahead of today. */
  POSITION_PARTITIONS_AHEAD_DAYS: Type.Integer({ minimum: 1, maximum: 90, default: 7 }),
  /** TimescaleDB: compress chunks older than this. */
  POSITION_COMPRESS_AFTER_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 7 }),

  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379/0', pattern: '^rediss?://' }),
  /** BullMQ key prefix; tests use their own so they never see the demo's jobs. */
  QUEUE_PREFIX: Type.String({ default: 'em', minLength: 1, pattern: '^[A-Za-z0-9_-]+$' }),

  MQTT_URL: Type.String({ default: 'mqtt://127.0.0.1:1884', pattern: '^(mqtts?|wss?)://' }),
  /**
   * TLS to the broker (docs/security.md "TLS"): the CA file the services trust for an mqtts:// or
   * wss:// MQTT_URL (empty: the system's CAs), and the certificate and key of the project broker's
   * TLS listener (empty: plain MQTT, which production allows on loopback only).
   */
  MQTT_TLS_CA_FILE: Type.String({ default: '' }),
  MQTT_TLS_CERT_FILE: Type.String({ default: '' }),
  MQTT_TLS_KEY_FILE: Type.String({ default: '' }),
  MQTT_INGEST_USERNAME: Type.String({ default: 'svc-ingest' }),
  MQTT_INGEST_PASSWORD: Type.String({ default: 'dev-ingest-password' }),
  MQTT_COMMANDER_USERNAME: Type.String({ default: 'svc-commander' }),
  MQTT_COMMANDER_PASSWORD: Type.String({ default: 'dev-commander-password' }),
  /**
   * Shared-subscription group: N ingest processes in the same group split the devices' traffic.
   * Empty (the default) = one ingest process with a plain persistent subscription, which Mosquitto
   * 2.0.11 restores after a broker restart; it does not restore shared ones (docs/scaling.md).
   */
  MQTT_SHARE_GROUP: Type.String({ default: '', pattern: '^[A-Za-z0-9_-]*$' }),
  MQTT_TOPIC_ROOT: Type.String({ default: 'em/v1', pattern: '^[A-Za-z0-9_/-]+$' }),
  /** Seed from which development/demo device passwords are derived (production provisions random ones). */
  DEVICE_PASSWORD_SEED: Type.String({ default: 'dev-device-seed', minLength: 8 }),

  HTTP_HOST: Type.String({ default: '127.0.0.1' }),
  /** Serve the dashboard over HTTPS with this certificate and key (PEM files); empty: plain HTTP, for loopback or behind a TLS proxy. */
  HTTPS_CERT_FILE: Type.String({ default: '' }),
  HTTPS_KEY_FILE: Type.String({ default: '' }),
  HTTP_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),

  /** Signed-in sessions last this long (a monitoring-centre shift plus margin). */
  SESSION_TTL_HOURS: Type.Number({ minimum: 0.1, maximum: 168, default: 12 }),
  /** Send the session cookie only over HTTPS; set true wherever the dashboard is served over TLS. */
  COOKIE_SECURE: Type.Boolean({ default: false }),
  /**
   * Bearer token that GET /metrics requires (`Authorization: Bearer <token>`). Empty: /metrics is
   * open, which development allows and production mode refuses (infra/config/production-checks.ts).
   */
  METRICS_TOKEN: Type.String({ default: '' }),
  /** Serve the OpenAPI document (/openapi.json) and its browsable UI (/docs). */
  API_DOCS: Type.Boolean({ default: true }),
  /**
   * Sign-in limiting, on Redis and shared by all dashboard processes (dashboard/plugins/application/
   * sign-in-limiter.ts): failed attempts per account and per address within LOGIN_WINDOW_MINUTES, and
   * per minute across everything, before a lock-out of LOGIN_LOCKOUT_MINUTES that doubles on each
   * repeat within a day. A password guesser gets 5 tries per account per quarter hour; a sprayer
   * gets 20 tries per address, whatever the accounts.
   */
  LOGIN_FAILURES_PER_ACCOUNT: Type.Integer({ minimum: 1, maximum: 10_000, default: 5 }),
  LOGIN_FAILURES_PER_IP: Type.Integer({ minimum: 1, maximum: 100_000, default: 20 }),
  LOGIN_FAILURES_GLOBAL_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 300 }),
  LOGIN_WINDOW_MINUTES: Type.Number({ minimum: 0.1, maximum: 1440, default: 15 }),
  LOGIN_LOCKOUT_MINUTES: Type.Number({ minimum: 0.01, maximum: 1440, default: 15 }),
  /** A critical alert nobody has acknowledged after this many minutes goes to the district's supervisor. */
  SLA_CRITICAL_ACK_MINUTES: Type.Number({ minimum: 0.01, maximum: 1440, default: 5 }),
  /** Acknowledgement targets the web UI counts down for other severities (only critical alerts escalate). */
  SLA_HIGH_ACK_MINUTES: Type.Number({ minimum: 0.01, maximum: 1440, default: 15 }),
  SLA_MEDIUM_ACK_MINUTES: Type.Number({ minimum: 0.01, maximum: 1440, default: 60 }),
  SLA_LOW_ACK_MINUTES: Type.Number({ minimum: 0.01, maximum: 1440, default: 240 }),
  /** Optional raster tile URL template for the web map ({z}/{x}/{y}); empty = the platform's own boundaries only, no internet. */
  MAP_TILE_URL: Type.String({ default: '' }),
  MAP_TILE_ATTRIBUTION: Type.String({ default: '' }),
  /** The web UI's build to serve; empty = dashboard/web/dist. Lets parallel checkouts' tests each build their own (WEB_OUT_DIR for `npm run build:web`). */
  WEB_DIST_DIR: Type.String({ default: '' }),

  /** Ingest batching: flush when this many fixes are buffered or this many ms have passed. */
  INGEST_BATCH_MAX: Type.Integer({ minimum: 1, maximum: 50_000, default: 5000 }),
  INGEST_BATCH_MS: Type.Integer({ minimum: 1, maximum: 10_000, default: 50 }),
  /** Batches committed in parallel by one ingest process (devices are spread over them by id). */
  INGEST_LANES: Type.Integer({ minimum: 1, maximum: 16, default: 2 }),
  /** Reject fixes whose device time is further than this in the future (clock skew allowance). */
  INGEST_MAX_FUTURE_MS: Type.Integer({ minimum: 0, default: 5 * 60_000 }),
  INGEST_MAX_PAYLOAD_BYTES: Type.Integer({ minimum: 256, maximum: 1_048_576, default: 65_536 }),

  /** Stable MQTT client id of this ingest instance (its persistent session on the broker). */
  INGEST_INSTANCE_ID: Type.String({ default: 'ingest-1', pattern: '^[A-Za-z0-9_-]+$' }),
  INGEST_METRICS_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 9464 }),
  /** How long a device's supervision context (zones, permits) is cached by ingest. */
  INGEST_CONTEXT_TTL_MS: Type.Integer({ minimum: 0, maximum: 600_000, default: 5_000 }),

  /** Silence watchdog: no communication for factor x the reporting interval plus the grace. */
  SILENCE_FACTOR: Type.Number({ minimum: 1, maximum: 100, default: 3 }),
  SILENCE_GRACE_S: Type.Integer({ minimum: 0, maximum: 86_400, default: 120 }),
  /** no_location: GNSS lost while moving and no fix this good (metres) for this long (alerts/no-location.ts). */
  NO_LOCATION_AFTER_S: Type.Integer({ minimum: 1, maximum: 86_400, default: 300 }),
  NO_LOCATION_GOOD_ACCURACY_M: Type.Number({ minimum: 1, maximum: 10_000, default: 100 }),
  NO_LOCATION_MOVING_SPEED_MPS: Type.Number({ minimum: 0.1, maximum: 100, default: 1 }),
  /** How often case deadlines (missed appearances, travel-request decisions) are checked. */
  CASE_SWEEP_MS: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 60_000 }),
  /** A check-in still open this long after the end of its day (Asia/Bishkek) is a missed appearance. */
  CHECK_IN_GRACE_MINUTES: Type.Number({ minimum: 0, maximum: 10_080, default: 0 }),
  /** Days before a deferred sentence's child turns 14 that the submission of PEC KR art. 160^4(3) is proposed. */
  DEFERRAL_END_LEAD_DAYS: Type.Integer({ minimum: 0, maximum: 365, default: 60 }),
  /** The district is warned this long before a travel request's 24-hour decision deadline. */
  TRAVEL_WARN_MINUTES: Type.Number({ minimum: 0, maximum: 1_440, default: 240 }),
  /** How often the watchdogs of all assigned devices are (re)armed, e.g. after a Redis restart. */
  WATCHDOG_SWEEP_MS: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 60_000 }),
  /** Reporting interval commanded while a place episode is open (then the plan's is restored). */
  EPISODE_REPORT_INTERVAL_S: Type.Integer({ minimum: 5, maximum: 3600, default: 15 }),
  /** How soon a job left active by a dead worker is taken over by another. */
  ALERT_STALLED_INTERVAL_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 30_000 }),
  /** Comma-separated URLs that receive every raised and updated alert as JSON (with retries). */
  WEBHOOK_URLS: Type.String({ default: '' }),

  OUTBOX_POLL_MS: Type.Integer({ minimum: 10, maximum: 60_000, default: 200 }),
});
export type Config = Static<typeof ConfigSchema>;

/**
 * Reads and validates the environment; throws an error naming every bad variable. In production
 * it also refuses development secrets and unsafe transport (production-checks.ts), so no service
 * or command can start with them.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const config = envSchema<Config>({ schema: ConfigSchema, data: env, dotenv: false });
  if (config.NODE_ENV === 'production') {
    const problems = productionProblems(config);
    if (problems.length) throw new ProductionConfigError(problems);
  }
  return config;
}

/** NODE_ENV=production with settings that are only safe on a developer's machine. */
export class ProductionConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`refusing to start in production:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ProductionConfigError';
  }
}
