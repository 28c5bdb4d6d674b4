import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import type pg from 'pg';
import { addDays, bishkekDate, bishkekMidnight, checkInsToSchedule, computeTerm, type Term } from '../../../infra/domain/term.ts';
import { Errors } from '../../errors.ts';
import { districtScope } from '../../plugins/application/auth.ts';
import { listClientSummaries, readCaseFile } from '../../cases/case-file.ts';
import { actorOf, requireClient } from '../../cases/client-record.ts';
import { openCaseFile } from '../../cases/open-case-file.ts';
import { fitDevice, removeDevice, REMOVAL_CODES } from '../../cases/device-assignment.ts';
import { termInputOf } from '../../cases/case-history.ts';
import { readTrack } from '../../cases/track-repository.ts';
import { Assignment, CaseFile, ClientSummary, ClientUpdate, EpochMs, ErrorBody, IdParams, NewClient, TrackSchema, Uuid, errors } from '../../cases/schemas.ts';

const DAY_MS = 86_400_000;
/** A track read covers at most this period, and returns at most this many fixes and events. */
const TRACK_MAX_DAYS = 31;
const TRACK_LIMIT = 20_000;
/** When on its due day a missed appearance is recorded as having happened: the office's closing time. */
const OFFICE_CLOSES_H = 18;

const ListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name' })),
  },
  { additionalProperties: false },
);
const TrackQuery = Type.Object(
  {
    from: Type.Integer({ minimum: 0, description: 'epoch ms, inclusive' }),
    to: Type.Integer({ minimum: 0, description: `epoch ms, exclusive; at most ${TRACK_MAX_DAYS} days after from` }),
    reason: Type.String({ minLength: 3, maxLength: 500, description: 'Why the track is read: written to the audit log' }),
  },
  { additionalProperties: false },
);
const AttendanceBody = Type.Object(
  {
    status: Type.Enum(['attended', 'missed']),
    validReason: Type.Optional(Type.String({ minLength: 3, maxLength: 2000, description: 'For a missed appearance: the valid reason, which stops escalation' })),
  },
  { additionalProperties: false },
);
const AssignmentBody = Type.Object(
  {
    action: Type.Enum(['fit', 'remove']),
    deviceId: Type.String({ pattern: '^[A-Za-z0-9_-]{3,64}$' }),
    reason: Type.String({ minLength: 3, maxLength: 2000 }),
    at: Type.Optional(Type.Integer({ minimum: 0, description: 'When the tag was fitted or removed (epoch ms); defaults to now' })),
    removalCode: Type.Optional(Type.Enum(REMOVAL_CODES, {
      description: 'Why the tag comes off (for remove): removed (back to stock, the default), broken (faulty), lost (its broker account is revoked), sentence_ended (back to stock)',
    })),
    deviceStatus: Type.Optional(Type.Enum(['in_stock', 'faulty'], { description: 'After removal; overrides what removalCode implies (kept for older clients of the API)' })),
  },
  { additionalProperties: false },
);
const PlanBody = Type.Object(
  {
    plan: Type.String({ minLength: 3, maxLength: 20000 }),
    assistanceRefused: Type.Optional(Type.Boolean({ description: 'The client refused social and legal assistance (PEC KR art. 165(6))' })),
    refusalAct: Type.Optional(Type.String({ minLength: 3, maxLength: 4000, description: 'The act recording the refusal' })),
  },
  { additionalProperties: false },
);
const ReferralBody = Type.Object(
  {
    agency: Type.Enum(['health', 'education', 'labour_social_protection', 'population_registration', 'culture_youth', 'local_administration', 'other'], {
      description: 'The body of Cabinet of Ministers resolution No. 442 (31 July 2024) the client is referred to',
    }),
    purpose: Type.String({ minLength: 3, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
const RegistrationBody = Type.Object(
  {
    registeredOn: Type.String({ format: 'date', description: 'The day the client reported to the office and was registered (YYYY-MM-DD, Asia/Bishkek)' }),
    arrivedAtResidenceOn: Type.Optional(Type.String({
      format: 'date',
      description: 'Released from prison under a deferment: the day the client arrived at the place of residence, if not recorded yet (PEC KR art. 160^1(4))',
    })),
    reason: Type.String({ minLength: 3, maxLength: 2000, description: 'Why / on what record the registration is entered (audited)' }),
  },
  { additionalProperties: false },
);
const ArrivalBody = Type.Object(
  {
    arrivedOn: Type.String({ format: 'date', description: 'The day the client arrived at the place of residence (YYYY-MM-DD, Asia/Bishkek)' }),
    reason: Type.String({ minLength: 3, maxLength: 2000, description: 'On what record the arrival is entered (audited)' }),
  },
  { additionalProperties: false },
);

/**
 * The calendar from a new registration or arrival on: future appearances scheduled before it (none
 * inside the arrival window) are replaced; recorded or past ones stay as they are. Returns the dates.
 */
async function rescheduleCheckIns(db: pg.PoolClient, clientId: string, term: Term, registeredOn: string | null, today: string): Promise<string[]> {
  await db.query(`delete from check_ins where client_id = $1 and status = 'scheduled' and due_at >= $2::date`, [clientId, today]);
  const dates = checkInsToSchedule(term, registeredOn, today);
  if (dates.length) await db.query('insert into check_ins (client_id, due_at) select $1, unnest($2::date[]) on conflict (client_id, due_at) do nothing', [clientId, dates]);
  return dates;
}

const clientsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/clients',
    {
      preHandler: app.requireUser(),
      schema: {
        tags: ['cases'],
        summary: 'My clients: summaries of the case files the user may see',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(ClientSummary), total: Type.Integer() }), 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof ListQuery>;
      const scope = districtScope(request.user!);
      // The list shows each client's last position: personal location data, so the read is audited.
      return inTransaction(app.pg, async (db) => {
        const page = await listClientSummaries(db, scope, q);
        await appendAudit(db, {
          actor: actorOf(request.user!), action: 'clients.list', subjectType: 'district', subjectId: scope ?? '*',
          details: { count: page.items.length, total: page.total, filter: { q: q.q ?? null, limit: q.limit, offset: q.offset, districtId: scope } },
        });
        return page;
      });
    },
  );

  app.post(
    '/clients',
    {
      preHandler: app.requireUser('officer', 'supervisor', 'admin'),
      schema: {
        tags: ['cases'],
        summary: 'Open a case file; the term, arrival deadline and check-in calendar are computed by law',
        body: NewClient,
        response: { 201: CaseFile, ...errors },
      },
    },
    async (request, reply) => {
      const user = request.user!;
      // One code path with the demo seed: dashboard/cases/open-case-file.ts.
      const id = await inTransaction(app.pg, (db) => openCaseFile(db, user, request.body as Static<typeof NewClient>));
      const c = await requireClient(app.pg, id, user);
      return reply.status(201).send(await readCaseFile(app.pg, c));
    },
  );

  app.patch(
    '/clients/:id',
    {
      preHandler: app.requireUser('officer', 'supervisor', 'admin'),
      schema: {
        tags: ['cases'],
        summary: 'Correct or complete the case file (court, address, risk level, duties, officer); audited as client.update with the reason',
        params: IdParams,
        body: ClientUpdate,
        response: { 200: CaseFile, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof ClientUpdate>;
      const user = request.user!;
      const columns: Record<keyof Omit<typeof b, 'reason'>, string> = {
        courtName: 'court_name', address: 'address', birthDate: 'birth_date', riskLevel: 'risk_level', courtDuties: 'court_duties',
        damagesOutstanding: 'damages_outstanding', officerId: 'officer_id', childBirthDate: 'child_birth_date', childDiedOn: 'child_died_on',
      };
      const changed = (Object.keys(columns) as (keyof typeof columns)[]).filter((k) => b[k] !== undefined);
      if (!changed.length) throw new Errors.VALIDATION('body must change at least one field besides reason');
      return inTransaction(app.pg, async (db) => {
        const c = await requireClient(db, id, user, true);
        if ((b.childBirthDate !== undefined || b.childDiedOn !== undefined) && c.regime !== 'deferred_sentence') {
          throw new Errors.VALIDATION(`body/${b.childBirthDate !== undefined ? 'childBirthDate' : 'childDiedOn'} is for a deferred sentence only (PEC KR art. 160^4(3))`);
        }
        const birth = b.childBirthDate ?? c.childBirthDate;
        if (b.childDiedOn !== undefined && (!birth || b.childDiedOn < birth)) throw new Errors.VALIDATION("body/childDiedOn needs the child's date of birth, and cannot be before it");
        if (b.officerId) {
          const o = await db.query('select 1 from users where id = $1 and role = $2 and district_id = $3 and disabled_at is null', [b.officerId, 'officer', c.districtId]);
          if (!o.rows.length) throw new Errors.VALIDATION("body/officerId must be an officer of the client's district");
        }
        const params: unknown[] = [id];
        const sets = changed.map((k) => `${columns[k]} = $${params.push(b[k])}`);
        await db.query(`update clients set ${sets.join(', ')} where id = $1`, params);
        // What each field was and became: the audit log is the case file's history.
        const diff = Object.fromEntries(changed.map((k) => [k, { from: c[k], to: b[k] }]));
        await appendAudit(db, {
          actor: actorOf(user), action: 'client.update', subjectType: 'client', subjectId: id, reason: b.reason,
          details: { fields: changed, ...diff },
        });
        return readCaseFile(db, await requireClient(db, id, user));
      });
    },
  );

  app.get(
    '/clients/:id',
    {
      preHandler: app.requireUser(),
      schema: { tags: ['cases'], summary: 'The case file; every read is audited as client.read', params: IdParams, response: { 200: CaseFile, ...errors } },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      return inTransaction(app.pg, async (db) => {
        const c = await requireClient(db, id, request.user!);
        const file = await readCaseFile(db, c);
        await appendAudit(db, { actor: actorOf(request.user!), action: 'client.read', subjectType: 'client', subjectId: id });
        return file;
      });
    },
  );

  app.post(
    '/clients/:id/arrival-at-residence',
    {
      preHandler: app.requireUser('officer', 'supervisor'),
      schema: {
        tags: ['cases'],
        summary: 'Released from prison under a deferment: record the arrival at the place of residence; the 5-day term to appear runs from it (PEC KR art. 160^1(4))',
        description: 'Sets the arrival deadline (arrival + 5 days, docs/legal-workflow.md "Counting terms"), so the deadline watchdog raises a missed appearance after it, and schedules the fortnightly appearances from the day after. Audited as client.arrival.',
        params: IdParams,
        body: ArrivalBody,
        response: { 200: CaseFile, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof ArrivalBody>;
      const user = request.user!;
      const today = bishkekDate(Date.now());
      if (b.arrivedOn > today) throw new Errors.VALIDATION('body/arrivedOn cannot be in the future');
      return inTransaction(app.pg, async (db) => {
        const c = await requireClient(db, id, user, true);
        if (c.deferralBasis !== 'release_from_prison') throw new Errors.VALIDATION(`body/arrivedOn: client ${id} was not released from prison under a deferment (PEC KR art. 160^1(4))`);
        if (c.registeredOn) throw new Errors.CONFLICT(`client ${id} is already registered (on ${c.registeredOn})`);
        if (b.arrivedOn < c.effectiveDate) throw new Errors.VALIDATION(`body/arrivedOn cannot be before the effective date ${c.effectiveDate}`);
        const term = computeTerm({ ...termInputOf(c), arrivedAtResidenceOn: b.arrivedOn });
        await db.query('update clients set arrived_at_residence_on = $2, arrival_deadline = $3 where id = $1', [id, b.arrivedOn, term.arrivalDeadline]);
        const dates = await rescheduleCheckIns(db, id, term, null, today);
        await appendAudit(db, {
          actor: actorOf(user), action: 'client.arrival', subjectType: 'client', subjectId: id, reason: b.reason,
          details: { arrivedOn: b.arrivedOn, from: c.arrivedAtResidenceOn, arrivalDeadline: term.arrivalDeadline, checkIns: dates.length, articles: term.articles },
        });
        return readCaseFile(db, await requireClient(db, id, user));
      });
    },
  );

  app.post(
    '/clients/:id/registration',
    {
      preHandler: app.requireUser('officer', 'supervisor'),
      schema: {
        tags: ['cases'],
        summary: 'Record the client reporting to the office and being registered: the term and the check-in calendar follow; a late arrival is a violation',
        description:
          'Sets registered_on, recomputes the term (PEC KR arts. 62, 166(1)(1), 160^3(1), 160(6)) and schedules the fortnightly appearances from then on (not before today). ' +
          'Registered after the arrival deadline (61(2), 160^2(2), 166(1)(1): 10 days; 160(6): 5 days on parole): an arrive_within_term violation is recorded, ' +
          'without a valid reason; the officer records one with POST /violations/:id/valid-reason. Audited as client.register.',
        params: IdParams,
        body: RegistrationBody,
        response: { 200: Type.Intersect([CaseFile, Type.Object({ lateArrivalViolationId: Type.Union([Type.String(), Type.Null()]) })]), ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof RegistrationBody>;
      const user = request.user!;
      const today = bishkekDate(Date.now());
      if (b.registeredOn > today) throw new Errors.VALIDATION('body/registeredOn cannot be in the future');
      return inTransaction(app.pg, async (db) => {
        const c = await requireClient(db, id, user, true);
        if (c.registeredOn) throw new Errors.CONFLICT(`client ${id} is already registered (on ${c.registeredOn})`);
        if (b.registeredOn < c.effectiveDate) throw new Errors.VALIDATION(`body/registeredOn cannot be before the effective date ${c.effectiveDate}`);
        // Released from prison under a deferment: the 5 days run from the arrival home (160^1(4)), which the officer must know by now.
        const arrivedAtResidenceOn = b.arrivedAtResidenceOn ?? c.arrivedAtResidenceOn;
        if (c.deferralBasis === 'release_from_prison') {
          if (!arrivedAtResidenceOn) throw new Errors.VALIDATION('body/arrivedAtResidenceOn is required: the 5-day term runs from the arrival at the place of residence (PEC KR art. 160^1(4))');
          if (arrivedAtResidenceOn > b.registeredOn || arrivedAtResidenceOn < c.effectiveDate) throw new Errors.VALIDATION('body/arrivedAtResidenceOn must lie between the effective date and the registration');
        } else if (b.arrivedAtResidenceOn !== undefined) {
          throw new Errors.VALIDATION('body/arrivedAtResidenceOn is for a client released from prison under a deferment only (PEC KR art. 160^1(4))');
        }
        const term = computeTerm({ ...termInputOf(c, b.registeredOn), arrivedAtResidenceOn });
        await db.query('update clients set registered_on = $2, term_start = $3, term_end = $4, arrival_deadline = $5, arrived_at_residence_on = $6 where id = $1', [
          id, b.registeredOn, term.termStart, term.termEnd, term.arrivalDeadline, c.deferralBasis === 'release_from_prison' ? arrivedAtResidenceOn : null,
        ]);
        const dates = await rescheduleCheckIns(db, id, term, b.registeredOn, today);
        let lateArrivalViolationId: string | null = null;
        if (term.arrivalDeadline !== null && b.registeredOn > term.arrivalDeadline) {
          // The officer may already have recorded it (from the watchdog's alert): the same violation, not a second one.
          const earlier = await db.query<{ id: string }>(`select id from violations where client_id = $1 and obligation = 'arrive_within_term' order by occurred_at limit 1`, [id]);
          lateArrivalViolationId = earlier.rows[0]?.id ?? (await db.query<{ id: string }>(
            `insert into violations (client_id, obligation, occurred_at, description, recorded_by) values ($1, 'arrive_within_term', to_timestamp($2 / 1000.0), $3, $4) returning id`,
            [id, bishkekMidnight(addDays(term.arrivalDeadline, 1)), `Неявка в орган пробации в установленный срок (до ${term.arrivalDeadline} включительно); явился ${b.registeredOn}`, user.id],
          )).rows[0]!.id;
        }
        await appendAudit(db, {
          actor: actorOf(user), action: 'client.register', subjectType: 'client', subjectId: id, reason: b.reason,
          details: {
            registeredOn: b.registeredOn, termStart: term.termStart, termEnd: term.termEnd, arrivalDeadline: term.arrivalDeadline,
            checkIns: dates.length, lateArrivalViolationId, articles: term.articles,
          },
        });
        return { ...(await readCaseFile(db, await requireClient(db, id, user))), lateArrivalViolationId };
      });
    },
  );

  app.get(
    '/clients/:id/track',
    {
      preHandler: app.requireUser(),
      schema: {
        tags: ['cases'],
        summary: "A client's fixes and device events in a period; the reason is required and the read is audited as track.read",
        params: IdParams,
        querystring: TrackQuery,
        response: { 200: TrackSchema, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const q = request.query as Static<typeof TrackQuery>;
      if (q.to <= q.from) throw new Errors.VALIDATION('querystring/to must be after from');
      if (q.to - q.from > TRACK_MAX_DAYS * DAY_MS) throw new Errors.VALIDATION(`querystring/to must be at most ${TRACK_MAX_DAYS} days after from`);
      return inTransaction(app.pg, async (db) => {
        await requireClient(db, id, request.user!);
        const track = await readTrack(db, id, q.from, q.to, TRACK_LIMIT);
        await appendAudit(db, {
          actor: actorOf(request.user!), action: 'track.read', subjectType: 'client', subjectId: id, reason: q.reason,
          details: { from: q.from, to: q.to, fixes: track.fixes.length, events: track.events.length },
        });
        return track;
      });
    },
  );

  app.post(
    '/clients/:id/check-ins/:checkInId/attendance',
    {
      preHandler: app.requireUser('officer'),
      schema: {
        tags: ['cases'],
        summary: 'Record an appearance: attended, or missed (a violation of 63(1)(7) / 160^3(2)(7) / 166(1)(7), with or without a valid reason)',
        params: Type.Object({ id: Uuid, checkInId: Uuid }),
        body: AttendanceBody,
        response: { 200: Type.Object({ id: Type.String(), status: Type.String(), violationId: Type.Union([Type.String(), Type.Null()]) }), ...errors },
      },
    },
    async (request) => {
      const { id, checkInId } = request.params as { id: string; checkInId: string };
      const b = request.body as Static<typeof AttendanceBody>;
      if (b.status === 'attended' && b.validReason) throw new Errors.VALIDATION('body/validReason is only for a missed appearance');
      const user = request.user!;
      return inTransaction(app.pg, async (db) => {
        await requireClient(db, id, user);
        const { rows } = await db.query<{ status: string; due_at: string }>(
          `select status, to_char(due_at, 'YYYY-MM-DD') as due_at from check_ins where id = $1 and client_id = $2 for update`,
          [checkInId, id],
        );
        const ci = rows[0];
        if (!ci) throw new Errors.NOT_FOUND(`check-in ${checkInId}`);
        if (ci.status !== 'scheduled') throw new Errors.CONFLICT(`check-in ${checkInId} is already recorded as ${ci.status}`);
        // The office is open until closing on the due day: only from the day after is it missed.
        if (b.status === 'missed' && ci.due_at >= bishkekDate(Date.now())) throw new Errors.CONFLICT(`check-in ${checkInId} is due on ${ci.due_at}: it cannot be missed before the day is over`);
        let violationId: string | null = null;
        // The deadline watchdog may already have raised a missed_appearance alert for this check-in,
        // and an operator confirmed it as a violation: that is the same violation, not a second one.
        const fromAlert = b.status === 'missed'
          ? (await db.query<{ id: string }>(
              `select v.id from violations v join alerts a on a.id = v.alert_id where a.episode_key = $1 and v.client_id = $2`,
              [`appearance:${checkInId}`, id],
            )).rows[0]
          : undefined;
        if (fromAlert) {
          violationId = fromAlert.id;
          if (b.validReason) {
            await db.query('update violations set valid_reason = $2, valid_reason_by = $3, valid_reason_at = now() where id = $1 and valid_reason is null', [violationId, b.validReason, user.id]);
          }
        } else if (b.status === 'missed') {
          const v = await db.query<{ id: string }>(
            `insert into violations (client_id, obligation, occurred_at, valid_reason, description, recorded_by, valid_reason_by, valid_reason_at)
             values ($1, 'appear_when_summoned', to_timestamp($2 / 1000.0), $3, $4, $5, $6, $7) returning id`,
            [id, bishkekMidnight(ci.due_at) + OFFICE_CLOSES_H * 3_600_000, b.validReason ?? null, `Неявка на регистрацию ${ci.due_at}`, user.id,
              b.validReason ? user.id : null, b.validReason ? new Date() : null],
          );
          violationId = v.rows[0]!.id;
        }
        await db.query('update check_ins set status = $2, recorded_by = $3, recorded_at = now(), valid_reason = $4, violation_id = $5 where id = $1', [
          checkInId, b.status, user.id, b.validReason ?? null, violationId,
        ]);
        await appendAudit(db, {
          actor: actorOf(user), action: 'check_in.record', subjectType: 'client', subjectId: id, reason: b.validReason ?? null,
          details: { checkInId, dueAt: ci.due_at, status: b.status, violationId },
        });
        return { id: checkInId, status: b.status, violationId };
      });
    },
  );

  app.post(
    '/clients/:id/device-assignments',
    {
      preHandler: app.requireUser('officer', 'admin'),
      schema: {
        tags: ['cases'],
        summary: 'Fit or remove a tag: the evidence chain records who did it and when',
        description: 'Ingest caches device contexts for INGEST_CONTEXT_TTL_MS (5 s by default): a change reaches the geofence within that time.',
        params: IdParams,
        body: AssignmentBody,
        response: { 200: Assignment, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof AssignmentBody>;
      const user = request.user!;
      const at = b.at ?? Date.now();
      if (at > Date.now() + 60_000) throw new Errors.VALIDATION('body/at cannot be in the future');
      return inTransaction(app.pg, async (db) => {
        await requireClient(db, id, user, true);
        if (b.action === 'fit') {
          if (b.removalCode || b.deviceStatus) throw new Errors.VALIDATION('body/removalCode and body/deviceStatus are for a removal only');
          return fitDevice(db, id, b.deviceId, at, user, b.reason);
        }
        return removeDevice(db, id, b.deviceId, at, user, b.reason, b.removalCode ?? (b.deviceStatus === 'faulty' ? 'broken' : 'removed'), 'body/deviceId', b.deviceStatus);
      });
    },
  );

  app.put(
    '/clients/:id/plan',
    {
      preHandler: app.requireUser('officer'),
      schema: {
        tags: ['cases'],
        summary: 'Set the supervision (resocialization) plan drawn up with the client (PEC KR art. 165(2)); a refusal of assistance needs its act (165(6))',
        params: IdParams,
        body: PlanBody,
        response: { 200: Type.Object({ plan: Type.String(), assistanceRefused: Type.Boolean(), refusalAct: Type.Union([Type.String(), Type.Null()]), updatedAt: EpochMs }), ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof PlanBody>;
      if (b.assistanceRefused && !b.refusalAct) throw new Errors.VALIDATION('body/refusalAct is required when assistance is refused (PEC KR art. 165(6))');
      const user = request.user!;
      return inTransaction(app.pg, async (db) => {
        await requireClient(db, id, user);
        const { rows } = await db.query<{ updated_at: Date }>(
          `insert into supervision_plans (client_id, plan, assistance_refused, refusal_act, updated_by) values ($1, $2, $3, $4, $5)
           on conflict (client_id) do update set plan = excluded.plan, assistance_refused = excluded.assistance_refused, refusal_act = excluded.refusal_act,
             updated_by = excluded.updated_by, updated_at = now()
           returning updated_at`,
          [id, b.plan, b.assistanceRefused ?? false, b.refusalAct ?? null, user.id],
        );
        await appendAudit(db, { actor: actorOf(user), action: 'plan.update', subjectType: 'client', subjectId: id, details: { assistanceRefused: b.assistanceRefused ?? false } });
        return { plan: b.plan, assistanceRefused: b.assistanceRefused ?? false, refusalAct: b.refusalAct ?? null, updatedAt: rows[0]!.updated_at.getTime() };
      });
    },
  );

  app.post(
    '/clients/:id/referrals',
    {
      preHandler: app.requireUser('officer'),
      schema: {
        tags: ['cases'],
        summary: 'Refer the client to a body that works with the office on resocialization (Cabinet of Ministers resolution No. 442)',
        params: IdParams,
        body: ReferralBody,
        response: { 201: Type.Object({ id: Type.String(), agency: Type.String(), purpose: Type.String(), status: Type.String(), createdAt: EpochMs }), ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof ReferralBody>;
      const user = request.user!;
      const row = await inTransaction(app.pg, async (db) => {
        await requireClient(db, id, user);
        const { rows } = await db.query<{ id: string; status: string; created_at: Date }>(
          'insert into referrals (client_id, agency, purpose, created_by) values ($1, $2, $3, $4) returning id, status, created_at',
          [id, b.agency, b.purpose, user.id],
        );
        await appendAudit(db, { actor: actorOf(user), action: 'referral.create', subjectType: 'client', subjectId: id, reason: b.purpose, details: { referralId: rows[0]!.id, agency: b.agency } });
        return rows[0]!;
      });
      return reply.status(201).send({ id: row.id, agency: b.agency, purpose: b.purpose, status: row.status, createdAt: row.created_at.getTime() });
    },
  );
};

export default clientsRoutes;
