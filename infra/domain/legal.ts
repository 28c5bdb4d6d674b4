/**
 * The legal rules module: which article imposes which obligation, per regime. Everything that
 * cites the law reads it from here, so the platform can be reconfigured (another code, another
 * country) without touching the services.
 *
 * Citations follow LEGAL.md: "PEC KR art. 166(1)(4^1)" = Penal Execution Code of the Kyrgyz
 * Republic of 31 January 2017 No. 17, article 166, part 1, item 4^1.
 *
 * Sections:
 *   1. Geofence obligations (read by geofence/): residence unit, country border, exclusion
 *      zones, curfew.
 *   2. Time limits and thresholds (arts. 61(2), 62, 63, 160, 160^2, 160^3, 166, 167, 168) and
 *      the obligations a violation breaches, per regime. The rules that use them are pure
 *      functions beside this file: term.ts (term, arrival, check-ins), travel-request.ts
 *      (63(2), 166(2)) and violation-ladder.ts (64, 160^4, 166(3)-(4), 167(3), 168).
 */
import type { AlertType, DeferralArrivalBasis, Obligation, PlaceChangeConsent, ProposalKind, RegimeKind, Severity } from './types.ts';

// ---------------------------------------------------------------------------------------------
// Section 1. Geofence obligations
// ---------------------------------------------------------------------------------------------

/** The place rules the geofence engine evaluates (same union as geofence's RuleKind). */
export const GEOFENCE_RULE_KINDS = ['residence_unit', 'country_border', 'exclusion_zone', 'curfew'] as const;
export type GeofenceRuleKind = (typeof GEOFENCE_RULE_KINDS)[number];

/**
 * How a rule applies under a regime.
 * - 'absolute': always applies; no permit can lift it (country ban of 63(1)(4^1), 166(1)(4^1)).
 * - 'unless_permitted': applies, but an approved, currently valid permit extends the allowed
 *   area (residence unit: 63(2), 166(2), 160^3(2)(4); country for a deferred sentence: 160^3(2)(5)).
 * - 'as_imposed': applies when the court or the office imposed it (a zone exists for the
 *   client), during its schedule.
 * - 'not_applicable': the regime does not impose it.
 */
export type GeofenceApplicability = 'absolute' | 'unless_permitted' | 'as_imposed' | 'not_applicable';

export interface GeofenceRegimeRule {
  applicability: GeofenceApplicability;
  /** Articles that impose the obligation, cited in verdicts, alerts and documents. */
  articles: readonly string[];
  /** Articles that allow a permit to extend the allowed area (empty when none can). */
  permitArticles: readonly string[];
}

export interface GeofenceObligation {
  rule: GeofenceRuleKind;
  obligation: Obligation;
  alertType: AlertType;
  severity: Severity;
  /** Why this severity (shown in docs/geofence.md). */
  severityReason: string;
  regimes: Readonly<Record<RegimeKind, GeofenceRegimeRule>>;
}

const PAROLE = 'PEC KR art. 160(6)';

