/**
 * What the platform proposes in a case: the next step on the violation ladder of the client's
 * regime (PEC KR arts. 64, 160^4, 168), early termination (166(4), 167(3)) and a change of duties
 * (166(3)). Pure: the caller passes the case's history and the current time. The platform
 * proposes; an officer decides, and may choose a milder response than the one proposed.
 */
import {
  ADULT_AGE_YEARS,
  CHANGE_OF_DUTIES_ARTICLES,
  CHANGE_OF_DUTIES_EXCUSED_VIOLATIONS,
  CHANGE_OF_DUTIES_WINDOW_DAYS,
  CHILD_GROUND_OBLIGATIONS,
  DEFERRAL_CHILD_AGE_YEARS,
  DEFERRAL_END_ARTICLES,
  DEFERRAL_END_LEAD_DAYS,
  EARLY_TERMINATION_ARTICLES,
  EARLY_TERMINATION_RETRY_MONTHS,
  FAILURE_TO_APPEAR_OBLIGATION,
  LADDER_ORDER,
  OBLIGATION_SOURCE,
  VIOLATION_LADDER,
  regimeKindArticles,
} from './legal.ts';
import { addDays, addMonths, ageOn, bishkekDate, bishkekEndOfDay, bishkekMidnight, termExpiresOn, termHalfway, termLastDay } from './term.ts';
import type { CourtOutcome, Obligation, ProposalKind, RegimeKind } from './types.ts';

const DAY_MS = 86_400_000;

export interface LadderViolation {
  id: string;
  obligation: Obligation;
  occurredAt: number;
  /** A valid reason stops escalation: such a violation is recorded and never counted. */
  validReason: string | null;
}

/** An officer's earlier decision on a proposal, accepted or not, and the violations it covered. */
export interface PastDecision {
  kind: ProposalKind;
  accepted: boolean;
  decidedAt: number;
  violationIds: string[];
}

export interface CourtRuling {
  kind: ProposalKind;
  outcome: CourtOutcome;
  /** Date of the court's ruling. */
  decidedOn: string;
}

export interface CaseHistory {
  regime: RegimeKind;
  termStart: string | null;
  termEnd: string | null;
  birthDate: string | null;
  /** Damage from the offence not yet repaid in full blocks early termination (166(4)). */
  damagesOutstanding: boolean;
  violations: LadderViolation[];
  decisions: PastDecision[];
  courtRulings: CourtRuling[];
  now: number;
  /** Deferred sentences: the child's date of birth and, if it died, the day (PEC KR art. 160^4(3)). */
  childBirthDate?: string | null;
  childDiedOn?: string | null;
  /** How many days before the 14th birthday the 160^4(3) submission is proposed (default DEFERRAL_END_LEAD_DAYS). */
  deferralEndLeadDays?: number;
}

/**
 * Why a proposal is made, as a stable code with its facts, so that the web UI can say it in the
 * officer's language (`why` is the same in English, for logs and API clients).
 */
export const PROPOSAL_REASONS = [
  'failure_to_appear',
  'no_warning_yet',
  'warning_outside_window',
  'repeats_since_warning',
  'repeat_within_window',
  // Probation supervision, parole: two or more breaches of court-imposed duties (168(3)).
  'court_duties_breached',
  // Deferred sentence: the child abandoned or its upbringing evaded (160^4(2)).
  'child_ground',
  // Deferred sentence: the child turns 14 or died (160^4(3)).
  'child_turns_14',
  'child_died',
  'early_termination_due',
  'duty_unfulfillable',
  // Restriction of freedom: a repeat after the warning; the officer assesses evasion under 64(3).
  'repeat_assess_evasion',
] as const;
export type ProposalReasonCode = (typeof PROPOSAL_REASONS)[number];
export interface ProposalReason {
  code: ProposalReasonCode;
  /** The facts the sentence needs: counts, days, calendar dates (YYYY-MM-DD), lists of dates. */
  params: Record<string, string | number>;
}

export interface Proposal {
  kind: ProposalKind;
  articles: string[];
  /** Why the platform proposes it, for the officer (English). */
  why: string;
  reason: ProposalReason;
  /** The violations it answers (empty for early termination). */
  violationIds: string[];
}

const LADDER_KINDS = new Set<ProposalKind>(LADDER_ORDER);
const fmt = (ms: number) => bishkekDate(ms);

