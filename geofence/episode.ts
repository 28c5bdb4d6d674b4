/**
 * Evidence-based confirmation: turns the per-fix verdicts of one rule into episodes (one alert per
 * episode). Pure: no I/O, no clock; device time is the only time.
 *
 * Each fix is turned into a standard score: how far it lies beyond the line (less the line's own
 * margin) in units of its error, sigma = accuracyM / 1.515 (the 68 % radius of a circular Gaussian
 * is 1.515 sigma; the perpendicular distance to a line has that sigma). The score is signed:
 * positive means outside the allowed area.
 *
 * While closed, the episode opens when the fixes of the current run (consecutive fixes with a
 * positive score) are, together, strong enough evidence of being outside:
 *
 *   Z = sum(min(z_i, zCap)) / sqrt(sum_ij rho_ij),   rho_ij = exp(-|t_i - t_j| / tau)
 *
 * over any suffix of the run of at least minFixes fixes, reaches openZ. This is the z-score of the
 * run's mean under a first-order Gauss-Markov receiver error: two fixes a minute apart count as
 * about 1.25 independent fixes (tau = 120 s), not 2, so a slow receiver drift cannot masquerade as
 * many confirmations. The cap bounds what one fix can contribute, so a single multipath outlier
 * (hundreds of metres off with a small radius) cannot confirm alone, even with minFixes = 2. A fix
 * whose jump from the previous one is faster than a car (maxSpeedMps plus 3 sigma of both fixes)
 * is held back: it neither counts nor breaks the run, unless the next fix agrees with it (then
 * the jump was real, and both count).
 *
 * A fix whose lower bound (beyond the margin by 2 sigma) is farM beyond the line confirms as soon
 * as a second fix of the run is beyond the line too: no receiver error puts a fix a kilometre
 * beyond a district line, and the second fix rules out a lone outlier.
 *
 * Closing mirrors opening with the inside score (closeZ, closeMinFixes, closeMarginM); an inactive
 * rule closes an open episode at once (the obligation ended: curfew hours over, permit started).
 * `dwellMs` / `closeDwellMs` are legal minimum durations (a curfew breach is not a step into the
 * yard), 0 for the place rules where the law has none.
 *
 * Suspicion (for adaptive reporting): while closed, a fix scoring at least suspectZ marks the rule
 * suspected; a fix scoring 0 or less (back on the allowed side) clears it, as does the episode's
 * opening (the open episode's own fast reporting takes over).
 *
 * Late fixes: a fix whose device time is not newer than the newest one the state has seen is
 * ignored here (counted in `stale`): the live state never moves backwards. Late data is evaluated
 * separately, over the merged track (late-evidence.ts).
 *
 * The state is plain JSON (persisted as JSONB per device and rule).
 */
import type { Fix } from '../infra/domain/types.ts';
import type { EpisodeSettings, RuleKind, RuleVerdict } from './types.ts';

/** One fix's evidence, kept in the state for the window. */
export interface EvidenceSample {
  /** Device time, epoch ms. */
  t: number;
  /** Signed distance beyond the line, metres (positive outside). */
  d: number;
  /** sigma of the fix's error perpendicular to the line, metres. */
  s: number;
}

export interface EpisodeState {
  version: 2;
  open: boolean;
  /** Device time the current episode began (first fix of its opening run), null when closed. */
  openedAt: number | null;
  /** Newest device time seen (null before the first fix). */
  lastTime: number | null;
  /** The current run toward the opposite state, oldest first, at most windowFixes samples. */
  run: EvidenceSample[];
  /** Device time of the run's first fix (it may have left the window). */
  runSince: number | null;
  /** The previous accepted sample (for the speed test), whether or not it is in the run. */
  prev: EvidenceSample | null;
  /** A sample held back as an implausible jump from prev, until the next fix shows which was real. */
  jump?: EvidenceSample | null;
  /** Suspected but not confirmed (the tag is asked to report faster). */
  suspect: boolean;
  /** Number of ignored out-of-order or duplicate fixes. */
  stale: number;
}

export interface EpisodeTransition {
  kind: 'opened' | 'closed';
  /** Device time the breach (or the return) began. */
  at: number;
  /** Device time of the fix that confirmed it. */
  confirmedAt: number;
  /** What confirmed it: the combined evidence, a single far fix, or the rule becoming inactive. */
  by: 'evidence' | 'far' | 'inactive';
  /** The combined score when confirmed (Infinity for 'far' and 'inactive'). */
  z: number;
}

