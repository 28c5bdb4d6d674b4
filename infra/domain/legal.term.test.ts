import { describe, expect, it } from 'vitest';
import { ARRIVAL_DAYS, CHECK_INS_PER_MONTH, DEFERRAL_RELEASE_ARRIVAL_DAYS, PAROLE_ARRIVAL_DAYS, obligationArticles } from './legal.ts';
import { addMonths, arrivalOverdue, bishkekDate, bishkekMidnight, checkInCalendar, checkInCalendarStart, checkInsToSchedule, computeTerm, termExpiresOn, termHalfway, termLastDay, withinTerm } from './term.ts';
import { earlyTerminationBarredUntil, nextLadderStep } from './violation-ladder.ts';

const base = { effectiveDate: '2026-03-02', registeredOn: '2026-03-09', termMonths: 12 };

describe('term of supervision', () => {
  it('PEC KR art. 62: restriction of freedom counts from registration at the office', () => {
    const t = computeTerm({ ...base, regime: 'restriction_of_freedom' });
    expect(t.termStart).toBe('2026-03-09');
    expect(t.termEnd).toBe('2027-03-09');
    expect(t.articles).toContain('PEC KR art. 62');
  });
  it('PEC KR art. 62: restriction of freedom has no term start before registration', () => {
    const t = computeTerm({ ...base, regime: 'restriction_of_freedom', registeredOn: null });
    expect(t.termStart).toBeNull();
    expect(t.termEnd).toBeNull();
  });
  it('PEC KR art. 166(1)(1): probation supervision counts from the day of appearance', () => {
    expect(computeTerm({ ...base, regime: 'probation_supervision', registeredOn: '2026-03-11' }).termStart).toBe('2026-03-11');
  });
  it('PEC KR art. 160^3(1): a deferred sentence counts from the decision taking effect, not from registration', () => {
    const t = computeTerm({ ...base, regime: 'deferred_sentence' });
    expect(t.termStart).toBe('2026-03-02');
    expect(t.termEnd).toBe('2027-03-02');
  });
  it('PEC KR art. 160(6): parole supervision counts from release, whether or not the client has appeared yet', () => {
    expect(computeTerm({ ...base, regime: 'parole', registeredOn: null }).termStart).toBe('2026-03-02');
  });
  it('PEC KR arts. 61(2), 160^2(2), 166(1)(1): arrival within 10 calendar days of the sentence taking effect', () => {
    expect(ARRIVAL_DAYS).toBe(10);
    for (const regime of ['restriction_of_freedom', 'probation_supervision', 'deferred_sentence'] as const) {
      // Crosses a month end: calendar days, not working days.
      expect(computeTerm({ ...base, regime, effectiveDate: '2026-01-25' }).arrivalDeadline).toBe('2026-02-04');
    }
  });
  it('PEC KR art. 160(6): on parole, arrival within 5 days of release', () => {
    expect(PAROLE_ARRIVAL_DAYS).toBe(5);
    expect(computeTerm({ ...base, regime: 'parole', effectiveDate: '2026-01-29' }).arrivalDeadline).toBe('2026-02-03');
  });
  it('PEC KR art. 166(1)(1): a term in months ends on the same date, and on the last day of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(computeTerm({ ...base, regime: 'probation_supervision', registeredOn: '2026-08-31', termMonths: 6 }).termEnd).toBe('2027-02-28');
  });
  it('PEC KR art. 166(4): the halfway date of the term', () => {
    expect(termHalfway('2026-01-01', '2027-01-01')).toBe('2026-07-03');
    expect(termHalfway('2026-01-01', '2026-01-03')).toBe('2026-01-02');
  });
  it('Asia/Bishkek calendar date of an instant (UTC+6)', () => {
    expect(bishkekDate(Date.UTC(2026, 0, 1, 17, 59))).toBe('2026-01-01');
    expect(bishkekDate(Date.UTC(2026, 0, 1, 18, 0))).toBe('2026-01-02');
  });
});

