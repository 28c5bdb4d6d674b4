import { GEOFENCE_OBLIGATIONS } from '../infra/domain/legal.ts';
import type { AlertType, Obligation, Severity } from '../infra/domain/types.ts';

export interface AlertTypeInfo {
  severity: Severity;
  /** Why this default: shown to operators and in the docs. */
  reason: string;
  /**
   * Whether the alert's episode may close on its own when the condition ends. Tamper alerts never
   * do: a strap opened and closed again is exactly what a wearer removing the tag looks like.
   */
  selfClearing: boolean;
}

const fromLaw = (t: keyof typeof GEOFENCE_OBLIGATIONS): AlertTypeInfo => ({
  severity: GEOFENCE_OBLIGATIONS[t].severity,
  reason: GEOFENCE_OBLIGATIONS[t].severityReason,
  selfClearing: true,
});

/**
 * Every alert type with its default severity. Place rules take theirs from the legal module, so
 * the law and the alert queue cannot disagree; device and watchdog alerts are defined here.
 */
export const ALERT_CATALOGUE: Readonly<Record<AlertType, AlertTypeInfo>> = {
  residence_exit: fromLaw('residence_unit'),
  country_exit: fromLaw('country_border'),
  exclusion_entry: fromLaw('exclusion_zone'),
  curfew_breach: fromLaw('curfew'),
  permit_overstay: {
    severity: 'high',
    reason: 'Not back when the permit ends is leaving the district without permission (PEC KR arts. 63(2), 166(2)); it weighs as a district exit.',
    selfClearing: true,
  },
  strap_tamper: {
    severity: 'critical',
    reason: 'A cut or opened strap is how a tag is removed before absconding; monitoring centres that let such alerts clear themselves have missed exactly that.',
    selfClearing: false,
  },
  case_tamper: {
    severity: 'high',
    reason: 'An opened case means the device may be manipulated even though it is still worn; its readings cannot be trusted until checked.',
    selfClearing: false,
  },
  battery_low: {
    severity: 'low',
    reason: 'Hours of charge remain; the wearer is reminded to charge and nothing is lost yet.',
    selfClearing: true,
  },
  battery_critical: {
    severity: 'medium',
    reason: 'Monitoring will stop within the hour unless the wearer charges the tag; someone should call.',
    selfClearing: true,
  },
  battery_dead: {
    severity: 'high',
    reason: 'Monitoring has stopped: whereabouts are unknown until the tag is charged. Letting it die can be evasion.',
    selfClearing: true,
  },
  no_communication: {
    severity: 'high',
    reason: 'Nothing has been heard beyond the reporting plan and its grace period: the client is effectively unsupervised.',
    selfClearing: true,
  },
  no_location: {
    severity: 'medium',
    reason: 'The tag reports but cannot locate itself while moving; rules cannot be checked until it can.',
    selfClearing: true,
  },
  device_offline: {
    severity: 'medium',
    reason: 'The connection dropped without goodbye (the last will); usually coverage, and it becomes no-communication if it lasts.',
    selfClearing: true,
  },
  missed_appearance: {
    severity: 'high',
    reason: 'Failure to appear without a valid reason is itself a ground for a court submission (PEC KR arts. 64(3), 160^4(2), 168(3)).',
    selfClearing: true,
  },
  inspection_overdue: {
    severity: 'medium',
    reason: "The office has not inspected a child's living conditions within the quarter (PEC KR art. 167(2)): its own duty, not the client's violation; nobody is at risk this hour, but the act must be drawn up.",
    selfClearing: true,
  },
};

/**
 * The obligation a confirmed alert of each type is a violation of (LEGAL.md, "Obligations the
 * platform watches"). Curfew hours and exclusion zones are supervisory requirements the court
 * imposed (166(1)(2)), which ground 168(3) from the second breach. Device trouble the wearer caused
 * (tamper, letting the battery die, going silent) breaches the lawful requirements of the office
 * (63(1)(2), 160^3(2)(2), 166(1)(5)): a statutory condition, answered by a warning first.
 */
export const ALERT_OBLIGATION: Readonly<Record<AlertType, Obligation | null>> = {
  residence_exit: 'stay_in_residence_unit',
  permit_overstay: 'stay_in_residence_unit',
  country_exit: 'no_country_exit',
  exclusion_entry: 'court_imposed_duty',
  curfew_breach: 'court_imposed_duty',
  strap_tamper: 'office_requirement',
  case_tamper: 'office_requirement',
  battery_low: 'office_requirement',
  battery_critical: 'office_requirement',
  battery_dead: 'office_requirement',
  no_communication: 'office_requirement',
  no_location: 'office_requirement',
  device_offline: 'office_requirement',
  missed_appearance: 'appear_when_summoned',
  // The office's duty (167(2)): there is no client's obligation to breach, so it cannot be confirmed as a violation.
  inspection_overdue: null,
};
