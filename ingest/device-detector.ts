/**
 * The detection decision for one device and one batch of new fixes, shared by ingest (states and
 * the stored track from PostgreSQL) and the offline replay (in memory): the same code decides in
 * both, so a replayed track shows what production did. Pure: no I/O, no clock.
 *
 * Live fixes (newer than the newest fix stored before the batch, the horizon) step each rule's
 * episode state in device-time order. Late fixes (not newer) never step the live state: the
 * stored track around them, merged with them by device time, is run through fresh state
 * machines, and every episode it shows that no known episode of the rule overlaps is raised,
 * marked late, with its true start. An episode still under way at the horizon is adopted by the
 * live state when that is closed (the newest evidence is outside, so the client is outside now).
 * One that overlaps a known episode but began earlier moves that episode's start back (`amend`).
 */
import {
  atRest,
  initialEpisodeState,
  quietFix,
  stepEpisode,
  upgradeEpisodeState,
  type EpisodeSettings,
  type EpisodeState,
  type EpisodeTransition,
  type GeofenceEngine,
  type RuleKind,
  type RuleVerdict,
  type SupervisionContext,
} from '../geofence/index.ts';
import { episodeKey, type AlertIntent } from '../alerts/alert-intent.ts';
import { ALERT_CATALOGUE } from '../alerts/alert-catalogue.ts';
import type { Fix, Permit } from '../infra/domain/types.ts';

/** A known episode of a rule (live or late), by device time; end null while it lasts. */
export interface EpisodeMark {
  key: string;
  at: number;
  end: number | null;
}

/** What rule_state.state holds for one device and geofence rule. */
export interface RuleState {
  episode: EpisodeState;
  /** The alert episode currently open for this rule, if any. */
  openKey: string | null;
  /** The rule's most recent episodes, newest last, so late data cannot raise one twice. */
  marks?: EpisodeMark[];
}

export interface DetectionSettings {
  episodes: Record<RuleKind, EpisodeSettings>;
  /** Reporting interval asked of the tag while a rule is suspected, seconds. */
  fastIntervalS: number;
  /** How long the tag keeps the fast interval by itself (device time), so it is never stuck. */
  fastForMs: number;
  /** How far before the oldest late fix the stored track is re-examined. */
  lateLookbackMs: number;
}

export const DEFAULT_DETECTION: Omit<DetectionSettings, 'episodes'> = {
  fastIntervalS: 15,
  fastForMs: 10 * 60_000,
  lateLookbackMs: 30 * 60_000,
};

const MAX_MARKS = 16;

/** How long after a permit ends a district exit still counts as not having come back from it. */
export const OVERSTAY_WINDOW_MS = 48 * 3_600_000;

/**
 * The permit a district exit overstays: one that had begun and ended before the breach began, at
 * most OVERSTAY_WINDOW_MS earlier. Not back when the permit ends is its own alert type, so the
 * officer sees the trip it belongs to rather than an unexplained district exit.
 */
export function overstayedPermit(ctx: SupervisionContext, breachAt: number): Permit | null {
  let best: Permit | null = null;
  for (const p of ctx.permits) {
    if (p.validFrom <= breachAt && p.validUntil <= breachAt && breachAt - p.validUntil <= OVERSTAY_WINDOW_MS) {
      if (!best || p.validUntil > best.validUntil) best = p;
    }
  }
  return best;
}

/** Fixes sorted by device time, then sequence (the order every path evaluates them in). */
export function byDeviceTime<T extends Pick<Fix, 'deviceTime' | 'seq'>>(fixes: T[]): T[] {
  return fixes.sort((a, b) => a.deviceTime - b.deviceTime || a.seq - b.seq);
}

/**
 * The stored track a batch's late fixes must be re-examined over, by device time, or null when
 * the batch has none. The track is everything stored in it, the late fixes included.
 */
export function lateWindow(fresh: readonly Fix[], horizon: number | null, settings: Pick<DetectionSettings, 'lateLookbackMs'>): { from: number; to: number } | null {
  if (horizon === null) return null;
  let oldest = Infinity;
  for (const f of fresh) if (f.deviceTime <= horizon && f.deviceTime < oldest) oldest = f.deviceTime;
  return oldest === Infinity ? null : { from: oldest - settings.lateLookbackMs, to: horizon };
}

export interface DeviceDetection {
  intents: AlertIntent[];
  /** Rule ids whose persisted state changed. */
  changed: Set<string>;
}