/**
 * The next ladder step, or null when no violation without a valid reason awaits a decision.
 * - Failure to arrive within the statutory term without a valid reason (`arrive_within_term`):
 *   straight to the court (64(3), 160^4(2), 168(3)). A missed fortnightly appearance is an
 *   ordinary violation and follows the rules below.
 * - Probation supervision and parole: two or more breaches of the duties the court imposed
 *   (166(1)(2); curfew, exclusion zones), counted over the case with no warning needed and no
 *   window, propose revocation (168(3)) as soon as one of them awaits a decision.
 * - No written warning yet, or the new violation came after the repeat window: a written warning
 *   (64(2), 160^4(1), 168(1)).
 * - A repeat after the warning (within a calendar year of it for 168(2)): probation supervision and
 *   parole ask the court to add duties (168(2)), for every such repeat: repeats of the statutory
 *   conditions (a district exit, a missed appearance) never ground 168(3); a deferred sentence goes
 *   straight to the court (160^4(2)); restriction of freedom proposes another warning and asks the
 *   officer to assess evasion (64(3)), which only they can judge.
 */
export function nextLadderStep(h: CaseHistory): Proposal | null {
  const rules = VIOLATION_LADDER[h.regime];
  const counted = h.violations.filter((v) => v.validReason === null && v.occurredAt <= h.now);
  const decided = new Set(h.decisions.filter((d) => LADDER_KINDS.has(d.kind)).flatMap((d) => d.violationIds));
  const pending = counted.filter((v) => !decided.has(v.id)).sort((a, b) => a.occurredAt - b.occurredAt);
  if (!pending.length) return null;
  const ids = pending.map((v) => v.id);

  const noShows = pending.filter((v) => v.obligation === FAILURE_TO_APPEAR_OBLIGATION);
  if (noShows.length) {
    return {
      kind: 'court_submission_revoke',
      articles: [...rules.failureToAppear],
      why: `Failure to arrive at the office within the statutory term without a valid reason (${noShows.map((v) => fmt(v.occurredAt)).join(', ')}): a ground for a court submission by itself.`,
      reason: { code: 'failure_to_appear', params: { dates: noShows.map((v) => fmt(v.occurredAt)).join(', ') } },
      violationIds: ids,
    };
  }

  if (rules.childGrounds) {
    const child = pending.filter((v) => CHILD_GROUND_OBLIGATIONS.includes(v.obligation));
    if (child.length) {
      const facts = child.map((v) => `${v.obligation === 'child_abandoned' ? 'abandoned the child' : 'evaded the upbringing of the child'} (${fmt(v.occurredAt)})`).join(', ');
      return {
        kind: 'court_submission_revoke',
        articles: [...rules.childGrounds],
        why: `The client ${facts}: a ground to revoke the deferment by itself.`,
        reason: { code: 'child_ground', params: { dates: child.map((v) => fmt(v.occurredAt)).join(', '), grounds: child.map((v) => v.obligation).join(', ') } },
        violationIds: ids,
      };
    }
  }

  if (rules.revokeAfterCourtDutyBreaches !== null) {
    const courtDuty = (v: LadderViolation) => OBLIGATION_SOURCE[v.obligation] === 'court_imposed';
    const breaches = counted.filter(courtDuty).sort((a, b) => a.occurredAt - b.occurredAt);
    if (breaches.length >= rules.revokeAfterCourtDutyBreaches && pending.some(courtDuty)) {
      const dates = breaches.map((v) => fmt(v.occurredAt)).join(', ');
      return {
        kind: 'court_submission_revoke',
        articles: [...rules.revoke],
        why: `${breaches.length} breaches of the supervisory requirements and probation duties imposed by the court without a valid reason (${dates}): a ground for a court submission by itself, with or without a written warning.`,
        reason: { code: 'court_duties_breached', params: { count: breaches.length, dates } },
        violationIds: ids,
      };
    }
  }

  const warnings = h.decisions.filter((d) => d.kind === 'written_warning' && d.accepted).sort((a, b) => a.decidedAt - b.decidedAt);
  const warning = warnings[warnings.length - 1];
  const warn = (why: string, reason: ProposalReason): Proposal => ({ kind: 'written_warning', articles: [...rules.warning], why, reason, violationIds: ids });
  if (!warning) return warn(`${pending.length} violation(s) without a valid reason and no written warning yet.`, { code: 'no_warning_yet', params: { count: pending.length } });

  // "в течение года": to the end of the term's last day, the same calendar date a year later (term.ts).
  const windowEnd = rules.repeatWindowMonths === null
    ? Infinity
    : bishkekEndOfDay(termLastDay(fmt(warning.decidedAt), { months: rules.repeatWindowMonths }));
  const repeats = counted.filter((v) => v.occurredAt > warning.decidedAt && v.occurredAt <= windowEnd);
  const pendingRepeats = pending.filter((v) => repeats.includes(v));
  if (!pendingRepeats.length) {
    return warn(`The written warning of ${fmt(warning.decidedAt)} is more than a year (${rules.repeatWindowMonths} months) before this violation: it does not count as a repeat.`, {
      code: 'warning_outside_window',
      params: { warningDate: fmt(warning.decidedAt), days: rules.repeatWindowDays ?? 0, months: rules.repeatWindowMonths ?? 0 },
    });
  }
  const since = `since the written warning of ${fmt(warning.decidedAt)}`;
  if (rules.repeatAfterWarning === 'warn_assess_evasion') {
    return warn(
      `${repeats.length} violation(s) without a valid reason ${since}. A repeat is not by itself evasion: assess whether the client evades serving the sentence; if so, choose the submission to the court instead.`,
      { code: 'repeat_assess_evasion', params: { count: repeats.length, warningDate: fmt(warning.decidedAt) } },
    );
  }
  if ((rules.revokeAfterRepeats !== null && repeats.length >= rules.revokeAfterRepeats) || !rules.addDuties) {
    return {
      kind: 'court_submission_revoke',
      articles: [...rules.revoke],
      why: `${repeats.length} violation(s) without a valid reason ${since}.`,
      reason: { code: 'repeats_since_warning', params: { count: repeats.length, warningDate: fmt(warning.decidedAt) } },
      violationIds: ids,
    };
  }
  return {
    kind: 'court_submission_add_duties',
    articles: [...rules.addDuties],
    why: `A repeat violation without a valid reason ${since}${rules.repeatWindowMonths === null ? '' : ', within a year of it'}.`,
    reason: { code: 'repeat_within_window', params: { warningDate: fmt(warning.decidedAt), days: rules.repeatWindowDays ?? 0, months: rules.repeatWindowMonths ?? 0 } },
    violationIds: ids,
  };
}

