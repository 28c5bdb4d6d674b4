import { describe, expect, it } from 'vitest';
import { distanceM } from '../geo-math.ts';
import { road } from '../roads.ts';
import { Itinerary } from './itinerary.ts';
import { relativeWindow } from './relative-schedule.ts';

describe('itinerary', () => {
  it('waits, then drives a road in the given time, then stays at its end', () => {
    const it = new Itinerary({ from: { road: 'bishkek-osh', point: 'start' }, steps: [{ waitS: 2 }, { road: 'bishkek-osh', durationS: 8 }] });
    const osh = road('bishkek-osh').points.at(-1)!.at;
    expect(it.durationS).toBeCloseTo(10, 6);
    expect(it.positionAt(1)).toEqual(road('bishkek-osh').points[0]!.at);
    expect(distanceM(it.positionAt(10), osh)).toBeLessThan(1);
    expect(distanceM(it.positionAt(60), osh)).toBeLessThan(1);
    // Halfway in time is somewhere on the way, far from both ends.
    expect(distanceM(it.positionAt(6), osh)).toBeGreaterThan(50_000);
  });

  it('goes via waypoints at a constant speed', () => {
    const it = new Itinerary({ from: [74.6, 42.87], steps: [{ to: [74.6, 42.89], via: [[74.6, 42.88]], speedKmh: 36 }] });
    const len = distanceM([74.6, 42.87], [74.6, 42.89]);
    expect(it.durationS).toBeCloseTo(len / 10, 3);
  });
});

describe('relative schedule windows (Asia/Bishkek, UTC+6)', () => {
  it('widens to whole minutes in local time and starts on the local weekday', () => {
    // 2026-03-01 17:59:30 UTC = Sunday 23:59:30 in Bishkek.
    const t0 = Date.UTC(2026, 2, 1, 17, 59, 30);
    expect(relativeWindow(t0, 0, 600)).toEqual({ days: [7], start: '23:59', end: '00:10' });
    expect(relativeWindow(t0, 40, 50)).toEqual({ days: [1], start: '00:00', end: '00:01' });
  });
});
