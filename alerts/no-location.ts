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

/** Per-axis sigma of a fix from its reported 68 % radius (Rayleigh: r68 = 1.51 sigma). */
const SIGMA_PER_R68 = 1 / Math.sqrt(-2 * Math.log(0.32));
/**
 * How many standard errors of the estimated velocity are noise. For a wearer standing still the
 * estimated velocity is a 2-D normal around zero, so |v|^2 / var is chi-square with 2 degrees of
 * freedom and exceeds z^2 with probability exp(-z^2 / 2): 1 in 1000 for this z. The speed test
 * comes on top, so a still wearer counts as moving far less often than that.
 */
const NOISE_Z = Math.sqrt(-2 * Math.log(1e-3));

/**
 * Whether GNSS fixes show the wearer moving at `speedMps` or faster: the velocity fitted to the
 * fixes by least squares, weighted by each fix's reported accuracy, less NOISE_Z standard errors
 * of that fit. Two fixes reduce to their displacement less about 2.5 times their combined
 * accuracy. Position noise alone (a tag lying on a table) therefore counts as moving with a
 * probability well under 1 in 1000, where a plain "distance minus both accuracy radii" test let
 * one still tag in 40 through at 1 Hz, because a 68 % radius is exceeded by a third of all fixes.
 */
export function movingOver(points: readonly TimedPoint[], speedMps: number): boolean {
  if (points.length < 2) return false;
  const ref = points[0]!;
  const rad = Math.PI / 180;
  const R = 6_371_008.8;
  const cosLat = Math.cos(ref.lat * rad);
  // weighted means of time and of the local east/north offsets, in seconds and metres
  let sw = 0;
  let st = 0;
  let sx = 0;
  let sy = 0;
  const rows = points.map((p) => {
    const sigma = Math.max(p.accuracyM, 0.1) * SIGMA_PER_R68;
    const w = 1 / (sigma * sigma);
    const t = (p.deviceTime - ref.deviceTime) / 1000;
    const x = (p.lon - ref.lon) * rad * cosLat * R;
    const y = (p.lat - ref.lat) * rad * R;
    sw += w;
    st += w * t;
    sx += w * x;
    sy += w * y;
    return { w, t, x, y };
  });
  const tm = st / sw;
  let stt = 0;
  let stx = 0;
  let sty = 0;
  for (const r of rows) {
    const dt = r.t - tm;
    stt += r.w * dt * dt;
    stx += r.w * dt * (r.x - sx / sw);
    sty += r.w * dt * (r.y - sy / sw);
  }
  if (stt <= 0) return false;
  // velocity estimate and its per-axis standard error
  const speed = Math.hypot(stx, sty) / stt;
  return speed - NOISE_Z / Math.sqrt(stt) >= speedMps;
}

/** Two fixes only: see movingOver. */
export const movingBetween = (a: TimedPoint, b: TimedPoint, speedMps: number): boolean => movingOver([a, b], speedMps);

/** How far back the motion test looks for its fixes (see movingBefore). */
export const MOTION_BASELINE_MS = 60_000;

/**
 * Whether the GNSS fixes before a loss (newest first) show the wearer moving: the fixes of the
 * minute up to the newest one, fitted together (movingOver). Two consecutive fixes of a 1 Hz track
 * are a few metres apart even at driving speed, hardly more than their noise; several seconds of
 * them are not. A sparse track (one fix in that minute) uses the last two fixes. A wearer who
 * stopped within the minute may still count as moving: the watch then ends at the first usable
 * fix.
 */
export function movingBefore(newestFirst: readonly TimedPoint[], speedMps: number, baselineMs = MOTION_BASELINE_MS): boolean {
  const b = newestFirst[0];
  if (!b || newestFirst.length < 2) return false;
  let n = 2;
  while (n < newestFirst.length && b.deviceTime - newestFirst[n]!.deviceTime <= baselineMs) n++;
  return movingOver(newestFirst.slice(0, n), speedMps);
}