/**
 * Early termination (PEC KR art. 166(4); 167(3) for a child): once half the term has passed, with
 * no violation without a valid reason during the term and the damage repaid, and not within
 * 3 months of the court refusing it, nor while an earlier submission awaits the court's ruling.
 */
export function earlyTerminationProposal(h: CaseHistory): Proposal | null {
  const base = EARLY_TERMINATION_ARTICLES[h.regime];
  if (!base || !h.termStart || !h.termEnd) return null;
  const today = bishkekDate(h.now);
  const halfway = termHalfway(h.termStart, h.termEnd);
  if (today < halfway || today >= h.termEnd) return null;
  if (h.damagesOutstanding) return null;
  const termStartMs = bishkekMidnight(h.termStart);
  if (h.violations.some((v) => v.validReason === null && v.occurredAt >= termStartMs && v.occurredAt <= h.now)) return null;

  const refusals = h.courtRulings.filter((r) => r.kind === 'court_submission_early_termination' && r.outcome === 'refused').map((r) => r.decidedOn).sort();
  const lastRefusal = refusals[refusals.length - 1];
  // "по истечении трех месяцев с момента отказа": from the day after the 3-month term's last day.
  if (lastRefusal && today < termExpiresOn(lastRefusal, { months: EARLY_TERMINATION_RETRY_MONTHS })) return null;
  const lastRulingMs = lastRefusal ? bishkekMidnight(lastRefusal) : -Infinity;
  const earlier = h.decisions.filter((d) => d.kind === 'court_submission_early_termination' && d.decidedAt >= lastRulingMs);
  // Sent and not yet ruled on, or declined by the officer less than the waiting period ago.
  if (earlier.some((d) => d.accepted)) return null;
  const recentDecline = earlier.some((d) => bishkekDate(d.decidedAt) > addMonths(today, -EARLY_TERMINATION_RETRY_MONTHS));
  if (recentDecline) return null;

  const child = h.birthDate !== null && ageOn(h.birthDate, today) < ADULT_AGE_YEARS;
  return {
    kind: 'court_submission_early_termination',
    articles: child ? [...base, 'PEC KR art. 167(3)'] : [...base],
    why:
      `Half the term passed on ${halfway} with no violation without a valid reason since the term began on ${h.termStart}` +
      (lastRefusal ? `; the court's refusal of ${lastRefusal} is more than ${EARLY_TERMINATION_RETRY_MONTHS} months ago` : '') +
      '. The officer confirms good conduct, progress in resocialization and repaid damage.',
    reason: { code: 'early_termination_due', params: { halfway, termStart: h.termStart, lastRefusal: lastRefusal ?? '', months: EARLY_TERMINATION_RETRY_MONTHS } },
    violationIds: [],
  };
}

/**
 * The first day on which the office may submit early termination again after the court refused it
 * (PEC KR arts. 166(4), 167(3): "по истечении трех месяцев с момента отказа", counted as term.ts
 * says: the day after the same date 3 months later), or null when nothing bars it now. A legal bar,
 * not a proposal: the officer cannot decide past it either.
 */
