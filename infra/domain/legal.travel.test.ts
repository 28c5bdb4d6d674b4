import { describe, expect, it } from 'vitest';
import { EXCEPTIONAL_TRIP_MAX_DAYS, TRAVEL_DECISION_HOURS } from './legal.ts';
import { permitCategoryRule, travelDeadlineState, validateTravelRequest, type TravelRequestInput } from './travel-request.ts';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2026, 4, 4, 6);
const OSH = 'KG21000000000';
const BISHKEK = 'KG11000000000';

const request = (over: Partial<TravelRequestInput> = {}): TravelRequestInput => ({
  regime: 'probation_supervision',
  residenceUnitId: BISHKEK,
  category: 'exceptional_circumstances',
  relation: 'close_relative',
  circumstance: 'death',
  destinationUnitIds: [OSH],
  departAt: T0 + 2 * H,
  returnAt: T0 + 2 * H + 12 * D,
  travelDays: 2,
  reason: 'Funeral of the mother in Osh',
  submittedAt: T0,
  ...over,
});
const fields = (r: TravelRequestInput) => {
  const v = validateTravelRequest(r);
  return v.ok ? [] : v.problems.map((p) => p.field);
};

describe('travel requests', () => {
  it('PEC KR art. 166(2)(3): an exceptional trip of 10 days not counting 2 days of travel both ways is allowed', () => {
    const v = validateTravelRequest(request());
    expect(v).toMatchObject({ ok: true, stayDays: 10, articles: ['PEC KR art. 166(2)(3)'] });
  });
  it('PEC KR art. 166(2)(3): an exceptional trip of more than 10 days not counting travel is refused, naming returnAt', () => {
    expect(EXCEPTIONAL_TRIP_MAX_DAYS).toBe(10);
    const v = validateTravelRequest(request({ travelDays: 1 }));
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.problems).toEqual([{ field: 'returnAt', message: expect.stringMatching(/11 days.*at most 10.*166\(2\)\(3\)/) }]);
  });
  it('PEC KR art. 63(2)(3): travel time does not count towards the 10 days for restriction of freedom either', () => {
    expect(fields(request({ regime: 'restriction_of_freedom', returnAt: T0 + 2 * H + 14 * D, travelDays: 4 }))).toEqual([]);
    expect(fields(request({ regime: 'restriction_of_freedom', returnAt: T0 + 2 * H + 14 * D, travelDays: 3 }))).toEqual(['returnAt']);
  });
  it('PEC KR art. 166(2)(3): a spouse counts under probation supervision', () => {
    expect(fields(request({ relation: 'spouse' }))).toEqual([]);
  });
  it('PEC KR art. 63(2)(3): a spouse does not count under restriction of freedom (only a close relative), naming relation', () => {
    const v = validateTravelRequest(request({ regime: 'restriction_of_freedom', relation: 'spouse' }));
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.problems).toEqual([{ field: 'relation', message: expect.stringContaining('only under probation supervision') }]);
  });
  it('PEC KR art. 160^3(2)(4): a deferred sentence has neither the 10-day cap nor the list of relatives of 63(2)(3)/166(2)(3)', () => {
    expect(fields(request({ regime: 'deferred_sentence', relation: 'spouse' }))).toEqual([]);
    expect(validateTravelRequest(request({ regime: 'deferred_sentence', travelDays: 1, returnAt: T0 + 2 * H + 20 * D }))).toMatchObject({ ok: true, stayDays: 19, articles: ['PEC KR art. 160^3(2)(4)'] });
  });
  it('PEC KR art. 166(2)(3): an exceptional trip needs the circumstance and whose it is', () => {
    expect(fields(request({ relation: null, circumstance: null }))).toEqual(['circumstance', 'relation']);
  });
  it('PEC KR arts. 166(2)(4)-(5): weekend, holiday and vacation trips have no 10-day limit and no relation', () => {
    expect(fields(request({ category: 'vacation', relation: null, circumstance: null, returnAt: T0 + 25 * D, travelDays: 0 }))).toEqual([]);
    expect(fields(request({ category: 'weekend_holiday' }))).toEqual(['relation', 'circumstance']);
  });
  it('PEC KR art. 166(2)(2): study elsewhere cites its own article', () => {
    expect(validateTravelRequest(request({ category: 'study', relation: null, circumstance: null, studyRegistrationOffice: 'Орган пробации г. Ош' }))).toMatchObject({ ok: true, articles: ['PEC KR art. 166(2)(2)'] });
  });
  it('PEC KR arts. 63(1)(4^1), 166(1)(4^1): a destination abroad is refused outright; 160^3(2)(5): a deferred sentence may be permitted abroad', () => {
    expect(fields(request({ destinationUnitIds: ['KZ'] }))).toEqual(['destinationUnitIds']);
    expect(fields(request({ regime: 'restriction_of_freedom', relation: 'close_relative', destinationUnitIds: ['KZ'] }))).toEqual(['destinationUnitIds']);
    expect(fields(request({ regime: 'deferred_sentence', destinationUnitIds: ['KZ'] }))).toEqual([]);
  });
  it('PEC KR art. 160^3(2)(5): a foreign destination is an ISO 3166-1 alpha-2 code, anything else is refused naming destinationUnitIds', () => {
    for (const bad of ['Kazakhstan', 'kz', 'KAZ', 'RU-MOW', 'X1']) {
      const v = validateTravelRequest(request({ regime: 'deferred_sentence', destinationUnitIds: [bad] }));
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.problems).toEqual([{ field: 'destinationUnitIds', message: expect.stringContaining('ISO 3166-1 alpha-2') }]);
    }
    expect(fields(request({ regime: 'deferred_sentence', destinationUnitIds: ['RU', 'KZ'] }))).toEqual([]);
  });
  it('PEC KR art. 166(2): bad windows, travel days and reasons are refused with the field named', () => {
    expect(fields(request({ returnAt: T0 + H, departAt: T0 + 2 * H }))).toContain('returnAt');
    expect(fields(request({ travelDays: -1 }))).toEqual(['travelDays']);
    expect(fields(request({ travelDays: 12 }))).toEqual(['travelDays']);
    expect(fields(request({ reason: ' ' }))).toEqual(['reason']);
    expect(fields(request({ destinationUnitIds: [] }))).toEqual(['destinationUnitIds']);
    expect(fields(request({ destinationUnitIds: [BISHKEK] }))).toEqual(['destinationUnitIds']);
  });
  it('PEC KR arts. 63(2)(3), 166(2)(3): the request is decided within 24 hours of submission', () => {
    expect(TRAVEL_DECISION_HOURS).toBe(24);
    expect(validateTravelRequest(request())).toMatchObject({ ok: true, decideBy: T0 + 24 * H });
  });
  it('PEC KR art. 166(2)(3): the deadline is ok, then due soon (the supervisor is warned), then breached', () => {
    const decideBy = T0 + 24 * H;
    expect(travelDeadlineState(decideBy, T0 + H)).toBe('ok');
    expect(travelDeadlineState(decideBy, decideBy - H)).toBe('due_soon');
    expect(travelDeadlineState(decideBy, decideBy)).toBe('due_soon');
    expect(travelDeadlineState(decideBy, decideBy + 1)).toBe('breached');
  });
  it('PEC KR arts. 63(2)(3), 166(2)(3): the 24-hour limit is for exceptional trips only; 166(2)(2), (4), (5) need permission with no limit', () => {
    const trip = { relation: null, circumstance: null, returnAt: T0 + 2 * H + 20 * D };
    for (const category of ['weekend_holiday', 'vacation'] as const) {
      expect(permitCategoryRule(category, 'probation_supervision')).toEqual({ decisionHours: null, maxStayDays: null, studyRegistration: false });
      // No decision deadline, and no 10-day cap: a 20-day vacation away is for the officer to judge.
      expect(validateTravelRequest(request({ category, ...trip }))).toMatchObject({ ok: true, decideBy: null, articles: [category === 'vacation' ? 'PEC KR art. 166(2)(5)' : 'PEC KR art. 166(2)(4)'] });
    }
    expect(permitCategoryRule('exceptional_circumstances', 'restriction_of_freedom')).toEqual({ decisionHours: 24, maxStayDays: 10, studyRegistration: false });
  });
  it('PEC KR art. 166(2)(2): a study permit requires registration with the probation body at the place of study, with no decision limit', () => {
    const study = request({ category: 'study', relation: null, circumstance: null, returnAt: T0 + 2 * H + 120 * D });
    const v = validateTravelRequest(study);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.problems).toEqual([{ field: 'studyRegistrationOffice', message: expect.stringMatching(/registration .*place of study.*166\(2\)\(2\)/) }]);
    expect(validateTravelRequest({ ...study, studyRegistrationOffice: 'Орган пробации Октябрьского района г. Ош' })).toMatchObject({ ok: true, decideBy: null, articles: ['PEC KR art. 166(2)(2)'] });
    expect(fields(request({ studyRegistrationOffice: 'Орган пробации г. Ош' }))).toEqual(['studyRegistrationOffice']);
    expect(fields({ ...study, regime: 'restriction_of_freedom' })).toEqual(['studyRegistrationOffice']);
  });
  it('PEC KR art. 160^3(2)(4): a deferred sentence has only the office\'s permission: no 24-hour limit, no cap, no registration rule', () => {
    for (const category of ['exceptional_circumstances', 'study'] as const) {
      expect(permitCategoryRule(category, 'deferred_sentence')).toEqual({ decisionHours: null, maxStayDays: null, studyRegistration: false });
    }
    expect(validateTravelRequest(request({ regime: 'deferred_sentence' }))).toMatchObject({ ok: true, decideBy: null });
  });
});
