import type { DeviceEvent, Fix } from '../infra/domain/types.ts';
import { episodeKey } from './alert-intent.ts';

/**
 * "No location: GPS lost while moving" as a pure state machine.
 *
 * A tag that goes indoors loses GNSS every day and reports Wi-Fi fixes instead: that is not an
 * alert. What matters is a tag that loses GNSS while its wearer is on the move (a jammer, a
 * shielded bag, a vehicle) and then cannot locate itself usefully: rules cannot be checked, so the
 * monitoring centre must know. The watch starts at a `gps_lost` that happened while moving (the
 * tag's own motion flag, or the speed of its last GNSS fixes) and becomes an alert when, `afterMs`
 * later by device time, no fix at least as good as `goodAccuracyM` has arrived. Cell fixes (hundreds
 * of metres) do not count as a location for this purpose; Wi-Fi fixes usually do.
 *
 * It is decided when the tag next says anything (a coarse fix, a battery report, a heartbeat
 * status): a tag that says nothing at all is the silence watchdog's case (no_communication).
 */
export interface NoLocationSettings {
  afterMs: number;
  /** A fix at least this accurate is a location again. */
  goodAccuracyM: number;
  /** Ground speed from the last GNSS fixes above which the wearer counts as moving. */
  movingSpeedMps: number;
}

export const DEFAULT_NO_LOCATION: NoLocationSettings = { afterMs: 5 * 60_000, goodAccuracyM: 100, movingSpeedMps: 1 };

export interface NoLocationState {
  /** Device time GNSS was lost while moving; null when not watching. */
  lostAt: number | null;
  /** The open no_location episode, if any. */
  openKey: string | null;
  /** Newest device time applied; older items change nothing (store-and-forward replays). */
  lastTime: number | null;
}

export const initialNoLocationState = (): NoLocationState => ({ lostAt: null, openKey: null, lastTime: null });

export type NoLocationItem =
  | { kind: 'event'; event: DeviceEvent; moving: boolean }
  | { kind: 'fix'; fix: Fix };

export type NoLocationTransition =
  | { kind: 'open'; episodeKey: string; at: number; details: Record<string, unknown> }
  | { kind: 'close'; episodeKey: string; at: number };

const timeOf = (i: NoLocationItem): number => (i.kind === 'event' ? i.event.deviceTime : i.fix.deviceTime);

export function stepNoLocation(
  state: NoLocationState,
  deviceId: string,
  items: NoLocationItem[],
  settings: NoLocationSettings = DEFAULT_NO_LOCATION,
): { state: NoLocationState; transitions: NoLocationTransition[] } {
  const s = { ...state };
  const out: NoLocationTransition[] = [];
  const located = (at: number) => {
    if (s.openKey) out.push({ kind: 'close', episodeKey: s.openKey, at });
    s.lostAt = null;
    s.openKey = null;
  };
  const sorted = [...items].sort((a, b) => timeOf(a) - timeOf(b));
  for (const item of sorted) {
    const t = timeOf(item);
    if (s.lastTime !== null && t < s.lastTime) continue;
    s.lastTime = t;
    if (item.kind === 'fix' && item.fix.accuracyM <= settings.goodAccuracyM) {
      located(t);
      continue;
    }
    if (item.kind === 'event') {
      if (item.event.type === 'gps_regained') {
        located(t);
        continue;
      }
      if (item.event.type === 'gps_lost' && s.lostAt === null && item.moving) {
        s.lostAt = t;
        continue;
      }
    }
    if (s.lostAt !== null && !s.openKey && t - s.lostAt >= settings.afterMs) {
      s.openKey = episodeKey(deviceId, 'no_location', s.lostAt);
      out.push({ kind: 'open', episodeKey: s.openKey, at: t, details: { gnssLostAt: s.lostAt, selfClearing: true } });
    }
  }
  return { state: s, transitions: out };
}

interface TimedPoint {
  deviceTime: number;
  lon: number;
  lat: number;
  accuracyM: number;
}

/**
 * Whether two consecutive GNSS fixes show the wearer moving: the distance that cannot be explained
 * by both fixes' accuracy, over the time between them. Stationary noise therefore never counts.
 */
export function movingBetween(a: TimedPoint, b: TimedPoint, speedMps: number): boolean {
  const dt = Math.abs(b.deviceTime - a.deviceTime) / 1000;
  if (dt <= 0) return false;
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const d = R * Math.hypot(dLat, dLon);
  return (d - a.accuracyM - b.accuracyM) / dt >= speedMps;
}

/** How far back the motion test looks for its first fix (see movingBefore). */
export const MOTION_BASELINE_MS = 60_000;

/**
 * Whether the GNSS fixes before a loss (newest first) show the wearer moving. Two consecutive
 * fixes of a 1 Hz track are a few metres apart even at driving speed, less than their two
 * accuracy radii, so the newest fix is compared with the oldest one of the minute before it (at
 * 50 km/h: 14 m net of 8 m of accuracy over one second, with a 7 % chance that position noise
 * hides it; 40 m over three seconds). A sparse track (one fix in that minute) compares the last
 * two fixes. A wearer who stopped within the minute may still count as moving: the watch then
 * ends at the first usable fix.
 */
export function movingBefore(newestFirst: readonly TimedPoint[], speedMps: number, baselineMs = MOTION_BASELINE_MS): boolean {
  const b = newestFirst[0];
  if (!b || newestFirst.length < 2) return false;
  let a = newestFirst[1]!;
  for (let i = 2; i < newestFirst.length; i++) {
    const f = newestFirst[i]!;
    if (b.deviceTime - f.deviceTime > baselineMs) break;
    a = f;
  }
  return movingBetween(a, b, speedMps);
}
