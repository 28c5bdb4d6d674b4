import { describe, expect, it } from 'vitest';
import { ALERT_OBLIGATION } from '../../alerts/alert-catalogue.ts';
import { DEFERRAL_END_LEAD_DAYS, EARLY_TERMINATION_RETRY_MONTHS, OBLIGATION_ARTICLES, OBLIGATION_SOURCE, REPEAT_WINDOW_MONTHS_168, REVOKE_AFTER_VIOLATIONS_168, obligationApplies } from './legal.ts';
import { bishkekMidnight } from './term.ts';
import type { ProposalKind, RegimeKind } from './types.ts';
import { changeOfDutiesProposal, decidableKinds, deferralEndProposal, earlyTerminationBarredUntil, earlyTerminationProposal, nextLadderStep, proposeNextSteps, type CaseHistory, type LadderViolation, type PastDecision } from './violation-ladder.ts';

const D = 86_400_000;
const at = (date: string) => bishkekMidnight(date) + 12 * 3_600_000;
const v = (id: string, date: string, over: Partial<LadderViolation> = {}): LadderViolation => ({ id, obligation: 'stay_in_residence_unit', occurredAt: at(date), validReason: null, ...over });
const warned = (date: string, ids: string[]): PastDecision => ({ kind: 'written_warning', accepted: true, decidedAt: at(date), violationIds: ids });
const history = (over: Partial<CaseHistory> = {}): CaseHistory => ({
  regime: 'probation_supervision',
  termStart: '2026-01-10',
  termEnd: '2028-01-10',
  birthDate: '1990-05-01',
  damagesOutstanding: false,
  violations: [],
  decisions: [],
  courtRulings: [],
  now: at('2026-06-01'),
  ...over,
});
const step = (h: CaseHistory) => nextLadderStep(h);

