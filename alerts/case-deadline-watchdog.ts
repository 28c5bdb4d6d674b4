import { enqueueAlertIntents } from './alert-outbox.ts';
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import { appendAudit } from '../infra/audit/audit-log.ts';
import { inTransaction } from '../infra/db/sql.ts';
import { LIVING_CONDITIONS_INSPECTION_ARTICLES, TRAVEL_DECISION_HOURS } from '../infra/domain/legal.ts';
import { livingConditionsInspectionDuty } from '../infra/domain/living-conditions.ts';
import { addDays, bishkekDate, bishkekMidnight } from '../infra/domain/term.ts';
import type { RegimeKind } from '../infra/domain/types.ts';
import type { Logger } from '../infra/logging/logger.ts';
import { ALERT_CATALOGUE } from './alert-catalogue.ts';
import { liveChannel, type LiveTravelRequestMessage } from './alert-record.ts';

export const CASE_DEADLINES_QUEUE = 'case-deadlines';
const SWEEP = 'sweep';

/** The system's own name in the audit log, for what no person did. */
const SYSTEM = { id: null, username: 'system:case-deadlines' };

export interface CaseDeadlineSettings {
  /** How often the deadlines are checked (a repeatable job). */
  sweepMs: number;
  /** A check-in counts as missed this long after the end of its day in Asia/Bishkek. */
  checkInGraceMinutes: number;
  /** The supervisor is warned this long before a travel request's 24-hour deadline. */
  travelWarnMinutes: number;
}

/** The episode key of the missed_appearance alert of one check-in (one alert per check-in). */
export const appearanceEpisodeKey = (checkInId: string) => `appearance:${checkInId}`;
/** The episode key of the alert of a client who has not arrived within the legal term. */
export const arrivalEpisodeKey = (clientId: string) => `arrival:${clientId}`;
/** The episode key of the alert of one overdue living-conditions inspection (one per due date). */
export const inspectionEpisodeKey = (clientId: string, dueOn: string) => `inspection:${clientId}:${dueOn}`;

/**
 * Deadlines of the case file, checked by one repeatable BullMQ job (the schedule survives restarts
 * because it lives in Redis, and each pass is idempotent because it only acts on rows whose state
 * it then changes, or on alerts that do not exist yet):
 *
 * - Appearances (LEGAL.md obligation 3; PEC KR arts. 63(1)(7), 160^3(2)(7), 166(1)(7)): a check-in
 *   still `scheduled` after its day (plus a grace) raises `missed_appearance` through the outbox,
 *   like every other alert. Recording the appearance as attended closes it; recording it as missed
 *   leaves it for the officer to resolve (a confirmed one is a violation, warned first: 168(1)).
 * - Arrival (61(2), 160^2(2), 166(1)(1), 160(6)): a client with no registration the day after the
 *   arrival deadline raises `missed_appearance` with `details.kind = 'arrival'`; failure to arrive
 *   is a ground for a court submission by itself (64(3), 160^4(2), 168(3)). Registration closes it.
 * - Inspections of a child's living conditions (167(2)): the day after the next act's due date
 *   (living-conditions.ts) with no act on file raises `inspection_overdue`, the office's own task;
 *   an act dated after the last one closes it.
 * - Travel requests (arts. 63(2), 166(2): decided "в суточный срок"): as the 24-hour deadline nears
 *   the district is warned live (`travel_request.deadline_near`, which the supervisor's dashboard
 *   shows); a deadline passed undecided is recorded on the request and in the audit log, and pushed
 *   live as `travel_request.deadline_breached`.
 */
export class CaseDeadlineWatchdog {
  readonly queue: Queue;
  readonly worker: Worker;

