import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import { LADDER_ORDER, UNPROPOSED_REASON_MIN_CHARS, regimeKindArticles } from '../../../infra/domain/legal.ts';
import { bishkekDate } from '../../../infra/domain/term.ts';
import { COURT_OUTCOMES, PROPOSAL_KINDS, type ProposalKind } from '../../../infra/domain/types.ts';
import { decidableKinds, earlyTerminationBarredUntil, proposeNextSteps, type Proposal } from '../../../infra/domain/violation-ladder.ts';
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
  proposed: Type.Boolean({ description: 'False when the officer chose a response the platform did not propose (with a written reason)' }),
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

/**
 * The proposal a decision of `kind` answers: the one of that kind or, for a ladder response the
 * platform did not propose, the ladder step it replaces; undefined when nothing proposed relates.
 */
function answeredProposal(kind: ProposalKind, proposals: Proposal[]): Proposal | undefined {
  return proposals.find((p) => p.kind === kind) ?? (LADDER_ORDER.includes(kind) ? proposals.find((p) => LADDER_ORDER.includes(p.kind)) : undefined);
}
/** Postgres unique_violation. */
const UNIQUE_VIOLATION = '23505';

const proposalRoutes: FastifyPluginAsyncTypebox<{ deferralEndLeadDays?: number }> = async (app, opts) => {
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
      const items = proposeNextSteps(await loadCaseHistory(app.pg, c, Date.now(), opts.deferralEndLeadDays));
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
        description:
          `The platform proposes; the officer decides: any response the client's regime has (EM_NOT_PROPOSED for one it does not have). ` +
          `A kind the platform did not propose is stored with proposed=false and needs a reason of at least ${UNPROPOSED_REASON_MIN_CHARS} characters. ` +
          'Decisions are audited with who, when and why.',
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
        const history = await loadCaseHistory(db, c, now, opts.deferralEndLeadDays);
        const proposals = proposeNextSteps(history);
        if (!decidableKinds(c.regime, proposals).has(b.kind)) {
          // The code stays EM_NOT_PROPOSED for API clients; the kind is one the regime does not have at all.
          throw new Errors.NOT_PROPOSED(`body/kind: ${b.kind} is not a response the ${c.regime} regime has (it has: ${[...decidableKinds(c.regime, [])].join(', ')})`);
        }
        const barredUntil = b.kind === 'court_submission_early_termination' && b.accept ? earlyTerminationBarredUntil(history) : null;
        if (barredUntil) {
          throw new Errors.CONFLICT(`body/kind: the court refused early termination less than 3 months ago; a new submission may be made from ${barredUntil} (PEC KR art. 166(4))`);
        }
        const kindArticles = regimeKindArticles(c.regime);
        const proposal = answeredProposal(b.kind, proposals);
        const proposed = proposal?.kind === b.kind;
        if (!proposed && b.reason.trim().length < UNPROPOSED_REASON_MIN_CHARS) {
          throw new Errors.VALIDATION(
            `body/reason must be at least ${UNPROPOSED_REASON_MIN_CHARS} characters: ${b.kind} is not what the platform proposes (proposed: ${proposals.map((p) => p.kind).join(', ') || 'nothing'}), so the officer's reasons must be written`,
          );
        }
        // A court submission is addressed to the court that passed the sentence: without it on the
        // case file no document can be issued, which is the officer's to fix, not a server fault.
        if (b.accept && b.kind !== 'written_warning' && !c.courtName) {
          throw new Errors.CASE_INCOMPLETE(`client/courtName: the case file of client ${id} names no court; record it before issuing a ${b.kind}`);
        }
        const articles = proposal && proposed ? proposal.articles : [...(kindArticles[b.kind] ?? [])];
        const violationIds = b.violationIds ?? proposal?.violationIds ?? [];
        if (proposal) {
          const outside = violationIds.filter((v) => !proposal.violationIds.includes(v));
          if (outside.length) throw new Errors.VALIDATION(`body/violationIds ${outside.join(', ')} is not among the violations this proposal answers`);
          if (proposal.violationIds.length && !violationIds.length) throw new Errors.VALIDATION('body/violationIds must name at least one violation');
        } else if (violationIds.length) {
          // Nothing proposed relates: the officer may still name violations of this client as the grounds.
          const known = await db.query<{ id: string }>('select id from violations where client_id = $1 and id = any($2)', [id, violationIds]);
          const outside = violationIds.filter((v) => !known.rows.some((r) => r.id === v));
          if (outside.length) throw new Errors.VALIDATION(`body/violationIds ${outside.join(', ')} is not a violation of this client`);
        }

        const { rows } = await db.query<{ id: string; decided_at: Date }>(
          `insert into sanction_decisions (client_id, kind, accepted, proposed, reason, articles, violation_ids, decided_by, decided_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, to_timestamp($9 / 1000.0)) returning id, decided_at`,
          [id, b.kind, b.accept, proposed, b.reason, articles, violationIds, user.id, now],
        );
        const decisionId = rows[0]!.id;
        const document = b.accept
          ? await issueSanctionDocument(db, c, { id: decisionId, kind: b.kind, articles, violationIds, decidedAt: now, reason: b.reason, proposalReason: proposal && proposed ? proposal.reason : null }, user)
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
        if (b.decisionId) {
          const earlier = await db.query('select 1 from court_outcomes where decision_id = $1', [b.decisionId]);
          if (earlier.rows.length) throw new Errors.CONFLICT(`body/decisionId: the court's ruling on decision ${b.decisionId} is already recorded`);
        }
        const { rows } = await db
          .query<{ id: string }>(
            'insert into court_outcomes (client_id, decision_id, kind, outcome, decided_on, note, recorded_by) values ($1, $2, $3, $4, $5, $6, $7) returning id',
            [id, b.decisionId ?? null, b.kind, b.outcome, b.decidedOn, b.note ?? null, user.id],
          )
          .catch((e: unknown) => {
            // Two submits at the same moment: the unique index of 0014 lets one through.
            if ((e as { code?: string }).code === UNIQUE_VIOLATION) throw new Errors.CONFLICT(`body/decisionId: the court's ruling on decision ${b.decisionId} is already recorded`);
            throw e;
          });
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
