import { DEFAULT_EPISODE_SETTINGS, type EpisodeSettings, type RuleKind } from '../../geofence/index.ts';
import type { RuleSettings, ScenarioSettings } from './scenario-schema.ts';

/**
 * The platform settings a scenario runs under. Time is compressed by shortening thresholds, not
 * by speeding up clocks: device time stays the wall clock the services use, and the dwell times,
 * silence and SLA shrink from minutes to seconds. Distances (margins, far distances) and the
 * evidence needed keep the platform's values, so the geometry of a decision (GPS noise near a
 * border) is tested as it is in production.
 */
export interface ResolvedSettings {
  intervalS: number;
  episodes: Record<RuleKind, EpisodeSettings>;
  silence: { factor: number; graceS: number };
  episodeIntervalS: number;
  slaCriticalAckMinutes: number;
  noLocationAfterS: number;
}

/**
 * Scenario tags report every second, and a scenario's minute is a second: the receiver error's
 * correlation time shrinks with it (120 s -> 2 s), and so does the curfew's legal dwell.
 */
export const SCENARIO_RULE_DEFAULTS = { correlationTimeS: 2, curfewDwellS: 2, curfewCloseDwellS: 2 };

function rule(kind: RuleKind, r: RuleSettings | undefined): EpisodeSettings {
  const base = DEFAULT_EPISODE_SETTINGS[kind];
  const dwellS = r?.dwellS ?? (kind === 'curfew' ? SCENARIO_RULE_DEFAULTS.curfewDwellS : base.dwellMs / 1000);
  const closeDwellS = r?.closeDwellS ?? (kind === 'curfew' ? SCENARIO_RULE_DEFAULTS.curfewCloseDwellS : base.closeDwellMs / 1000);
  return {
    ...base,
    marginM: r?.marginM ?? base.marginM,
    closeMarginM: r?.closeMarginM ?? base.closeMarginM,
    openZ: r?.openZ ?? base.openZ,
    closeZ: r?.closeZ ?? base.closeZ,
    minFixes: r?.minFixes ?? base.minFixes,
    closeMinFixes: r?.closeMinFixes ?? base.closeMinFixes,
    dwellMs: dwellS * 1000,
    closeDwellMs: closeDwellS * 1000,
    correlationTimeS: r?.correlationTimeS ?? SCENARIO_RULE_DEFAULTS.correlationTimeS,
    // A scenario drives from Bishkek to Kant in three seconds: no speed is implausible there.
    maxSpeedMps: Infinity,
  };
}

export function resolveSettings(s: ScenarioSettings | undefined): ResolvedSettings {
  const kinds = Object.keys(DEFAULT_EPISODE_SETTINGS) as RuleKind[];
  return {
    intervalS: s?.intervalS ?? 1,
    episodes: Object.fromEntries(kinds.map((k) => [k, rule(k, s?.rules?.[k])])) as Record<RuleKind, EpisodeSettings>,
    silence: { factor: s?.silence?.factor ?? 3, graceS: s?.silence?.graceS ?? 10 },
    episodeIntervalS: s?.episodeIntervalS ?? 5,
    slaCriticalAckMinutes: s?.slaCriticalAckMinutes ?? 5,
    noLocationAfterS: s?.noLocationAfterS ?? 3,
  };
}

/** Scenarios with the same key can share one running platform (everything but intervalS). */
export function platformKey(s: ResolvedSettings): string {
  const { intervalS: _ignored, ...platform } = s;
  return JSON.stringify(platform);
}

/** The services' configuration for these settings (infra/config/config.ts variables). */
export function settingsEnv(s: ResolvedSettings): Record<string, string> {
  return {
    SILENCE_FACTOR: String(s.silence.factor),
    SILENCE_GRACE_S: String(s.silence.graceS),
    EPISODE_REPORT_INTERVAL_S: String(s.episodeIntervalS),
    SLA_CRITICAL_ACK_MINUTES: String(s.slaCriticalAckMinutes),
    NO_LOCATION_AFTER_S: String(s.noLocationAfterS),
    // Re-arm watchdogs of newly seeded devices within a second, not a minute.
    WATCHDOG_SWEEP_MS: '1000',
    // Permits decided mid-scenario must reach the geofence at once.
    INGEST_CONTEXT_TTL_MS: '0',
    // Check-in deadlines are checked every half second (a minute in production).
    CASE_SWEEP_MS: '500',
  };
}