export const GEOFENCE_OBLIGATIONS: Readonly<Record<GeofenceRuleKind, GeofenceObligation>> = {
  residence_unit: {
    rule: 'residence_unit',
    obligation: 'stay_in_residence_unit',
    alertType: 'residence_exit',
    severity: 'high',
    severityReason:
      'Leaving the district or city without permission is a violation of a core obligation, but the client is still in the country and a valid reason is common; an officer must review it promptly.',
    regimes: {
      restriction_of_freedom: {
        applicability: 'unless_permitted',
        articles: ['PEC KR art. 63(1)(4)'],
        permitArticles: ['PEC KR art. 63(2)'],
      },
      probation_supervision: {
        applicability: 'unless_permitted',
        articles: ['PEC KR art. 166(1)(4)'],
        permitArticles: ['PEC KR art. 166(2)'],
      },
      deferred_sentence: {
        applicability: 'unless_permitted',
        articles: ['PEC KR art. 160^3(2)(4)'],
        permitArticles: ['PEC KR art. 160^3(2)(4)'],
      },
      parole: {
        applicability: 'unless_permitted',
        articles: [PAROLE, 'PEC KR art. 166(1)(4)'],
        permitArticles: [PAROLE, 'PEC KR art. 166(2)'],
      },
    },
  },
  country_border: {
    rule: 'country_border',
    obligation: 'no_country_exit',
    alertType: 'country_exit',
    severity: 'critical',
    severityReason:
      'Leaving the country puts the client beyond the reach of the probation office and of the court (absconding); it is an absolute ban for three of the four regimes (LEGAL.md, obligation 2).',
    regimes: {
      restriction_of_freedom: { applicability: 'absolute', articles: ['PEC KR art. 63(1)(4^1)'], permitArticles: [] },
      probation_supervision: { applicability: 'absolute', articles: ['PEC KR art. 166(1)(4^1)'], permitArticles: [] },
      deferred_sentence: {
        applicability: 'unless_permitted',
        articles: ['PEC KR art. 160^3(2)(5)'],
        permitArticles: ['PEC KR art. 160^3(2)(5)'],
      },
      parole: { applicability: 'absolute', articles: [PAROLE, 'PEC KR art. 166(1)(4^1)'], permitArticles: [] },
    },
  },
  exclusion_zone: {
    rule: 'exclusion_zone',
    obligation: 'court_imposed_duty',
    alertType: 'exclusion_entry',
    severity: 'high',
    severityReason:
      'Exclusion zones usually protect a victim or keep the client away from places linked to the offence; entering one needs a fast response, but it is a breach of an imposed duty, not absconding.',
    regimes: {
      restriction_of_freedom: {
        applicability: 'as_imposed',
        articles: ['PEC KR art. 63(1)(1)', 'PEC KR art. 63(1)(2)'],
        permitArticles: [],
      },
      probation_supervision: {
        applicability: 'as_imposed',
        articles: ['PEC KR art. 166(1)(2)', 'PEC KR art. 166(1)(5)'],
        permitArticles: [],
      },
      deferred_sentence: {
        applicability: 'as_imposed',
        articles: ['PEC KR art. 160^3(2)(1)', 'PEC KR art. 160^3(2)(2)'],
        permitArticles: [],
      },
      parole: {
        applicability: 'as_imposed',
        articles: [PAROLE, 'PEC KR art. 166(1)(2)', 'PEC KR art. 166(1)(5)'],
        permitArticles: [],
      },
    },
  },
  curfew: {
    rule: 'curfew',
    obligation: 'court_imposed_duty',
    alertType: 'curfew_breach',
    severity: 'medium',
    severityReason:
      'Being away from home during curfew hours breaches an imposed duty; the client is usually near home and the breach is rarely dangerous by itself, so it is reviewed in office hours unless repeated.',
    regimes: {
      restriction_of_freedom: {
        applicability: 'as_imposed',
        articles: ['PEC KR art. 63(1)(1)', 'PEC KR art. 63(1)(2)'],
        permitArticles: ['PEC KR art. 63(2)'],
      },
      probation_supervision: {
        applicability: 'as_imposed',
        articles: ['PEC KR art. 166(1)(2)', 'PEC KR art. 166(1)(5)'],
        permitArticles: ['PEC KR art. 166(2)'],
      },
      deferred_sentence: {
        applicability: 'as_imposed',
        articles: ['PEC KR art. 160^3(2)(1)', 'PEC KR art. 160^3(2)(2)'],
        permitArticles: ['PEC KR art. 160^3(2)(4)'],
      },
      parole: {
        applicability: 'as_imposed',
        articles: [PAROLE, 'PEC KR art. 166(1)(2)', 'PEC KR art. 166(1)(5)'],
        permitArticles: [PAROLE, 'PEC KR art. 166(2)'],
      },
    },
  },
};

