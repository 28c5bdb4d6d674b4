import { describe, expect, it } from 'vitest';
import { livingConditionsInspectionDuty } from './living-conditions.ts';

const child = { regime: 'probation_supervision' as const, birthDate: '2010-06-15', termStart: '2026-01-20', termEnd: '2027-01-20', inspectedOn: [] as string[] };

describe('inspection of a child\'s living conditions', () => {
  it('PEC KR art. 167(2): the first act is due within three months of the term\'s start, the next within three months of the last act', () => {
    expect(livingConditionsInspectionDuty(child)).toEqual({ articles: ['PEC KR art. 167(2)'], nextDueOn: '2026-04-20', countedFrom: '2026-01-20', endsOn: '2027-01-20' });
    expect(livingConditionsInspectionDuty({ ...child, inspectedOn: ['2026-03-31', '2026-02-01'] })?.nextDueOn).toBe('2026-06-30');
    // Month ends: the same date three months later, or the last day of a shorter month.
    expect(livingConditionsInspectionDuty({ ...child, inspectedOn: ['2026-11-30'] })?.nextDueOn).toBe(null);
    expect(livingConditionsInspectionDuty({ ...child, termEnd: '2028-01-20', inspectedOn: ['2026-11-30'] })?.nextDueOn).toBe('2027-02-28');
  });
  it('PEC KR art. 167(2): no act is owed for a quarter that ends after the 18th birthday or the term', () => {
    const nearlyAdult = { ...child, birthDate: '2008-05-01', termEnd: '2027-01-20' };
    expect(livingConditionsInspectionDuty(nearlyAdult)).toMatchObject({ nextDueOn: '2026-04-20', endsOn: '2026-05-01' });
    expect(livingConditionsInspectionDuty({ ...nearlyAdult, inspectedOn: ['2026-04-10'] })?.nextDueOn).toBeNull();
  });
  it('PEC KR art. 167(2): an adult, another regime, an unregistered client or no birth date has no such duty', () => {
    expect(livingConditionsInspectionDuty({ ...child, birthDate: '2000-01-01' })).toBeNull();
    expect(livingConditionsInspectionDuty({ ...child, birthDate: '2008-01-20' })).toBeNull();
    expect(livingConditionsInspectionDuty({ ...child, regime: 'deferred_sentence' })).toBeNull();
    expect(livingConditionsInspectionDuty({ ...child, regime: 'restriction_of_freedom' })).toBeNull();
    expect(livingConditionsInspectionDuty({ ...child, termStart: null })).toBeNull();
    expect(livingConditionsInspectionDuty({ ...child, birthDate: null })).toBeNull();
  });
  it('PEC KR arts. 160(6), 167(2): a child on parole is supervised under ch. 26 and inspected too', () => {
    expect(livingConditionsInspectionDuty({ ...child, regime: 'parole' })?.articles).toEqual(['PEC KR art. 160(6)', 'PEC KR art. 167(2)']);
  });
  it('PEC KR art. 167(2): acts before the term started do not count', () => {
    expect(livingConditionsInspectionDuty({ ...child, inspectedOn: ['2025-12-01'] })?.nextDueOn).toBe('2026-04-20');
  });
});