  constructor(
    private readonly pool: pg.Pool,
    private readonly publisher: Redis,
    private readonly prefix: string,
    connection: ConnectionOptions,
    workerConnection: ConnectionOptions,
    private readonly settings: CaseDeadlineSettings,
    private readonly log: Logger,
  ) {
    this.queue = new Queue(CASE_DEADLINES_QUEUE, { connection, prefix, defaultJobOptions: { removeOnComplete: true, removeOnFail: { age: 86_400 } } });
    // Concurrency 1: passes never overlap, so a deadline is acted on once even before its row changes.
    this.worker = new Worker(CASE_DEADLINES_QUEUE, () => this.sweep(), { connection: workerConnection, prefix, concurrency: 1 });
    this.worker.on('error', (err) => this.log.error({ err: err.message }, 'case deadline worker error'));
  }

  async start(): Promise<void> {
    await this.queue.upsertJobScheduler(SWEEP, { every: this.settings.sweepMs }, { name: SWEEP, data: {} });
  }

  /** One pass over every deadline; returns what it did (for tests and logs). */
  async sweep(): Promise<{ missed: number; attended: number; warned: number; breached: number }> {
    const missed = (await this.raiseMissedAppearances()) + (await this.raiseArrivalsOverdue()) + (await this.raiseInspectionsOverdue());
    const attended = (await this.closeAttendedAppearances()) + (await this.closeInspected());
    const warned = await this.warnTravelDeadlines();
    const breached = await this.recordTravelBreaches();
    if (missed + attended + warned + breached) this.log.info({ missed, attended, warned, breached }, 'case deadlines');
    return { missed, attended, warned, breached };
  }

  private async raiseMissedAppearances(): Promise<number> {
    // Marking the check-in and writing the intent in one transaction: a later sweep, before the
    // relay has created the alert, finds the mark and enqueues nothing again.
    return inTransaction(this.pool, async (db) => {
      const { rows } = await db.query<{ id: string; client_id: string; due_at: string; deadline: Date }>(
        `update check_ins ci set alert_raised_at = now()
          where ci.status = 'scheduled' and ci.alert_raised_at is null
            and ((ci.due_at + 1)::timestamp at time zone 'Asia/Bishkek') + make_interval(mins => $1) <= now()
         returning ci.id, ci.client_id, to_char(ci.due_at, 'YYYY-MM-DD') as due_at,
                   ((ci.due_at + 1)::timestamp at time zone 'Asia/Bishkek') + make_interval(mins => $1) as deadline`,
        [this.settings.checkInGraceMinutes],
      );
      await enqueueAlertIntents(db, rows.map((r) => ({
        kind: 'open',
        episodeKey: appearanceEpisodeKey(r.id),
        clientId: r.client_id,
        deviceId: null,
        type: 'missed_appearance',
        severity: ALERT_CATALOGUE.missed_appearance.severity,
        at: r.deadline.getTime(),
        lon: null,
        lat: null,
        details: { kind: 'check_in', checkInId: r.id, dueOn: r.due_at, selfClearing: true },
      })));
      return rows.length;
    });
  }

  /**
   * Not arrived within the term the law sets (10 calendar days, 5 on parole: PEC KR arts. 61(2),
   * 160^2(2), 166(1)(1), 160(6)): the case file has no registration the day after the deadline.
   * Failure to arrive is itself a ground for a court submission (64(3), 160^4(2), 168(3)).
   */
  private async raiseArrivalsOverdue(): Promise<number> {
    return inTransaction(this.pool, async (db) => {
      const { rows } = await db.query<{ id: string; deadline: string; at: Date }>(
        `update clients c set arrival_alert_raised_at = now()
          where c.registered_on is null and c.arrival_alert_raised_at is null and c.arrival_deadline is not null
            and ((c.arrival_deadline + 1)::timestamp at time zone 'Asia/Bishkek') + make_interval(mins => $1) <= now()
         returning c.id, to_char(c.arrival_deadline, 'YYYY-MM-DD') as deadline,
                   ((c.arrival_deadline + 1)::timestamp at time zone 'Asia/Bishkek') + make_interval(mins => $1) as at`,
        [this.settings.checkInGraceMinutes],
      );
      await enqueueAlertIntents(db, rows.map((r) => ({
        kind: 'open',
        episodeKey: arrivalEpisodeKey(r.id),
        clientId: r.id,
        deviceId: null,
        type: 'missed_appearance',
        severity: ALERT_CATALOGUE.missed_appearance.severity,
        at: r.at.getTime(),
        lon: null,
        lat: null,
        details: { kind: 'arrival', arrivalDeadline: r.deadline, selfClearing: true },
      })));
      return rows.length;
    });
  }