/** The rule for one geofence obligation under one regime. */
export function geofenceRule(rule: GeofenceRuleKind, regime: RegimeKind): GeofenceRegimeRule & Omit<GeofenceObligation, 'regimes'> {
  const o = GEOFENCE_OBLIGATIONS[rule];
  const r = o.regimes[regime];
  if (!r) throw new Error(`unknown regime ${String(regime)}`);
  return { rule: o.rule, obligation: o.obligation, alertType: o.alertType, severity: o.severity, severityReason: o.severityReason, ...r };
}

/**
 * A permit destination that is not a unit of the Kyrgyz Republic: an ISO 3166-1 alpha-2 code of
 * another country (anything not starting with "KG"). Only meaningful where the country rule is
 * 'unless_permitted' (deferred sentence, 160^3(2)(5)).
 */
export function isForeignDestination(unitId: string): boolean {
  return !unitId.toUpperCase().startsWith('KG');
}

// ---------------------------------------------------------------------------------------------
// Section 2. Time limits, thresholds and the obligations a violation breaches
// ---------------------------------------------------------------------------------------------

/** Calendar days from the sentence taking effect to report to the office (PEC KR arts. 61(2), 160^2(2), 166(1)(1)). */
export const ARRIVAL_DAYS = 10;
/** Days from release on parole to report to the office (PEC KR art. 160(6)). */
export const PAROLE_ARRIVAL_DAYS = 5;
/** Days from arriving at the place of residence, after release from prison under a deferment, to report (PEC KR art. 160^1(4)). */
export const DEFERRAL_RELEASE_ARRIVAL_DAYS = 5;
/** The articles of a deferred sentence's arrival term on each basis (types.ts DEFERRAL_ARRIVAL_BASES). */
export const DEFERRAL_ARRIVAL_ARTICLES: Readonly<Record<DeferralArrivalBasis, readonly string[]>> = {
  court_decision: ['PEC KR art. 160^2(2)'],
  release_from_prison: ['PEC KR art. 160^1(4)'],
};

/** Where each regime's term starts and its arrival deadline comes from. */
export const TERM_RULES: Readonly<Record<RegimeKind, { startsFrom: 'registration' | 'appearance' | 'effective_date' | 'release'; arrivalDays: number; articles: readonly string[] }>> = {
  // "исчисляется со дня постановки осужденного на учет в органе пробации"
  restriction_of_freedom: { startsFrom: 'registration', arrivalDays: ARRIVAL_DAYS, articles: ['PEC KR art. 61(2)', 'PEC KR art. 62'] },
  // "исчисляется со дня явки осужденного в орган пробации"
  probation_supervision: { startsFrom: 'appearance', arrivalDays: ARRIVAL_DAYS, articles: ['PEC KR art. 166(1)(1)'] },
  // "исчисляется со дня вступления в законную силу решения суда"
  deferred_sentence: { startsFrom: 'effective_date', arrivalDays: ARRIVAL_DAYS, articles: ['PEC KR art. 160^2(2)', 'PEC KR art. 160^3(1)'] },
  // Supervision of the unserved part starts on release; the release is the effective date of the
  // parole decision in the case file.
  parole: { startsFrom: 'release', arrivalDays: PAROLE_ARRIVAL_DAYS, articles: ['PEC KR art. 160(6)'] },
};

/** Appearances for registration and a preventive talk per month (PEC KR arts. 63(1)(7), 160^3(2)(7), 166(1)(7)). */
export const CHECK_INS_PER_MONTH = 2;
/**
 * Days of the month on which the two appearances are set by default (one in each half). The law
 * sets the number, not the days (165(1)(4): the office sets them); a weekend date moves to Monday.
 */
export const DEFAULT_CHECK_IN_DAYS: readonly [number, number] = [5, 20];