export interface DetectInput {
  engine: GeofenceEngine;
  ctx: SupervisionContext;
  deviceId: string;
  /** The rules' stored states by rule id; updated in place. */
  states: Map<string, RuleState>;
  /** This batch's newly stored fixes, any order. */
  fresh: Fix[];
  /** Newest device time stored before the batch (null: none). */
  horizon: number | null;
  /** The stored track over lateWindow(...), late fixes included; ignored when there are none. */
  track: Fix[];
}

function openIntent(
  deviceId: string,
  ctx: SupervisionContext,
  key: string,
  v: RuleVerdict,
  fix: Fix,
  t: EpisodeTransition,
  late: boolean,
): AlertIntent {
  const overstayed = v.rule === 'residence_unit' ? overstayedPermit(ctx, t.at) : null;
  return {
    kind: 'open',
    episodeKey: key,
    clientId: ctx.clientId,
    deviceId,
    type: overstayed ? 'permit_overstay' : v.alertType,
    severity: overstayed ? ALERT_CATALOGUE.permit_overstay.severity : v.severity,
    at: t.at,
    lon: fix.lon,
    lat: fix.lat,
    details: {
      rule: v.rule,
      ruleId: v.ruleId,
      articles: v.articles,
      distanceM: v.distanceM,
      accuracyM: fix.accuracyM,
      confirmedAt: t.confirmedAt,
      confirmedBy: t.by,
      ...(Number.isFinite(t.z) ? { evidenceZ: Math.round(t.z * 100) / 100 } : {}),
      ...(late ? { late: true } : {}),
      ...(overstayed ? { permitId: overstayed.id, permitEnded: overstayed.validUntil } : {}),
    },
  };
}

function withMark(marks: EpisodeMark[] | undefined, mark: EpisodeMark): EpisodeMark[] {
  const list = [...(marks ?? []), mark].sort((a, b) => a.at - b.at);
  return list.length > MAX_MARKS ? list.slice(list.length - MAX_MARKS) : list;
}

function closeMark(marks: EpisodeMark[] | undefined, key: string, end: number): EpisodeMark[] {
  return (marks ?? []).map((m) => (m.key === key ? { ...m, end } : m));
}

/** Persisted fields only: lastTime and stale change on every fix and live in devices.last_fix_at. */
function materialChange(a: RuleState, b: RuleState): boolean {
  const x = a.episode;
  const y = b.episode;
  return (
    a.openKey !== b.openKey ||
    a.marks !== b.marks ||
    x.open !== y.open ||
    x.openedAt !== y.openedAt ||
    x.suspect !== y.suspect ||
    x.runSince !== y.runSince ||
    x.run.length !== y.run.length ||
    x.run[x.run.length - 1]?.t !== y.run[y.run.length - 1]?.t
  );
}

/** One rule, one fix, with the fast path every caller shares (see quietFix). */
function stepRule(state: EpisodeState, v: RuleVerdict, fix: Fix, s: EpisodeSettings) {
  if (atRest(state) && quietFix(v, s)) return null;
  return stepEpisode(state, v, fix, s);
}

interface LateEpisode {
  at: number;
  end: number | null;
  open: { v: RuleVerdict; fix: Fix; t: EpisodeTransition };
  state: EpisodeState;
}

/** Episodes of each rule over a track, from a closed state at its start. */
function episodesOver(
  engine: GeofenceEngine,
  ctx: SupervisionContext,
  track: Fix[],
  settings: DetectionSettings,
): { found: Map<string, LateEpisode[]>; final: Map<string, EpisodeState> } {
  const states = new Map<string, EpisodeState>();
  const found = new Map<string, LateEpisode[]>();
  for (const fix of track) {
    for (const v of engine.evaluate(ctx, fix).verdicts) {
      const prev = states.get(v.ruleId) ?? initialEpisodeState();
      const r = stepRule(prev, v, fix, settings.episodes[v.rule]);
      if (!r) continue;
      states.set(v.ruleId, r.state);
      const list = found.get(v.ruleId) ?? [];
      if (r.transition?.kind === 'opened') list.push({ at: r.transition.at, end: null, open: { v, fix, t: r.transition }, state: r.state });
      else if (r.transition?.kind === 'closed' && list.length) list[list.length - 1]!.end = r.transition.at;
      if (list.length) {
        list[list.length - 1]!.state = r.state;
        found.set(v.ruleId, list);
      }
    }
  }
  return { found, final: states };
}