  /**
   * A child under supervision whose next living-conditions act is overdue (PEC KR art. 167(2)). The
   * candidates are few (children under supervision), so the due date is computed by the pure rule
   * rather than repeated in SQL; the mark and the intent share a transaction, as for check-ins.
   */
  private async raiseInspectionsOverdue(): Promise<number> {
    const now = Date.now();
    const today = bishkekDate(now);
    const regimes = Object.keys(LIVING_CONDITIONS_INSPECTION_ARTICLES);
    const { rows } = await this.pool.query<{ id: string; regime: RegimeKind; birth_date: string; term_start: string; term_end: string | null; acts: string[] }>(
      `select c.id, c.regime, to_char(c.birth_date, 'YYYY-MM-DD') as birth_date, to_char(c.term_start, 'YYYY-MM-DD') as term_start,
              to_char(c.term_end, 'YYYY-MM-DD') as term_end,
              coalesce((select array_agg(to_char(i.inspected_on, 'YYYY-MM-DD')) from living_conditions_inspections i where i.client_id = c.id), '{}') as acts
         from clients c
        where c.regime = any($1) and c.term_start is not null and c.birth_date > (now() at time zone 'Asia/Bishkek')::date - interval '18 years'`,
      [regimes],
    );
    const graceMs = this.settings.checkInGraceMinutes * 60_000;
    const overdue = rows.flatMap((r) => {
      const duty = livingConditionsInspectionDuty({ regime: r.regime, birthDate: r.birth_date, termStart: r.term_start, termEnd: r.term_end, inspectedOn: r.acts });
      if (!duty?.nextDueOn || duty.nextDueOn >= today) return [];
      const at = bishkekMidnight(addDays(duty.nextDueOn, 1)) + graceMs;
      return at <= now ? [{ clientId: r.id, dueOn: duty.nextDueOn, from: duty.countedFrom, at, articles: duty.articles }] : [];
    });
    if (!overdue.length) return 0;
    return inTransaction(this.pool, async (db) => {
      const marked = await db.query<{ client_id: string; due_on: string }>(
        `insert into inspection_deadline_marks (client_id, due_on, counted_from)
         select * from unnest($1::uuid[], $2::date[], $3::date[]) on conflict do nothing
         returning client_id, to_char(due_on, 'YYYY-MM-DD') as due_on`,
        [overdue.map((o) => o.clientId), overdue.map((o) => o.dueOn), overdue.map((o) => o.from)],
      );
      const fresh = new Set(marked.rows.map((m) => `${m.client_id}:${m.due_on}`));
      await enqueueAlertIntents(db, overdue.filter((o) => fresh.has(`${o.clientId}:${o.dueOn}`)).map((o) => ({
        kind: 'open',
        episodeKey: inspectionEpisodeKey(o.clientId, o.dueOn),
        clientId: o.clientId,
        deviceId: null,
        type: 'inspection_overdue',
        severity: ALERT_CATALOGUE.inspection_overdue.severity,
        at: o.at,
        lon: null,
        lat: null,
        details: { kind: 'living_conditions', dueOn: o.dueOn, countedFrom: o.from, articles: [...o.articles], selfClearing: true },
      })));
      return marked.rows.length;
    });
  }

