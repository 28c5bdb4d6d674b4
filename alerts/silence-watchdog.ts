import { DelayedError, Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type pg from 'pg';
import type { Logger } from '../infra/logging/logger.ts';
import { ALERT_CATALOGUE } from './alert-catalogue.ts';
import { episodeKey, type AlertIntent } from './alert-intent.ts';
import { silenceThresholdMs, type SilenceSettings } from './silence.ts';

export const WATCHDOG_QUEUE = 'watchdogs';
const SWEEP = 'sweep';

interface WatchdogData {
  deviceId: string;
}

/**
 * One delayed BullMQ job per fitted tag (job id `silence-<device>`) that wakes at the device's
 * silence deadline. A beacon moves the deadline by updating devices.last_seen_at in the same
 * transaction that stores it, so nothing touches Redis on the hot path: when the job wakes it
 * reads last contact from PostgreSQL and either goes back to sleep until the new deadline
 * (moveToDelayed: the same job, rescheduled) or raises `no_communication` through the outbox.
 * A repeatable sweep re-arms every fitted tag's job, so the watchdogs survive a Redis restart
 * that loses delayed jobs; arming is idempotent because the job id is fixed.
 */
export class SilenceWatchdog {
  readonly queue: Queue<WatchdogData>;
  readonly worker: Worker<WatchdogData>;

  constructor(
    private readonly pool: pg.Pool,
    connection: ConnectionOptions,
    workerConnection: ConnectionOptions,
    prefix: string,
    private readonly settings: SilenceSettings,
    private readonly sweepMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.queue = new Queue<WatchdogData>(WATCHDOG_QUEUE, { connection, prefix, defaultJobOptions: { removeOnComplete: true, removeOnFail: { age: 86_400 } } });
    this.worker = new Worker<WatchdogData>(WATCHDOG_QUEUE, (job, token) => this.process(job, token), { connection: workerConnection, prefix, concurrency: 16 });
    this.worker.on('error', (err) => this.log.error({ err: err.message }, 'watchdog worker error'));
  }

  async start(): Promise<void> {
    await this.queue.upsertJobScheduler(SWEEP, { every: this.sweepMs }, { name: SWEEP, data: { deviceId: '' } });
    await this.sweep();
  }

  /** Arms a watchdog for every fitted tag that has none (a fixed job id makes this idempotent). */
  async sweep(): Promise<number> {
    const { rows } = await this.pool.query<{ id: string }>(`select id from devices where client_id is not null and status = 'assigned'`);
    if (rows.length) {
      await this.queue.addBulk(rows.map((r) => ({ name: 'silence', data: { deviceId: r.id }, opts: { jobId: `silence-${r.id}`, delay: this.settings.graceMs } })));
    }
    return rows.length;
  }

  private async process(job: Job<WatchdogData>, token?: string): Promise<void> {
    if (job.name === SWEEP) {
      await this.sweep();
      return;
    }
    const { deviceId } = job.data;
    const { rows } = await this.pool.query<{ client_id: string | null; seen: string | null; interval_s: number }>(
      `select client_id, round(extract(epoch from coalesce(last_seen_at, created_at)) * 1000)::int8 as seen, report_interval_s as interval_s
         from devices where id = $1 and status = 'assigned'`,
      [deviceId],
    );
    const d = rows[0];
    if (!d?.client_id) return; // unfitted or retired: the watchdog ends with the assignment
    const last = Number(d.seen);
    const deadline = last + silenceThresholdMs(d.interval_s, this.settings);
    const now = this.now();
    if (now >= deadline) await this.raise(deviceId, d.client_id, last, deadline);
    // Sleep until the next deadline (or, while silent, check again after one threshold).
    const next = now >= deadline ? now + silenceThresholdMs(d.interval_s, this.settings) : deadline;
    await job.moveToDelayed(next, token);
    throw new DelayedError();
  }

  /** Raises the silence through the outbox, but only if the device is still silent at commit. */
  private async raise(deviceId: string, clientId: string, lastSeen: number, deadline: number): Promise<void> {
    const intent: AlertIntent = {
      kind: 'open',
      episodeKey: episodeKey(deviceId, 'silence', lastSeen),
      clientId,
      deviceId,
      type: 'no_communication',
      severity: ALERT_CATALOGUE.no_communication.severity,
      at: deadline,
      lon: null,
      lat: null,
      details: { lastContact: lastSeen, selfClearing: true },
    };
    // The guard on last_seen_at makes a beacon that lands meanwhile win: no alert for a tag that
    // has just been heard. Raising twice is harmless (episode key), so a retried job is fine.
    const res = await this.pool.query(
      `insert into outbox (kind, payload)
       select 'alert-intent', $2::jsonb from devices
        where id = $1 and round(extract(epoch from coalesce(last_seen_at, created_at)) * 1000)::int8 = $3
          and not exists (select 1 from alerts where episode_key = $4)`,
      [deviceId, JSON.stringify(intent), lastSeen, intent.episodeKey],
    );
    if (res.rowCount) {
      await this.pool.query(`select pg_notify('outbox', '')`);
      this.log.info({ deviceId, lastSeen }, 'silence: no_communication raised');
    }
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
  }
}
