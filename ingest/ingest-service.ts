import mqtt, { type MqttClient } from 'mqtt';
import type pg from 'pg';
import type { Logger } from '../infra/logging/logger.ts';
import type { Topics } from '../infra/broker/topics.ts';
import type { Fix } from '../infra/domain/types.ts';
import { DeferredAckSubscriber, type ReceivedMessage } from './deferred-ack-subscriber.ts';
import type { DeviceRegistry } from './device-registry.ts';
import type { FixStore } from './fix-store.ts';
import type { IngestMetrics } from './ingest-metrics.ts';
import type { RejectionReason } from './protocol.ts';
import { validateFixBatch, type ValidationLimits } from './validate-fix-batch.ts';

export interface IngestOptions {
  mqttUrl: string;
  username: string;
  password: string;
  /** Stable per ingest instance: the broker keeps this session's queue while the process is down. */
  clientId: string;
  shareGroup: string;
  batchMax: number;
  batchMs: number;
  limits: ValidationLimits;
}

interface Pending {
  fixes: Fix[];
  ack: () => void;
}

/** Dead-letter samples kept per reason per minute: enough to debug, too few to flood the table. */
const DEAD_LETTER_SAMPLES_PER_MINUTE = 20;

/**
 * Receives fixes over MQTT (shared subscription, persistent session), validates them, writes them
 * in batches and acknowledges each message only after its batch is committed. Batches are written
 * one at a time in arrival order, which keeps per-device order within this process; a failed
 * commit is retried (with backoff) until it succeeds, and nothing is acknowledged meanwhile.
 */
export class IngestService {
  private client: MqttClient | null = null;
  private queue: Pending[] = [];
  private queuedFixes = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private stopped = false;
  private readonly samples = new Map<RejectionReason, { minute: number; count: number }>();

  constructor(
    private readonly opts: IngestOptions,
    private readonly topics: Topics,
    private readonly pool: pg.Pool,
    private readonly registry: DeviceRegistry,
    private readonly store: FixStore,
    private readonly metrics: IngestMetrics,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async start(): Promise<void> {
    const client = mqtt.connect(this.opts.mqttUrl, {
      protocolVersion: 5,
      clientId: this.opts.clientId,
      username: this.opts.username,
      password: this.opts.password,
      clean: false,
      properties: { sessionExpiryInterval: 7 * 24 * 3600 },
      reconnectPeriod: 1000,
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
      // With a persistent session the subscription survives; subscribing again is harmless.
      client.subscribe(`$share/${this.opts.shareGroup}/${this.topics.fixesFilter}`, { qos: 1 }, (err) => {
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
    const parsed = this.topics.parse(m.topic);
    if (!parsed || parsed.channel !== 'fixes') {
      this.reject('unknown_topic', m.topic, m.payload, `no handler for topic ${m.topic}`);
      m.ack();
      return;
    }
    this.metrics.received.labels('fixes').inc();
    const result = validateFixBatch(parsed.deviceId, m.payload, this.now(), this.opts.limits);
    if (!result.ok) {
      this.reject(result.reason, m.topic, m.payload, result.message);
      m.ack();
      return;
    }
    this.metrics.fixesReceived.inc(result.fixes.length);
    this.queue.push({ fixes: result.fixes, ack: m.ack });
    this.queuedFixes += result.fixes.length;
    this.metrics.pending.set(this.queuedFixes);
    if (this.queuedFixes >= this.opts.batchMax) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.opts.batchMs);
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
      if (this.queue.length) this.kick();
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length && !this.stopped) {
      const batch: Pending[] = [];
      let n = 0;
      while (this.queue.length && n < this.opts.batchMax) {
        const p = this.queue.shift()!;
        batch.push(p);
        n += p.fixes.length;
      }
      await this.commitWithRetry(batch);
      this.queuedFixes -= n;
      this.metrics.pending.set(this.queuedFixes);
    }
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
    const devices = await this.registry.resolve(batch.flatMap((p) => p.fixes.map((f) => f.deviceId)));
    const accepted: Pending[] = [];
    const rejected: { p: Pending; reason: RejectionReason }[] = [];
    for (const p of batch) {
      const entry = devices.get(p.fixes[0]!.deviceId);
      if (!entry) rejected.push({ p, reason: 'unknown_device' });
      else if (!entry.clientId) rejected.push({ p, reason: 'unassigned_device' });
      else accepted.push(p);
    }
    const fixes = accepted.flatMap((p) => p.fixes);
    if (fixes.length) {
      const res = await this.store.write(fixes, devices);
      const committedAt = this.now();
      this.metrics.stored.inc(res.stored);
      this.metrics.duplicates.inc(res.duplicates);
      for (const i of res.intents) this.metrics.intents.labels(i.kind).inc();
      for (const f of fixes) this.metrics.lagSeconds.observe(Math.max(0, committedAt - f.deviceTime) / 1000);
      this.metrics.batchSize.observe(fixes.length);
    }
    for (const p of accepted) p.ack();
    for (const { p, reason } of rejected) {
      const id = p.fixes[0]!.deviceId;
      this.reject(reason, this.topics.fixes(id), Buffer.from(JSON.stringify({ device: id, fixes: p.fixes.length })), `device ${id}: ${reason}`);
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
    const sample = `${message}\n${payload.subarray(0, 2048).toString('utf8')}`;
    this.pool
      .query('insert into rejected_messages (reason, topic, sample) values ($1, $2, $3)', [reason, topic.slice(0, 512), sample])
      .catch((err: Error) => this.log.warn({ err: err.message }, 'dead-letter insert failed'));
  }

  /** Stops taking messages, commits what is queued, then disconnects. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.kick();
    await this.flushing;
    this.stopped = true;
    await this.client?.endAsync();
  }
}
