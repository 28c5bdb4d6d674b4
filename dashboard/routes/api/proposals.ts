import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import { LADDER_ORDER, VIOLATION_LADDER } from '../../../infra/domain/legal.ts';
import { bishkekDate } from '../../../infra/domain/term.ts';
import { COURT_OUTCOMES, PROPOSAL_KINDS, type ProposalKind } from '../../../infra/domain/types.ts';
import { decidableKinds, proposeNextSteps, type Proposal } from '../../../infra/domain/violation-ladder.ts';
import { Errors } from '../../errors.ts';
import { loadCaseHistory } from '../../cases/case-history.ts';
import { actorOf, requireClient } from '../../cases/client-record.ts';
import { issueSanctionDocument } from '../../cases/sanction-document.ts';
import { Articles, CalendarDate, EpochMs, IdParams, ProposalSchema, Uuid, errors } from '../../cases/schemas.ts';

const DecisionBody = Type.Object(
  {
    kind: Type.Enum(PROPOSAL_KINDS),
    accept: Type.Boolean(),
    reason: Type.String({ minLength: 3, maxLength: 4000, description: "The officer's reasons: written to the decision and the audit log" }),
    violationIds: Type.Optional(Type.Array(Uuid, { maxItems: 200, description: "The violations the decision answers; defaults to the proposal's" })),
  },
  { additionalProperties: false },
);
const DecisionSchema = Type.Object({
  id: Type.String(),
  clientId: Type.String(),
  kind: Type.Enum(PROPOSAL_KINDS),
  accepted: Type.Boolean(),
  proposed: Type.Boolean({ description: 'False when the officer chose a milder response than the one proposed' }),
  reason: Type.String(),
  articles: Articles,
  violationIds: Type.Array(Type.String()),
  decidedAt: EpochMs,
  decidedBy: Type.String(),
  document: Type.Union([Type.Object({ id: Type.String(), number: Type.String(), evidenceSha256: Type.String() }), Type.Null()]),
});
const SUBMISSION_KINDS = PROPOSAL_KINDS.filter((k) => k !== 'written_warning');
const CourtOutcomeBody = Type.Object(
  {
    kind: Type.Enum(SUBMISSION_KINDS),
    outcome: Type.Enum(COURT_OUTCOMES),
    decidedOn: CalendarDate,
    decisionId: Type.Optional(Uuid),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 4000 })),
  },
  { additionalProperties: false },
);
const DECIDERS = ['officer', 'supervisor'] as const;

/** The proposal a decision of `kind` answers: the one of that kind, or the ladder step it is milder than. */
function answeredProposal(kind: ProposalKind, proposals: Proposal[]): Proposal {
  return proposals.find((p) => p.kind === kind) ?? proposals.find((p) => LADDER_ORDER.includes(p.kind))!;
}

const proposalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/clients/:id/proposals',
    {
      preHandler: app.requireUser(...DECIDERS),
      schema: {
        tags: ['decisions'],
        summary: "The platform's proposed next steps, each with its articles and why; the officer decides",
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(ProposalSchema), decidable: Type.Array(Type.Enum(PROPOSAL_KINDS)) }), ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const c = await requireClient(app.pg, id, request.user!);
      const items = proposeNextSteps(await loadCaseHistory(app.pg, c, Date.now()));
      return { items, decidable: [...decidableKinds(c.regime, items)] };
    },
  );

  app.post(
    '/clients/:id/decisions',
    {
      preHandler: app.requireUser(...DECIDERS),
      schema: {
        tags: ['decisions'],
        summary: "The officer's decision on a proposal; an accepted one issues its document (DOCX and PDF)",
        description: 'The kind must be proposed now, or a milder ladder response the regime has. Decisions are audited with who, when and why.',
        params: IdParams,
        body: DecisionBody,
        response: { 201: DecisionSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof DecisionBody>;
      const user = request.user!;
      const result = await inTransaction(app.pg, async (db) => {
        // Locking the client serialises decisions on one case: two officers cannot both issue the same warning.
        const c = await requireClient(db, id, user, true);
        const now = Date.now();
        const proposals = proposeNextSteps(await loadCaseHistory(db, c, now));
        if (!decidableKinds(c.regime, proposals).has(b.kind)) {
          throw new Errors.NOT_PROPOSED(`${b.kind} is not proposed for client ${id} now (proposed: ${proposals.map((p) => p.kind).join(', ') || 'nothing'})`);
        }
        // A court submission is addressed to the court that passed the sentence: without it on the
        // case file no document can be issued, which is the officer's to fix, not a server fault.
        if (b.accept && b.kind !== 'written_warning' && !c.courtName) {
          throw new Errors.CASE_INCOMPLETE(`client/courtName: the case file of client ${id} names no court; record it before issuing a ${b.kind}`);
        }
        const proposal = answeredProposal(b.kind, proposals);
        const proposed = proposal.kind === b.kind;
        const rules = VIOLATION_LADDER[c.regime];
        const articles = proposed ? proposal.articles : [...(b.kind === 'written_warning' ? rules.warning : rules.addDuties ?? [])];
        const violationIds = b.violationIds ?? proposal.violationIds;
        const outside = violationIds.filter((v) => !proposal.violationIds.includes(v));
        if (outside.length) throw new Errors.VALIDATION(`body/violationIds ${outside.join(', ')} is not among the violations this proposal answers`);
        if (proposal.violationIds.length && !violationIds.length) throw new Errors.VALIDATION('body/violationIds must name at least one violation');

        const { rows } = await db.query<{ id: string; decided_at: Date }>(
          `insert into sanction_decisions (client_id, kind, accepted, proposed, reason, articles, violation_ids, decided_by, decided_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, to_timestamp($9 / 1000.0)) returning id, decided_at`,
          [id, b.kind, b.accept, proposed, b.reason, articles, violationIds, user.id, now],
        );
        const decisionId = rows[0]!.id;
        const document = b.accept
          ? await issueSanctionDocument(db, c, { id: decisionId, kind: b.kind, articles, violationIds, decidedAt: now }, user)
          : null;
        if (document) await db.query('update sanction_decisions set document_id = $2 where id = $1', [decisionId, document.id]);
        await appendAudit(db, {
          actor: actorOf(user), action: 'decision.record', subjectType: 'client', subjectId: id, reason: b.reason,
          details: { decisionId, kind: b.kind, accepted: b.accept, proposed, articles, violationIds, documentId: document?.id ?? null, evidenceSha256: document?.evidenceSha256 ?? null },
        });
        return { id: decisionId, clientId: id, kind: b.kind, accepted: b.accept, proposed, reason: b.reason, articles, violationIds, decidedAt: now, decidedBy: user.id, document };
      });
      return reply.status(201).send(result);
    },
  );

  app.post(
    '/clients/:id/court-outcomes',
    {
      preHandler: app.requireUser(...DECIDERS),
      schema: {
        tags: ['decisions'],
        summary: "Record the court's ruling on a submission; a refused early termination waits 3 months (PEC KR arts. 166(4), 167(3))",
        params: IdParams,
        body: CourtOutcomeBody,
        response: { 201: Type.Object({ id: Type.String(), kind: Type.String(), outcome: Type.String(), decidedOn: CalendarDate }), ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof CourtOutcomeBody>;
      const user = request.user!;
      if (b.decidedOn > bishkekDate(Date.now())) throw new Errors.VALIDATION('body/decidedOn cannot be in the future');
      const outcomeId = await inTransaction(app.pg, async (db) => {
        await requireClient(db, id, user);
        if (b.decisionId) {
          const d = await db.query('select 1 from sanction_decisions where id = $1 and client_id = $2 and kind = $3 and accepted', [b.decisionId, id, b.kind]);
          if (!d.rows.length) throw new Errors.VALIDATION(`body/decisionId must be an accepted ${b.kind} decision of this client`);
        }
        const { rows } = await db.query<{ id: string }>(
          'insert into court_outcomes (client_id, decision_id, kind, outcome, decided_on, note, recorded_by) values ($1, $2, $3, $4, $5, $6, $7) returning id',
          [id, b.decisionId ?? null, b.kind, b.outcome, b.decidedOn, b.note ?? null, user.id],
        );
        await appendAudit(db, {
          actor: actorOf(user), action: 'court_outcome.record', subjectType: 'client', subjectId: id, reason: b.note ?? null,
          details: { courtOutcomeId: rows[0]!.id, kind: b.kind, outcome: b.outcome, decidedOn: b.decidedOn, decisionId: b.decisionId ?? null },
        });
        return rows[0]!.id;
      });
      return reply.status(201).send({ id: outcomeId, kind: b.kind, outcome: b.outcome, decidedOn: b.decidedOn });
    },
  );
};

export default proposalRoutes;