/** An exceptional trip lasts at most this many days, not counting travel both ways (PEC KR arts. 63(2)(3), 166(2)(3)). */
export const EXCEPTIONAL_TRIP_MAX_DAYS = 10;
/** A trip request is decided "в суточный срок" (PEC KR arts. 63(2)(3), 166(2)(3)). */
export const TRAVEL_DECISION_HOURS = 24;
/** The supervisor is warned this long before a request's decision deadline (platform setting, not law). */
export const TRAVEL_DEADLINE_WARNING_HOURS = 4;

/**
 * A repeat violation escalates to a submission only "в течение года" after the written warning
 * (PEC KR art. 168(2)): a calendar year, up to the same date 12 months later (addMonths), not 365 days.
 */
export const REPEAT_WINDOW_MONTHS_168 = 12;
/** @deprecated the window is a calendar year (REPEAT_WINDOW_MONTHS_168); kept for API clients that read the number. */
export const REPEAT_WINDOW_DAYS_168 = 365;
/**
 * "два и более раза": breaches of the court-imposed supervisory requirements and probation duties
 * (166(1)(2)) that make a submission to revoke (PEC KR art. 168(3)), counted over the supervision,
 * with no prior warning needed and no one-year window.
 */
export const REVOKE_AFTER_VIOLATIONS_168 = 2;
/** Early termination may be proposed once this share of the term has passed (PEC KR arts. 166(4), 167(3)). */
export const EARLY_TERMINATION_TERM_SHARE = 0.5;
/** After the court refuses early termination, a new submission waits this many months (PEC KR arts. 166(4), 167(3)). */
export const EARLY_TERMINATION_RETRY_MONTHS = 3;
/** Age below which the client is a child and art. 167 applies (Criminal Code; LEGAL.md "Children"). */
export const ADULT_AGE_YEARS = 18;
/**
 * A duty the client keeps failing for valid reasons may be one they cannot fulfil "по независящим
 * от него обстоятельствам" (PEC KR art. 166(3)): this many excused violations of the same
 * obligation within CHANGE_OF_DUTIES_WINDOW_DAYS propose a submission to cancel or change it.
 * Thresholds are platform settings, not law; the officer decides.
 */
export const CHANGE_OF_DUTIES_EXCUSED_VIOLATIONS = 2;
export const CHANGE_OF_DUTIES_WINDOW_DAYS = 90;

