/**
 * Travel requests that become permits (PEC KR arts. 63(2), 166(2); for a deferred sentence the
 * office's permission of 160^3(2)(4)-(5)). Pure validation: every problem names the request field
 * it is about, so the API can answer with a 400 the officer can act on.
 */
import { EXCEPTIONAL_TRIP_MAX_DAYS, TRAVEL_DEADLINE_WARNING_HOURS, TRAVEL_DECISION_HOURS, geofenceRule, isForeignDestination } from './legal.ts';
import type { PermitCategory, RegimeKind, TripCircumstance, TripRelation } from './types.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const PAROLE = 'PEC KR art. 160(6)';

/** The article that gives the right to each kind of trip, per regime. */
export const TRAVEL_CATEGORY_ARTICLES: Readonly<Record<PermitCategory, Readonly<Record<RegimeKind, readonly string[]>>>> = {
  exceptional_circumstances: {
    restriction_of_freedom: ['PEC KR art. 63(2)(3)'],
    probation_supervision: ['PEC KR art. 166(2)(3)'],
    deferred_sentence: ['PEC KR art. 160^3(2)(4)'],
    parole: [PAROLE, 'PEC KR art. 166(2)(3)'],
  },
  weekend_holiday: {
    restriction_of_freedom: ['PEC KR art. 63(2)(4)'],
    probation_supervision: ['PEC KR art. 166(2)(4)'],
    deferred_sentence: ['PEC KR art. 160^3(2)(4)'],
    parole: [PAROLE, 'PEC KR art. 166(2)(4)'],
  },
  vacation: {
    restriction_of_freedom: ['PEC KR art. 63(2)(5)'],
    probation_supervision: ['PEC KR art. 166(2)(5)'],
    deferred_sentence: ['PEC KR art. 160^3(2)(4)'],
    parole: [PAROLE, 'PEC KR art. 166(2)(5)'],
  },
  study: {
    restriction_of_freedom: ['PEC KR art. 63(2)(2)'],
    probation_supervision: ['PEC KR art. 166(2)(2)'],
    deferred_sentence: ['PEC KR art. 160^3(2)(4)'],
    parole: [PAROLE, 'PEC KR art. 166(2)(2)'],
  },
};

/**
 * Regimes under which the spouse's death or illness justifies an exceptional trip: 166(2)(3) names
 * "супруга (супруги)", 63(2)(3) only a close relative. Parole is supervised under chapter 26 (160(6)).
 */
export const SPOUSE_TRIP_REGIMES: readonly RegimeKind[] = ['probation_supervision', 'parole'];
/**
 * Regimes whose exceptional trips the law limits (the 10-day cap and the list of relatives of
 * 63(2)(3), 166(2)(3)). A deferred sentence has neither: 160^3(2)(4) leaves any trip to the
 * office's permission.
 */
export const CAPPED_TRIP_REGIMES: readonly RegimeKind[] = ['restriction_of_freedom', 'probation_supervision', 'parole'];
/**
 * What the law attaches to each kind of permit. Only the exceptional trip of 63(2)(3) and
 * 166(2)(3) (a death or a life-threatening illness) is decided "в суточный срок" and capped at
 * 10 days; study elsewhere (63(2)(2), 166(2)(2)), weekends and holidays away ((2)(4)) and a vacation
 * ((2)(5)) need the office's permission with no decision limit, and study needs registration with
 * the probation body where the school is. A deferred sentence has only the office's permission of
 * 160^3(2)(4) for every kind: no limit, no cap, no registration rule.
 */
export interface PermitCategoryRule {
  /** Hours within which the request must be decided, or null when the law sets none. */
  decisionHours: number | null;
  /** Days of stay, not counting travel, or null when the law sets none. */
  maxStayDays: number | null;
  /** The client must be registered with the probation body at the place of study. */
  studyRegistration: boolean;
}

export function permitCategoryRule(category: PermitCategory, regime: RegimeKind): PermitCategoryRule {
  const statutory = CAPPED_TRIP_REGIMES.includes(regime);
  return {
    decisionHours: statutory && category === 'exceptional_circumstances' ? TRAVEL_DECISION_HOURS : null,
    maxStayDays: statutory && category === 'exceptional_circumstances' ? EXCEPTIONAL_TRIP_MAX_DAYS : null,
    studyRegistration: statutory && category === 'study',
  };
}

/** A country abroad is named by its ISO 3166-1 alpha-2 code (the permit's destination, 160^3(2)(5)). */
const COUNTRY_CODE_RE = /^[A-Z]{2}$/;

export interface TravelRequestInput {
  regime: RegimeKind;
  residenceUnitId: string;
  category: PermitCategory;
  /** Exceptional trips only: whose death or illness. */
  relation: TripRelation | null;
  circumstance: TripCircumstance | null;
  destinationUnitIds: string[];
  /** Epoch ms. The permit covers departAt..returnAt, travel included. */
  departAt: number;
  returnAt: number;
  /** Whole days the journey there and back takes; not counted in the 10-day limit. */
  travelDays: number;
  reason: string;
  submittedAt: number;
  /** Study permits: the probation body at the place of study the client registers with (63(2)(2), 166(2)(2)). */
  studyRegistrationOffice?: string | null;
}