/**
 * The rule's known episodes. A state written before marks existed may hold an open episode
 * without one: it counts as known from its opening on, so late data cannot raise it again.
 */
function knownMarks(state: RuleState | undefined): EpisodeMark[] {
  const marks = state?.marks ?? [];
  if (state?.openKey && !marks.some((m) => m.key === state.openKey)) {
    return [...marks, { key: state.openKey, at: state.episode.openedAt ?? 0, end: null }];
  }
  return marks;
}

/**
 * The key of a newly found episode. Keys come from the opening time, but a known episode keeps
 * its key when late data moves its start back; a later episode found at that original time would
 * otherwise take the same key, and the alerts service (one alert per key) would drop it.
 */
function newEpisodeKey(deviceId: string, ruleId: string, at: number, marks: readonly EpisodeMark[]): string {
  const base = episodeKey(deviceId, ruleId, at);
  let key = base;
  for (let n = 1; marks.some((m) => m.key === key); n++) key = `${base}:${n}`;
  return key;
}

const overlaps = (a: { at: number; end: number | null }, b: { at: number; end: number | null }) =>
  a.at <= (b.end ?? Infinity) && b.at <= (a.end ?? Infinity);

/**
 * Evaluates one device's new fixes against its rules; returns the alert and reporting intents
 * and which rules' states changed (to persist). See the module comment.
 */
