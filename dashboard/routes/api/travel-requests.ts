import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import { isForeignDestination } from '../../../infra/domain/legal.ts';
import { validateTravelRequest } from '../../../infra/domain/travel-request.ts';
import { PERMIT_CATEGORIES, TRAVEL_REQUEST_STATUSES, TRIP_CIRCUMSTANCES, TRIP_RELATIONS } from '../../../infra/domain/types.ts';
import { Errors, outOfScope } from '../../errors.ts';
import { districtScope } from '../../plugins/application/auth.ts';
import { districtListFilter } from '../../cases/list-filter.ts';
import { actorOf, requireClient } from '../../cases/client-record.ts';
import { findTravelRequest, rowToTravelRequest, TRAVEL_REQUEST_COLUMNS } from '../../cases/travel-request-record.ts';
import { ErrorBody, IdParams, RouteSchema, TravelRequestSchema, errors } from '../../cases/schemas.ts';

/** An application entered late is still dated when it was made; older than this is a data-entry error. */
const RECEIVED_MAX_AGE_DAYS = 7;
/** Clock skew allowed between the officer's device and the server. */
const CLOCK_SKEW_MS = 60_000;

const NewTravelRequest = Type.Object(
  {
    category: Type.Enum(PERMIT_CATEGORIES),
    relation: Type.Optional(Type.Enum(TRIP_RELATIONS, { description: 'Exceptional trips: whose death or life-threatening illness' })),
    circumstance: Type.Optional(Type.Enum(TRIP_CIRCUMSTANCES)),
    destinationUnitIds: Type.Array(Type.String({ minLength: 2, maxLength: 32 }), { minItems: 1, maxItems: 20 }),
    route: Type.Optional({ ...RouteSchema, description: 'The way there and back; the permit allows this corridor too (travel time is part of the trip)' }),
    departAt: Type.Integer({ minimum: 0, description: 'epoch ms' }),
    returnAt: Type.Integer({ minimum: 0, description: 'epoch ms' }),
    travelDays: Type.Integer({ minimum: 0, maximum: 60, description: 'Days the journey there and back takes (not counted in the 10-day limit)' }),
    reason: Type.String({ minLength: 3, maxLength: 2000 }),
    studyRegistrationOffice: Type.Optional(Type.String({
      minLength: 3, maxLength: 300,
      description: 'Study permits: the probation body at the place of study the client registers with (required by PEC KR arts. 63(2)(2), 166(2)(2))',
    })),
    receivedAt: Type.Optional(Type.Integer({
      minimum: 0,
      description: `When the client applied (epoch ms; default now; not in the future, at most ${RECEIVED_MAX_AGE_DAYS} days ago): the 24 hours count from it`,
    })),
  },
  { additionalProperties: false },
);
const DecisionBody = Type.Object(
  { decision: Type.Enum(['approve', 'deny']), reason: Type.String({ minLength: 3, maxLength: 2000 }) },
  { additionalProperties: false },
);
const ListQuery = Type.Object(
  { status: Type.Optional(Type.Enum(TRAVEL_REQUEST_STATUSES)), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) },
  { additionalProperties: false },
);

const travelRequestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/travel-requests',
    {
      preHandler: app.requireUser('officer', 'supervisor'),
      schema: {
        tags: ['travel'],
        summary: 'Travel request inbox, most urgent first; a pending request past its 24-hour deadline is "expired"',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(TravelRequestSchema) }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof ListQuery>;
      const f = districtListFilter(request.user!);
      if (q.status === 'pending') f.where(`t.status = 'pending' and (t.decide_by is null or t.decide_by >= now())`);
      else if (q.status === 'expired') f.where(`t.status = 'pending' and t.decide_by < now()`);
      else if (q.status) f.where('t.status = ?', q.status);
      const { rows } = await app.pg.query(
        `select ${TRAVEL_REQUEST_COLUMNS} from travel_requests t join clients c on c.id = t.client_id
          ${f.clause()}
          order by (t.status = 'pending') desc, t.decide_by, t.id limit ${f.param(q.limit)}`,
        f.params,
      );
      const now = Date.now();
      return { items: rows.map((r) => rowToTravelRequest(r, now)) };
    },
  );

  app.post(
    '/clients/:id/travel-requests',
    {
      preHandler: app.requireUser('officer'),
      schema: {
        tags: ['travel'],
        summary: "Record a client's travel request (PEC KR arts. 63(2), 166(2)); an exceptional trip must be decided within 24 hours",
        params: IdParams,
        body: NewTravelRequest,
        response: { 201: TravelRequestSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof NewTravelRequest>;
      const user = request.user!;
      const c = await requireClient(app.pg, id, user);
      const now = Date.now();
      // "в суточный срок" runs from the client's application, not from when the officer typed it in.
      if (b.receivedAt !== undefined && b.receivedAt > now + CLOCK_SKEW_MS) throw new Errors.VALIDATION('body/receivedAt cannot be in the future');
      if (b.receivedAt !== undefined && b.receivedAt < now - RECEIVED_MAX_AGE_DAYS * 86_400_000) {
        throw new Errors.VALIDATION(`body/receivedAt must be within the last ${RECEIVED_MAX_AGE_DAYS} days`);
      }
      const submittedAt = Math.min(b.receivedAt ?? now, now);
      const verdict = validateTravelRequest({
        regime: c.regime, residenceUnitId: c.residenceUnitId, category: b.category, relation: b.relation ?? null, circumstance: b.circumstance ?? null,
        destinationUnitIds: b.destinationUnitIds, departAt: b.departAt, returnAt: b.returnAt, travelDays: b.travelDays, reason: b.reason, submittedAt,
        studyRegistrationOffice: b.studyRegistrationOffice ?? null,
      });
      if (!verdict.ok) throw new Errors.VALIDATION(`body/${verdict.problems[0]!.field} ${verdict.problems[0]!.message}`);
      const domestic = b.destinationUnitIds.filter((u) => !isForeignDestination(u));
      const known = await app.pg.query<{ id: string }>('select id from admin_units where level = 2 and id = any($1)', [domestic]);
      const unknown = domestic.filter((u) => !known.rows.some((k) => k.id === u));
      if (unknown.length) throw new Errors.VALIDATION(`body/destinationUnitIds ${unknown.join(', ')} is not a district or city (level 2 unit)`);
      const reqId = await inTransaction(app.pg, async (db) => {
        const { rows } = await db.query<{ id: string }>(
          `insert into travel_requests (client_id, category, relation, circumstance, destination_unit_ids, depart_at, return_at, travel_days, reason, submitted_at, submitted_by, decide_by, route,
                                        study_registration_office)
           values ($1, $2, $3, $4, $5, to_timestamp($6 / 1000.0), to_timestamp($7 / 1000.0), $8, $9, to_timestamp($10 / 1000.0), $11, to_timestamp($12 / 1000.0), $13, $14) returning id`,
          [id, b.category, b.relation ?? null, b.circumstance ?? null, b.destinationUnitIds, b.departAt, b.returnAt, b.travelDays, b.reason, submittedAt, user.id, verdict.decideBy,
            b.route ? JSON.stringify(b.route) : null, b.studyRegistrationOffice ?? null],
        );
        await appendAudit(db, {
          actor: actorOf(user), action: 'travel_request.create', subjectType: 'travel_request', subjectId: rows[0]!.id, reason: b.reason,
          details: { clientId: id, category: b.category, articles: verdict.articles, decideBy: verdict.decideBy },
        });
        return rows[0]!.id;
      });
      return reply.status(201).send(rowToTravelRequest((await findTravelRequest(app.pg, reqId))!, Date.now()));
    },
  );

  app.post(
    '/travel-requests/:id/decision',
    {
      preHandler: app.requireUser('officer', 'supervisor'),
      schema: {
        tags: ['travel'],
        summary: 'Approve or deny a travel request with reasons; approval creates the permit the geofence uses',
        description:
          'The permit covers departAt..returnAt, travel included, and is in force from the next fix (the database announces it to ingest at commit). A decision after the 24-hour deadline is allowed and records the breach.',
        params: IdParams,
        body: DecisionBody,
        response: { 200: TravelRequestSchema, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof DecisionBody>;
      const user = request.user!;
      const scope = districtScope(user);
      await inTransaction(app.pg, async (db) => {
        const r = await findTravelRequest(db, id, true);
        if (!r) throw new Errors.NOT_FOUND(`travel request ${id}`);
        if (scope && r.district_id !== scope) throw outOfScope(`travel request ${id}`, `travel request of district ${String(r.district_id)}, not the user's ${scope}`);
        if (r.status !== 'pending') throw new Errors.CONFLICT(`travel request ${id} is already ${r.status}`);
        const now = Date.now();
        const late = r.decide_by !== null && now > (r.decide_by as Date).getTime();
        let permitId: string | null = null;
        if (b.decision === 'approve') {
          if ((r.return_at as Date).getTime() <= now) throw new Errors.CONFLICT(`travel request ${id}: the trip would already be over; deny it instead`);
          const p = await db.query<{ id: string }>(
            `insert into permits (client_id, category, destination_unit_ids, corridor, valid_from, valid_until, travel_request_id) values ($1, $2, $3, $4, $5, $6, $7) returning id`,
            [r.client_id, r.category, r.destination_unit_ids, r.route ? JSON.stringify(r.route) : null, r.depart_at, r.return_at, id],
          );
          permitId = p.rows[0]!.id;
        }
        await db.query(
          `update travel_requests set status = $2, decided_at = to_timestamp($3 / 1000.0), decided_by = $4, decision_reason = $5, permit_id = $6,
                  deadline_breached_at = case when $7 then coalesce(deadline_breached_at, decide_by) else deadline_breached_at end
            where id = $1`,
          [id, b.decision === 'approve' ? 'approved' : 'denied', now, user.id, b.reason, permitId, late],
        );
        await appendAudit(db, {
          actor: actorOf(user), action: b.decision === 'approve' ? 'travel_request.approve' : 'travel_request.deny', subjectType: 'travel_request', subjectId: id,
          reason: b.reason, details: { clientId: r.client_id, permitId, late },
        });
      });
      return rowToTravelRequest((await findTravelRequest(app.pg, id))!, Date.now());
    },
  );
};

export default travelRequestRoutes;
