/**
 * Hysteresis: turns per-fix verdicts of one rule into episodes (one alert per episode).
 *
 * A fix is
 *   - "out"  when the rule is active, the status is 'outside' and
 *            distanceM - accuracyFactor * accuracyM > bufferM,
 *   - "in"   when the status is 'inside' and -distanceM - accuracyFactor * accuracyM > closeBufferM,
 *            or when the rule is not active (nothing to breach),
 *   - neutral otherwise ('uncertain', or within the buffer): it neither opens nor closes an
 *            episode, nor breaks a run.
 * While closed, a run of "out" fixes (not interrupted by an "in" fix) opens the episode once it
 * has at least minFixes fixes AND spans at least dwellMs of device time. While open, a run of "in"
 * fixes closes it by the same rule (closeMinFixes, closeDwellMs), except that an inactive rule
 * closes it at once (the obligation ended: curfew hours over, permit started).
 * The transition's `at` is the device time of the run's first fix (when the breach or the
 * return began); `confirmedAt` is the fix that completed the run.
 *
 * Late fixes: a fix whose device time is not newer than the newest one the state has seen is
 * ignored (counted in `stale`), so out-of-order fixes can never toggle the state or open a
 * phantom episode. Late batches that arrive in device-time order are processed normally.
 *
 * The state is plain JSON (persisted as JSONB per device and rule).
 */
import type { Fix } from '../infra/domain/types.ts';
import type { EpisodeSettings, RuleKind, RuleVerdict } from './types.ts';

export interface EpisodeRun {
  /** Device time of the run's first qualifying fix. */
  since: number;
  /** Device time of its latest qualifying fix. */
  last: number;
  count: number;
}

export interface EpisodeState {
  version: 1;
  open: boolean;
  /** Device time the current episode began (first fix of its opening run), null when closed. */
  openedAt: number | null;
  /** Newest device time seen (null before the first fix). */
  lastTime: number | null;
  /** The run in progress toward the opposite state, if any. */
  run: EpisodeRun | null;
  /** Number of ignored out-of-order or duplicate fixes. */
  stale: number;
}

export interface EpisodeTransition {
  kind: 'opened' | 'closed';
  /** Device time the breach (or the return) began. */
  at: number;
  /** Device time of the fix that confirmed it. */
  confirmedAt: number;
}

export function initialEpisodeState(): EpisodeState {
  return { version: 1, open: false, openedAt: null, lastTime: null, run: null, stale: 0 };
}

function full(s: Partial<EpisodeSettings> & Pick<EpisodeSettings, 'bufferM' | 'dwellMs' | 'minFixes'>): EpisodeSettings {
  return {
    accuracyFactor: 1,
    closeBufferM: s.bufferM,
    closeDwellMs: s.dwellMs,
    closeMinFixes: s.minFixes,
    ...s,
  };
}

/** Defaults per rule kind; the reasoning is in docs/geofence.md ("Hysteresis"). */
export const DEFAULT_EPISODE_SETTINGS: Record<RuleKind, EpisodeSettings> = {
  residence_unit: full({ bufferM: 100, dwellMs: 5 * 60_000, minFixes: 3 }),
  country_border: full({ bufferM: 150, dwellMs: 2 * 60_000, minFixes: 2 }),
  exclusion_zone: full({ bufferM: 25, dwellMs: 60_000, minFixes: 2 }),
  curfew: full({ bufferM: 30, dwellMs: 10 * 60_000, minFixes: 3, closeBufferM: 0, closeDwellMs: 2 * 60_000, closeMinFixes: 2 }),
};

export type FixClass = 'out' | 'in' | 'neutral';

/** Classify one fix for hysteresis (see the module comment). */
export function classifyFix(verdict: RuleVerdict, accuracyM: number, settings: EpisodeSettings): FixClass {
  if (!verdict.active) return 'in';
  const acc = (Number.isFinite(accuracyM) && accuracyM > 0 ? accuracyM : 0) * (settings.accuracyFactor ?? 1);
  if (verdict.status === 'outside' && verdict.distanceM - acc > settings.bufferM) return 'out';
  const closeBuffer = settings.closeBufferM ?? settings.bufferM;
  if (verdict.status === 'inside' && -verdict.distanceM - acc > closeBuffer) return 'in';
  return 'neutral';
}

export function stepEpisode(
  state: EpisodeState,
  verdict: RuleVerdict,
  fix: Pick<Fix, 'deviceTime' | 'accuracyM'>,
  settings: EpisodeSettings,
): { state: EpisodeState; transition: null | EpisodeTransition } {
  const t = fix.deviceTime;
  if (!Number.isFinite(t)) return { state: { ...state, stale: state.stale + 1 }, transition: null };
  if (state.lastTime !== null && t <= state.lastTime) {
    return { state: { ...state, run: state.run ? { ...state.run } : null, stale: state.stale + 1 }, transition: null };
  }
  const cls = classifyFix(verdict, fix.accuracyM, settings);
  const next: EpisodeState = { ...state, lastTime: t, run: state.run ? { ...state.run } : null };

  // the kind of fix that moves toward the opposite state, and the one that resets the run
  const toward: FixClass = state.open ? 'in' : 'out';
  const against: FixClass = state.open ? 'out' : 'in';

  if (state.open && !verdict.active) {
    // The obligation stopped applying: the episode ends now.
    return { state: { ...next, open: false, openedAt: null, run: null }, transition: { kind: 'closed', at: t, confirmedAt: t } };
  }
  if (cls === against) {
    next.run = null;
    return { state: next, transition: null };
  }
  if (cls !== toward) return { state: next, transition: null };

  const run = next.run ?? { since: t, last: t, count: 0 };
  run.last = t;
  run.count += 1;
  next.run = run;
  const minFixes = state.open ? (settings.closeMinFixes ?? settings.minFixes) : settings.minFixes;
  const dwell = state.open ? (settings.closeDwellMs ?? settings.dwellMs) : settings.dwellMs;
  if (run.count >= minFixes && run.last - run.since >= dwell) {
    if (state.open) {
      return { state: { ...next, open: false, openedAt: null, run: null }, transition: { kind: 'closed', at: run.since, confirmedAt: t } };
    }
    return { state: { ...next, open: true, openedAt: run.since, run: null }, transition: { kind: 'opened', at: run.since, confirmedAt: t } };
  }
  return { state: next, transition: null };
}
