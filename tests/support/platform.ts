import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import mqtt from 'mqtt';
import type pg from 'pg';
import { inject } from 'vitest';
import { startAlerts, type AlertsRuntime } from '../../alerts/alerts-runtime.ts';
import { buildApp } from '../../dashboard/app.ts';
import type { EpisodeSettings, RuleKind } from '../../geofence/index.ts';
import { startIngest, type IngestRuntime } from '../../ingest/ingest-runtime.ts';
import { loadConfig, type Config } from '../../infra/config/config.ts';
import { createPool } from '../../infra/db/sql.ts';
import { createLogger } from '../../infra/logging/logger.ts';
import type { FixRecord } from '../../firmware-sim/uplink-outbox.ts';
import { COMMANDER, INGEST, TEST_SEED, startThrowawayBroker, type ThrowawayBroker } from './throwaway-broker.ts';

export interface TestPlatform {
  config: Config;
  broker: ThrowawayBroker;
  ingest: IngestRuntime;
  alerts: AlertsRuntime;
  dashboard: FastifyInstance;
  dashboardUrl: string;
  /** A pool for the test's own assertions. */
  pool: pg.Pool;
  stop(): Promise<void>;
}

/**
 * The whole platform, really started: a throwaway broker with the project's config, ingest,
 * alerts and the dashboard on the test database and real Redis (own queue prefix), all in this
 * process but talking over real connections.
 */
export async function startTestPlatform(opts: {
  devices: string[];
  episodeSettings?: Record<RuleKind, EpisodeSettings>;
  /** Extra configuration, e.g. short watchdog thresholds. */
  env?: Record<string, string>;
  /** A TLS broker (mqtts://); the services trust `cafile` (MQTT_TLS_CA_FILE). */
  tls?: { certfile: string; keyfile: string; cafile: string };
}): Promise<TestPlatform> {
  const broker = await startThrowawayBroker(opts.devices, opts.tls);
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: inject('databaseUrl'),
    MQTT_URL: broker.url,
    ...(opts.tls ? { MQTT_TLS_CA_FILE: opts.tls.cafile } : {}),
    MQTT_INGEST_USERNAME: INGEST.username,
    MQTT_INGEST_PASSWORD: INGEST.password,
    MQTT_COMMANDER_USERNAME: COMMANDER.username,
    MQTT_COMMANDER_PASSWORD: COMMANDER.password,
    DEVICE_PASSWORD_SEED: TEST_SEED,
    QUEUE_PREFIX: `em-it-${randomUUID().slice(0, 8)}`,
    INGEST_INSTANCE_ID: `it-ingest-${randomUUID().slice(0, 8)}`,
    INGEST_CONTEXT_TTL_MS: '0',
    HTTP_PORT: '0',
    INGEST_METRICS_PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...opts.env,
  });
  const log = createLogger('test', config.LOG_LEVEL);
  const ingest = await startIngest(config, log, { episodeSettings: opts.episodeSettings, serveMetrics: false });
  const alerts = await startAlerts(config, log);
  const dashboard = await buildApp(config);
  await dashboard.listen({ host: '127.0.0.1', port: 0 });
  const address = dashboard.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const pool = createPool(config.DATABASE_URL, 3);
  return {
    config, broker, ingest, alerts, dashboard, pool,
    dashboardUrl: `http://127.0.0.1:${port}`,
    async stop() {
      await dashboard.close();
      await ingest.stop();
      await alerts.stop();
      await broker.stop();
      await pool.end();
    },
  };
}

/** Polls `probe` until it returns a value (not undefined) or the attempts run out. */
export async function eventually<T>(probe: () => Promise<T | undefined>, attempts = 200, everyMs = 50): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met after ${attempts} attempts`);
}

export interface StreamEvent {
  event: string;
  data: Record<string, unknown>;
  /** When the event arrived (epoch ms), for latency measurements. */
  at: number;
}

/** Reads a server-sent-events stream, collecting parsed events with their arrival times. */
export function openEventStream(url: string, headers: Record<string, string> = {}): { events: StreamEvent[]; ready: Promise<void>; close(): void } {
  const controller = new AbortController();
  const events: StreamEvent[] = [];
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  void (async () => {
    const res = await fetch(url, { signal: controller.signal, headers });
    resolveReady();
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const at = Date.now();
      buf += decoder.decode(value, { stream: true });
      let idx;
      while ((idx = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, idx);
        buf = buf.slice(idx + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) as Record<string, unknown>, at });
      }
    }
  })().catch(() => {});
  return { events, ready, close: () => controller.abort() };
}

/** A device event as a test sends it: the wire fields, plus any a test wants to try. */
export interface TestEvent {
  seq: number;
  t: number;
  type: string;
  [field: string]: unknown;
}

/** A tag connected to the test platform's broker with its own account, as a real tag would be. */
export interface TestTag {
  id: string;
  client: mqtt.MqttClient;
  /**
   * Publishes one GNSS fix at the tag's accuracy (QoS 1: resolves when the broker acknowledged
   * it), numbered after the highest seq sent so far unless `seq` is given; returns its seq.
   */
  sendFix(lonLat: readonly [number, number], t: number, seq?: number): Promise<number>;
  /** Publishes fixes as one message, exactly as given. */
  sendFixes(fixes: FixRecord[]): Promise<void>;
  /** Publishes device events as one message, exactly as given. */
  sendEvents(events: TestEvent[]): Promise<void>;
  /** Resolves once ingest has stored the fix with this seq. */
  stored(seq: number): Promise<void>;
  close(): Promise<void>;
}

export interface TagOptions extends Partial<mqtt.IClientOptions> {
  /** Reported accuracy of sendFix's fixes, metres (default 5). */
  accuracyM?: number;
}

export async function connectTag(p: TestPlatform, id: string, { accuracyM = 5, ...mqttOptions }: TagOptions = {}): Promise<TestTag> {
  const client = await mqtt.connectAsync(p.broker.url, { protocolVersion: 5, username: id, password: p.broker.devicePassword(id), ...mqttOptions });
  let lastSeq = 0;
  const sendFixes = async (fixes: FixRecord[]) => {
    for (const f of fixes) lastSeq = Math.max(lastSeq, f.seq);
    await client.publishAsync(p.broker.topics.fixes(id), JSON.stringify({ v: 1, device: id, fixes }), { qos: 1 });
  };
  return {
    id,
    client,
    sendFix: async (lonLat, t, seq = lastSeq + 1) => {
      await sendFixes([{ seq, t, lon: lonLat[0], lat: lonLat[1], acc: accuracyM, src: 'gps' }]);
      return seq;
    },
    sendFixes,
    sendEvents: async (events) => {
      await client.publishAsync(p.broker.topics.events(id), JSON.stringify({ v: 1, device: id, events }), { qos: 1 });
    },
    stored: async (seq) => {
      await eventually(async () => ((await p.pool.query('select 1 from positions where device_id = $1 and seq = $2', [id, seq])).rowCount ? true : undefined));
    },
    close: () => client.endAsync(),
  };
}
