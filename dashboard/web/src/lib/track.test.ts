import { describe, expect, it } from 'vitest';
import { circlePolygon, findGaps, gapThreshold, trackGeoJson } from './track.ts';

const fix = (t: number, lon = 74.6, lat = 42.87, accuracyM = 10) => ({ lon, lat, accuracyM, deviceTime: t });

describe('track playback geometry', () => {
  it('draws an accuracy circle of the right radius', () => {
    const ring = circlePolygon(74.6, 42.87, 100).coordinates[0]!;
    expect(ring).toHaveLength(33);
    expect(ring[0]).toEqual(ring[32]);
    // 100 m north is about 0.0009 degrees of latitude.
    const north = ring[8]!;
    expect(north[1]! - 42.87).toBeCloseTo(100 / 111_195, 6);
  });

  it('marks gaps longer than the threshold, and only those', () => {
    const fixes = [fix(0), fix(60_000), fix(120_000), fix(900_000), fix(960_000)];
    expect(findGaps(fixes, 180_000)).toEqual([{ from: 120_000, to: 900_000, index: 3 }]);
    expect(gapThreshold(fixes)).toBe(180_000);
  });

  it('splits the line at gaps and shows only what is before the playhead', () => {
    const fixes = [fix(0, 74.60), fix(60_000, 74.61), fix(900_000, 74.62), fix(960_000, 74.63)];
    const gaps = findGaps(fixes, 180_000);
    const all = trackGeoJson(fixes, gaps, 3);
    expect(all.line.features.map((f) => [f.properties.gap, f.geometry.coordinates.length])).toEqual([[false, 2], [true, 2], [false, 2]]);
    expect(all.fixes.features.filter((f) => f.properties.current).map((f) => f.properties.i)).toEqual([3]);
    const early = trackGeoJson(fixes, gaps, 1);
    expect(early.fixes.features).toHaveLength(2);
    expect(early.accuracy.features).toHaveLength(2);
    expect(early.line.features.every((f) => !f.properties.gap)).toBe(true);
  });
});