export function earlyTerminationBarredUntil(h: Pick<CaseHistory, 'courtRulings' | 'now'>): string | null {
  const refusals = h.courtRulings.filter((r) => r.kind === 'court_submission_early_termination' && r.outcome === 'refused').map((r) => r.decidedOn).sort();
  const last = refusals[refusals.length - 1];
  if (!last) return null;
  const from = termExpiresOn(last, { months: EARLY_TERMINATION_RETRY_MONTHS });
  return bishkekDate(h.now) < from ? from : null;
}

/**
 * Cancel or change a court-imposed duty the client cannot fulfil for reasons beyond their control
 * (PEC KR art. 166(3)): proposed when the same duty was breached with a valid reason repeatedly
 * in a short period, and no decision has answered those breaches yet.
 */
export function changeOfDutiesProposal(h: CaseHistory): Proposal | null {
  const articles = CHANGE_OF_DUTIES_ARTICLES[h.regime];
  if (!articles) return null;
  const decided = new Set(h.decisions.filter((d) => d.kind === 'court_submission_change_duties').flatMap((d) => d.violationIds));
  const since = h.now - CHANGE_OF_DUTIES_WINDOW_DAYS * DAY_MS;
  const excused = h.violations.filter(
    (v) => v.obligation === 'court_imposed_duty' && v.validReason !== null && v.occurredAt >= since && v.occurredAt <= h.now && !decided.has(v.id),
  );
  if (excused.length < CHANGE_OF_DUTIES_EXCUSED_VIOLATIONS) return null;
  return {
    kind: 'court_submission_change_duties',
    articles: [...articles],
    why: `A court-imposed duty was breached ${excused.length} times in ${CHANGE_OF_DUTIES_WINDOW_DAYS} days, each time with a valid reason: the client may be unable to fulfil it.`,
    reason: { code: 'duty_unfulfillable', params: { count: excused.length, days: CHANGE_OF_DUTIES_WINDOW_DAYS } },
    violationIds: excused.map((v) => v.id),
  };
}

/**
 * The mandatory submission when the child of a deferred sentence turns 14 or dies (PEC KR art.
 * 160^4(3)): proposed from `deferralEndLeadDays` before the 14th birthday (or at once when the
 * child died), until the officer has sent it (an accepted decision of that kind after the task
 * began). The officer chooses what it asks for: release, a milder penalty or imprisonment.
 */
export function deferralEndProposal(h: CaseHistory): Proposal | null {
  const articles = DEFERRAL_END_ARTICLES[h.regime];
  if (!articles || !h.childBirthDate) return null;
  const today = bishkekDate(h.now);
  const birthday = addMonths(h.childBirthDate, DEFERRAL_CHILD_AGE_YEARS * 12);
  const died = h.childDiedOn ?? null;
  const dueOn = died !== null && died < birthday ? died : birthday;
  const from = died !== null && died < birthday ? died : addDays(birthday, -(h.deferralEndLeadDays ?? DEFERRAL_END_LEAD_DAYS));
  if (today < from) return null;
  if (h.decisions.some((d) => d.kind === 'court_submission_deferral_end' && d.accepted && bishkekDate(d.decidedAt) >= from)) return null;
  const code = dueOn === died ? 'child_died' : 'child_turns_14';
  return {
    kind: 'court_submission_deferral_end',
    articles: [...articles],
    why:
      code === 'child_died'
        ? `The child died on ${died}: the office submits to the court on release, a milder penalty or imprisonment.`
        : `The child turns ${DEFERRAL_CHILD_AGE_YEARS} on ${birthday}: the office submits to the court on release, a milder penalty or imprisonment, weighing the client's conduct and care of the child.`,
    reason: { code, params: { dueOn, birthDate: h.childBirthDate } },
    violationIds: [],
  };
}

/** Everything the platform proposes now, ladder step first. */
export function proposeNextSteps(h: CaseHistory): Proposal[] {
  return [nextLadderStep(h), earlyTerminationProposal(h), changeOfDutiesProposal(h), deferralEndProposal(h)].filter((p): p is Proposal => p !== null);
}

/**
 * The kinds an officer may decide now: any response the client's regime has (its ladder, early
 * termination and change of duties where the regime has them, the end of a deferral under
 * 160^4(3)). The platform proposes; the officer decides, and may choose something it did not
 * propose, with a written reason (UNPROPOSED_REASON_MIN_CHARS). The proposals are kept in the
 * signature so callers keep passing them: every proposed kind is one the regime has.
 */
export function decidableKinds(regime: RegimeKind, proposals: Proposal[]): Set<ProposalKind> {
  const out = new Set(Object.keys(regimeKindArticles(regime)) as ProposalKind[]);
  for (const p of proposals) out.add(p.kind);
  return out;
}