describe('check-in calendar', () => {
  it('PEC KR arts. 63(1)(7), 166(1)(7), 160^3(2)(7): twice a month for the whole term, none before its start or from its end', () => {
    const dates = checkInCalendar('2026-03-09', '2027-03-09');
    expect(CHECK_INS_PER_MONTH).toBe(2);
    // March 2026: the 5th is before the start, the 20th is in; then two a month to February 2027; March 2027: the 5th.
    expect(dates[0]).toBe('2026-03-20');
    expect(dates[dates.length - 1]).toBe('2027-03-05');
    expect(dates).toHaveLength(1 + 11 * 2 + 1);
    const perMonth = new Map<string, number>();
    for (const d of dates) perMonth.set(d.slice(0, 7), (perMonth.get(d.slice(0, 7)) ?? 0) + 1);
    for (const [month, n] of perMonth) if (month !== '2026-03' && month !== '2027-03') expect(n).toBe(2);
    expect(new Set(dates).size).toBe(dates.length);
  });
  it('PEC KR art. 166(1)(7): an appearance that falls on a weekend moves to the Monday after', () => {
    // 2026-04-05 is a Sunday, 2026-09-05 a Saturday, 2026-12-20 a Sunday.
    const dates = checkInCalendar('2026-04-01', '2027-01-01');
    expect(dates).toContain('2026-04-06');
    expect(dates).toContain('2026-09-07');
    expect(dates).toContain('2026-12-21');
    for (const d of dates) expect([0, 6]).not.toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
  });
  it('PEC KR art. 166(1)(7): the law sets two appearances a month, so another count is refused', () => {
    expect(() => checkInCalendar('2026-04-01', '2027-01-01', [5])).toThrow(/2 appearances/);
  });
});

describe('arrival within the statutory term', () => {
  it('PEC KR arts. 61(2), 160^2(2), 166(1)(1): arrival is overdue only after the 10th day, and only while the client has not registered', () => {
    const t = computeTerm({ regime: 'probation_supervision', effectiveDate: '2026-03-02', registeredOn: null, termMonths: 12 });
    expect(t.arrivalDeadline).toBe('2026-03-12');
    expect(arrivalOverdue(t, null, '2026-03-12')).toBe(false);
    expect(arrivalOverdue(t, null, '2026-03-13')).toBe(true);
    expect(arrivalOverdue(t, '2026-03-20', '2026-04-01')).toBe(false);
  });
  it('PEC KR art. 160(6): on parole, arrival is overdue from the 6th day after release', () => {
    const t = computeTerm({ regime: 'parole', effectiveDate: '2026-03-02', registeredOn: null, termMonths: 12 });
    expect(arrivalOverdue(t, null, '2026-03-07')).toBe(false);
    expect(arrivalOverdue(t, null, '2026-03-08')).toBe(true);
  });
});

describe('check-in calendar and the arrival window', () => {
  it('PEC KR art. 160^2(2): a deferred sentence has no appearance inside the 10-day arrival window', () => {
    // Term from 2026-03-02 (effective date); the 5th falls inside the window that ends on the 12th.
    const t = computeTerm({ regime: 'deferred_sentence', effectiveDate: '2026-03-02', registeredOn: null, termMonths: 12 });
    expect(checkInCalendarStart(t, null, '2026-03-02')).toBe('2026-03-13');
    const dates = checkInsToSchedule(t, null, '2026-03-02');
    expect(dates[0]).toBe('2026-03-20');
    expect(dates).not.toContain('2026-03-05');
  });
  it('PEC KR art. 160(6): on parole the calendar starts at registration when the client reports early', () => {
    const t = computeTerm({ regime: 'parole', effectiveDate: '2026-03-02', registeredOn: '2026-03-04', termMonths: 12 });
    expect(checkInCalendarStart(t, '2026-03-04', '2026-03-02')).toBe('2026-03-04');
    expect(checkInsToSchedule(t, '2026-03-04', '2026-03-02')[0]).toBe('2026-03-05');
  });
  it('PEC KR art. 166(1)(7): a calendar made late starts today, not in the past', () => {
    const t = computeTerm({ regime: 'probation_supervision', effectiveDate: '2026-03-02', registeredOn: '2026-03-09', termMonths: 12 });
    expect(checkInCalendarStart(t, '2026-03-09', '2026-06-10')).toBe('2026-06-10');
    expect(checkInsToSchedule(t, '2026-03-09', '2026-06-10')[0]).toBe('2026-06-22');
    expect(checkInCalendarStart(computeTerm({ regime: 'restriction_of_freedom', effectiveDate: '2026-03-02', registeredOn: null, termMonths: 12 }), null, '2026-03-02')).toBeNull();
  });
});