export function detectDevice(input: DetectInput, settings: DetectionSettings): DeviceDetection {
  const { engine, ctx, deviceId, states, horizon } = input;
  const intents: AlertIntent[] = [];
  const changed = new Set<string>();
  const put = (ruleId: string, prev: RuleState | undefined, next: RuleState) => {
    // A state stored by an older version (episode version 1) is always rewritten in the new form.
    if (!prev || prev.episode.version !== 2 || materialChange(prev, next)) changed.add(ruleId);
    states.set(ruleId, next);
  };
  const suspectedBefore = [...states.values()].some((s) => s.episode.suspect === true);

  // Late fixes first: their episodes end before the live ones of this batch begin.
  if (lateWindow(input.fresh, horizon, settings)) {
    const { found, final } = episodesOver(engine, ctx, byDeviceTime([...input.track]), settings);
    // Evidence toward an episode that has not opened yet is rebuilt from the merged track: a live
    // run of fixes outside may have had late fixes inside between them, which break it (else the
    // next live fix would confirm an exit from a run the whole track does not show).
    for (const ruleId of new Set([...states.keys(), ...final.keys()])) {
      const prev = states.get(ruleId);
      if (prev?.episode.open || final.get(ruleId)?.open) continue;
      const merged = final.get(ruleId) ?? initialEpisodeState();
      const live = prev ? upgradeEpisodeState(prev.episode) : initialEpisodeState();
      const episode = { ...live, run: merged.run, runSince: merged.runSince, prev: merged.prev, jump: merged.jump, suspect: merged.suspect };
      put(ruleId, prev, { ...(prev ?? { openKey: null }), episode });
    }
    for (const [ruleId, episodes] of found) {
      for (const e of episodes) {
        const prev = states.get(ruleId);
        const known = knownMarks(prev).filter((m) => overlaps(m, e));
        if (known.length) {
          // The same episode seen with more of its track: its start moves back if it began earlier
          // (never forward: the window may have cut its beginning off), and a closed episode's end
          // moves to where the whole track puts it.
          const m = known[0]!;
          if (m.end === null && e.end !== null && prev?.openKey === m.key && final.get(ruleId)?.open === false) {
            // The live episode is still open, but the whole track shows the client back since
            // e.end and nothing open at the newest fix: close it there, from the merged state.
            intents.push({ kind: 'close', episodeKey: m.key, at: e.end });
            if (e.at < m.at) intents.push({ kind: 'amend', episodeKey: m.key, at: e.at });
            put(ruleId, prev, {
              episode: { ...final.get(ruleId)!, lastTime: prev.episode.lastTime, stale: prev.episode.stale, suspect: false },
              openKey: null,
              marks: knownMarks(prev).map((x) => (x.key === m.key ? { ...x, at: Math.min(x.at, e.at), end: e.end } : x)),
            });
            continue;
          }
          const at = e.at < m.at ? e.at : undefined;
          const end = m.end !== null && e.end !== null && e.end !== m.end ? e.end : undefined;
          if ((at !== undefined || end !== undefined) && prev) {
            intents.push({ kind: 'amend', episodeKey: m.key, ...(at !== undefined ? { at } : {}), ...(end !== undefined ? { end } : {}) });
            put(ruleId, prev, { ...prev, marks: knownMarks(prev).map((x) => (x.key === m.key ? { ...x, at: at ?? x.at, end: end ?? x.end } : x)) });
          }
          continue;
        }
        const key = newEpisodeKey(deviceId, ruleId, e.at, knownMarks(prev));
        intents.push(openIntent(deviceId, ctx, key, e.open.v, e.open.fix, e.open.t, true));
        const base = prev ? { ...prev, episode: upgradeEpisodeState(prev.episode) } : { episode: initialEpisodeState(), openKey: null };
        if (e.end !== null) {
          intents.push({ kind: 'close', episodeKey: key, at: e.end });
          put(ruleId, prev, { ...base, marks: withMark(base.marks, { key, at: e.at, end: e.end }) });
        } else if (!base.episode.open) {
          // Still outside at the horizon: the live state takes the episode over (its close will
          // come from live fixes), keeping the live state's own clock.
          put(ruleId, prev, {
            episode: { ...e.state, lastTime: base.episode.lastTime, stale: base.episode.stale, suspect: false },
            openKey: key,
            marks: withMark(base.marks, { key, at: e.at, end: null }),
          });
        }
      }
    }
  }

  let lastTime = horizon;
  for (const fix of byDeviceTime(input.fresh.filter((f) => horizon === null || f.deviceTime > horizon))) {
    for (const v of engine.evaluate(ctx, fix).verdicts) {
      const prev = states.get(v.ruleId);
      const s = settings.episodes[v.rule];
      // The common case, a compliant fix of a rule at rest, allocates nothing (see quietFix).
      const episode = prev ? upgradeEpisodeState(prev.episode) : null;
      if ((episode === null || atRest(episode)) && quietFix(v, s)) continue;
      const stored: RuleState = prev ? { ...prev, episode: episode! } : { episode: initialEpisodeState(), openKey: null };
      const r = stepEpisode({ ...stored.episode, lastTime }, v, fix, s);
      let { openKey, marks } = stored;
      if (r.transition?.kind === 'opened') {
        openKey = newEpisodeKey(deviceId, v.ruleId, r.transition.at, marks ?? []);
        intents.push(openIntent(deviceId, ctx, openKey, v, fix, r.transition, false));
        marks = withMark(marks, { key: openKey, at: r.transition.at, end: null });
      } else if (r.transition?.kind === 'closed' && openKey) {
        intents.push({ kind: 'close', episodeKey: openKey, at: r.transition.at });
        marks = closeMark(marks, openKey, r.transition.at);
        openKey = null;
      }
      if (r.suspicion === 'raised') {
        // The first suspicious fix: report faster now, before confirmation (the tag falls back
        // to its plan by itself at `until`, so a lost "restore" cannot leave it in fast mode).
        intents.push({ kind: 'report_fast', deviceId, intervalS: settings.fastIntervalS, at: fix.deviceTime, until: fix.deviceTime + settings.fastForMs, ruleId: v.ruleId });
      }
      put(v.ruleId, prev, { episode: r.state, openKey, ...(marks ? { marks } : {}) });
    }
    if (lastTime === null || fix.deviceTime > lastTime) lastTime = fix.deviceTime;
  }

  const fast = intents.filter((i) => i.kind === 'report_fast');
  const suspectedAfter = [...states.values()].some((s) => s.episode.suspect === true);
  const openAfter = [...states.values()].some((s) => s.episode.open);
  // Several rules may raise suspicion in one batch, or one may while another already had: one
  // command is enough.
  const keep = suspectedBefore ? null : (fast[0] ?? null);
  const out = fast.length ? intents.filter((i) => i.kind !== 'report_fast' || i === keep) : intents;
  // Back to the plan once nothing is suspected; an open episode keeps the fast interval its alert
  // commanded (its close restores the plan).
  if ((suspectedBefore || fast.length > 0) && !suspectedAfter && !openAfter) out.push({ kind: 'report_plan', deviceId, at: lastTime ?? 0 });
  return { intents: out, changed };
}
