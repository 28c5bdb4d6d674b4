import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logging/logger.ts';
import { ALERT_COLUMNS, publishLive, rowToAlert, type AlertRecord } from './alert-record.ts';
import type { WebhookDispatcher } from './webhook-dispatcher.ts';

export const SLA_QUEUE = 'sla';

/**
 * The acknowledgement SLA: when a critical alert is raised, a delayed job is set for N minutes
 * later (job id per alert, so it is set once). If the alert is still unacknowledged then, it is
 * marked escalated and pushed as `alert.escalated` to the dashboards, where the district's
 * supervisor sees it, and to the webhooks.
 */
export class SlaEscalator {
  readonly queue: Queue<{ alertId: string }>;
  readonly worker: Worker<{ alertId: string }>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly publisher: Redis,
    private readonly prefix: string,
    connection: ConnectionOptions,
    workerConnection: ConnectionOptions,
    private readonly ackMinutes: number,
    private readonly webhooks: WebhookDispatcher | undefined,
    private readonly log: Logger,
  ) {
    this.queue = new Queue(SLA_QUEUE, { connection, prefix, defaultJobOptions: { attempts: 10, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 7 * 86_400 } } });
    this.worker = new Worker(SLA_QUEUE, (job) => this.check(job), { connection: workerConnection, prefix, concurrency: 4 });
    this.worker.on('error', (err) => this.log.error({ err: err.message }, 'sla worker error'));
  }

  /** Starts the clock for a newly raised alert (only critical alerts have an SLA). */
  async watch(alert: AlertRecord): Promise<void> {
    if (alert.severity !== 'critical') return;
    await this.queue.add('ack-deadline', { alertId: alert.id }, { jobId: `sla-${alert.id}`, delay: Math.round(this.ackMinutes * 60_000) });
  }

  private async check(job: Job<{ alertId: string }>): Promise<void> {
    const { rows } = await this.pool.query(
      `update alerts set escalated_at = now() where id = $1 and status = 'open' and escalated_at is null returning ${ALERT_COLUMNS}`,
      [job.data.alertId],
    );
    if (!rows[0]) return;
    const alert = rowToAlert(rows[0]);
    this.log.warn({ alertId: alert.id, type: alert.type }, 'critical alert unacknowledged past its SLA: escalated to the supervisor');
    await publishLive(this.pool, this.publisher, this.prefix, 'alert.escalated', alert);
    await this.webhooks?.dispatch('alert.escalated', alert, 'escalated');
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
  }
}