// One convention for every term of the Code (term.ts, docs/legal-workflow.md "Counting terms"):
// the event's day is day 0, the term's last day is included, "по истечении" is the day after it.
// Each term is checked on the day before its last day, on its last day and on the day after.
describe('counting the Code\'s terms', () => {
  const at = (date: string, hour: number) => bishkekMidnight(date) + hour * 3_600_000;
  it('the convention: an N-day term ends N days after the event, a month term on the same date (or the month\'s last day)', () => {
    expect(termLastDay('2026-01-25', { days: 10 })).toBe('2026-02-04');
    expect(termLastDay('2026-01-31', { months: 1 })).toBe('2026-02-28');
    expect(termLastDay('2028-02-29', { months: 12 })).toBe('2029-02-28');
    expect(withinTerm('2026-01-25', '2026-01-25', { days: 10 })).toBe(false);
    expect(withinTerm('2026-01-26', '2026-01-25', { days: 10 })).toBe(true);
    expect(termExpiresOn('2026-01-25', { days: 10 })).toBe('2026-02-05');
    // A Bishkek day, not a UTC one: 23:30 in Bishkek on the last day is still within.
    expect(bishkekDate(at('2026-02-04', 23.5))).toBe('2026-02-04');
  });
  it('PEC KR arts. 61(2), 160^2(2), 166(1)(1): the 10-day arrival term: the day before and the day of the deadline in time, the day after overdue', () => {
    const term = computeTerm({ ...base, regime: 'probation_supervision', effectiveDate: '2026-03-02', registeredOn: null });
    expect(term.arrivalDeadline).toBe('2026-03-12');
    expect(arrivalOverdue(term, null, '2026-03-11')).toBe(false);
    expect(arrivalOverdue(term, null, '2026-03-12')).toBe(false);
    expect(arrivalOverdue(term, null, '2026-03-13')).toBe(true);
  });
  it('PEC KR art. 160(6): the 5-day arrival term on parole: the day before, the day of and the day after', () => {
    const term = computeTerm({ ...base, regime: 'parole', effectiveDate: '2026-03-02', registeredOn: null });
    expect(term.arrivalDeadline).toBe('2026-03-07');
    expect([arrivalOverdue(term, null, '2026-03-06'), arrivalOverdue(term, null, '2026-03-07'), arrivalOverdue(term, null, '2026-03-08')]).toEqual([false, false, true]);
  });
  it('PEC KR art. 168(2): "в течение года" after a warning: a repeat the day before and the day the year ends is within it, the day after is not', () => {
    const warning = { kind: 'written_warning' as const, accepted: true, decidedAt: at('2026-02-03', 12), violationIds: ['a'] };
    const kindOn = (date: string) => nextLadderStep({
      regime: 'probation_supervision', termStart: '2026-01-10', termEnd: '2028-01-10', birthDate: null, damagesOutstanding: false,
      violations: [{ id: 'a', obligation: 'stay_in_residence_unit', occurredAt: at('2026-02-01', 12), validReason: null }, { id: 'b', obligation: 'stay_in_residence_unit', occurredAt: at(date, 23), validReason: null }],
      decisions: [warning], courtRulings: [], now: at('2027-03-01', 12),
    })?.kind;
    expect(termLastDay('2026-02-03', { months: 12 })).toBe('2027-02-03');
    expect(kindOn('2027-02-02')).toBe('court_submission_add_duties');
    expect(kindOn('2027-02-03')).toBe('court_submission_add_duties');
    expect(kindOn('2027-02-04')).toBe('written_warning');
  });
  it('PEC KR arts. 166(4), 167(3): "по истечении трех месяцев с момента отказа": barred the day before and the day the term ends, allowed the day after', () => {
    const courtRulings = [{ kind: 'court_submission_early_termination' as const, outcome: 'refused' as const, decidedOn: '2026-08-15' }];
    const barredOn = (date: string) => earlyTerminationBarredUntil({ courtRulings, now: at(date, 12) });
    expect(barredOn('2026-11-14')).toBe('2026-11-16');
    expect(barredOn('2026-11-15')).toBe('2026-11-16');
    expect(barredOn('2026-11-16')).toBeNull();
  });
});