export interface FieldProblem {
  field: string;
  message: string;
}

export type TravelRequestVerdict =
  | { ok: true; decideBy: number | null; stayDays: number; articles: readonly string[] }
  | { ok: false; problems: FieldProblem[] };

/**
 * The request's decision deadline: 24 hours after it was submitted for an exceptional trip (PEC KR
 * arts. 63(2)(3), 166(2)(3)); null for a category the law gives no decision limit.
 */
export function travelDecisionDeadline(submittedAt: number, rule: Pick<PermitCategoryRule, 'decisionHours'>): number | null {
  return rule.decisionHours === null ? null : submittedAt + rule.decisionHours * HOUR_MS;
}

/** Where a pending request stands against its deadline: the supervisor is warned as it nears, and a breach is recorded. */
export function travelDeadlineState(decideBy: number, now: number): 'ok' | 'due_soon' | 'breached' {
  if (now > decideBy) return 'breached';
  if (now >= decideBy - TRAVEL_DEADLINE_WARNING_HOURS * HOUR_MS) return 'due_soon';
  return 'ok';
}

/** Days of the stay itself: the whole trip in days (rounded up) less the travel days. */
export function stayDays(departAt: number, returnAt: number, travelDays: number): number {
  return Math.ceil((returnAt - departAt) / DAY_MS) - travelDays;
}

export function validateTravelRequest(r: TravelRequestInput): TravelRequestVerdict {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });

  if (r.reason.trim().length < 3) add('reason', 'the reason for the trip is required');
  if (r.destinationUnitIds.length === 0) add('destinationUnitIds', 'at least one destination is required');
  if (r.destinationUnitIds.includes(r.residenceUnitId)) add('destinationUnitIds', 'the residence unit needs no permit');
  const foreign = r.destinationUnitIds.filter(isForeignDestination);
  if (foreign.length && geofenceRule('country_border', r.regime).applicability === 'absolute') {
    add('destinationUnitIds', `${foreign.join(', ')} is abroad: leaving the country is an absolute ban (${geofenceRule('country_border', r.regime).articles.join(', ')})`);
  } else {
    const notCountries = foreign.filter((u) => !COUNTRY_CODE_RE.test(u));
    if (notCountries.length) {
      add('destinationUnitIds', `${notCountries.join(', ')} is neither a unit of the Kyrgyz Republic nor a country's ISO 3166-1 alpha-2 code (e.g. KZ)`);
    }
  }
  if (!(r.returnAt > r.departAt)) add('returnAt', 'the return must be after the departure');
  if (!(r.returnAt > r.submittedAt)) add('returnAt', 'the trip is already over');
  const totalDays = Math.ceil((r.returnAt - r.departAt) / DAY_MS);
  const windowOk = r.returnAt > r.departAt;
  let travelOk = Number.isInteger(r.travelDays) && r.travelDays >= 0;
  if (!travelOk) add('travelDays', 'travel days must be a whole number, 0 or more');
  else if (windowOk && r.travelDays >= totalDays) {
    add('travelDays', `travel days (${r.travelDays}) must be fewer than the trip's ${totalDays} days`);
    travelOk = false;
  }

  const stay = stayDays(r.departAt, r.returnAt, r.travelDays);
  if (r.category === 'exceptional_circumstances') {
    const articles = TRAVEL_CATEGORY_ARTICLES.exceptional_circumstances[r.regime].join(', ');
    if (!r.circumstance) add('circumstance', `an exceptional trip needs its circumstance: a death or a life-threatening illness (${articles})`);
    if (!r.relation) add('relation', `an exceptional trip needs whose death or illness it is (${articles})`);
    else if (r.relation === 'spouse' && CAPPED_TRIP_REGIMES.includes(r.regime) && !SPOUSE_TRIP_REGIMES.includes(r.regime)) {
      add('relation', `a spouse's death or illness justifies a trip only under probation supervision (PEC KR art. 166(2)(3)); under ${r.regime} only a close relative's (${articles})`);
    }
    const cap = permitCategoryRule(r.category, r.regime).maxStayDays;
    if (windowOk && travelOk && cap !== null && stay > cap) {
      add('returnAt', `the stay is ${stay} days not counting travel; an exceptional trip lasts at most ${cap} (${articles})`);
    }
  } else {
    if (r.relation) add('relation', 'only an exceptional-circumstances trip has a relation');
    if (r.circumstance) add('circumstance', 'only an exceptional-circumstances trip has a circumstance');
  }

  const rule = permitCategoryRule(r.category, r.regime);
  if (rule.studyRegistration && !(r.studyRegistrationOffice ?? '').trim()) {
    add('studyRegistrationOffice', `study outside the unit requires registration with the probation body at the place of study (${TRAVEL_CATEGORY_ARTICLES.study[r.regime].join(', ')}): name that office`);
  } else if (r.category !== 'study' && r.studyRegistrationOffice) {
    add('studyRegistrationOffice', 'only a study permit has a registration office');
  }

  if (problems.length) return { ok: false, problems };
  return { ok: true, decideBy: travelDecisionDeadline(r.submittedAt, rule), stayDays: stay, articles: TRAVEL_CATEGORY_ARTICLES[r.category][r.regime] };
}