export type SuspicionChange = 'raised' | 'cleared' | null;

export interface EpisodeStep {
  state: EpisodeState;
  transition: EpisodeTransition | null;
  suspicion: SuspicionChange;
}

export function initialEpisodeState(): EpisodeState {
  return { version: 2, open: false, openedAt: null, lastTime: null, run: [], runSince: null, prev: null, jump: null, suspect: false, stale: 0 };
}

/** A state stored before evidence-based confirmation (version 1) keeps its open episode. */
export function upgradeEpisodeState(s: EpisodeState | { version: 1; open: boolean; openedAt: number | null; lastTime: number | null; stale: number }): EpisodeState {
  if (s.version === 2) return s;
  return { ...initialEpisodeState(), open: s.open, openedAt: s.openedAt, lastTime: s.lastTime, stale: s.stale };
}

/** 68 % radius of a circular 2-D Gaussian in sigmas: sqrt(-2 ln 0.32). */
export const R68_PER_SIGMA = 1.5096;

/** The perpendicular sigma of a fix, from its reported 68 % radius (see the settings for the bounds). */
export function fixSigma(accuracyM: number | null | undefined, s: EpisodeSettings): number {
  const a = typeof accuracyM === 'number' && Number.isFinite(accuracyM) && accuracyM >= 0 ? accuracyM : s.missingAccuracyM;
  return Math.max(a, s.accuracyFloorM) / R68_PER_SIGMA;
}

/** Score of a sample toward opening (outside) or toward closing (inside). */
function score(x: EvidenceSample, towardOpen: boolean, s: EpisodeSettings): number {
  return towardOpen ? (x.d - s.marginM) / x.s : (-x.d - s.closeMarginM) / x.s;
}

/**
 * The strongest combined score over the run's suffixes of at least minFixes samples (see the
 * module comment). A suffix counts only if it does not rest on one fix: without its strongest
 * sample, the rest must still score supportZ (a multipath outlier next to a fix barely beyond
 * the line is not an exit). O(n^3) in the window, which is at most windowFixes (a dozen) samples.
 */
export function combinedScore(run: readonly EvidenceSample[], towardOpen: boolean, minFixes: number, s: EpisodeSettings): number {
  const n = run.length;
  if (n < Math.max(1, minFixes)) return -Infinity;
  const tauMs = s.correlationTimeS * 1000;
  const rho = (a: EvidenceSample, b: EvidenceSample) => (tauMs > 0 ? Math.exp(-Math.abs(b.t - a.t) / tauMs) : a === b ? 1 : 0);
  const z = run.map((x) => Math.min(score(x, towardOpen, s), s.zCap));
  let best = -Infinity;
  let sum = 0;
  let cov = 0;
  // Suffixes grow backwards from the newest sample: add sample k and its covariances with the rest.
  for (let k = n - 1; k >= 0; k--) {
    sum += z[k]!;
    cov += 1;
    for (let j = k + 1; j < n; j++) cov += 2 * rho(run[k]!, run[j]!);
    if (n - k < minFixes) continue;
    const total = sum / Math.sqrt(cov);
    if (total <= best) continue;
    if (n - k >= 2 && s.supportZ > -Infinity) {
      let m = k;
      for (let j = k + 1; j < n; j++) if (z[j]! > z[m]!) m = j;
      let covOut = cov - 1;
      for (let j = k; j < n; j++) if (j !== m) covOut -= 2 * rho(run[m]!, run[j]!);
      if ((sum - z[m]!) / Math.sqrt(Math.max(covOut, 1e-9)) < s.supportZ) continue;
    }
    best = total;
  }
  return best;
}

/** Whether the jump from the previous sample is faster than anything the wearer can do. */
export function implausibleJump(prev: EvidenceSample | null, x: EvidenceSample, s: EpisodeSettings): boolean {
  if (!prev || x.t <= prev.t) return false;
  const dt = (x.t - prev.t) / 1000;
  return Math.abs(x.d - prev.d) > s.maxSpeedMps * dt + 3 * Math.hypot(prev.s, x.s);
}

/**
 * Whether a fix can change nothing for a rule at rest (closed, no run, no suspicion): the rule is
 * inactive, or the fix does not lie beyond the margin. The common case by far; callers skip the
 * state machine for it. Such a fix would only move `prev`, the speed test's reference.
 */
