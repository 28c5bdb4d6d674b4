/**
 * Types specific to the geofence engine. Domain types (Fix, Zone, Permit, ...) live in
 * infra/domain/types.ts and are only imported here.
 */
import type { AlertType, Fix, Permit, RegimeKind, Severity, Zone } from '../infra/domain/types.ts';
import type { GeofenceRuleKind } from '../infra/domain/legal.ts';

export interface SupervisionContext {
  clientId: string;
  regime: RegimeKind;
  /** Level-2 unit id of residence. */
  residenceUnitId: string;
  /** Exclusion and curfew_home zones. */
  zones: Zone[];
  /** Approved travel permits (may be expired or future). */
  permits: Permit[];
}

export type RuleKind = 'residence_unit' | 'country_border' | 'exclusion_zone' | 'curfew';
export type RuleStatus = 'inside' | 'outside' | 'uncertain';

export interface RuleVerdict {
  rule: RuleKind;
  /** Stable per client: 'residence', 'country', or the zone id. */
  ruleId: string;
  /**
   * Position relative to the rule's ALLOWED area: 'outside' = non-compliant position (for an
   * exclusion zone: the client is inside the forbidden zone). 'uncertain' = the accuracy circle
   * crosses the allowed area's boundary.
   */
  status: RuleStatus;
  /** False when the rule does not apply at that device time (schedule off, permit overrides, regime). */
  active: boolean;
  /** Signed distance (m) to the allowed area's boundary: negative inside it, positive outside. */
  distanceM: number;
  alertType: AlertType;
  severity: Severity;
  /** Articles imposing the obligation, from infra/domain/legal.ts. */
  articles: string[];
  /** The permit that made the position allowed (or suspended the rule), if any. */
  permitId?: string;
}

export interface Evaluation {
  /** Level-2 unit containing the fix, null on a lake or abroad. */
  unitId: string | null;
  inCountry: boolean;
  verdicts: RuleVerdict[];
}

export interface Location {
  unitId: string | null;
  oblastId: string | null;
  inCountry: boolean;
}

export interface GeofenceEngine {
  locate(lon: number, lat: number): Location;
  evaluate(ctx: SupervisionContext, fix: Fix): Evaluation;
  /** Signed distance (m) from a point to an admin unit's boundary (negative inside). */
  signedDistanceToUnit(unitId: string, lon: number, lat: number): number;
  /** Build the distance indexes of these units now instead of on first use. */
  prepare(unitIds?: string[]): void;
  /**
   * Compile a context and build every index its evaluation needs (country, residence unit, permit
   * destinations), so that the first fix does not pay for it: building the country's index takes
   * over a second, too long to happen inside a caller's database transaction.
   */
  prepareContext(ctx: SupervisionContext): void;
  /** Bytes held by the engine's typed-array indexes (built so far). */
  indexBytes(): number;
}

export interface EngineOptions {
  /**
   * A fix is 'uncertain' when |distanceM| <= accuracyM * uncertaintyFactor. accuracyM is the 68 %
   * radius; the default 1.0 uses the radius as reported (see docs/geofence.md).
   */
  uncertaintyFactor: number;
  /** Geometry validation at build time: 'basic' (closure, ring size, finite lon/lat) or 'turf' (adds turf.booleanValid, slow: ~8 s on KGZ). */
  validate: 'basic' | 'turf' | 'none';
  /** Grid density of the point-location index (cells per boundary segment). */
  cellsPerSegment: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  uncertaintyFactor: 1,
  validate: 'basic',
  cellsPerSegment: 2,
};

/** Confirmation settings of one rule kind (see episode.ts and docs/geofence.md, "Confirmation"). */
export interface EpisodeSettings {
  /** Distances are measured beyond this margin outside the line (the boundary data's own error). */
  marginM: number;
  /** ... and inside it, for closing. */
  closeMarginM: number;
  /** Combined evidence (z-score of the run, correlation-corrected) that opens an episode. */
  openZ: number;
  /** ... that closes it. */
  closeZ: number;
  /** Fewest fixes the combined evidence may rest on (2: one fix may be an outlier). */
  minFixes: number;
  closeMinFixes: number;
  /** Legal minimum duration of a breach (device time from the run's first fix); 0 = none. */
  dwellMs: number;
  closeDwellMs: number;
  /** A single fix whose 2-sigma lower bound lies this far beyond the margin confirms at once. */
  farM: number;
  /** One fix scoring this much starts the suspicion (adaptive reporting). */
  suspectZ: number;
  /** Most one fix may contribute to the combined score. */
  zCap: number;
  /** What the rest of a confirming run must score without its strongest fix (-Infinity: no test). */
  supportZ: number;
  /** Correlation time of the receiver error (first-order Gauss-Markov), seconds. */
  correlationTimeS: number;
  /** Smallest 68 % radius believed, metres. */
  accuracyFloorM: number;
  /** Radius assumed for a fix that reports none. */
  missingAccuracyM: number;
  /** Fixes with a larger radius carry no evidence. */
  maxAccuracyM: number;
  /** Jumps faster than this (plus 3 sigma) are outliers. */
  maxSpeedMps: number;
  /** Samples kept in the evidence window. */
  windowFixes: number;
}

/** Compile-time check that RuleKind and the legal module's rule kinds are the same union. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const RULE_KINDS_MATCH_LEGAL: Same<RuleKind, GeofenceRuleKind> = true;
