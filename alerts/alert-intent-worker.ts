import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import type { AlertType } from '../infra/domain/types.ts';
import type { Logger } from '../infra/logging/logger.ts';
import { ALERT_INTENT_QUEUE, type AlertIntent } from './alert-intent.ts';
import { publishLive, type AlertRecord, rowToAlert, ALERT_COLUMNS } from './alert-record.ts';
import type { CommandPublisher } from './command-publisher.ts';
import type { SlaEscalator } from './sla-escalator.ts';
import type { WebhookDispatcher } from './webhook-dispatcher.ts';

/** Place alerts: while one lasts the tag reports faster, so the officer can follow the episode. */
const PLACE_ALERTS: ReadonlySet<AlertType> = new Set(['residence_exit', 'country_exit', 'exclusion_entry', 'curfew_breach', 'permit_overstay']);

export interface AlertSideEffects {
  commands?: CommandPublisher | undefined;
  sla?: SlaEscalator | undefined;
  webhooks?: WebhookDispatcher | undefined;
  /** Reporting interval commanded while a place episode is open. */
  episodeIntervalS: number;
}

/**
 * Turns alert intents into alerts. Raising is an insert keyed by the episode, so a job retried after
 * a crash, or the same intent handled by two workers, creates one alert. Only the worker whose insert
 * created the row (or whose update closed it) publishes it, commands the tag and calls webhooks.
 */
export class AlertIntentWorker {
  readonly worker: Worker<AlertIntent>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly publisher: Redis,
    private readonly prefix: string,
    connection: ConnectionOptions,
    private readonly log: Logger,
    private readonly effects: AlertSideEffects = { episodeIntervalS: 15 },
    concurrency = 8,
    stalledIntervalMs = 30_000,
  ) {
    // A worker that dies mid-job leaves it "active"; after stalledIntervalMs another worker takes it.
    this.worker = new Worker<AlertIntent>(ALERT_INTENT_QUEUE, (job) => this.process(job), { connection, prefix, concurrency, stalledInterval: stalledIntervalMs });
    this.worker.on('failed', (job, err) => this.log.warn({ job: job?.id, attempts: job?.attemptsMade, err: err.message }, 'alert intent failed'));
    this.worker.on('error', (err) => this.log.error({ err: err.message }, 'alert worker error'));
  }

  async process(job: Job<AlertIntent>): Promise<AlertRecord | null> {
    const intent = job.data;
    if (intent.kind === 'open') {
      await this.pool.query(
        `insert into alerts (episode_key, client_id, device_id, type, severity, opened_at, lon, lat, details)
         values ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0), $7, $8, $9)
         on conflict (episode_key) do nothing`,
        [intent.episodeKey, intent.clientId, intent.deviceId, intent.type, intent.severity, intent.at, intent.lon, intent.lat, intent.details],
      );
      // Claiming the announcement (not the insert) decides who announces: a worker killed after the
      // insert leaves it unclaimed and the retried job announces; two workers cannot both claim it.
      const { rows } = await this.pool.query(
        `update alerts set raise_announced_at = now() where episode_key = $1 and raise_announced_at is null returning ${ALERT_COLUMNS}`,
        [intent.episodeKey],
      );
      if (!rows[0]) return null;
      const alert = rowToAlert(rows[0]);
      await this.effects.sla?.watch(alert);
      await this.announce('alert.raised', alert);
      if (alert.deviceId && PLACE_ALERTS.has(alert.type)) {
        await this.effects.commands?.send(alert.deviceId, { cmd: 'set_interval', interval_s: this.effects.episodeIntervalS });
      }
      return alert;
    }
    const closed = await this.pool.query(
      `update alerts set closed_at = to_timestamp($2 / 1000.0) where episode_key = $1 and closed_at is null returning id`,
      [intent.episodeKey, intent.at],
    );
    const { rows } = await this.pool.query(
      `update alerts set close_announced_at = now()
        where episode_key = $1 and closed_at is not null and close_announced_at is null and raise_announced_at is not null
        returning ${ALERT_COLUMNS}`,
      [intent.episodeKey],
    );
    if (rows[0]) {
      const alert = rowToAlert(rows[0]);
      await this.announce('alert.updated', alert);
      if (alert.deviceId && PLACE_ALERTS.has(alert.type)) await this.restoreInterval(alert.deviceId);
      return alert;
    }
    if (closed.rowCount || intent.ifExists) return null;
    const exists = await this.pool.query<{ announced: boolean }>('select raise_announced_at is not null as announced from alerts where episode_key = $1', [intent.episodeKey]);
    // A close can overtake its open (or the open's announcement) when workers run in parallel:
    // fail so that BullMQ retries it later, in order.
    if (!exists.rows[0]?.announced) throw new Error(`episode ${intent.episodeKey} not opened yet`);
    return null;
  }

  /** Back to the monitoring plan's interval once no place episode of the device is open. */
  private async restoreInterval(deviceId: string): Promise<void> {
    if (!this.effects.commands) return;
    const { rows } = await this.pool.query<{ interval_s: number; open: number }>(
      `select d.report_interval_s as interval_s,
              (select count(*)::int from alerts a where a.device_id = d.id and a.closed_at is null and a.type = any($2)) as open
         from devices d where d.id = $1`,
      [deviceId, [...PLACE_ALERTS]],
    );
    if (rows[0] && rows[0].open === 0) await this.effects.commands.send(deviceId, { cmd: 'set_interval', interval_s: rows[0].interval_s });
  }

  private async announce(event: 'alert.raised' | 'alert.updated', alert: AlertRecord): Promise<void> {
    await publishLive(this.pool, this.publisher, this.prefix, event, alert);
    await this.effects.webhooks?.dispatch(event, alert, event === 'alert.raised' ? 'open' : `closed-${alert.closedAt}`);
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}
