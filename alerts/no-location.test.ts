import { describe, expect, it } from 'vitest';
import type { DeviceEvent, Fix } from '../infra/domain/types.ts';
import { sampleFix } from '../firmware-sim/accuracy-model.ts';
import { offset } from '../firmware-sim/geo-math.ts';
import { prng } from '../infra/random/seeded-random.ts';
import { DEFAULT_NO_LOCATION, initialNoLocationState, movingBefore, movingBetween, movingOver, stepNoLocation, type NoLocationItem } from './no-location.ts';

const T0 = Date.UTC(2026, 10, 22, 9, 0, 0);
const MIN = 60_000;
let seq = 0;
const ev = (t: number, type: string, moving = true): NoLocationItem => ({
  kind: 'event',
  moving,
  event: { deviceId: 'TAG-1', seq: ++seq, deviceTime: t, type, data: {} } satisfies DeviceEvent,
});
const fix = (t: number, accuracyM: number): NoLocationItem => ({
  kind: 'fix',
  fix: { deviceId: 'TAG-1', seq: ++seq, deviceTime: t, lon: 74.6, lat: 42.87, accuracyM, source: accuracyM > 200 ? 'cell' : 'gps' } as Fix,
});

describe('no_location (GPS lost while moving)', () => {
  it('opens when no good fix follows a gps_lost while moving for the threshold, and closes on gps_regained', () => {
    const a = stepNoLocation(initialNoLocationState(), 'TAG-1', [ev(T0, 'gps_lost'), fix(T0 + 2 * MIN, 800)]);
    expect(a.transitions).toEqual([]);
    expect(a.state.lostAt).toBe(T0);
    const b = stepNoLocation(a.state, 'TAG-1', [fix(T0 + 6 * MIN, 900)]);
    expect(b.transitions).toHaveLength(1);
    expect(b.transitions[0]).toMatchObject({ kind: 'open', at: T0 + 6 * MIN, details: { gnssLostAt: T0 } });
    // Further coarse fixes update nothing: one alert per episode.
    const c = stepNoLocation(b.state, 'TAG-1', [fix(T0 + 7 * MIN, 900), fix(T0 + 8 * MIN, 900)]);
    expect(c.transitions).toEqual([]);
    const d = stepNoLocation(c.state, 'TAG-1', [ev(T0 + 9 * MIN, 'gps_regained')]);
    expect(d.transitions).toEqual([{ kind: 'close', episodeKey: b.state.openKey, at: T0 + 9 * MIN }]);
    expect(d.state).toMatchObject({ lostAt: null, openKey: null });
  });

  it('does not alert when the wearer was not moving (going indoors at home)', () => {
    const r = stepNoLocation(initialNoLocationState(), 'TAG-1', [ev(T0, 'gps_lost', false), fix(T0 + 30 * MIN, 900)]);
    expect(r.transitions).toEqual([]);
    expect(r.state.lostAt).toBeNull();
  });

  it('a good Wi-Fi fix within the threshold ends the watch without an alert', () => {
    const r = stepNoLocation(initialNoLocationState(), 'TAG-1', [ev(T0, 'gps_lost'), fix(T0 + 2 * MIN, 40), fix(T0 + 10 * MIN, 900)]);
    expect(r.transitions).toEqual([]);
  });

  it('a late, older item (store-and-forward) changes nothing', () => {
    const a = stepNoLocation(initialNoLocationState(), 'TAG-1', [ev(T0, 'gps_lost'), fix(T0 + 6 * MIN, 900)]);
    expect(a.transitions).toHaveLength(1);
    const late = stepNoLocation(a.state, 'TAG-1', [fix(T0 + 1 * MIN, 10)]);
    expect(late.transitions).toEqual([]);
    expect(late.state.openKey).toBe(a.state.openKey);
  });

  it('honours a shorter threshold from the settings', () => {
    const r = stepNoLocation(initialNoLocationState(), 'TAG-1', [ev(T0, 'gps_lost'), fix(T0 + 3_000, 900)], { ...DEFAULT_NO_LOCATION, afterMs: 2_000 });
    expect(r.transitions.map((t) => t.kind)).toEqual(['open']);
  });

  it('judges motion net of both fixes\' accuracy', () => {
    const p = (dt: number, dLatM: number, acc: number) => ({ deviceTime: T0 + dt, lon: 74.6, lat: 42.87 + dLatM / 111_195, accuracyM: acc });
    // 120 m in 60 s (2 m/s) with 5 m accuracy: moving.
    expect(movingBetween(p(0, 0, 5), p(60_000, 120, 5), 1)).toBe(true);
    // The same 120 m with 50 m accuracy each is within the noise of two such fixes (about 170 m).
    expect(movingBetween(p(0, 0, 50), p(60_000, 120, 50), 1)).toBe(false);
    expect(movingBetween(p(0, 0, 5), p(0, 500, 5), 1)).toBe(false);
  });

  it('judges motion before a loss over the minute before the last fix, not only the last pair', () => {
    // 1 Hz at 50 km/h (13.9 m/s) with 3.8 m accuracy: a pair whose noise shortened the last step
    // to 8 m looks still (less than the noise of two fixes); the minute's four fixes do not.
    const p = (dt: number, dLatM: number, acc = 3.8) => ({ deviceTime: T0 + dt, lon: 74.6, lat: 42.87 + dLatM / 111_195, accuracyM: acc });
    const track = [p(3_000, 35.8), p(2_000, 27.8), p(1_000, 13.9), p(0, 0)];
    expect(movingBetween(track[1]!, track[0]!, 1)).toBe(false);
    expect(movingBefore(track, 1)).toBe(true);
    // standing still with the same noise: not moving over the minute either
    expect(movingBefore([p(3_000, 4), p(2_000, -3), p(1_000, 2), p(0, 0)], 1)).toBe(false);
    // a sparse track (one fix a minute, or fewer): the last two fixes
    expect(movingBefore([p(300_000, 600, 10), p(0, 0, 10)], 1)).toBe(true);
    expect(movingBefore([p(300_000, 100, 10), p(0, 0, 10)], 1)).toBe(false);
    // fixes older than the minute are not the baseline when one inside it exists
    expect(movingBefore([p(120_000, 15), p(100_000, 0), p(0, -2000)], 1)).toBe(false);
    expect(movingBefore([p(0, 0)], 1)).toBe(false);
    expect(movingBefore([], 1)).toBe(false);
  });

  it('tells position noise from motion over a few seconds of a 1 Hz track (simulated receiver, seeded)', () => {
    // The tag model's open-sky GNSS (sigma 1.75-3.5 m, honest 68 % radius, no outliers). The old
    // test (distance net of both radii between the oldest and newest fix) called 2.7 % of still
    // 3-fix tracks moving: 68 % radii are exceeded by a third of all fixes.
    const rand = prng(20261204);
    const count = (n: number, speedMps: number) =>
      Array.from({ length: 5000 }, () => movingBefore(simulatedTrack(rand, n, () => speedMps, 'open', 0), 1)).filter(Boolean).length;
    expect(count(3, 0)).toBeLessThanOrEqual(5);
    expect(count(5, 0)).toBe(0);
    // driving at 50 km/h: five fixes (four seconds) always show it
    expect(count(5, 13.9)).toBe(5000);
  });

  it('drops one receiver outlier (far off, with its usual radius) instead of taking it for motion', () => {
    const p = (dt: number, dLatM: number, acc = 5) => ({ deviceTime: T0 + dt, lon: 74.6, lat: 42.87 + dLatM / 111_195, accuracyM: acc });
    // five still fixes, the newest 60 m off with a 5 m radius (multipath)
    const still = [p(4_000, 60), p(3_000, 1), p(2_000, -2), p(1_000, 2), p(0, 0)];
    expect(movingOver(still, 1)).toBe(false);
    // the same outlier in the middle of the track
    expect(movingOver([p(4_000, 1), p(3_000, -1), p(2_000, 60), p(1_000, 2), p(0, 0)], 1)).toBe(false);
    // driving at 14 m/s with one outlier: still moving
    expect(movingOver([p(4_000, 56), p(3_000, 42), p(2_000, 90), p(1_000, 14), p(0, 0)], 1)).toBe(true);
    // three fixes cannot single one out: fitted as they are
    expect(movingOver([p(2_000, 60), p(1_000, 1), p(0, 0)], 1)).toBe(true);
  });

  it('tells still tags in town from moving ones despite receiver outliers (simulated receiver, seeded)', () => {
    // The tag model's urban GNSS: sigma 6-24 m, 2 % outliers of 6-25 sigma, half of them with the
    // usual radius. Without the outlier test 3 % of still 5-fix tracks looked moving.
    const rand = prng(20261205);
    const count = (n: number, speed: (t: number) => number) =>
      Array.from({ length: 5000 }, () => movingBefore(simulatedTrack(rand, n, speed, 'urban', 1), 1)).filter(Boolean).length;
    expect(count(5, () => 0)).toBeLessThanOrEqual(25);
    expect(count(60, () => 0)).toBeLessThanOrEqual(25);
    // set off in the last ten seconds of the minute: the minute's straight track is under 1 m/s,
    // the last ten seconds are not
    expect(count(60, (t) => (t <= 50 ? 0 : 10))).toBeGreaterThanOrEqual(4950);
  });

  it('counts a wearer who set off late in the minute as moving', () => {
    const rand = prng(7);
    const track = simulatedTrack(rand, 60, (t) => (t <= 50 ? 0 : 10), 'open', 0);
    expect(movingOver(track, 1)).toBe(false);
    expect(movingBefore(track, 1)).toBe(true);
  });
});

/**
 * A 1 Hz track from the tag model's receiver, newest first: `speed(t)` m/s eastwards at second t,
 * in the given environment, with its outliers scaled by `outlierScale` (0: none).
 */
function simulatedTrack(rand: () => number, n: number, speed: (t: number) => number, env: 'open' | 'urban', outlierScale: number) {
  const out = [];
  let east = 0;
  for (let t = 0; t < n; t++) {
    if (t > 0) east += speed(t);
    const s = sampleFix(offset([74.6, 42.87], east, 0), env, rand, { outlierScale });
    out.push({ deviceTime: T0 + t * 1000, lon: s.position[0], lat: s.position[1], accuracyM: s.acc });
  }
  return out.reverse();
}