/** What each obligation says, in Russian for documents, and which article imposes it under each regime. */
export const OBLIGATION_ARTICLES: Readonly<Record<Obligation, { textRu: string; textRuByRegime?: Readonly<Record<RegimeKind, string>>; articles: Readonly<Record<RegimeKind, readonly string[]>> }>> = {
  stay_in_residence_unit: {
    textRu: 'не выезжать за пределы административно-территориальной единицы без разрешения органа пробации',
    articles: {
      restriction_of_freedom: ['PEC KR art. 63(1)(4)'],
      probation_supervision: ['PEC KR art. 166(1)(4)'],
      deferred_sentence: ['PEC KR art. 160^3(2)(4)'],
      parole: [PAROLE, 'PEC KR art. 166(1)(4)'],
    },
  },
  no_country_exit: {
    textRu: 'не выезжать за пределы страны',
    articles: {
      restriction_of_freedom: ['PEC KR art. 63(1)(4^1)'],
      probation_supervision: ['PEC KR art. 166(1)(4^1)'],
      deferred_sentence: ['PEC KR art. 160^3(2)(5)'],
      parole: [PAROLE, 'PEC KR art. 166(1)(4^1)'],
    },
  },
  appear_when_summoned: {
    textRu: 'являться два раза в месяц для регистрации и участия в профилактической беседе, а также по вызову в орган пробации',
    articles: {
      restriction_of_freedom: ['PEC KR art. 63(1)(7)'],
      probation_supervision: ['PEC KR art. 166(1)(7)'],
      deferred_sentence: ['PEC KR art. 160^3(2)(7)'],
      parole: [PAROLE, 'PEC KR art. 166(1)(7)'],
    },
  },
  no_unapproved_move: {
    textRu: 'не менять место жительства, работы, учебы без согласования (уведомления) органа пробации',
    // What documents quote: the Code's own words for each regime (PLACE_CHANGE_RULES).
    textRuByRegime: {
      restriction_of_freedom: 'не менять без согласования органа пробации место жительства, работы, учебы',
      probation_supervision: 'не менять без письменного уведомления органа пробации место жительства, работы, учебы',
      deferred_sentence: 'не менять без согласования органа пробации место жительства, работы, учебы',
      parole: 'не менять без письменного уведомления органа пробации место жительства, работы, учебы',
    },
    articles: {
      restriction_of_freedom: ['PEC KR art. 63(1)(3)'],
      probation_supervision: ['PEC KR art. 166(1)(3)'],
      deferred_sentence: ['PEC KR art. 160^3(2)(3)'],
      parole: [PAROLE, 'PEC KR art. 166(1)(3)'],
    },
  },
  court_imposed_duty: {
    textRu: 'исполнять возложенные судом надзорные требования и пробационные обязанности',
    articles: {
      restriction_of_freedom: ['PEC KR art. 63(1)(1)'],
      probation_supervision: ['PEC KR art. 166(1)(2)'],
      deferred_sentence: ['PEC KR art. 160^3(2)(1)'],
      parole: [PAROLE, 'PEC KR art. 166(1)(2)'],
    },
  },
  office_requirement: {
    textRu: 'выполнять законные требования сотрудников органа пробации',
    articles: {
      restriction_of_freedom: ['PEC KR art. 63(1)(2)'],
      probation_supervision: ['PEC KR art. 166(1)(5)'],
      deferred_sentence: ['PEC KR art. 160^3(2)(2)'],
      parole: [PAROLE, 'PEC KR art. 166(1)(5)'],
    },
  },
  carry_identity_documents: {
    textRu: 'иметь при себе документы, удостоверяющие личность',
    articles: {
      restriction_of_freedom: ['PEC KR art. 63(1)(5)'],
      probation_supervision: ['PEC KR art. 166(1)(6)'],
      // Art. 160^3(2) lists no such duty for a deferred sentence.
      deferred_sentence: [],
      parole: [PAROLE, 'PEC KR art. 166(1)(6)'],
    },
  },
  child_abandoned: {
    textRu: 'не отказываться от ребенка',
    articles: { restriction_of_freedom: [], probation_supervision: [], deferred_sentence: ['PEC KR art. 160^4(2)'], parole: [] },
  },
  child_upbringing_evaded: {
    textRu: 'не уклоняться от обязанностей по воспитанию ребенка',
    articles: { restriction_of_freedom: [], probation_supervision: [], deferred_sentence: ['PEC KR art. 160^4(2)'], parole: [] },
  },
  arrive_within_term: {
    textRu: 'явиться в орган пробации для постановки на учет в течение установленного законодательством срока',
    articles: {
      restriction_of_freedom: ['PEC KR art. 61(2)'],
      probation_supervision: ['PEC KR art. 166(1)(1)'],
      deferred_sentence: ['PEC KR art. 160^2(2)'],
      parole: [PAROLE],
    },
  },
};

/**
 * The articles an obligation's breach cites for one client: the regime's, except that a deferred
 * sentence's arrival term comes from 160^1(4) for a person released from prison under the
 * deferment (160^2(2) otherwise).
 */
export function obligationArticles(obligation: Obligation, regime: RegimeKind, deferralBasis: DeferralArrivalBasis | null = null): readonly string[] {
  if (obligation === 'arrive_within_term' && regime === 'deferred_sentence' && deferralBasis) return DEFERRAL_ARRIVAL_ARTICLES[deferralBasis];
  return OBLIGATION_ARTICLES[obligation].articles[regime];
}

/** The obligation in the words of the regime's article, as case files and documents quote it. */
export function obligationTextRu(obligation: Obligation, regime: RegimeKind): string {
  const o = OBLIGATION_ARTICLES[obligation];
  return o.textRuByRegime?.[regime] ?? o.textRu;
}

