import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import { obligationApplies, obligationArticles } from '../../../infra/domain/legal.ts';
import { OBLIGATIONS, type DeferralArrivalBasis, type Obligation, type RegimeKind } from '../../../infra/domain/types.ts';
import { Errors, outOfScope } from '../../errors.ts';
import { districtScope } from '../../plugins/application/auth.ts';
import { clientListFilter } from '../../cases/list-filter.ts';
import { actorOf, requireClient } from '../../cases/client-record.ts';
import { ErrorBody, IdParams, Uuid, ViolationSchema, errors } from '../../cases/schemas.ts';

const VIOLATION_STATUSES = ['pending', 'decided', 'valid_reason'] as const;
const ListQuery = Type.Object(
  { clientId: Type.Optional(Uuid), status: Type.Optional(Type.Enum(VIOLATION_STATUSES)), limit: Type.Integer({ minimum: 1, maximum: 500, default: 200 }) },
  { additionalProperties: false },
);
const NewViolation = Type.Object(
  {
    obligation: Type.Enum(OBLIGATIONS, {
      description:
        'e.g. appear_when_summoned (a missed fortnightly appearance), arrive_within_term (not reported within the statutory term), no_unapproved_move (an unreported move), carry_identity_documents (PEC KR art. 166(1)(6)), court_imposed_duty (a duty the court imposed, 166(1)(2)), office_requirement (a lawful requirement of the office, 166(1)(5))',
    }),
    occurredAt: Type.Integer({ minimum: 0, description: 'epoch ms' }),
    description: Type.String({ minLength: 3, maxLength: 2000 }),
  },
  { additionalProperties: false },
);
const ValidReasonBody = Type.Object({ validReason: Type.String({ minLength: 3, maxLength: 2000 }) }, { additionalProperties: false });

const STATUS_SQL = `case when v.valid_reason is not null then 'valid_reason'
                         when exists (select 1 from sanction_decisions s where s.client_id = v.client_id and v.id = any(s.violation_ids)
                                        and s.kind in ('written_warning', 'court_submission_add_duties', 'court_submission_revoke')) then 'decided'
                         else 'pending' end`;
const COLUMNS = `v.id, v.client_id, c.regime, c.deferral_basis, v.obligation, v.occurred_at, v.description, v.valid_reason, v.alert_id, a.type as alert_type, v.recorded_at, ${STATUS_SQL} as status`;
const FROM = 'violations v join clients c on c.id = v.client_id left join alerts a on a.id = v.alert_id';

function rowToViolation(r: Record<string, unknown>) {
  const obligation = r.obligation as Obligation;
  return {
    id: r.id as string,
    clientId: r.client_id as string,
    obligation,
    articles: [...obligationArticles(obligation, r.regime as RegimeKind, (r.deferral_basis as DeferralArrivalBasis | null) ?? null)],
    occurredAt: (r.occurred_at as Date).getTime(),
    description: (r.description as string | null) ?? null,
    validReason: (r.valid_reason as string | null) ?? null,
    alert: r.alert_id ? { id: r.alert_id as string, type: r.alert_type as string } : null,
    status: r.status as (typeof VIOLATION_STATUSES)[number],
    recordedAt: (r.recorded_at as Date).getTime(),
  };
}

const violationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/violations',
    {
      preHandler: app.requireUser(),
      schema: {
        tags: ['violations'],
        summary: 'Violations with their obligation, articles, valid reason and the alert they came from',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(ViolationSchema) }), 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof ListQuery>;
      const f = await clientListFilter(app.pg, request.user!, q.clientId, 'v.client_id');
      if (q.status) f.where(`${STATUS_SQL} = ?`, q.status);
      const { rows } = await app.pg.query(
        `select ${COLUMNS} from ${FROM} ${f.clause()} order by v.occurred_at desc, v.id limit ${f.param(q.limit)}`,
        f.params,
      );
      return { items: rows.map(rowToViolation) };
    },
  );

  app.post(
    '/clients/:id/violations',
    {
      preHandler: app.requireUser('officer'),
      schema: {
        tags: ['violations'],
        summary: 'Enter a violation by hand (a missed appearance, an unreported move)',
        params: IdParams,
        body: NewViolation,
        response: { 201: ViolationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof NewViolation>;
      if (b.occurredAt > Date.now() + 60_000) throw new Errors.VALIDATION('body/occurredAt cannot be in the future');
      const user = request.user!;
      const row = await inTransaction(app.pg, async (db) => {
        const client = await requireClient(db, id, user);
        if (!obligationApplies(b.obligation, client.regime)) {
          throw new Errors.VALIDATION(`body/obligation ${b.obligation} is not an obligation of the regime ${client.regime} (no article imposes it)`);
        }
        const { rows } = await db.query<{ id: string }>(
          `insert into violations (client_id, obligation, occurred_at, description, recorded_by) values ($1, $2, to_timestamp($3 / 1000.0), $4, $5) returning id`,
          [id, b.obligation, b.occurredAt, b.description, user.id],
        );
        await appendAudit(db, {
          actor: actorOf(user), action: 'violation.create', subjectType: 'client', subjectId: id, reason: b.description,
          details: { violationId: rows[0]!.id, obligation: b.obligation, occurredAt: b.occurredAt },
        });
        return (await db.query(`select ${COLUMNS} from ${FROM} where v.id = $1`, [rows[0]!.id])).rows[0]!;
      });
      return reply.status(201).send(rowToViolation(row));
    },
  );

  app.post(
    '/violations/:id/valid-reason',
    {
      preHandler: app.requireUser('officer'),
      schema: {
        tags: ['violations'],
        summary: 'Record a valid reason (уважительная причина): the violation stays on record and never escalates',
        params: IdParams,
        body: ValidReasonBody,
        response: { 200: ViolationSchema, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { validReason } = request.body as Static<typeof ValidReasonBody>;
      const user = request.user!;
      const scope = districtScope(user);
      const row = await inTransaction(app.pg, async (db) => {
        // Lock the client row first, as decisions do (POST /clients/:id/decisions): a warning
        // cannot be issued on this violation while it is being excused, nor the other way round.
        const owner = await db.query<{ client_id: string }>('select client_id from violations where id = $1', [id]);
        if (owner.rows[0]) await db.query('select 1 from clients where id = $1 for update', [owner.rows[0].client_id]);
        const { rows } = await db.query<{ client_id: string; district_id: string; valid_reason: string | null }>(
          'select v.client_id, c.district_id, v.valid_reason from violations v join clients c on c.id = v.client_id where v.id = $1 for update of v',
          [id],
        );
        const v = rows[0];
        if (!v) throw new Errors.NOT_FOUND(`violation ${id}`);
        if (scope && v.district_id !== scope) throw outOfScope(`violation ${id}`, `violation of district ${String(v.district_id)}, not the user's ${scope}`);
        if (v.valid_reason !== null) throw new Errors.CONFLICT(`violation ${id} already has a valid reason`);
        await db.query('update violations set valid_reason = $2, valid_reason_by = $3, valid_reason_at = now() where id = $1', [id, validReason, user.id]);
        await appendAudit(db, { actor: actorOf(user), action: 'violation.valid_reason', subjectType: 'client', subjectId: v.client_id, reason: validReason, details: { violationId: id } });
        return (await db.query(`select ${COLUMNS} from ${FROM} where v.id = $1`, [id])).rows[0]!;
      });
      return rowToViolation(row);
    },
  );
};

export default violationRoutes;
