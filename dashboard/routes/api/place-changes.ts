import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import { placeChangeConsent } from '../../../infra/domain/place-change.ts';
import { bishkekDate } from '../../../infra/domain/term.ts';
import { PLACE_CHANGE_KINDS } from '../../../infra/domain/types.ts';
import { Errors } from '../../errors.ts';
import { actorOf, requireClient } from '../../cases/client-record.ts';
import { COLUMNS, placeChangeView, recordChanged, requireChange, type ChangeRow } from '../../cases/place-change-record.ts';
import { IdParams, PlaceChangeSchema, Uuid, errors } from '../../cases/schemas.ts';

const ChangeParams = Type.Object({ id: Uuid, changeId: Uuid });
const NewChange = Type.Object(
  {
    kind: Type.Enum(PLACE_CHANGE_KINDS),
    newPlace: Type.String({ minLength: 3, maxLength: 500, description: 'The new address, employer or school' }),
    receivedOn: Type.Optional(Type.String({
      format: 'date',
      description: 'The day the written notice (PEC KR art. 166(1)(3)) or the request for agreement (63(1)(3), 160^3(2)(3)) reached the office; omit when the office learned of the change otherwise',
    })),
    plannedOn: Type.Optional(Type.String({ format: 'date', description: 'The day the client means to change, if stated' })),
    changedOn: Type.Optional(Type.String({ format: 'date', description: 'The day the change happened, if it has' })),
    reason: Type.String({ minLength: 3, maxLength: 2000, description: 'On what record the change is entered (audited)' }),
  },
  { additionalProperties: false },
);
const DecisionBody = Type.Object(
  { agreed: Type.Boolean(), reason: Type.String({ minLength: 3, maxLength: 2000, description: 'The grounds of the decision (audited)' }) },
  { additionalProperties: false },
);
const ChangedBody = Type.Object(
  { changedOn: Type.String({ format: 'date' }), reason: Type.String({ minLength: 3, maxLength: 2000 }) },
  { additionalProperties: false },
);

/**
 * Changes of residence, work and study (PEC KR arts. 63(1)(3), 160^3(2)(3), 166(1)(3)): what the
 * office was told or asked, its decision where the regime needs one, and the change itself.
 */
const placeChangeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const View = PlaceChangeSchema;

  app.post(
    '/clients/:id/place-changes',
    {
      preHandler: app.requireUser('officer', 'supervisor'),
      schema: {
        tags: ['cases'],
        summary: "Record a client's written notice, request or discovered change of residence, work or study",
        description:
          'Under probation supervision and parole the client owes written notice (PEC KR art. 166(1)(3)): a notice is on file and nothing is decided. ' +
          'Under restriction of freedom and a deferred sentence the office must agree (63(1)(3), 160^3(2)(3)): the request waits for POST .../decision. ' +
          'With changedOn the change has happened: a change without the notice or agreement the regime needs, by that day, records a no_unapproved_move violation (response violationId). Audited as place_change.record.',
        params: IdParams,
        body: NewChange,
        response: { 200: View, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof NewChange>;
      const user = request.user!;
      const today = bishkekDate(Date.now());
      for (const f of ['receivedOn', 'changedOn'] as const) if (b[f] && b[f] > today) throw new Errors.VALIDATION(`body/${f} cannot be in the future`);
      return inTransaction(app.pg, async (db) => {
        const c = await requireClient(db, id, user, true);
        for (const f of ['receivedOn', 'changedOn'] as const) {
          if (b[f] && b[f] < c.effectiveDate) throw new Errors.VALIDATION(`body/${f} cannot be before the sentence took effect (${c.effectiveDate})`);
        }
        let row = (await db.query<ChangeRow>(
          `insert into place_changes (client_id, kind, new_place, consent, received_on, planned_on, recorded_by) values ($1, $2, $3, $4, $5, $6, $7) returning ${COLUMNS}`,
          [id, b.kind, b.newPlace, placeChangeConsent(c.regime), b.receivedOn ?? null, b.plannedOn ?? null, user.id],
        )).rows[0]!;
        if (b.changedOn) row = await recordChanged(db, row, c.regime, b.changedOn, user.id);
        const view = placeChangeView(row, c.regime);
        await appendAudit(db, {
          actor: actorOf(user), action: 'place_change.record', subjectType: 'client', subjectId: id, reason: b.reason,
          details: { changeId: row.id, kind: b.kind, consent: row.consent, receivedOn: row.received_on, changedOn: row.changed_on, state: view.state, violationId: row.violation_id, articles: view.articles },
        });
        return view;
      });
    },
  );

  app.post(
    '/clients/:id/place-changes/:changeId/decision',
    {
      preHandler: app.requireUser('officer', 'supervisor'),
      schema: {
        tags: ['cases'],
        summary: 'Agree to or refuse a requested change of residence, work or study (PEC KR arts. 63(1)(3), 160^3(2)(3))',
        description: 'Only where the regime needs the office\'s agreement; a notice under 166(1)(3) has nothing to decide (409). Only before the change is recorded (409). Audited as place_change.decide.',
        params: ChangeParams,
        body: DecisionBody,
        response: { 200: View, ...errors },
      },
    },
    async (request) => {
      const { id, changeId } = request.params as Static<typeof ChangeParams>;
      const b = request.body as Static<typeof DecisionBody>;
      const user = request.user!;
      return inTransaction(app.pg, async (db) => {
        const c = await requireClient(db, id, user, true);
        const r = await requireChange(db, id, changeId);
        if (r.consent !== 'agreement') throw new Errors.CONFLICT(`change ${changeId} is a written notice (PEC KR art. 166(1)(3)): the office is told, it does not agree or refuse`);
        if (r.agreed !== null) throw new Errors.CONFLICT(`change ${changeId} was already decided on ${r.decided_on}`);
        if (r.changed_on !== null) throw new Errors.CONFLICT(`change ${changeId} already happened on ${r.changed_on}: an agreement after the change does not make it lawful`);
        const { rows } = await db.query<ChangeRow>(
          `update place_changes set agreed = $2, decided_on = $3, decided_by = $4, decision_reason = $5 where id = $1 returning ${COLUMNS}`,
          [changeId, b.agreed, bishkekDate(Date.now()), user.id, b.reason],
        );
        const view = placeChangeView(rows[0]!, c.regime);
        await appendAudit(db, {
          actor: actorOf(user), action: 'place_change.decide', subjectType: 'client', subjectId: id, reason: b.reason,
          details: { changeId, agreed: b.agreed, articles: view.articles },
        });
        return view;
      });
    },
  );

  app.post(
    '/clients/:id/place-changes/:changeId/changed',
    {
      preHandler: app.requireUser('officer', 'supervisor'),
      schema: {
        tags: ['cases'],
        summary: 'Record that a notified or requested change of residence, work or study has happened',
        description: 'The change is checked against the regime\'s rule (infra/domain/place-change.ts); a breach records a no_unapproved_move violation (violationId). Audited as place_change.changed.',
        params: ChangeParams,
        body: ChangedBody,
        response: { 200: View, ...errors },
      },
    },
    async (request) => {
      const { id, changeId } = request.params as Static<typeof ChangeParams>;
      const b = request.body as Static<typeof ChangedBody>;
      const user = request.user!;
      if (b.changedOn > bishkekDate(Date.now())) throw new Errors.VALIDATION('body/changedOn cannot be in the future');
      return inTransaction(app.pg, async (db) => {
        const c = await requireClient(db, id, user, true);
        const r = await requireChange(db, id, changeId);
        if (r.changed_on !== null) throw new Errors.CONFLICT(`change ${changeId} was already recorded as made on ${r.changed_on}`);
        if (b.changedOn < c.effectiveDate) throw new Errors.VALIDATION(`body/changedOn cannot be before the sentence took effect (${c.effectiveDate})`);
        const row = await recordChanged(db, r, c.regime, b.changedOn, user.id);
        const view = placeChangeView(row, c.regime);
        await appendAudit(db, {
          actor: actorOf(user), action: 'place_change.changed', subjectType: 'client', subjectId: id, reason: b.reason,
          details: { changeId, changedOn: b.changedOn, state: view.state, breach: view.breach, violationId: row.violation_id, articles: view.articles },
        });
        return view;
      });
    },
  );
};

export default placeChangeRoutes;