/**
 * Whether a regime has an obligation at all: one with no article for it (identity documents under a
 * deferred sentence, 160^3(2)) cannot be breached, so a violation of it cannot be recorded.
 */
export function obligationApplies(obligation: Obligation, regime: RegimeKind): boolean {
  return OBLIGATION_ARTICLES[obligation].articles[regime].length > 0;
}

/**
 * Where an obligation comes from. Art. 168 answers the two differently: a breach of a statutory
 * condition of 166(1) climbs 168(1) (warning) -> 168(2) (repeat within a year: add duties); two or
 * more breaches of the duties the court imposed (166(1)(2)) ground 168(3) by themselves, with no
 * prior warning and no one-year window ("нарушения им два и более раза надзорных требований и
 * пробационных обязанностей").
 */
export const OBLIGATION_SOURCE: Readonly<Record<Obligation, 'statutory' | 'court_imposed'>> = {
  stay_in_residence_unit: 'statutory',
  no_country_exit: 'statutory',
  appear_when_summoned: 'statutory',
  no_unapproved_move: 'statutory',
  court_imposed_duty: 'court_imposed',
  office_requirement: 'statutory',
  carry_identity_documents: 'statutory',
  child_abandoned: 'statutory',
  child_upbringing_evaded: 'statutory',
  arrive_within_term: 'statutory',
};

/**
 * A change of residence, work or study. The Code asks for two different things: under probation
 * supervision (and parole, supervised under it by 160(6)) the client must give the office written
 * notice ("без письменного уведомления", 166(1)(3)); under restriction of freedom and a deferred
 * sentence the office must agree ("без согласования", 63(1)(3), 160^3(2)(3)). A notice is not
 * decided by anyone; an agreement is an officer's decision. Either must exist by the day of the
 * change (place-change.ts).
 */
export const PLACE_CHANGE_RULES: Readonly<Record<RegimeKind, { consent: PlaceChangeConsent; articles: readonly string[] }>> = {
  restriction_of_freedom: { consent: 'agreement', articles: ['PEC KR art. 63(1)(3)'] },
  probation_supervision: { consent: 'written_notice', articles: ['PEC KR art. 166(1)(3)'] },
  deferred_sentence: { consent: 'agreement', articles: ['PEC KR art. 160^3(2)(3)'] },
  parole: { consent: 'written_notice', articles: [PAROLE, 'PEC KR art. 166(1)(3)'] },
};

/**
 * The quarterly inspection of a child's living conditions, with the guardianship body and a written
 * act (PEC KR art. 167(2)): a duty of the office for a client under 18 under probation supervision
 * (and parole, supervised under ch. 26 by 160(6)). "Ежеквартально" is read as at most
 * LIVING_CONDITIONS_INSPECTION_MONTHS from the registration to the first act and between acts
 * (term.ts convention), which also puts an act in every calendar quarter.
 */
export const LIVING_CONDITIONS_INSPECTION_ARTICLES: Readonly<Partial<Record<RegimeKind, readonly string[]>>> = {
  probation_supervision: ['PEC KR art. 167(2)'],
  parole: [PAROLE, 'PEC KR art. 167(2)'],
};
export const LIVING_CONDITIONS_INSPECTION_MONTHS = 3;

/** Breaches that ground the submission to revoke a deferment by themselves (PEC KR art. 160^4(2)). */
export const CHILD_GROUND_OBLIGATIONS: readonly Obligation[] = ['child_abandoned', 'child_upbringing_evaded'];
/** The child's age at which a deferment ends with a submission to the court (PEC KR arts. 160^1(1), 160^4(3)). */
export const DEFERRAL_CHILD_AGE_YEARS = 14;
/** How long before the child's 14th birthday the submission of 160^4(3) is proposed (platform setting, DEFERRAL_END_LEAD_DAYS). */
export const DEFERRAL_END_LEAD_DAYS = 60;