describe('the violation ladder', () => {
  it('PEC KR art. 168(1): a first violation without a valid reason proposes a written warning', () => {
    const p = step(history({ violations: [v('a', '2026-05-01')] }));
    expect(p).toMatchObject({ kind: 'written_warning', articles: ['PEC KR art. 168(1)'], violationIds: ['a'], reason: { code: 'no_warning_yet', params: { count: 1 } } });
  });
  it('PEC KR art. 168(1): no violations, nothing to propose; a violation already decided is not proposed again', () => {
    expect(step(history())).toBeNull();
    expect(step(history({ violations: [v('a', '2026-05-01')], decisions: [warned('2026-05-02', ['a'])] }))).toBeNull();
    // Declined by the officer: also decided, not proposed again.
    expect(step(history({ violations: [v('a', '2026-05-01')], decisions: [{ ...warned('2026-05-02', ['a']), accepted: false }] }))).toBeNull();
  });
  it('PEC KR art. 168(1): a violation with a valid reason never escalates, not even a failure to appear', () => {
    const excused = [v('a', '2026-05-01', { validReason: 'hospitalised' }), v('b', '2026-05-10', { obligation: 'arrive_within_term', validReason: 'funeral' })];
    expect(step(history({ violations: excused }))).toBeNull();
    expect(step(history({ violations: excused, decisions: [warned('2026-04-01', [])] }))).toBeNull();
  });
  it('PEC KR art. 168(2): a repeat violation within one year of a written warning proposes a submission to add duties', () => {
    const p = step(history({ violations: [v('a', '2026-02-01'), v('b', '2026-05-01')], decisions: [warned('2026-02-03', ['a'])] }));
    expect(p).toMatchObject({ kind: 'court_submission_add_duties', articles: ['PEC KR art. 168(2)'], violationIds: ['b'], reason: { code: 'repeat_within_window', params: { months: 12 } } });
  });
  it('PEC KR art. 168(2): a repeat more than a year after the warning is outside the window and proposes a new warning', () => {
    expect(REPEAT_WINDOW_MONTHS_168).toBe(12);
    const decisions = [warned('2026-02-03', ['a'])];
    const inside = step(history({ violations: [v('a', '2026-02-01'), v('b', '2027-02-03')], decisions, now: at('2027-03-01') }));
    const outside = step(history({ violations: [v('a', '2026-02-01'), v('b', '2027-02-05')], decisions, now: at('2027-03-01') }));
    expect(inside?.kind).toBe('court_submission_add_duties');
    expect(outside?.kind).toBe('written_warning');
    expect(outside?.why).toMatch(/more than a year/);
  });
  it('PEC KR art. 168(2): "в течение года" is a calendar year, not 365 days (a leap year counts 366)', () => {
    // Warning on 2027-06-01; 2028 is a leap year, so 2028-05-31 evening is 365.25 days later but within the year.
    const decisions = [warned('2027-06-01', ['a'])];
    const lateOnLastDay = bishkekMidnight('2028-05-31') + 18 * 3_600_000;
    const inside = step(history({ violations: [v('a', '2027-05-30'), { ...v('b', '2028-05-31'), occurredAt: lateOnLastDay }], decisions, now: at('2028-06-20') }));
    expect(inside?.kind).toBe('court_submission_add_duties');
    const after = step(history({ violations: [v('a', '2027-05-30'), v('b', '2028-06-02')], decisions, now: at('2028-06-20') }));
    expect(after?.kind).toBe('written_warning');
  });
  it('PEC KR art. 168(3): two district exits do not ground a revocation (166(1)(4) is a statutory condition: 168(1) -> 168(2) only)', () => {
    expect(OBLIGATION_SOURCE.stay_in_residence_unit).toBe('statutory');
    const exits = [v('a', '2026-02-01'), v('b', '2026-03-01'), v('c', '2026-05-01')];
    const decisions = [warned('2026-02-03', ['a']), { kind: 'court_submission_add_duties' as const, accepted: true, decidedAt: at('2026-03-02'), violationIds: ['b'] }];
    const p = step(history({ violations: exits, decisions }));
    expect(p).toMatchObject({ kind: 'court_submission_add_duties', articles: ['PEC KR art. 168(2)'], violationIds: ['c'], reason: { code: 'repeat_within_window' } });
    // Two exits with no warning at all: a warning.
    expect(step(history({ violations: [v('a', '2026-02-01'), v('b', '2026-03-01')] }))?.kind).toBe('written_warning');
  });
  it('PEC KR art. 168(3): two breaches of court-imposed duties (166(1)(2)) ground a revocation by themselves, with no prior warning', () => {
    expect(REVOKE_AFTER_VIOLATIONS_168).toBe(2);
    const duty = (id: string, date: string) => v(id, date, { obligation: 'court_imposed_duty' });
    const p = step(history({ violations: [duty('a', '2026-03-01'), duty('b', '2026-05-01')] }));
    expect(p).toMatchObject({ kind: 'court_submission_revoke', articles: ['PEC KR art. 168(3)'], violationIds: ['a', 'b'], reason: { code: 'court_duties_breached', params: { count: 2, dates: '2026-03-01, 2026-05-01' } } });
    // The first breach alone is answered with a warning (168(1)).
    expect(step(history({ violations: [duty('a', '2026-03-01')] }))).toMatchObject({ kind: 'written_warning', articles: ['PEC KR art. 168(1)'] });
  });
  it('PEC KR art. 168(3): the court-imposed duty ground has no one-year window', () => {
    const duty = (id: string, date: string) => v(id, date, { obligation: 'court_imposed_duty' });
    const p = step(history({ violations: [duty('a', '2026-02-01'), duty('b', '2027-09-01')], decisions: [warned('2026-02-03', ['a'])], now: at('2027-09-10') }));
    expect(p).toMatchObject({ kind: 'court_submission_revoke', articles: ['PEC KR art. 168(3)'], violationIds: ['b'], reason: { code: 'court_duties_breached', params: { count: 2 } } });
    // A statutory repeat as far from its warning is outside 168(2)'s year: a new warning.
    expect(step(history({ violations: [v('a', '2026-02-01'), v('b', '2027-09-01')], decisions: [warned('2026-02-03', ['a'])], now: at('2027-09-10') }))?.kind).toBe('written_warning');
  });
  it('PEC KR art. 168(3): a breach of a court-imposed duty with a valid reason does not count; one of another obligation does not make the second', () => {
    const duty = (id: string, date: string, over: Partial<LadderViolation> = {}) => v(id, date, { obligation: 'court_imposed_duty', ...over });
    expect(step(history({ violations: [duty('a', '2026-03-01', { validReason: 'ambulance' }), duty('b', '2026-05-01')] }))?.kind).toBe('written_warning');
    expect(step(history({ violations: [v('a', '2026-03-01'), duty('b', '2026-05-01')] }))?.kind).toBe('written_warning');
  });
  it('PEC KR art. 168(3): once both breaches are decided, nothing is proposed again until a new violation', () => {
    const duty = (id: string, date: string) => v(id, date, { obligation: 'court_imposed_duty' });
    const decided = { kind: 'court_submission_revoke' as const, accepted: false, decidedAt: at('2026-05-02'), violationIds: ['a', 'b'] };
    expect(step(history({ violations: [duty('a', '2026-03-01'), duty('b', '2026-05-01')], decisions: [decided] }))).toBeNull();
    // A third breach: the ground holds again (three breaches), the officer decides again.
    const p = step(history({ violations: [duty('a', '2026-03-01'), duty('b', '2026-05-01'), duty('c', '2026-05-20')], decisions: [decided], now: at('2026-05-21') }));
    expect(p).toMatchObject({ kind: 'court_submission_revoke', violationIds: ['c'], reason: { params: { count: 3 } } });
  });
  it('PEC KR art. 166(1)(5): device trouble the wearer caused breaches the office\'s lawful requirements, a statutory condition: two tamper alerts do not ground 168(3)', () => {
    for (const t of ['strap_tamper', 'case_tamper', 'battery_dead', 'no_communication', 'no_location', 'device_offline'] as const) expect(ALERT_OBLIGATION[t]).toBe('office_requirement');
    expect(ALERT_OBLIGATION.curfew_breach).toBe('court_imposed_duty');
    expect(ALERT_OBLIGATION.exclusion_entry).toBe('court_imposed_duty');
    expect(OBLIGATION_ARTICLES.office_requirement.articles.probation_supervision).toEqual(['PEC KR art. 166(1)(5)']);
    expect(OBLIGATION_ARTICLES.court_imposed_duty.articles.probation_supervision).toEqual(['PEC KR art. 166(1)(2)']);
    const tamper = (id: string, date: string) => v(id, date, { obligation: 'office_requirement' });
    expect(step(history({ violations: [tamper('a', '2026-03-01'), tamper('b', '2026-05-01')] }))?.kind).toBe('written_warning');
  });
  it('PEC KR art. 166(1)(6): not carrying identity documents is a violation with its article; a deferred sentence has no such duty (160^3(2))', () => {
    expect(OBLIGATION_ARTICLES.carry_identity_documents.articles.probation_supervision).toEqual(['PEC KR art. 166(1)(6)']);
    expect(OBLIGATION_ARTICLES.carry_identity_documents.articles.restriction_of_freedom).toEqual(['PEC KR art. 63(1)(5)']);
    expect(obligationApplies('carry_identity_documents', 'probation_supervision')).toBe(true);
    expect(obligationApplies('carry_identity_documents', 'deferred_sentence')).toBe(false);
    expect(step(history({ violations: [v('a', '2026-05-01', { obligation: 'carry_identity_documents' })] }))).toMatchObject({ kind: 'written_warning', articles: ['PEC KR art. 168(1)'] });
  });
  it('PEC KR art. 160^4(1): a deferred sentence makes no distinction by source: two breaches of court-imposed duties propose a warning first', () => {
    const duty = (id: string, date: string) => v(id, date, { obligation: 'court_imposed_duty' });
    expect(step(history({ regime: 'deferred_sentence', violations: [duty('a', '2026-03-01'), duty('b', '2026-05-01')] }))).toMatchObject({ kind: 'written_warning', articles: ['PEC KR art. 160^4(1)'] });
  });
  it('PEC KR art. 168(3): failure to arrive within the statutory term without a valid reason proposes a submission to revoke at once, without a warning', () => {
    const p = step(history({ violations: [v('a', '2026-05-05', { obligation: 'arrive_within_term' })] }));
    expect(p).toMatchObject({ kind: 'court_submission_revoke', articles: ['PEC KR art. 168(3)'], reason: { code: 'failure_to_appear' } });
    expect(p?.why).toMatch(/Failure to arrive/);
  });
  it('PEC KR art. 168(1): a missed fortnightly appearance (166(1)(7)) is an ordinary violation: a warning first, not the court', () => {
    const p = step(history({ violations: [v('a', '2026-05-05', { obligation: 'appear_when_summoned' })] }));
    expect(p).toMatchObject({ kind: 'written_warning', articles: ['PEC KR art. 168(1)'], reason: { code: 'no_warning_yet' } });
    // Then the repeat rules: a second missed appearance within the year asks to add duties (168(2)).
    const again = step(history({
      violations: [v('a', '2026-02-05', { obligation: 'appear_when_summoned' }), v('b', '2026-05-05', { obligation: 'appear_when_summoned' })],
      decisions: [warned('2026-02-06', ['a'])],
    }));
    expect(again?.kind).toBe('court_submission_add_duties');
  });
  it('PEC KR art. 160^4(1): a deferred sentence, a missed fortnightly appearance (160^3(2)(7)) proposes a warning', () => {
    expect(step(history({ regime: 'deferred_sentence', violations: [v('a', '2026-05-05', { obligation: 'appear_when_summoned' })] }))?.kind).toBe('written_warning');
  });
  it('PEC KR art. 64(2): restriction of freedom, a first violation proposes a written warning under 64(2)', () => {
    expect(step(history({ regime: 'restriction_of_freedom', violations: [v('a', '2026-05-01')] }))).toMatchObject({ kind: 'written_warning', articles: ['PEC KR art. 64(2)'] });
  });
  it('PEC KR art. 64(3): restriction of freedom, failure to arrive within the term proposes a submission to replace the term with imprisonment', () => {
    const p = step(history({ regime: 'restriction_of_freedom', violations: [v('a', '2026-05-05', { obligation: 'arrive_within_term' })] }));
    expect(p).toMatchObject({ kind: 'court_submission_revoke', articles: ['PEC KR art. 64(3)'] });
    // A missed fortnightly appearance (63(1)(7)) is not that: a warning under 64(2).
    const missed = step(history({ regime: 'restriction_of_freedom', violations: [v('a', '2026-05-05', { obligation: 'appear_when_summoned' })] }));
    expect(missed).toMatchObject({ kind: 'written_warning', articles: ['PEC KR art. 64(2)'] });
  });
  it('PEC KR art. 64(3): restriction of freedom, a repeat after the warning is not automatically evasion: another warning, assess evasion', () => {
    const p = step(history({ regime: 'restriction_of_freedom', violations: [v('a', '2026-02-01'), v('b', '2026-05-01')], decisions: [warned('2026-02-03', ['a'])] }));
    expect(p).toMatchObject({ kind: 'written_warning', articles: ['PEC KR art. 64(2)'], violationIds: ['b'], reason: { code: 'repeat_assess_evasion', params: { count: 1, warningDate: '2026-02-03' } } });
    expect(p?.why).toMatch(/evasion/);
    // The officer may choose the submission of 64(3) instead.
    expect(decidableKinds('restriction_of_freedom', p ? [p] : []).has('court_submission_revoke')).toBe(true);
  });
  it('PEC KR art. 160^4(1): a deferred sentence, a first violation proposes a written warning', () => {
    expect(step(history({ regime: 'deferred_sentence', violations: [v('a', '2026-05-01')] }))).toMatchObject({ kind: 'written_warning', articles: ['PEC KR art. 160^4(1)'] });
  });
  it('PEC KR art. 160^4(2): a deferred sentence, a repeat after the warning proposes revoking the deferral, with no one-year window', () => {
    const p = step(history({ regime: 'deferred_sentence', violations: [v('a', '2026-02-01'), v('b', '2027-06-01')], decisions: [warned('2026-02-03', ['a'])], now: at('2027-07-01') }));
    expect(p).toMatchObject({ kind: 'court_submission_revoke', articles: ['PEC KR art. 160^4(2)'], violationIds: ['b'] });
  });
  it('PEC KR art. 160(6): parole follows the probation ladder of art. 168 and cites 160(6)', () => {
    const p = step(history({ regime: 'parole', violations: [v('a', '2026-02-01'), v('b', '2026-05-01')], decisions: [warned('2026-02-03', ['a'])] }));
    expect(p).toMatchObject({ kind: 'court_submission_add_duties', articles: ['PEC KR art. 160(6)', 'PEC KR art. 168(2)'] });
  });
  it('PEC KR arts. 64, 160^4, 168: the same history proposes different steps under different regimes', () => {
    const same = { violations: [v('a', '2026-02-01'), v('b', '2026-05-01')], decisions: [warned('2026-02-03', ['a'])] };
    const by = (regime: RegimeKind) => step(history({ ...same, regime }));
    expect(by('probation_supervision')).toMatchObject({ kind: 'court_submission_add_duties', articles: ['PEC KR art. 168(2)'] });
    expect(by('restriction_of_freedom')).toMatchObject({ kind: 'written_warning', articles: ['PEC KR art. 64(2)'], reason: { code: 'repeat_assess_evasion' } });
    expect(by('deferred_sentence')).toMatchObject({ kind: 'court_submission_revoke', articles: ['PEC KR art. 160^4(2)'] });
    // A repeat 13 months after the warning: outside 168(2)'s year, but 160^4(2) sets no window.
    const late = { violations: [v('a', '2026-02-01'), v('b', '2027-03-15')], decisions: [warned('2026-02-03', ['a'])], now: at('2027-04-01') };
    expect(step(history({ ...late, regime: 'probation_supervision' }))?.kind).toBe('written_warning');
    expect(step(history({ ...late, regime: 'deferred_sentence' }))?.kind).toBe('court_submission_revoke');
  });
  it('PEC KR art. 168: a violation in the future of `now` is not counted', () => {
    expect(step(history({ violations: [v('a', '2026-07-01')] }))).toBeNull();
  });
  it('PEC KR arts. 7-14: the officer may decide any response the regime has, proposed or not, but none it lacks', () => {
    const warning = { kind: 'written_warning' as ProposalKind, articles: [], why: '', reason: { code: 'no_warning_yet' as const, params: {} }, violationIds: [] };
    const probation = ['court_submission_add_duties', 'court_submission_change_duties', 'court_submission_early_termination', 'court_submission_revoke', 'written_warning'];
    expect([...decidableKinds('probation_supervision', [warning])].sort()).toEqual(probation);
    expect([...decidableKinds('probation_supervision', [])].sort()).toEqual(probation);
    expect([...decidableKinds('parole', [])].sort()).toEqual(probation);
    expect([...decidableKinds('restriction_of_freedom', [warning])].sort()).toEqual(['court_submission_revoke', 'written_warning']);
  });
  it('PEC KR art. 160^4(3): a deferred sentence can end with a submission when the child turns 14 or dies; no other regime has it', () => {
    expect([...decidableKinds('deferred_sentence', [])].sort()).toEqual(['court_submission_deferral_end', 'court_submission_revoke', 'written_warning']);
    for (const regime of ['restriction_of_freedom', 'probation_supervision', 'parole'] as const) expect(decidableKinds(regime, []).has('court_submission_deferral_end')).toBe(false);
  });
});

