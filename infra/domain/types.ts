/**
 * The platform's domain types, defined once. Every service (ingest, geofence, alerts, dashboard,
 * firmware-sim) imports them from here; nothing else may redefine them.
 *
 * Times in the pure core are epoch milliseconds (numbers): the geofence evaluates millions of
 * fixes per second and Date objects would dominate its allocation profile. Adapters convert to and
 * from `timestamptz` at the edges.
 */

/** [longitude, latitude] in WGS84 degrees (RFC 7946 order). */
export type LonLat = [lon: number, lat: number];

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: LonLat[][];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: LonLat[][][];
}
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

/** Level 0 = country, 1 = oblast or city of republican significance, 2 = raion or city. */
export type AdminLevel = 0 | 1 | 2;

export interface AdminUnit {
  /** ISO 3166 code (levels 0-1) or COD-AB P-code (level 2), e.g. "KG11000000000" for Bishkek. */
  id: string;
  level: AdminLevel;
  parentId: string | null;
  nameEn: string;
  nameRu: string;
  nameKy: string;
  geometry: AreaGeometry;
}

/**
 * The four legal regimes under which a person is supervised (LEGAL.md, "Who is supervised").
 * - restriction_of_freedom: PEC KR arts. 61-64
 * - probation_supervision: PEC KR arts. 164-168
 * - deferred_sentence: PEC KR arts. 160^1-160^4 (parent of a child under 14)
 * - parole: conditional early release, PEC KR art. 160(6), then supervised as in arts. 164-168
 */
export const REGIME_KINDS = ['restriction_of_freedom', 'probation_supervision', 'deferred_sentence', 'parole'] as const;
/**
 * Where a deferred sentence's arrival term runs from: the court decision taking effect (PEC KR art.
 * 160^2(2): 10 calendar days), or, for a person released from prison under the deferment, the
 * arrival at the place of residence (160^1(4): 5 days).
 */
export const DEFERRAL_ARRIVAL_BASES = ['court_decision', 'release_from_prison'] as const;
export type DeferralArrivalBasis = (typeof DEFERRAL_ARRIVAL_BASES)[number];
export type RegimeKind = (typeof REGIME_KINDS)[number];

export interface SentenceRegime {
  kind: RegimeKind;
  /** Date the court decision was taken (ISO date, yyyy-mm-dd). */
  courtDecisionDate: string;
  /** Date the sentence took legal effect; arrival deadlines count from here. */
  effectiveDate: string;
  /** Length of the term in months as set by the court. */
  termMonths: number;
  /** Term start as the law computes it for this regime (arts. 62, 166(1)(1), 160^3(1)). */
  termStart: string | null;
}

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface Client {
  id: string;
  /** Minimal personal data: the name the case file is kept under. */
  fullName: string;
  regime: SentenceRegime;
  /** Level 2 administrative unit of residence; leaving it needs permission. */
  residenceUnitId: string;
  /** The probation district office, also a level 2 unit id: it decides who may see the case. */
  districtId: string;
  officerId: string | null;
  riskLevel: RiskLevel;
}