/**
 * The obligation whose breach is the "неявка ... в течение установленного законодательством срока"
 * of PEC KR arts. 64(3), 160^4(2), 168(3): not arriving within the statutory term (10 days, 5 on
 * parole), which goes straight to the court. A missed fortnightly appearance (63(1)(7), 160^3(2)(7),
 * 166(1)(7)) is `appear_when_summoned`, an ordinary violation: a warning first (64(2), 160^4(1), 168(1)).
 */
export const FAILURE_TO_APPEAR_OBLIGATION: Obligation = 'arrive_within_term';

/**
 * The escalation ladder of each regime: which article allows each response. A step a regime does
 * not have is absent (restriction of freedom and a deferred sentence have no "add duties" step:
 * arts. 64 and 160^4 go from the warning straight to the court). `repeatWindowDays` is the period
 * after a warning in which a repeat escalates; null where the law sets none.
 */
export interface LadderRules {
  warning: readonly string[];
  addDuties: readonly string[] | null;
  revoke: readonly string[];
  /** Failure to arrive within the statutory term without a valid reason goes straight to the court. */
  failureToAppear: readonly string[];
  /** @deprecated use repeatWindowMonths; the number of days in the window's longest (leap) year-less form, for display. */
  repeatWindowDays: number | null;
  /** The repeat window in calendar months after the warning (12 = "в течение года"); null where the law sets none. */
  repeatWindowMonths: number | null;
  /**
   * What a repeat after the warning proposes. 'escalate': the next step of the ladder. 'warn_assess_evasion':
   * the law makes only evasion (уклонение) a ground for the court (64(3)), which the officer judges:
   * the platform proposes another warning and says to assess evasion; the officer may choose the submission.
   */
  repeatAfterWarning: 'escalate' | 'warn_assess_evasion';
  /**
   * Repeats after a warning that make a submission to revoke; null where repeats of statutory
   * conditions never do (168: a repeat adds duties under 168(2), again and again).
   */
  revokeAfterRepeats: number | null;
  /**
   * Breaches of court-imposed duties (OBLIGATION_SOURCE 'court_imposed') that make a submission to
   * revoke by themselves, with no warning and no window (168(3)); null where the regime has no such
   * ground (64 and 160^4 make no distinction by source).
   */
  revokeAfterCourtDutyBreaches: number | null;
  /** Articles of the submission that abandoning the child or evading its upbringing grounds by itself (160^4(2)); null where there is none. */
  childGrounds: readonly string[] | null;
}

export const VIOLATION_LADDER: Readonly<Record<RegimeKind, LadderRules>> = {
  restriction_of_freedom: {
    warning: ['PEC KR art. 64(2)'],
    addDuties: null,
    // A repeat after the written warning is not by itself evasion (уклонение) in the sense of
    // 64(3): the officer judges whether it is, and may then choose the submission.
    revoke: ['PEC KR art. 64(3)'],
    failureToAppear: ['PEC KR art. 64(3)'],
    repeatWindowDays: null,
    repeatWindowMonths: null,
    revokeAfterRepeats: 1,
    revokeAfterCourtDutyBreaches: null,
    childGrounds: null,
    repeatAfterWarning: 'warn_assess_evasion',
  },
  probation_supervision: {
    warning: ['PEC KR art. 168(1)'],
    addDuties: ['PEC KR art. 168(2)'],
    revoke: ['PEC KR art. 168(3)'],
    failureToAppear: ['PEC KR art. 168(3)'],
    repeatWindowDays: REPEAT_WINDOW_DAYS_168,
    repeatWindowMonths: REPEAT_WINDOW_MONTHS_168,
    revokeAfterRepeats: null,
    revokeAfterCourtDutyBreaches: REVOKE_AFTER_VIOLATIONS_168,
    childGrounds: null,
    repeatAfterWarning: 'escalate',
  },
  deferred_sentence: {
    warning: ['PEC KR art. 160^4(1)'],
    addDuties: null,
    revoke: ['PEC KR art. 160^4(2)'],
    failureToAppear: ['PEC KR art. 160^4(2)'],
    repeatWindowDays: null,
    repeatWindowMonths: null,
    revokeAfterRepeats: 1,
    revokeAfterCourtDutyBreaches: null,
    childGrounds: ['PEC KR art. 160^4(2)'],
    repeatAfterWarning: 'escalate',
  },
  parole: {
    warning: [PAROLE, 'PEC KR art. 168(1)'],
    addDuties: [PAROLE, 'PEC KR art. 168(2)'],
    revoke: [PAROLE, 'PEC KR art. 168(3)'],
    failureToAppear: [PAROLE, 'PEC KR art. 168(3)'],
    repeatWindowDays: REPEAT_WINDOW_DAYS_168,
    repeatWindowMonths: REPEAT_WINDOW_MONTHS_168,
    revokeAfterRepeats: null,
    revokeAfterCourtDutyBreaches: REVOKE_AFTER_VIOLATIONS_168,
    childGrounds: null,
    repeatAfterWarning: 'escalate',
  },
};