describe('deferred sentence: the arrival term by its basis', () => {
  const deferred = { regime: 'deferred_sentence' as const, effectiveDate: '2026-03-02', registeredOn: null, termMonths: 36 };
  it('PEC KR art. 160^2(2): no later than 10 calendar days after the court decision takes effect (the default basis)', () => {
    expect(computeTerm(deferred)).toMatchObject({ arrivalDeadline: '2026-03-12', articles: ['PEC KR art. 160^2(2)', 'PEC KR art. 160^3(1)'] });
    expect(computeTerm({ ...deferred, deferralBasis: 'court_decision' }).arrivalDeadline).toBe('2026-03-12');
    expect(obligationArticles('arrive_within_term', 'deferred_sentence', 'court_decision')).toEqual(['PEC KR art. 160^2(2)']);
  });
  it('PEC KR art. 160^1(4): released from prison under a deferment, within 5 days of arrival at the place of residence: the day before, the day of and the day after', () => {
    expect(DEFERRAL_RELEASE_ARRIVAL_DAYS).toBe(5);
    const notHome = computeTerm({ ...deferred, deferralBasis: 'release_from_prison' });
    // Not yet home: no deadline can be known, nothing is overdue, no calendar yet.
    expect(notHome).toMatchObject({ arrivalDeadline: null, termStart: '2026-03-02', articles: ['PEC KR art. 160^1(4)', 'PEC KR art. 160^3(1)'] });
    expect(arrivalOverdue(notHome, null, '2026-06-01')).toBe(false);
    expect(checkInCalendarStart(notHome, null, '2026-03-05')).toBeNull();
    const home = computeTerm({ ...deferred, deferralBasis: 'release_from_prison', arrivedAtResidenceOn: '2026-03-20' });
    expect(home.arrivalDeadline).toBe('2026-03-25');
    expect([arrivalOverdue(home, null, '2026-03-24'), arrivalOverdue(home, null, '2026-03-25'), arrivalOverdue(home, null, '2026-03-26')]).toEqual([false, false, true]);
    expect(checkInCalendarStart(home, null, '2026-03-21')).toBe('2026-03-26');
    expect(obligationArticles('arrive_within_term', 'deferred_sentence', 'release_from_prison')).toEqual(['PEC KR art. 160^1(4)']);
  });
  it('PEC KR art. 160^4(2): a missed arrival of a deferred sentence proposes revoking the deferment, whatever its basis', () => {
    const p = nextLadderStep({
      regime: 'deferred_sentence', termStart: '2026-03-02', termEnd: '2029-03-02', birthDate: null, damagesOutstanding: false,
      violations: [{ id: 'a', obligation: 'arrive_within_term', occurredAt: bishkekMidnight('2026-03-26'), validReason: null }],
      decisions: [], courtRulings: [], now: bishkekMidnight('2026-03-27'),
    });
    expect(p).toMatchObject({ kind: 'court_submission_revoke', articles: ['PEC KR art. 160^4(2)'], reason: { code: 'failure_to_appear' } });
  });
});
