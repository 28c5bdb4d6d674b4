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
/** No GNSS fix is better than this (a tag may report 0, which would make millimetres count). */
const MIN_ACCURACY_M = 1;
/**
 * How many standard errors of the estimated velocity are noise. For a wearer standing still the
 * estimated velocity is a 2-D normal around zero, so |v|^2 / var is chi-square with 2 degrees of
 * freedom and exceeds z^2 with probability exp(-z^2 / 2): 1 in 1000 for this z. The speed test
 * comes on top, so a still wearer counts as moving far less often than that.
 */
const NOISE_P = 1e-3;
const noiseZ = (p: number): number => Math.sqrt(-2 * Math.log(p));
const NOISE_Z = noiseZ(NOISE_P);

/** A fix in local metres from the first one, seconds since it, and its weight (1 / sigma^2). */
interface Row {
  w: number;
  t: number;
  x: number;
  y: number;
}

interface VelocityFit {
  vx: number;
  vy: number;
  /** Weighted means of time and position: the fitted track passes through them. */
  tm: number;
  xm: number;
  ym: number;
  sw: number;
  /** Weighted spread of the times: the velocity's per-axis variance is 1 / stt. */
  stt: number;
}

/** Weighted least-squares straight track (constant velocity) through the rows; null without a time spread. */
function fitVelocity(rows: readonly Row[]): VelocityFit | null {
  let sw = 0;
  let st = 0;
  let sx = 0;
  let sy = 0;
  for (const r of rows) {
    sw += r.w;
    st += r.w * r.t;
    sx += r.w * r.x;
    sy += r.w * r.y;
  }
  const tm = st / sw;
  const xm = sx / sw;
  const ym = sy / sw;
  let stt = 0;
  let stx = 0;
  let sty = 0;
  for (const r of rows) {
    const dt = r.t - tm;
    stt += r.w * dt * dt;
    stx += r.w * dt * (r.x - xm);
    sty += r.w * dt * (r.y - ym);
  }
  if (stt <= 0) return null;
  return { vx: stx / stt, vy: sty / stt, tm, xm, ym, sw, stt };
}

/** The fitted speed less z standard errors reaches speedMps. */
const fastEnough = (f: VelocityFit, speedMps: number, z: number): boolean => Math.hypot(f.vx, f.vy) - z / Math.sqrt(f.stt) >= speedMps;

/** Fewer fixes cannot single out the one that is off (three have residuals of one size). */
const MIN_FIXES_TO_DROP_ONE = 4;

/**
 * The row that fits the track worst, if it is an outlier (else -1): its residual, studentized
 * (divided by its own standard deviation, which leverage shrinks at the ends of the track), is
 * chi-square with 2 degrees of freedom for an honest fix and exceeds NOISE_Z 1 time in 1000.
 */
function outlierOf(rows: readonly Row[], f: VelocityFit): number {
  let worst = -1;
  let worstR2 = NOISE_Z * NOISE_Z;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const dt = r.t - f.tm;
    const ex = r.x - (f.xm + f.vx * dt);
    const ey = r.y - (f.ym + f.vy * dt);
    const leverage = r.w / f.sw + (r.w * dt * dt) / f.stt;
    if (leverage >= 1 - 1e-9) continue;
    const r2 = (r.w * (ex * ex + ey * ey)) / (1 - leverage);
    if (r2 > worstR2) {
      worstR2 = r2;
      worst = i;
    }
  }
  return worst;
}

