import { describe, expect, it } from 'vitest';
import { obligationTextRu } from './legal.ts';
import { placeChangeBreachRu, placeChangeConsent, placeChangeStatus, type PlaceChangeFacts } from './place-change.ts';

const facts = (f: Partial<PlaceChangeFacts>): PlaceChangeFacts => ({ kind: 'residence', receivedOn: null, decision: null, changedOn: null, ...f });

describe('change of residence, work or study', () => {
  it('PEC KR art. 166(1)(3): probation supervision needs written notice only, and there is nothing to agree', () => {
    expect(placeChangeConsent('probation_supervision')).toBe('written_notice');
    expect(placeChangeConsent('parole')).toBe('written_notice');
    expect(placeChangeStatus('probation_supervision', facts({ receivedOn: '2026-05-10' }))).toMatchObject({ state: 'notified', articles: ['PEC KR art. 166(1)(3)'] });
    // A notice is enough: no decision, and the change on the day of the notice is in time.
    expect(placeChangeStatus('probation_supervision', facts({ receivedOn: '2026-05-10', changedOn: '2026-05-10' })).state).toBe('changed');
    expect(placeChangeStatus('probation_supervision', facts({ receivedOn: '2026-05-09', changedOn: '2026-05-10' })).state).toBe('changed');
  });
  it('PEC KR art. 166(1)(3): a change with no written notice, or a notice the day after, is a breach', () => {
    expect(placeChangeStatus('probation_supervision', facts({ changedOn: '2026-05-10' }))).toMatchObject({ state: 'breach', breach: 'no_written_notice' });
    expect(placeChangeStatus('probation_supervision', facts({ receivedOn: '2026-05-11', changedOn: '2026-05-10' }))).toMatchObject({ state: 'breach', breach: 'notice_after_change' });
  });
  it('PEC KR art. 63(1)(3): restriction of freedom needs the office\'s agreement; a notice alone is a breach', () => {
    expect(placeChangeConsent('restriction_of_freedom')).toBe('agreement');
    expect(placeChangeStatus('restriction_of_freedom', facts({ receivedOn: '2026-05-01' }))).toMatchObject({ state: 'awaiting_agreement', articles: ['PEC KR art. 63(1)(3)'] });
    // The request was in on time but nobody agreed before the move.
    expect(placeChangeStatus('restriction_of_freedom', facts({ receivedOn: '2026-05-01', changedOn: '2026-05-10' }))).toMatchObject({ state: 'breach', breach: 'no_agreement' });
    expect(placeChangeStatus('restriction_of_freedom', facts({ receivedOn: '2026-05-01', decision: { agreed: true, decidedOn: '2026-05-02' }, changedOn: '2026-05-10' })).state).toBe('changed');
  });
  it('PEC KR art. 160^3(2)(3): a deferred sentence needs agreement; refused, or agreed only after the change, is a breach', () => {
    expect(placeChangeConsent('deferred_sentence')).toBe('agreement');
    const refused = facts({ receivedOn: '2026-05-01', decision: { agreed: false, decidedOn: '2026-05-02' } });
    expect(placeChangeStatus('deferred_sentence', refused)).toMatchObject({ state: 'refused', articles: ['PEC KR art. 160^3(2)(3)'] });
    expect(placeChangeStatus('deferred_sentence', { ...refused, changedOn: '2026-05-10' })).toMatchObject({ state: 'breach', breach: 'agreement_refused' });
    // The day of the change counts; the day after does not.
    const agreed = (decidedOn: string) => facts({ receivedOn: '2026-05-01', decision: { agreed: true, decidedOn }, changedOn: '2026-05-10' });
    expect(placeChangeStatus('deferred_sentence', agreed('2026-05-10')).state).toBe('changed');
    expect(placeChangeStatus('deferred_sentence', agreed('2026-05-11'))).toMatchObject({ state: 'breach', breach: 'agreement_after_change' });
  });
  it('PEC KR arts. 63(1)(3), 160^3(2)(3), 166(1)(3): documents quote each regime\'s own words', () => {
    expect(obligationTextRu('no_unapproved_move', 'probation_supervision')).toContain('без письменного уведомления');
    expect(obligationTextRu('no_unapproved_move', 'deferred_sentence')).toContain('без согласования');
    expect(obligationTextRu('no_unapproved_move', 'restriction_of_freedom')).not.toContain('уведомления');
    expect(obligationTextRu('stay_in_residence_unit', 'parole')).toContain('административно-территориальной');
  });
  it('the facts of a breach name the place, the dates and what was missing', () => {
    const f = facts({ kind: 'work', receivedOn: '2026-05-11', changedOn: '2026-05-10' });
    expect(placeChangeBreachRu('work', 'notice_after_change', f, 'ОсОО «Тамга»')).toBe('2026-05-10 осужденный сменил место работы (ОсОО «Тамга»); письменное уведомление поступило в орган пробации только 2026-05-11, после смены');
  });
});
