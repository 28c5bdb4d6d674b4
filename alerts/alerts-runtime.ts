import { brokerTlsOptions } from '../infra/broker/tls-options.ts';
import type { Queue } from 'bullmq';
import type pg from 'pg';
import { topics } from '../infra/broker/topics.ts';
import type { Config } from '../infra/config/config.ts';
import { createPool } from '../infra/db/sql.ts';
import type { Logger } from '../infra/logging/logger.ts';
import type { Redis } from 'ioredis';
import { createRedis } from '../infra/redis/connection.ts';
import { SlaEscalator } from './sla-escalator.ts';
import { CaseDeadlineWatchdog } from './case-deadline-watchdog.ts';
import { AuditRetentionJob } from './audit-retention-job.ts';
import type { AlertIntent } from './alert-intent.ts';
import { createAlertIntentQueue } from './alert-intent-queue.ts';
import { AlertIntentWorker } from './alert-intent-worker.ts';
import { CommandPublisher } from './command-publisher.ts';
import { OutboxRelay } from './outbox-relay.ts';
import { SilenceWatchdog } from './silence-watchdog.ts';
import { WebhookDispatcher } from './webhook-dispatcher.ts';

export interface AlertsRuntime {
  pool: pg.Pool;
  queue: Queue<AlertIntent>;
  relay: OutboxRelay;
  worker: AlertIntentWorker;
  watchdog: SilenceWatchdog;
  caseDeadlines: CaseDeadlineWatchdog;
  auditRetention: AuditRetentionJob;
  webhooks: WebhookDispatcher;
  stop(): Promise<void>;
}

/** Wires the outbox relay, the alert-intent worker, the watchdogs, downlink and webhooks. */
export async function startAlerts(config: Config, log: Logger): Promise<AlertsRuntime> {
  const pool = createPool(config.DATABASE_URL, config.DB_POOL_MAX);
  // BullMQ workers block on their connection, so each worker gets its own; queues share one.
  const redis = Array.from({ length: 9 }, () => createRedis(config.REDIS_URL));
  const [queueConn, workerConn, publisher, watchdogConn, watchdogWorkerConn, webhookWorkerConn, slaWorkerConn, caseWorkerConn, auditWorkerConn] = redis as [
    Redis, Redis, Redis, Redis, Redis, Redis, Redis, Redis, Redis,
  ];
  const queue = createAlertIntentQueue(queueConn, config.QUEUE_PREFIX);
  const relay = new OutboxRelay(pool, config.DATABASE_URL, queue, log, config.OUTBOX_POLL_MS);
  const commands = new CommandPublisher(config.MQTT_URL, config.MQTT_COMMANDER_USERNAME, config.MQTT_COMMANDER_PASSWORD, topics(config.MQTT_TOPIC_ROOT), log, brokerTlsOptions(config.MQTT_TLS_CA_FILE));
  const urls = config.WEBHOOK_URLS.split(',').map((u) => u.trim()).filter(Boolean);
  const webhooks = new WebhookDispatcher(urls, queueConn, webhookWorkerConn, config.QUEUE_PREFIX, log);
  const sla = new SlaEscalator(pool, publisher, config.QUEUE_PREFIX, queueConn, slaWorkerConn, config.SLA_CRITICAL_ACK_MINUTES, webhooks, log);
  const worker = new AlertIntentWorker(pool, publisher, config.QUEUE_PREFIX, workerConn, log, {
    commands,
    webhooks,
    sla,
    episodeIntervalS: config.EPISODE_REPORT_INTERVAL_S,
  }, 8, config.ALERT_STALLED_INTERVAL_MS);
  const watchdog = new SilenceWatchdog(
    pool, watchdogConn, watchdogWorkerConn, config.QUEUE_PREFIX,
    { factor: config.SILENCE_FACTOR, graceMs: config.SILENCE_GRACE_S * 1000 }, config.WATCHDOG_SWEEP_MS, log,
  );
  const caseDeadlines = new CaseDeadlineWatchdog(pool, publisher, config.QUEUE_PREFIX, queueConn, caseWorkerConn, {
    sweepMs: config.CASE_SWEEP_MS,
    checkInGraceMinutes: config.CHECK_IN_GRACE_MINUTES,
    travelWarnMinutes: config.TRAVEL_WARN_MINUTES,
  }, log);
  const auditRetention = new AuditRetentionJob(pool, queueConn, auditWorkerConn, config.QUEUE_PREFIX, config.AUDIT_RETENTION_DAYS, log);
  await relay.start();
  await watchdog.start();
  await caseDeadlines.start();
  await auditRetention.start();
  log.info({ webhooks: urls.length }, 'alerts running: outbox relay, alert worker, silence watchdogs, case deadlines, audit retention, downlink, webhooks');
  return {
    pool, queue, relay, worker, watchdog, caseDeadlines, auditRetention, webhooks,
    async stop() {
      await relay.stop();
      await worker.close();
      await watchdog.close();
      await caseDeadlines.close();
      await auditRetention.close();
      await sla.close();
      await webhooks.close();
      await queue.close();
      await commands.close();
      for (const c of redis) c.disconnect();
      await pool.end();
    },
  };
}
