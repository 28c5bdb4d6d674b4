import type pg from 'pg';
import { addMonths, computeTerm, type TermInput } from '../../infra/domain/term.ts';
import type { CourtOutcome, Obligation, ProposalKind } from '../../infra/domain/types.ts';
import type { CaseHistory, CourtRuling, LadderViolation, PastDecision } from '../../infra/domain/violation-ladder.ts';
import type { ClientRecord } from './client-record.ts';

/** What computeTerm needs from a case file. */
export function termInputOf(c: ClientRecord, registeredOn: string | null = c.registeredOn): TermInput {
  return {
    regime: c.regime, effectiveDate: c.effectiveDate, registeredOn, termMonths: c.termMonths,
    deferralBasis: c.deferralBasis, arrivedAtResidenceOn: c.arrivedAtResidenceOn,
  };
}

/** Term start and end as stored when the case was opened, else as the law computes them. */
export function termOf(c: ClientRecord): { termStart: string | null; termEnd: string | null; arrivalDeadline: string | null; articles: readonly string[] } {
  const t = computeTerm(termInputOf(c));
  const termStart = c.termStart ?? t.termStart;
  return {
    termStart,
    termEnd: c.termEnd ?? (termStart ? addMonths(termStart, c.termMonths) : null),
    arrivalDeadline: c.arrivalDeadline ?? t.arrivalDeadline,
    articles: t.articles,
  };
}

/** Everything the proposal rules need about a case, read in the caller's transaction. */
export async function loadCaseHistory(db: pg.Pool | pg.PoolClient, c: ClientRecord, now: number, deferralEndLeadDays?: number): Promise<CaseHistory> {
  // One after another: on a transaction's client, pg runs queries one at a time anyway.
  const violations = await db.query<{ id: string; obligation: Obligation; occurred_at: Date; valid_reason: string | null }>(
      'select id, obligation, occurred_at, valid_reason from violations where client_id = $1 order by occurred_at, id',
      [c.id],
    );
  const decisions = await db.query<{ kind: ProposalKind; accepted: boolean; decided_at: Date; violation_ids: string[] }>(
      'select kind, accepted, decided_at, violation_ids from sanction_decisions where client_id = $1 order by decided_at',
      [c.id],
    );
  const rulings = await db.query<{ kind: ProposalKind; outcome: CourtOutcome; decided_on: string }>(
      `select kind, outcome, to_char(decided_on, 'YYYY-MM-DD') as decided_on from court_outcomes where client_id = $1 order by decided_on`,
      [c.id],
    );
  const term = termOf(c);
  return {
    regime: c.regime,
    termStart: term.termStart,
    termEnd: term.termEnd,
    birthDate: c.birthDate,
    damagesOutstanding: c.damagesOutstanding,
    violations: violations.rows.map((r): LadderViolation => ({ id: r.id, obligation: r.obligation, occurredAt: r.occurred_at.getTime(), validReason: r.valid_reason })),
    decisions: decisions.rows.map((r): PastDecision => ({ kind: r.kind, accepted: r.accepted, decidedAt: r.decided_at.getTime(), violationIds: r.violation_ids })),
    courtRulings: rulings.rows.map((r): CourtRuling => ({ kind: r.kind, outcome: r.outcome, decidedOn: r.decided_on })),
    now,
    childBirthDate: c.childBirthDate,
    childDiedOn: c.childDiedOn,
    ...(deferralEndLeadDays !== undefined ? { deferralEndLeadDays } : {}),
  };
}