/** Regimes whose supervision a court may end early (PEC KR arts. 166(4), 167(3); parole is supervised under ch. 26 by 160(6)). */
export const EARLY_TERMINATION_ARTICLES: Readonly<Partial<Record<RegimeKind, readonly string[]>>> = {
  probation_supervision: ['PEC KR art. 166(4)'],
  parole: [PAROLE, 'PEC KR art. 166(4)'],
};
/** Regimes whose court-imposed duties the office may ask the court to cancel or add to (PEC KR art. 166(3)). */
export const CHANGE_OF_DUTIES_ARTICLES: Readonly<Partial<Record<RegimeKind, readonly string[]>>> = {
  probation_supervision: ['PEC KR art. 166(3)'],
  parole: [PAROLE, 'PEC KR art. 166(3)'],
};

/**
 * The submission a deferred sentence ends with when the child turns 14 or dies (PEC KR art. 160^4(3)):
 * release, a milder penalty or imprisonment, which the officer chooses. Mandatory: proposed from
 * DEFERRAL_END_LEAD_DAYS before the 14th birthday (the child's date of birth is on the case file).
 */
export const DEFERRAL_END_ARTICLES: Readonly<Partial<Record<RegimeKind, readonly string[]>>> = {
  deferred_sentence: ['PEC KR art. 160^4(3)'],
};

/**
 * The kinds a regime has at all, with the articles an officer's decision of that kind cites when
 * the platform did not propose it. An officer may decide any of them (the platform proposes, the
 * officer decides); a kind absent here the regime does not have.
 */
export function regimeKindArticles(regime: RegimeKind): Partial<Record<ProposalKind, readonly string[]>> {
  const ladder = VIOLATION_LADDER[regime];
  const out: Partial<Record<ProposalKind, readonly string[]>> = { written_warning: ladder.warning, court_submission_revoke: ladder.revoke };
  if (ladder.addDuties) out.court_submission_add_duties = ladder.addDuties;
  const early = EARLY_TERMINATION_ARTICLES[regime];
  if (early) out.court_submission_early_termination = early;
  const change = CHANGE_OF_DUTIES_ARTICLES[regime];
  if (change) out.court_submission_change_duties = change;
  const deferral = DEFERRAL_END_ARTICLES[regime];
  if (deferral) out.court_submission_deferral_end = deferral;
  return out;
}

/** A decision on a kind the platform did not propose needs a written reason of at least this many characters. */
export const UNPROPOSED_REASON_MIN_CHARS = 10;

/** Severity order of the ladder's responses: an officer may choose a milder one than proposed (individualisation, arts. 7-14). */
export const LADDER_ORDER: readonly ProposalKind[] = ['written_warning', 'court_submission_add_duties', 'court_submission_revoke'];
