import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import { ADULT_AGE_YEARS, LIVING_CONDITIONS_INSPECTION_ARTICLES } from '../../../infra/domain/legal.ts';
import { ageOn, bishkekDate } from '../../../infra/domain/term.ts';
import { Errors } from '../../errors.ts';
import { actorOf, requireClient } from '../../cases/client-record.ts';
import { readLivingConditions } from '../../cases/living-conditions-record.ts';
import { IdParams, LivingConditionsSchema, errors } from '../../cases/schemas.ts';

const InspectionBody = Type.Object(
  {
    inspectedOn: Type.String({ format: 'date', description: 'The day of the inspection (YYYY-MM-DD, Asia/Bishkek)' }),
    actNumber: Type.String({ minLength: 1, maxLength: 100, description: 'The number of the written act' }),
    guardianshipRepresentative: Type.String({ minLength: 3, maxLength: 300, description: 'Who took part for the guardianship body ("совместно с представителями органа опеки и попечительства")' }),
    findings: Type.String({ minLength: 3, maxLength: 4000, description: 'What the act records' }),
  },
  { additionalProperties: false },
);

/** The quarterly inspection of a child's living conditions, with the guardianship body and a written act (PEC KR art. 167(2)). */
const livingConditionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/clients/:id/living-conditions-inspections',
    {
      preHandler: app.requireUser('officer', 'supervisor'),
      schema: {
        tags: ['cases'],
        summary: "Record the act of an inspection of a child's living conditions (PEC KR art. 167(2))",
        description:
          'For a client under 18 under probation supervision or parole. The next act is due within 3 months (infra/domain/living-conditions.ts); ' +
          'the deadline watchdog raises inspection_overdue the day after, and an act closes it. Audited as living_conditions.inspect.',
        params: IdParams,
        body: InspectionBody,
        response: { 200: LivingConditionsSchema, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof InspectionBody>;
      const user = request.user!;
      if (b.inspectedOn > bishkekDate(Date.now())) throw new Errors.VALIDATION('body/inspectedOn cannot be in the future');
      return inTransaction(app.pg, async (db) => {
        const c = await requireClient(db, id, user, true);
        const articles = LIVING_CONDITIONS_INSPECTION_ARTICLES[c.regime];
        if (!articles) throw new Errors.CONFLICT(`client ${id}: art. 167(2) concerns probation supervision; a ${c.regime} has no living-conditions inspection`);
        if (!c.birthDate) throw new Errors.CONFLICT(`client ${id} has no date of birth on file: art. 167(2) applies to children, set birthDate first`);
        if (ageOn(c.birthDate, b.inspectedOn) >= ADULT_AGE_YEARS) throw new Errors.VALIDATION(`body/inspectedOn: the client was ${ADULT_AGE_YEARS} or older that day; art. 167(2) concerns children`);
        if (b.inspectedOn < c.effectiveDate) throw new Errors.VALIDATION(`body/inspectedOn cannot be before the sentence took effect (${c.effectiveDate})`);
        const inserted = await db.query<{ id: string }>(
          `insert into living_conditions_inspections (client_id, inspected_on, act_number, guardianship_representative, findings, recorded_by)
           values ($1, $2, $3, $4, $5, $6) on conflict (client_id, act_number) do nothing returning id`,
          [id, b.inspectedOn, b.actNumber, b.guardianshipRepresentative, b.findings, user.id],
        );
        if (!inserted.rows[0]) throw new Errors.CONFLICT(`act ${b.actNumber} is already on file for client ${id}`);
        await appendAudit(db, {
          actor: actorOf(user), action: 'living_conditions.inspect', subjectType: 'client', subjectId: id, reason: `act ${b.actNumber}`,
          details: { inspectionId: inserted.rows[0].id, inspectedOn: b.inspectedOn, actNumber: b.actNumber, articles: [...articles] },
        });
        return (await readLivingConditions(db, c))!;
      });
    },
  );
};

export default livingConditionsRoutes;
