import { escapeControlCharacters } from '../infra/text/control-characters.ts';
import mqtt, { type ISubscriptionMap, type MqttClient } from 'mqtt';
import type pg from 'pg';
import type { Logger } from '../infra/logging/logger.ts';
import type { Topics } from '../infra/broker/topics.ts';
import type { DeviceConnectionStatus, DeviceEvent, Fix } from '../infra/domain/types.ts';
import { CommitLane, laneOf } from './commit-lane.ts';
import { DeferredAckSubscriber, type ReceivedMessage } from './deferred-ack-subscriber.ts';
import type { DeviceRegistry } from './device-registry.ts';
import type { UplinkStore } from './uplink-store.ts';
import type { IngestMetrics } from './ingest-metrics.ts';
import type { RejectionReason } from './protocol.ts';
import { validateEventBatch, validateFixBatch, validateStatus, type ValidationLimits } from './validate-uplink.ts';

export interface IngestOptions {
  mqttUrl: string;
  /** CA of an mqtts:// broker (MQTT_TLS_CA_FILE); absent: the system's CAs. */
  ca?: Buffer;
  username: string;
  password: string;
  /** Stable per ingest instance: the broker keeps this session's queue while the process is down. */
  clientId: string;
  /** Shared-subscription group; empty = a plain persistent subscription (one instance). */
  shareGroup: string;
  batchMax: number;
  batchMs: number;
  /** Batches committed side by side (each device always in the same one, so its order holds). */
  lanes: number;
  limits: ValidationLimits;
}

/** One accepted message waiting for its commit. `size` counts toward the batch limit. */
type Pending = { deviceId: string; size: number; ack: () => void } & (
  | { kind: 'fixes'; fixes: Fix[] }
  | { kind: 'events'; events: DeviceEvent[] }
  | { kind: 'status'; status: DeviceConnectionStatus }
);

/** Dead-letter samples kept per reason per minute: enough to debug, too few to flood the table. */
const DEAD_LETTER_SAMPLES_PER_MINUTE = 20;

/**
 * Receives fixes, events and status over MQTT (shared subscription, persistent session), validates them, writes them
 * in batches and acknowledges each message only after its batch is committed. Batches are written
 * one at a time in arrival order, which keeps per-device order within this process; a failed
 * commit is retried (with backoff) until it succeeds, and nothing is acknowledged meanwhile.
 */
export class IngestService {
  private client: MqttClient | null = null;
  private readonly lanes: CommitLane<Pending>[];
  private queuedItems = 0;
  private readonly samples = new Map<RejectionReason, { minute: number; count: number }>();

  constructor(
    private readonly opts: IngestOptions,
    private readonly topics: Topics,
    private readonly pool: pg.Pool,
    private readonly registry: DeviceRegistry,
    private readonly store: UplinkStore,
    private readonly metrics: IngestMetrics,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.lanes = Array.from(
      { length: opts.lanes },
      () =>
        new CommitLane<Pending>(opts.batchMax, opts.batchMs, (batch) => this.commitWithRetry(batch), (delta) => {
          this.queuedItems += delta;
          this.metrics.pending.set(this.queuedItems);
        }),
    );
  }

  async start(): Promise<void> {
    const client = mqtt.connect(this.opts.mqttUrl, {
      protocolVersion: 5,
      clientId: this.opts.clientId,
      ...(this.opts.ca ? { ca: this.opts.ca } : {}),
      username: this.opts.username,
      password: this.opts.password,
      clean: false,
      properties: {
        sessionExpiryInterval: 7 * 24 * 3600,
        // Backpressure: the broker sends at most this many unacknowledged messages; the rest wait
        // in the session's queue on the broker (sized for it). Three batches' worth keeps the
        // pipeline full while one commits, and bounds this process's memory.
        receiveMaximum: Math.min(65_535, Math.max(1_000, 3 * this.opts.batchMax)),
      },
      // Reconnect fast: after a broker restart, messages that arrive before ingest has subscribed
      // again have no subscriber to be queued for (see the Mosquitto note above).
      reconnectPeriod: 200,
      connectTimeout: 10_000,
      manualConnect: true,
    });
    this.client = client;
    const sub = new DeferredAckSubscriber(client);
    sub.on('message', (m) => this.onMessage(m));
    client.on('error', (err) => this.log.warn({ err: err.message }, 'mqtt error'));
    client.on('offline', () => this.log.warn('mqtt offline'));
    client.on('connect', (connack) => {
      this.log.info({ sessionPresent: connack.sessionPresent }, 'mqtt connected');
      // Subscribe on every connect, even with a session present: Mosquitto 2.0.11 restores plain
      // subscriptions after a restart but not shared ones (seen in tests/integration/ingest-faults).
      // `resubscribe: true` makes mqtt.js send the SUBSCRIBE instead of skipping a known topic.
      const group = this.opts.shareGroup;
      const filter = (f: string) => (group ? `$share/${group}/${f}` : f);
      const subscription = { [filter(this.topics.uplinkFilter)]: { qos: 1 }, [filter(this.topics.statusFilter)]: { qos: 1 } } as ISubscriptionMap;
      subscription.resubscribe = true;
      client.subscribe(subscription, (err) => {
        if (err) this.log.error({ err: err.message }, 'subscribe failed');
      });
    });
    client.connect();
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
  }