  /** An overdue inspection alert closes when an act dated after the one its due date was counted from is on file. */
  private async closeInspected(): Promise<number> {
    const { rows } = await this.pool.query<{ key: string; at: Date }>(
      `select a.episode_key as key, min(i.recorded_at) as at
         from inspection_deadline_marks m
         join alerts a on a.episode_key = 'inspection:' || m.client_id::text || ':' || to_char(m.due_on, 'YYYY-MM-DD')
         join living_conditions_inspections i on i.client_id = m.client_id and i.inspected_on > m.counted_from
        where a.closed_at is null
        group by a.episode_key`,
    );
    await enqueueAlertIntents(this.pool, rows.map((r) => ({ kind: 'close', episodeKey: r.key, at: r.at.getTime() })));
    return rows.length;
  }

  private async closeAttendedAppearances(): Promise<number> {
    const checkIns = await this.pool.query<{ key: string; at: Date | null }>(
      `select a.episode_key as key, ci.recorded_at as at from check_ins ci
         join alerts a on a.episode_key = 'appearance:' || ci.id::text
        where ci.status = 'attended' and a.closed_at is null`,
    );
    const arrivals = await this.pool.query<{ key: string; at: Date | null }>(
      `select a.episode_key as key, c.registered_on::timestamp at time zone 'Asia/Bishkek' as at from clients c
         join alerts a on a.episode_key = 'arrival:' || c.id::text
        where c.registered_on is not null and a.closed_at is null`,
    );
    const rows = [...checkIns.rows, ...arrivals.rows];
    await enqueueAlertIntents(this.pool, rows.map((r) => ({ kind: 'close', episodeKey: r.key, at: (r.at ?? new Date()).getTime() })));
    return rows.length;
  }

  private async warnTravelDeadlines(): Promise<number> {
    const { rows } = await this.pool.query<TravelRow>(
      `update travel_requests t set deadline_warned_at = now()
         from clients c
        where c.id = t.client_id and t.status = 'pending' and t.deadline_warned_at is null
          and t.decide_by - make_interval(mins => $1) <= now()
       returning t.id, t.client_id, t.decide_by, t.submitted_at, c.district_id`,
      [this.settings.travelWarnMinutes],
    );
    for (const r of rows) await this.publish('travel_request.deadline_near', r);
    return rows.length;
  }

  private async recordTravelBreaches(): Promise<number> {
    const rows = await inTransaction(this.pool, async (client) => {
      const res = await client.query<TravelRow>(
        `update travel_requests t set deadline_breached_at = now()
           from clients c
          where c.id = t.client_id and t.status = 'pending' and t.deadline_breached_at is null and t.decide_by <= now()
         returning t.id, t.client_id, t.decide_by, t.submitted_at, c.district_id`,
      );
      for (const r of res.rows) {
        await appendAudit(client, {
          actor: SYSTEM,
          action: 'travel_request.deadline_breached',
          subjectType: 'travel_request',
          subjectId: r.id,
          reason: `not decided within ${TRAVEL_DECISION_HOURS} hours (PEC KR arts. 63(2), 166(2))`,
          details: { clientId: r.client_id, decideBy: r.decide_by.toISOString(), submittedAt: r.submitted_at.toISOString() },
        });
      }
      return res.rows;
    });
    for (const r of rows) await this.publish('travel_request.deadline_breached', r);
    return rows.length;
  }

  private async publish(event: LiveTravelRequestMessage['event'], r: TravelRow): Promise<void> {
    const msg: LiveTravelRequestMessage = {
      event,
      travelRequest: { id: r.id, clientId: r.client_id, decideBy: r.decide_by.getTime(), submittedAt: r.submitted_at.getTime() },
      districtId: r.district_id,
    };
    await this.publisher.publish(liveChannel(this.prefix), JSON.stringify(msg));
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
  }
}

interface TravelRow {
  id: string;
  client_id: string;
  decide_by: Date;
  submitted_at: Date;
  district_id: string;
}
