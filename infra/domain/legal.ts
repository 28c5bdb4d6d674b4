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
 *   2. Violation ladder (responses to violations, arts. 64, 160^4, 168): to be added.
 */
import type { AlertType, Obligation, RegimeKind, Severity } from './types.ts';

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
// Section 2. Violation ladder (arts. 64, 160^4, 168): to be added.
// ---------------------------------------------------------------------------------------------