  private onMessage(m: ReceivedMessage): void {
    try {
      this.accept(m);
    } catch (err) {
      // Whatever a payload does to the validator, it must not take ingest (or its neighbours) down.
      this.log.error({ err: (err as Error).message, topic: m.topic }, 'validator failed on a message');
      this.rejectMessage(m, 'unprocessable', `validator failed: ${(err as Error).message}`);
    }
  }

  private accept(m: ReceivedMessage): void {
    const parsed = this.topics.parse(m.topic);
    if (!parsed) return this.rejectMessage(m, 'unknown_topic', `no handler for topic ${m.topic}`);
    const { deviceId, channel } = parsed;
    this.metrics.received.labels(channel).inc();
    const now = this.now();
    let pending: Pending;
    if (channel === 'fixes') {
      const r = validateFixBatch(deviceId, m.payload, now, this.opts.limits);
      if (!r.ok) return this.rejectMessage(m, r.reason, r.message);
      this.metrics.fixesReceived.inc(r.value.length);
      pending = { kind: 'fixes', deviceId, fixes: r.value, size: r.value.length, ack: m.ack };
    } else if (channel === 'events') {
      const r = validateEventBatch(deviceId, m.payload, now, this.opts.limits);
      if (!r.ok) return this.rejectMessage(m, r.reason, r.message);
      pending = { kind: 'events', deviceId, events: r.value, size: r.value.length, ack: m.ack };
    } else {
      // Retained status messages are cleared with an empty payload; nothing to store for those.
      if (m.payload.byteLength === 0) return m.ack();
      const r = validateStatus(deviceId, m.payload, this.opts.limits);
      if (!r.ok) return this.rejectMessage(m, r.reason, r.message);
      pending = { kind: 'status', deviceId, status: r.value, size: 1, ack: m.ack };
    }
    this.lanes[laneOf(deviceId, this.lanes.length)]!.push(pending);
  }

  private rejectMessage(m: ReceivedMessage, reason: RejectionReason, message: string): void {
    this.reject(reason, m.topic, m.payload, message);
    m.ack();
  }

  private async commitWithRetry(batch: Pending[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.commit(batch);
        return;
      } catch (err) {
        this.metrics.writeErrors.inc();
        const delay = Math.min(5_000, 100 * 2 ** attempt);
        this.log.error({ err: (err as Error).message, attempt, delay }, 'batch commit failed; retrying, nothing acknowledged');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    const started = performance.now();
    const devices = await this.registry.resolve(batch.map((p) => p.deviceId));
    const accepted: Pending[] = [];
    const rejected: { p: Pending; reason: RejectionReason }[] = [];
    for (const p of batch) {
      const entry = devices.get(p.deviceId);
      // A registered tag's data is always kept: fixes of a tag fitted on nobody at their device time
      // are stored with no client and flagged (uplink-store.ts), never alerted against anyone.
      if (!entry) rejected.push({ p, reason: 'unknown_device' });
      else accepted.push(p);
    }
    const fixes = accepted.flatMap((p) => (p.kind === 'fixes' ? p.fixes : []));
    const events = accepted.flatMap((p) => (p.kind === 'events' ? p.events : []));
    const statuses = accepted.flatMap((p) => (p.kind === 'status' ? [p.status] : []));
    if (accepted.length) {
      const res = await this.store.write({ fixes, events, statuses }, devices);
      const committedAt = this.now();
      this.metrics.stored.inc(res.stored);
      this.metrics.duplicates.inc(res.duplicates);
      this.metrics.unassigned.inc(res.unassigned);
      this.metrics.eventsStored.inc(res.eventsStored);
      for (const i of res.intents) this.metrics.intents.labels(i.kind).inc();
      for (const f of fixes) this.metrics.lagSeconds.observe(Math.max(0, committedAt - f.deviceTime) / 1000);
      this.metrics.batchSize.observe(fixes.length);
    }
    for (const p of accepted) p.ack();
    for (const { p, reason } of rejected) {
      this.reject(reason, `${p.kind}:${p.deviceId}`, Buffer.from(JSON.stringify({ device: p.deviceId, kind: p.kind, items: p.size })), `device ${p.deviceId}: ${reason}`);
      p.ack();
    }
    this.metrics.batchSeconds.observe((performance.now() - started) / 1000);
  }

  /** Counts a rejection and keeps a rate-limited sample in the dead-letter table. */
  private reject(reason: RejectionReason, topic: string, payload: Buffer, message: string): void {
    this.metrics.rejected.labels(reason).inc();
    const minute = Math.floor(this.now() / 60_000);
    const slot = this.samples.get(reason);
    if (slot && slot.minute === minute && slot.count >= DEAD_LETTER_SAMPLES_PER_MINUTE) return;
    if (slot && slot.minute === minute) slot.count++;
    else this.samples.set(reason, { minute, count: 1 });
    const bytes = payload.subarray(0, DEAD_LETTER_BYTES);
    const sample = escapeControlCharacters(`${message}\n${bytes.toString('utf8')}`);
    this.pool
      .query('insert into rejected_messages (reason, topic, sample, payload) values ($1, $2, $3, $4)', [reason, escapeControlCharacters(topic.slice(0, 512)), sample, bytes])
      .catch((err: Error) => this.log.warn({ err: err.message }, 'dead-letter insert failed'));
  }

  /** Stops taking messages, commits what is queued, then disconnects. */
  async stop(): Promise<void> {
    await Promise.all(this.lanes.map((l) => l.drain()));
    await this.client?.endAsync();
  }
}

/** How much of a rejected payload the dead-letter store keeps, byte for byte. */
const DEAD_LETTER_BYTES = 2048;