export function quietFix(verdict: Pick<RuleVerdict, 'active' | 'distanceM'>, settings: EpisodeSettings): boolean {
  return !verdict.active || verdict.distanceM - settings.marginM <= 0;
}

/** Whether the state is at rest: nothing open, no run under way, no suspicion. */
export function atRest(state: EpisodeState): boolean {
  return !state.open && state.run.length === 0 && !state.suspect;
}

export function stepEpisode(
  state: EpisodeState,
  verdict: RuleVerdict,
  fix: Pick<Fix, 'deviceTime' | 'accuracyM'>,
  settings: EpisodeSettings,
): EpisodeStep {
  const t = fix.deviceTime;
  const st = upgradeEpisodeState(state);
  if (!Number.isFinite(t) || (st.lastTime !== null && t <= st.lastTime)) {
    return { state: { ...st, stale: st.stale + 1 }, transition: null, suspicion: null };
  }
  const next: EpisodeState = { ...st, lastTime: t };

  if (!verdict.active) {
    // Nothing to breach: an open episode ends now, a run or a suspicion is dropped.
    const base = { ...next, open: false, openedAt: null, run: [], runSince: null, prev: null, jump: null, suspect: false };
    if (st.open) return { state: base, transition: { kind: 'closed', at: t, confirmedAt: t, by: 'inactive', z: Infinity }, suspicion: null };
    return { state: base, transition: null, suspicion: st.suspect ? 'cleared' : null };
  }

  const sigma = fixSigma(fix.accuracyM, settings);
  // A fix with no useful accuracy (a cell-tower fix several km wide) tells nothing near a line.
  if (sigma * R68_PER_SIGMA > settings.maxAccuracyM) return { state: next, transition: null, suspicion: null };
  const x: EvidenceSample = { t, d: verdict.distanceM, s: sigma };
  if (implausibleJump(st.prev, x, settings)) {
    // A gross outlier, or a real relocation the clock cannot explain (a tag's clock jump, a
    // gap): hold it back; if the next fix agrees with it, both count, else it was an outlier.
    const held = st.jump ?? null;
    if (!held || implausibleJump(held, x, settings)) return { state: { ...next, jump: x }, transition: null, suspicion: null };
    const first = weigh({ ...next, prev: null, jump: null }, held, settings);
    // One transition per step: if the held fix already decided, the agreeing fix only moves on.
    if (first.transition) return { ...first, state: { ...first.state, prev: x, lastTime: t } };
    const second = weigh(first.state, x, settings);
    return { ...second, suspicion: second.suspicion ?? first.suspicion };
  }
  return weigh({ ...next, jump: null }, x, settings);
}

/** The evidence step proper: one accepted sample x (newer than the state's) against the run. */
function weigh(next: EpisodeState, x: EvidenceSample, settings: EpisodeSettings): EpisodeStep {
  const t = x.t;
  next = { ...next, prev: x };
  const towardOpen = !next.open;
  const z = score(x, towardOpen, settings);
  let suspicion: SuspicionChange = null;
  if (z <= 0) {
    // Back on the side of the current state: the run toward the other state is broken.
    next.run = [];
    next.runSince = null;
    if (towardOpen && next.suspect) {
      next.suspect = false;
      suspicion = 'cleared';
    }
    return { state: next, transition: null, suspicion };
  }
  const run = [...next.run, x];
  if (run.length > settings.windowFixes) run.splice(0, run.length - settings.windowFixes);
  next.run = run;
  next.runSince = next.runSince ?? t;
  if (towardOpen && !next.suspect && z >= settings.suspectZ) {
    next.suspect = true;
    suspicion = 'raised';
  }

  const since = next.runSince;
  const dwell = towardOpen ? settings.dwellMs : settings.closeDwellMs;
  const dwelt = t - since >= dwell;
  // A fix whose lower bound (2 sigma) lies farM beyond the margin is no receiver error, and with
  // the next (or previous) fix of the run also beyond the line, no lone outlier either.
  const far = towardOpen && run.length >= 2 && run.some((r) => r.d - settings.marginM - 2 * r.s >= settings.farM);
  const minFixes = towardOpen ? settings.minFixes : settings.closeMinFixes;
  const combined = combinedScore(run, towardOpen, minFixes, settings);
  const needed = towardOpen ? settings.openZ : settings.closeZ;
  if (dwelt && (far || combined >= needed)) {
    const by = combined >= needed ? 'evidence' : 'far';
    const transition: EpisodeTransition = { kind: towardOpen ? 'opened' : 'closed', at: since, confirmedAt: t, by, z: by === 'far' ? Infinity : combined };
    // An opening ends the suspicion without a restore: the open episode's own fast reporting
    // takes over, and its close restores the plan's interval.
    return {
      state: { ...next, open: towardOpen, openedAt: towardOpen ? since : null, run: [], runSince: null, suspect: false },
      transition,
      suspicion: null,
    };
  }
  return { state: next, transition: null, suspicion };
}