describe('early termination and change of duties', () => {
  const half = { termStart: '2026-01-10', termEnd: '2027-01-10' };
  it('PEC KR art. 166(4): after half the term with good conduct, early termination is proposed', () => {
    const p = earlyTerminationProposal(history({ ...half, now: at('2026-07-12') }));
    expect(p).toMatchObject({ kind: 'court_submission_early_termination', articles: ['PEC KR art. 166(4)'], violationIds: [] });
  });
  it('PEC KR art. 166(4): not before half the term has passed', () => {
    expect(earlyTerminationProposal(history({ ...half, now: at('2026-07-10') }))).toBeNull();
  });
  it('PEC KR art. 166(4): not with a violation without a valid reason during the term; a violation with one does not count', () => {
    expect(earlyTerminationProposal(history({ ...half, now: at('2026-08-01'), violations: [v('a', '2026-03-01')] }))).toBeNull();
    expect(earlyTerminationProposal(history({ ...half, now: at('2026-08-01'), violations: [v('a', '2026-03-01', { validReason: 'ill' })] }))).not.toBeNull();
  });
  it('PEC KR art. 166(4): not while damage from the offence is not fully repaid', () => {
    expect(earlyTerminationProposal(history({ ...half, now: at('2026-08-01'), damagesOutstanding: true }))).toBeNull();
  });
  it('PEC KR art. 166(4): after the court refuses, not again for 3 months', () => {
    expect(EARLY_TERMINATION_RETRY_MONTHS).toBe(3);
    const courtRulings = [{ kind: 'court_submission_early_termination' as const, outcome: 'refused' as const, decidedOn: '2026-08-15' }];
    const decisions: PastDecision[] = [{ kind: 'court_submission_early_termination', accepted: true, decidedAt: at('2026-08-01'), violationIds: [] }];
    // "по истечении трех месяцев": the term's last day is 2026-11-15, so the first day allowed is the 16th (term.ts).
    expect(earlyTerminationProposal(history({ ...half, decisions, courtRulings, now: at('2026-11-14') }))).toBeNull();
    expect(earlyTerminationProposal(history({ ...half, decisions, courtRulings, now: at('2026-11-15') }))).toBeNull();
    expect(earlyTerminationProposal(history({ ...half, decisions, courtRulings, now: at('2026-11-16') }))?.why).toMatch(/refusal of 2026-08-15/);
  });
  it('PEC KR art. 166(4): the 3-month bar after a refusal binds the officer too; its last day is the same date 3 months later (or the month\'s last day)', () => {
    const ruling = { kind: 'court_submission_early_termination' as ProposalKind, outcome: 'refused' as const, decidedOn: '2026-03-31' };
    // 31 March + 3 months: 30 June is the last day of the term; a new submission from 1 July.
    expect(earlyTerminationBarredUntil({ courtRulings: [ruling], now: at('2026-06-29') })).toBe('2026-07-01');
    expect(earlyTerminationBarredUntil({ courtRulings: [ruling], now: at('2026-06-30') })).toBe('2026-07-01');
    expect(earlyTerminationBarredUntil({ courtRulings: [ruling], now: at('2026-07-01') })).toBeNull();
    expect(earlyTerminationBarredUntil({ courtRulings: [{ ...ruling, outcome: 'granted' }], now: at('2026-04-01') })).toBeNull();
  });
  it('PEC KR art. 166(4): not while an earlier submission awaits the court', () => {
    const decisions: PastDecision[] = [{ kind: 'court_submission_early_termination', accepted: true, decidedAt: at('2026-08-01'), violationIds: [] }];
    expect(earlyTerminationProposal(history({ ...half, decisions, now: at('2026-09-01') }))).toBeNull();
  });
  it('PEC KR art. 167(3): for a child the proposal also cites 167(3)', () => {
    const p = earlyTerminationProposal(history({ ...half, birthDate: '2010-01-01', now: at('2026-08-01') }));
    expect(p?.articles).toEqual(['PEC KR art. 166(4)', 'PEC KR art. 167(3)']);
  });
  it('PEC KR art. 166(4): restriction of freedom and a deferred sentence have no early termination by the probation office', () => {
    expect(earlyTerminationProposal(history({ ...half, regime: 'restriction_of_freedom', now: at('2026-08-01') }))).toBeNull();
    expect(earlyTerminationProposal(history({ ...half, regime: 'deferred_sentence', now: at('2026-08-01') }))).toBeNull();
    expect(earlyTerminationProposal(history({ ...half, regime: 'parole', now: at('2026-08-01') }))?.articles).toEqual(['PEC KR art. 160(6)', 'PEC KR art. 166(4)']);
  });
  it('PEC KR art. 166(3): a court-imposed duty breached repeatedly with valid reasons proposes cancelling or changing it', () => {
    const excused = [v('a', '2026-05-01', { obligation: 'court_imposed_duty', validReason: 'night shift' }), v('b', '2026-05-20', { obligation: 'court_imposed_duty', validReason: 'night shift' })];
    expect(changeOfDutiesProposal(history({ violations: excused }))).toMatchObject({ kind: 'court_submission_change_duties', articles: ['PEC KR art. 166(3)'], violationIds: ['a', 'b'] });
    expect(changeOfDutiesProposal(history({ violations: excused.slice(0, 1) }))).toBeNull();
    expect(changeOfDutiesProposal(history({ violations: excused, now: at('2026-05-01') + 120 * D }))).toBeNull();
    expect(changeOfDutiesProposal(history({ violations: excused, regime: 'deferred_sentence' }))).toBeNull();
    const decided: PastDecision[] = [{ kind: 'court_submission_change_duties', accepted: false, decidedAt: at('2026-05-21'), violationIds: ['a', 'b'] }];
    expect(changeOfDutiesProposal(history({ violations: excused, decisions: decided }))).toBeNull();
  });
});

