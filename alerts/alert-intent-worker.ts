import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import type { AlertType } from '../infra/domain/types.ts';
import type { Logger } from '../infra/logging/logger.ts';
import { ALERT_INTENT_QUEUE, type AlertIntent } from './alert-intent.ts';
import { publishLive, type AlertRecord, rowToAlert, ALERT_COLUMNS } from './alert-record.ts';
import type { CommandPublisher, DeviceCommand } from './command-publisher.ts';
import type { SlaEscalator } from './sla-escalator.ts';
import type { WebhookDispatcher } from './webhook-dispatcher.ts';

/** How long a claimed announcement is left to its worker before another may take it over. */
const ANNOUNCE_LEASE_S = 10;

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
    // A job's lock outlives its worker by lockDuration: keep it short enough for a fast takeover,
    // long enough that a busy but alive worker renews it in time.
    this.worker = new Worker<AlertIntent>(ALERT_INTENT_QUEUE, (job) => this.process(job), {
      connection,
      prefix,
      concurrency,
      stalledInterval: stalledIntervalMs,
      lockDuration: Math.max(5_000, stalledIntervalMs),
    });
    this.worker.on('failed', (job, err) => this.log.warn({ job: job?.id, attempts: job?.attemptsMade, err: err.message }, 'alert intent failed'));
    this.worker.on('error', (err) => this.log.error({ err: err.message }, 'alert worker error'));
  }

  async process(job: Job<AlertIntent>): Promise<AlertRecord | null> {
    const intent = job.data;
    if (intent.kind === 'report_fast') {
      // Too late to matter (a store-and-forward upload): the tag would drop back at once. And
      // never slower than the plan: "faster" for a tag on a 5-s plan is its plan.
      const { rows } = await this.pool.query<{ interval_s: number }>('select report_interval_s as interval_s from devices where id = $1', [intent.deviceId]);
      if (intent.until > Date.now() && rows[0] && intent.intervalS < rows[0].interval_s) {
        await this.command(intent.deviceId, { cmd: 'set_interval', interval_s: intent.intervalS, until: intent.until }, `suspected ${intent.ruleId}`);
      }
      return null;
    }
    if (intent.kind === 'report_plan') {
      await this.restoreInterval(intent.deviceId, 'suspicion cleared');
      return null;
    }
    if (intent.kind === 'amend') {
      // Late data showed the episode's true start or end; the key (its first known start) stays,
      // and the details keep what the alert first said.
      await this.pool.query(
        `update alerts set
            opened_at = case when $2::float8 is not null and opened_at > to_timestamp($2 / 1000.0) then to_timestamp($2 / 1000.0) else opened_at end,
            closed_at = case when $3::float8 is not null and closed_at is not null then to_timestamp($3 / 1000.0) else closed_at end,
            details = details || jsonb_build_object('amendedFromLateData', jsonb_build_object(
              'openedAt', round(extract(epoch from opened_at) * 1000), 'closedAt', round(extract(epoch from closed_at) * 1000)))
          where episode_key = $1`,
        [intent.episodeKey, intent.at ?? null, intent.end ?? null],
      );
      return null;
    }
    if (intent.kind === 'open') {
      await this.pool.query(
        `insert into alerts (episode_key, client_id, device_id, type, severity, opened_at, lon, lat, details)
         values ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0), $7, $8, $9)
         on conflict (episode_key) do nothing`,
        [intent.episodeKey, intent.clientId, intent.deviceId, intent.type, intent.severity, intent.at, intent.lon, intent.lat, intent.details],
      );
      return this.announceOnce(intent.episodeKey, 'raise', async (alert) => {
        await this.effects.sla?.watch(alert);
        await this.announce('alert.raised', alert);
        if (alert.deviceId && PLACE_ALERTS.has(alert.type)) {
          await this.command(alert.deviceId, { cmd: 'set_interval', interval_s: this.effects.episodeIntervalS }, `alert ${alert.type} raised`);
        }
      });
    }
    await this.pool.query(`update alerts set closed_at = to_timestamp($2 / 1000.0) where episode_key = $1 and closed_at is null`, [
      intent.episodeKey,
      intent.at,
    ]);
    const { rows } = await this.pool.query<{ closed: boolean; announced: boolean }>(
      'select closed_at is not null as closed, raise_announced_at is not null as announced from alerts where episode_key = $1',
      [intent.episodeKey],
    );
    if (!rows[0]?.closed) {
      if (intent.ifExists) return null;
      // A close can overtake its open when workers run in parallel: fail so BullMQ retries it later.
      throw new Error(`episode ${intent.episodeKey} not opened yet`);
    }
    // Closed before its raise was announced: announce the raise first, so dashboards see both.
    if (!rows[0].announced) throw new Error(`episode ${intent.episodeKey} raise not announced yet`);
    return this.announceOnce(intent.episodeKey, 'close', async (alert) => {
      await this.announce('alert.updated', alert);
      if (alert.deviceId && PLACE_ALERTS.has(alert.type)) await this.restoreInterval(alert.deviceId, `alert ${alert.type} closed`);
    });
  }

  /**
   * Runs an announcement once per episode and kind: claim it for a lease, do it, mark it done.
   * Already done: nothing to do. Claimed by someone else whose lease is still running: throw, so
   * that BullMQ retries once that worker has finished (or died and its lease has run out).
   */
  private async announceOnce(episodeKey: string, kind: 'raise' | 'close', announce: (alert: AlertRecord) => Promise<void>): Promise<AlertRecord | null> {
    const claimed = `${kind}_claimed_at`;
    const done = `${kind}_announced_at`;
    const { rows } = await this.pool.query(
      `update alerts set ${claimed} = now()
        where episode_key = $1 and ${done} is null and (${claimed} is null or ${claimed} < now() - make_interval(secs => $2))
        returning ${ALERT_COLUMNS}`,
      [episodeKey, ANNOUNCE_LEASE_S],
    );
    if (!rows[0]) {
      const state = await this.pool.query<{ done: boolean }>(`select ${done} is not null as done from alerts where episode_key = $1`, [episodeKey]);
      if (state.rows[0]?.done) return null;
      throw new Error(`announcement of ${kind} for ${episodeKey} is in progress elsewhere`);
    }
    const alert = rowToAlert(rows[0]);
    await announce(alert);
    await this.pool.query(`update alerts set ${done} = now() where episode_key = $1`, [episodeKey]);
    return alert;
  }

  /**
   * Sends a downlink command and records it in the device's history (device_commands), with why.
   * Recorded after the broker accepted it: a command the broker never took is not history.
   */
  private async command(deviceId: string, command: DeviceCommand, reason: string): Promise<void> {
    if (!this.effects.commands) return;
    const id = await this.effects.commands.send(deviceId, command);
    await this.pool.query(`insert into device_commands (id, device_id, command, reason) values ($1, $2, $3, $4) on conflict do nothing`, [
      id,
      deviceId,
      command,
      reason,
    ]);
  }

  /** Back to the monitoring plan's interval once no place episode of the device is open. */
  private async restoreInterval(deviceId: string, reason: string): Promise<void> {
    if (!this.effects.commands) return;
    // Nothing to restore when the last command this platform sent already was the plan (or none
    // was sent): a cleared suspicion on a tag that was never sped up costs no downlink message.
    const { rows } = await this.pool.query<{ interval_s: number; open: number; last: number | null }>(
      `select d.report_interval_s as interval_s,
              (select count(*)::int from alerts a where a.device_id = d.id and a.closed_at is null and a.type = any($2)) as open,
              (select (c.command->>'interval_s')::int from device_commands c
                where c.device_id = d.id and c.command->>'cmd' = 'set_interval' order by c.sent_at desc limit 1) as last
         from devices d where d.id = $1`,
      [deviceId, [...PLACE_ALERTS]],
    );
    const r = rows[0];
    if (r && r.open === 0 && r.last !== null && r.last !== r.interval_s) await this.command(deviceId, { cmd: 'set_interval', interval_s: r.interval_s }, reason);
  }

  private async announce(event: 'alert.raised' | 'alert.updated', alert: AlertRecord): Promise<void> {
    await publishLive(this.pool, this.publisher, this.prefix, event, alert);
    await this.effects.webhooks?.dispatch(event, alert, event === 'alert.raised' ? 'open' : `closed-${alert.closedAt}`);
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}