function settings(s: Partial<EpisodeSettings>): EpisodeSettings {
  return { ...BASE_SETTINGS, ...s };
}

/**
 * Shared by every rule; each value's reason is in docs/geofence.md ("Confirmation"), in short:
 * - marginM 0: the shipped boundary is the legal line the platform applies; receiver error is
 *   weighed by the evidence, not by a fixed buffer;
 * - openZ 4 on at least 2 fixes: a tag living on the line would reach 4 sigma about once in
 *   30,000 independent tries, a few times a year with a 2-minute correlation time;
 * - supportZ 1: without its strongest fix, the rest of the run must still point outside, so a
 *   multipath outlier (1 fix in 200, 100-300 m off with a small radius) cannot confirm;
 * - closeZ 2: a false or ended episode must not stay open for hours on a tag near the line
 *   (an early close costs at most a second alert, kept apart by the episode history);
 * - farM 400: beyond any multipath outlier (300 m) plus 2 sigma, confirmed by a second fix;
 * - suspectZ 1: one fix a sigma beyond the line asks the tag for 15-s fixes (bounded by `until`);
 * - correlationTimeS 120: consumer GNSS error drifts with a correlation time of a couple of
 *   minutes, so fixes a minute apart are ~1.25 independent ones, not 2;
 * - zCap 5: one fix contributes at most 5 sigma;
 * - accuracyFloorM 5: no receiver is honest below a few metres; a reported 0 is a placeholder;
 * - missingAccuracyM 100: a fix without a radius is treated as a poor one, not as a perfect one;
 * - maxAccuracyM 500: wider fixes (cell towers) cannot tell a side of a line apart;
 * - maxSpeedMps 70 (250 km/h): faster jumps are held back as outliers until a second fix agrees;
 * - windowFixes 12: twelve minutes at 60 s, three at 15 s; older samples add almost nothing.
 */
export const BASE_SETTINGS: EpisodeSettings = {
  marginM: 0,
  closeMarginM: 0,
  openZ: 4,
  closeZ: 2,
  minFixes: 2,
  closeMinFixes: 2,
  dwellMs: 0,
  closeDwellMs: 0,
  farM: 400,
  suspectZ: 1,
  zCap: 5,
  supportZ: 1,
  correlationTimeS: 120,
  accuracyFloorM: 5,
  missingAccuracyM: 100,
  maxAccuracyM: 500,
  maxSpeedMps: 70,
  windowFixes: 12,
};

/** Defaults per rule kind; the reasoning is in docs/geofence.md ("Confirmation"). */
export const DEFAULT_EPISODE_SETTINGS: Record<RuleKind, EpisodeSettings> = {
  residence_unit: settings({}),
  // The state border is critical, and a false critical alert is the costliest. The benchmark's
  // false border crossings were tags living 6-17 m inside it whose error drifted out with an
  // outlier on top, and two multipath outliers in a row (84 and 110 m out from 25 m inside): so
  // three fixes, more evidence and a stronger support (the run without its best fix at 2 sigma).
  // The border is also a district line: the residence rule alerts at its own speed meanwhile,
  // and adaptive reporting makes the third fix come 15 s after the second.
  country_border: settings({ openZ: 4.2, supportZ: 2, minFixes: 3 }),
  // Exclusion zones are small (a few hundred metres): the same evidence, no far shortcut needed.
  exclusion_zone: settings({}),
  // Curfew: stepping into the yard for a few minutes is not a breach of a duty to be at home
  // (articles in infra/domain/legal.ts), so 10 min of dwell beyond a 30 m margin around the home
  // circle; back home is confirmed after 2 minutes inside.
  curfew: settings({ marginM: 30, dwellMs: 10 * 60_000, closeDwellMs: 2 * 60_000 }),
};
