import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type pg from 'pg';
import { verifyAuditChain } from '../infra/audit/audit-log.ts';
import { pruneAuditLog } from '../infra/audit/audit-retention.ts';
import type { Logger } from '../infra/logging/logger.ts';

export const AUDIT_RETENTION_QUEUE = 'audit-retention';

/**
 * Applies AUDIT_RETENTION_DAYS every night (03:00 Asia/Bishkek, a repeatable BullMQ job, so one
 * alerts process runs it however many are started) and verifies the chain afterwards: a broken
 * chain is logged as an error every night until someone looks. `npm run audit:prune` does the same
 * by hand.
 */
export class AuditRetentionJob {
  readonly queue: Queue;
  readonly worker: Worker;

  constructor(
    private readonly pool: pg.Pool,
    connection: ConnectionOptions,
    workerConnection: ConnectionOptions,
    prefix: string,
    private readonly retentionDays: number,
    private readonly log: Logger,
  ) {
    this.queue = new Queue(AUDIT_RETENTION_QUEUE, { connection, prefix, defaultJobOptions: { removeOnComplete: { count: 30 }, removeOnFail: { age: 30 * 86_400 } } });
    this.worker = new Worker(AUDIT_RETENTION_QUEUE, () => this.run(), { connection: workerConnection, prefix, concurrency: 1 });
    this.worker.on('error', (err) => this.log.error({ err: err.message }, 'audit retention worker error'));
  }

  async start(): Promise<void> {
    await this.queue.upsertJobScheduler('nightly', { pattern: '0 3 * * *', tz: 'Asia/Bishkek' }, { name: 'prune', data: {} });
  }

  async run(): Promise<{ pruned: boolean; chainOk: boolean }> {
    const pruned = await pruneAuditLog(this.pool, { retentionDays: this.retentionDays, actor: { id: null, username: 'system:audit-retention' } });
    const verdict = await verifyAuditChain(this.pool);
    if (!verdict.ok) this.log.error(verdict, 'audit chain does not verify');
    else if (pruned) this.log.info({ retentionDays: this.retentionDays, pruned }, 'audit log pruned');
    return { pruned: pruned !== null, chainOk: verdict.ok };
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
  }
}