export const DEVICE_STATUSES = ['in_stock', 'assigned', 'faulty', 'retired'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

export interface Device {
  /** Hardware serial; also the device's MQTT username and topic segment. */
  id: string;
  clientId: string | null;
  status: DeviceStatus;
  /** Normal reporting interval in seconds (the monitoring plan). */
  reportIntervalS: number;
}

export const FIX_SOURCES = ['gps', 'cell', 'wifi'] as const;
export type FixSource = (typeof FIX_SOURCES)[number];

/** One position report from a tag. */
export interface Fix {
  deviceId: string;
  /** Per-device sequence number, monotonic between reboots. */
  seq: number;
  /** When the tag took the fix (epoch ms). Rules are evaluated by this time, never by arrival. */
  deviceTime: number;
  lon: number;
  lat: number;
  /** Radius of the 68% confidence circle, metres. */
  accuracyM: number;
  source: FixSource;
}

/** Weekly schedule in local time; used by curfews and scheduled exclusion zones. */
export interface WeeklyWindow {
  /** ISO weekdays, 1 = Monday ... 7 = Sunday, on which the window starts. */
  days: number[];
  /** Local start time "HH:MM". */
  start: string;
  /** Local end time "HH:MM"; earlier than start means the window runs past midnight. */
  end: string;
}
export interface WeeklySchedule {
  /** IANA time zone; Kyrgyzstan is Asia/Bishkek (UTC+6, no DST). */
  timeZone: string;
  windows: WeeklyWindow[];
}

export type ZoneShape =
  | { type: 'polygon'; geometry: AreaGeometry }
  | { type: 'circle'; center: LonLat; radiusM: number };

export const ZONE_KINDS = ['exclusion', 'curfew_home'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

/**
 * A court-imposed place rule (PEC KR art. 166(1), "lawful requirements of the office").
 * - exclusion: must not be inside, optionally only during `schedule`.
 * - curfew_home: must be inside during `schedule`.
 */
export interface Zone {
  id: string;
  clientId: string;
  kind: ZoneKind;
  label: string;
  shape: ZoneShape;
  schedule: WeeklySchedule | null;
}

/** A way between residence and destination that stays allowed while a permit is valid. */
export interface Corridor {
  path: LonLat[];
  /** Half-width of the corridor either side of the path, metres. */
  halfWidthM: number;
}

/** What a client may change only with notice to, or the agreement of, the office (PEC KR arts. 63(1)(3), 160^3(2)(3), 166(1)(3)). */
export const PLACE_CHANGE_KINDS = ['residence', 'work', 'study'] as const;
export type PlaceChangeKind = (typeof PLACE_CHANGE_KINDS)[number];
/** What the office must have before the change: a written notice (166(1)(3)) or its agreement (63(1)(3), 160^3(2)(3)). */
export const PLACE_CHANGE_CONSENTS = ['written_notice', 'agreement'] as const;
export type PlaceChangeConsent = (typeof PLACE_CHANGE_CONSENTS)[number];

export const PERMIT_CATEGORIES = ['exceptional_circumstances', 'weekend_holiday', 'vacation', 'study'] as const;
export type PermitCategory = (typeof PERMIT_CATEGORIES)[number];

/**
 * An approved travel request (PEC KR arts. 63(2), 166(2)): the destination units and the corridor
 * are allowed from `validFrom` to `validUntil` (travel time included). Outside that window the
 * normal limits apply.
 */
export interface Permit {
  id: string;
  clientId: string;
  category: PermitCategory;
  destinationUnitIds: string[];
  corridor: Corridor | null;
  validFrom: number;
  validUntil: number;
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_TYPES = [
  'residence_exit',
  'country_exit',
  'exclusion_entry',
  'curfew_breach',
  'permit_overstay',
  'strap_tamper',
  'case_tamper',
  'battery_low',
  'battery_critical',
  'battery_dead',
  'no_communication',
  'no_location',
  'device_offline',
  'missed_appearance',
  // The office's own duty is overdue: the quarterly inspection of a child's living conditions (PEC KR art. 167(2)).
  'inspection_overdue',
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const ALERT_OUTCOMES = ['valid_reason', 'device_fault', 'false_alarm', 'violation_confirmed'] as const;
export type AlertOutcome = (typeof ALERT_OUTCOMES)[number];

/** One alert per episode (not per fix): raised when an episode opens, updated while it lasts. */
export interface Alert {
  id: string;
  clientId: string;
  deviceId: string | null;
  type: AlertType;
  severity: Severity;
  status: AlertStatus;
  /** Stable key of the episode (rule + client + opening fix) that makes raising idempotent. */
  episodeKey: string;
  /** Device time of the fix or event that opened the episode (epoch ms). */
  openedAt: number;
  /** Device time at which the client was compliant again; null while the episode lasts. */
  closedAt: number | null;
  lon: number | null;
  lat: number | null;
  details: Record<string, unknown>;
}

/**
 * Obligations whose breach is a violation (LEGAL.md "Obligations the platform watches").
 * Each maps to the articles that impose it per regime in the legal rules module.
 */
export const OBLIGATIONS = [
  'stay_in_residence_unit',
  'no_country_exit',
  'appear_when_summoned',
  'no_unapproved_move',
  // The supervisory requirements and probation duties the court imposed (PEC KR arts. 63(1)(1),
  // 160^3(2)(1), 166(1)(2)): curfew, exclusion zones. Two or more breaches ground 168(3) by themselves.
  'court_imposed_duty',
  // The lawful requirements of the office (PEC KR arts. 63(1)(2), 160^3(2)(2), 166(1)(5)), e.g.
  // wearing and charging the tag: a statutory condition, answered by 168(1) -> 168(2).
  'office_requirement',
  // Carry identity documents (PEC KR arts. 63(1)(5), 166(1)(6)); a deferred sentence has no such duty.
  'carry_identity_documents',
  // Deferred sentence only: abandoning the child, evading the duty to raise it (PEC KR art. 160^4(2)),
  // each a ground to revoke the deferment; the description holds the evidence.
  'child_abandoned',
  'child_upbringing_evaded',
  // Report to the office within the statutory term after the sentence takes effect or release
  // (PEC KR arts. 61(2), 160^2(2), 166(1)(1), 160(6)); its breach is the "неявка" of 64(3), 160^4(2), 168(3).
  'arrive_within_term',
] as const;
export type Obligation = (typeof OBLIGATIONS)[number];

export interface Violation {
  id: string;
  clientId: string;
  obligation: Obligation;
  /** The confirmed alert it came from, or null when an officer entered it by hand. */
  alertId: string | null;
  occurredAt: number;
  /** A valid reason (уважительная причина) is recorded and stops escalation. */
  validReason: string | null;
  recordedBy: string;
}

/** Something the tag itself reports (strap, case, battery, charger, GNSS): evidence like a fix. */
export interface DeviceEvent {
  deviceId: string;
  seq: number;
  deviceTime: number;
  type: string;
  /** Event-specific fields, e.g. { level: 14, charging: false } for a battery report. */
  data: Record<string, unknown>;
}

/** The tag's connection state, from its status message or its MQTT last will. */
export interface DeviceConnectionStatus {
  deviceId: string;
  online: boolean;
  firmware: string | null;
  intervalS: number | null;
}

/**
 * What the platform may propose in a case and an officer decides (PEC KR arts. 64, 160^4, 166(3),
 * 166(4), 168). The same values name the generated documents (dashboard/documents/types.ts).
 */
export const PROPOSAL_KINDS = [
  'written_warning',
  'court_submission_add_duties',
  'court_submission_revoke',
  'court_submission_early_termination',
  'court_submission_change_duties',
  // The child turned 14 or died: release, a milder penalty or imprisonment (PEC KR art. 160^4(3)).
  'court_submission_deferral_end',
] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

export const CHECK_IN_STATUSES = ['scheduled', 'attended', 'missed'] as const;
export type CheckInStatus = (typeof CHECK_IN_STATUSES)[number];

/** 'expired' is shown, never stored: a pending request past its 24-hour decision deadline. */
export const TRAVEL_REQUEST_STATUSES = ['pending', 'approved', 'denied', 'expired'] as const;
export type TravelRequestStatus = (typeof TRAVEL_REQUEST_STATUSES)[number];

/** Whose death or life-threatening illness justifies an exceptional trip (PEC KR arts. 63(2)(3), 166(2)(3)). */
export const TRIP_RELATIONS = ['close_relative', 'spouse'] as const;
export type TripRelation = (typeof TRIP_RELATIONS)[number];
export const TRIP_CIRCUMSTANCES = ['death', 'life_threatening_illness'] as const;
export type TripCircumstance = (typeof TRIP_CIRCUMSTANCES)[number];

/** How a court ruled on a submission; a refused early termination starts the 3-month wait of 166(4). */
export const COURT_OUTCOMES = ['granted', 'refused'] as const;
export type CourtOutcome = (typeof COURT_OUTCOMES)[number];