/**
 * Whether GNSS fixes show the wearer moving at `speedMps` or faster: the velocity fitted to the
 * fixes by least squares, weighted by each fix's reported accuracy, less NOISE_Z standard errors
 * of that fit. Two fixes reduce to their displacement less about 2.5 times their combined
 * accuracy. Position noise alone (a tag lying on a table) therefore counts as moving with a
 * probability well under 1 in 1000, where a plain "distance minus both accuracy radii" test let
 * one still tag in 40 through at 1 Hz, because a 68 % radius is exceeded by a third of all fixes.
 *
 * A receiver outlier (multipath: tens of metres off, reporting its usual radius of a few) pulls
 * the fit: one among five still fixes made 1 still tag in 400 look moving in the open and 1 in 30
 * in town, where outliers are ten times as common. So, from four fixes on, the fit is tested
 * first: the fix farthest off the fitted track for its stated accuracy (studentized residual,
 * beyond 1 in 1000 for an honest fix) is dropped and the rest refitted, once (two outliers in a
 * minute are rare). Three fixes cannot single it out, nor tell it from a wearer setting off, and
 * are fitted as they are. Figures in docs/alerts.md.
 */
export function movingOver(points: readonly TimedPoint[], speedMps: number, z = NOISE_Z): boolean {
  if (points.length < 2) return false;
  const ref = points[0]!;
  const rad = Math.PI / 180;
  const R = 6_371_008.8;
  const cosLat = Math.cos(ref.lat * rad);
  const rows: Row[] = points.map((p) => {
    const sigma = Math.max(p.accuracyM, MIN_ACCURACY_M) * SIGMA_PER_R68;
    return {
      w: 1 / (sigma * sigma),
      t: (p.deviceTime - ref.deviceTime) / 1000,
      x: (p.lon - ref.lon) * rad * cosLat * R,
      y: (p.lat - ref.lat) * rad * R,
    };
  });
  const fit = fitVelocity(rows);
  if (!fit) return false;
  const outlier = rows.length >= MIN_FIXES_TO_DROP_ONE ? outlierOf(rows, fit) : -1;
  if (outlier < 0) return fastEnough(fit, speedMps, z);
  const refit = fitVelocity(rows.filter((_, i) => i !== outlier));
  return refit !== null && fastEnough(refit, speedMps, z);
}

/** Two fixes only: see movingOver. */
export const movingBetween = (a: TimedPoint, b: TimedPoint, speedMps: number): boolean => movingOver([a, b], speedMps);

/**
 * The windows, ending at the newest fix, over which motion before a loss is judged (movingBefore):
 * the minute, where a few seconds' noise averages out and walking shows; and the last ten seconds,
 * for a wearer who set off late in that minute (still for 50 s, then driving for 10 s, fits a
 * straight track through the minute at under 1 m/s).
 */
export const MOTION_WINDOWS_MS: readonly number[] = [10_000, 60_000];

/**
 * Whether the GNSS fixes before a loss (newest first) show the wearer moving: each window's fixes
 * fitted together (movingOver), moving if any window says so. The noise allowance grows with the
 * number of windows tested, so that a still wearer still counts as moving less than 1 in 1000
 * times. A shorter window counts when it holds three fixes or more; the minute, holding fewer than
 * two, uses the last two (a sparse track: one fix a minute, or fewer). A wearer who stopped within
 * the minute may still count as moving: the watch then ends at the first usable fix.
 */
export function movingBefore(newestFirst: readonly TimedPoint[], speedMps: number, windowsMs: readonly number[] = MOTION_WINDOWS_MS): boolean {
  const b = newestFirst[0];
  if (!b || newestFirst.length < 2) return false;
  const longest = Math.max(...windowsMs);
  const sizes = new Set<number>();
  for (const w of windowsMs) {
    let n = 1;
    while (n < newestFirst.length && b.deviceTime - newestFirst[n]!.deviceTime <= w) n++;
    // A shorter window needs a fit of its own to add anything; the longest takes the last two
    // fixes when it holds fewer
    if (w === longest) sizes.add(Math.max(n, 2));
    else if (n >= 3) sizes.add(n);
  }
  const z = noiseZ(NOISE_P / sizes.size);
  for (const n of sizes) if (movingOver(newestFirst.slice(0, n), speedMps, z)) return true;
  return false;
}