describe('deferred sentence: the child (PEC KR art. 160^4)', () => {
  const deferred = (over: Partial<CaseHistory> = {}) => history({ regime: 'deferred_sentence', termStart: '2026-01-10', termEnd: '2032-01-10', ...over });
  it('PEC KR art. 160^4(2): abandoning the child grounds the submission to revoke the deferment by itself, with no warning', () => {
    const p = nextLadderStep(deferred({ violations: [v('a', '2026-05-01', { obligation: 'child_abandoned' })] }));
    expect(p).toMatchObject({ kind: 'court_submission_revoke', articles: ['PEC KR art. 160^4(2)'], violationIds: ['a'], reason: { code: 'child_ground', params: { dates: '2026-05-01', grounds: 'child_abandoned' } } });
  });
  it('PEC KR art. 160^4(2): evading the duty to raise the child grounds it too; with a valid reason it does not', () => {
    expect(nextLadderStep(deferred({ violations: [v('a', '2026-05-01', { obligation: 'child_upbringing_evaded' })] }))).toMatchObject({ kind: 'court_submission_revoke', reason: { code: 'child_ground' } });
    expect(nextLadderStep(deferred({ violations: [v('a', '2026-05-01', { obligation: 'child_upbringing_evaded', validReason: 'child in hospital with the grandmother by agreement' })] }))).toBeNull();
  });
  it('PEC KR art. 160^4(2): the child grounds exist only under a deferred sentence', () => {
    for (const regime of ['restriction_of_freedom', 'probation_supervision', 'parole'] as const) {
      expect(obligationApplies('child_abandoned', regime)).toBe(false);
      expect(obligationApplies('child_upbringing_evaded', regime)).toBe(false);
    }
    expect(OBLIGATION_ARTICLES.child_abandoned.articles.deferred_sentence).toEqual(['PEC KR art. 160^4(2)']);
  });
  it('art. 160^4(3): submission task before the child turns 14: proposed from the lead time before the birthday, until the officer sends it', () => {
    expect(DEFERRAL_END_LEAD_DAYS).toBe(60);
    const child = { childBirthDate: '2013-03-20' };
    // 14th birthday 2027-03-20; 60 days before: 2027-01-19.
    expect(deferralEndProposal(deferred({ ...child, now: at('2027-01-18') }))).toBeNull();
    expect(deferralEndProposal(deferred({ ...child, now: at('2027-01-19') }))).toMatchObject({
      kind: 'court_submission_deferral_end', articles: ['PEC KR art. 160^4(3)'], reason: { code: 'child_turns_14', params: { dueOn: '2027-03-20' } },
    });
    // The lead time is a setting.
    expect(deferralEndProposal(deferred({ ...child, deferralEndLeadDays: 10, now: at('2027-03-09') }))).toBeNull();
    expect(deferralEndProposal(deferred({ ...child, deferralEndLeadDays: 10, now: at('2027-03-10') }))).not.toBeNull();
    // Past the birthday and still not sent: still proposed (the submission is mandatory).
    expect(deferralEndProposal(deferred({ ...child, now: at('2027-04-01') }))).not.toBeNull();
    // Sent: no longer proposed.
    const sent: PastDecision = { kind: 'court_submission_deferral_end', accepted: true, decidedAt: at('2027-02-01'), violationIds: [] };
    expect(deferralEndProposal(deferred({ ...child, decisions: [sent], now: at('2027-02-02') }))).toBeNull();
    expect(proposeNextSteps(deferred({ ...child, now: at('2027-02-01') })).map((p) => p.kind)).toEqual(['court_submission_deferral_end']);
  });
  it('art. 160^4(3): when the child dies, the submission is due at once; no child on file, no task; other regimes never', () => {
    expect(deferralEndProposal(deferred({ childBirthDate: '2020-01-01', childDiedOn: '2026-05-02', now: at('2026-05-03') }))).toMatchObject({ reason: { code: 'child_died', params: { dueOn: '2026-05-02' } } });
    expect(deferralEndProposal(deferred({ now: at('2026-05-03') }))).toBeNull();
    expect(deferralEndProposal(history({ childBirthDate: '2013-03-20', now: at('2027-03-01') }))).toBeNull();
  });
});
