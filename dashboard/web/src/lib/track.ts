import type { Feature, FeatureCollection, LineString, Point, Polygon } from 'geojson';

export interface TrackPoint {
  lon: number;
  lat: number;
  accuracyM: number;
  deviceTime: number;
}

const EARTH_M = 6_371_008.8;

/** A circle of `radiusM` metres around a point as a polygon (equirectangular, fine at fix scales). */
export function circlePolygon(lon: number, lat: number, radiusM: number, steps = 32): Polygon {
  const dLat = (radiusM / EARTH_M) * (180 / Math.PI);
  const dLon = dLat / Math.cos((lat * Math.PI) / 180);
  const ring: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    const a = (2 * Math.PI * (i % steps)) / steps;
    ring.push([lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)]);
  }
  return { type: 'Polygon', coordinates: [ring] };
}

export interface Gap {
  from: number;
  to: number;
  /** Index of the fix after the gap. */
  index: number;
}

/**
 * Gaps in reporting: consecutive fixes further apart in device time than `thresholdMs` (the
 * silence watchdog's idea of silence: a few reporting intervals).
 */
export function findGaps(fixes: readonly TrackPoint[], thresholdMs: number): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 1; i < fixes.length; i++) {
    const a = fixes[i - 1]!;
    const b = fixes[i]!;
    if (b.deviceTime - a.deviceTime > thresholdMs) gaps.push({ from: a.deviceTime, to: b.deviceTime, index: i });
  }
  return gaps;
}

/** The track split into the line up to the playhead, continuous segments and gap segments. */
export function trackGeoJson(fixes: readonly TrackPoint[], gaps: readonly Gap[], upTo: number): {
  line: FeatureCollection<LineString, { gap: boolean }>;
  fixes: FeatureCollection<Point, { i: number; accuracyM: number; current: boolean }>;
  accuracy: FeatureCollection<Polygon, { current: boolean }>;
} {
  const shown = fixes.slice(0, upTo + 1);
  const gapAt = new Set(gaps.map((g) => g.index));
  const segments: Feature<LineString, { gap: boolean }>[] = [];
  let run: [number, number][] = [];
  shown.forEach((f, i) => {
    if (i > 0 && gapAt.has(i)) {
      if (run.length > 1) segments.push({ type: 'Feature', properties: { gap: false }, geometry: { type: 'LineString', coordinates: run } });
      const prev = shown[i - 1]!;
      segments.push({ type: 'Feature', properties: { gap: true }, geometry: { type: 'LineString', coordinates: [[prev.lon, prev.lat], [f.lon, f.lat]] } });
      run = [];
    }
    run.push([f.lon, f.lat]);
  });
  if (run.length > 1) segments.push({ type: 'Feature', properties: { gap: false }, geometry: { type: 'LineString', coordinates: run } });
  return {
    line: { type: 'FeatureCollection', features: segments },
    fixes: {
      type: 'FeatureCollection',
      features: shown.map((f, i) => ({ type: 'Feature', properties: { i, accuracyM: f.accuracyM, current: i === upTo }, geometry: { type: 'Point', coordinates: [f.lon, f.lat] } })),
    },
    accuracy: {
      type: 'FeatureCollection',
      features: shown.map((f, i) => ({ type: 'Feature', properties: { current: i === upTo }, geometry: circlePolygon(f.lon, f.lat, f.accuracyM) })),
    },
  };
}

/** [[minLon, minLat], [maxLon, maxLat]] of some points, for framing the map. */
export function bounds(points: readonly { lon: number; lat: number }[]): [[number, number], [number, number]] | null {
  if (!points.length) return null;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of points) {
    x0 = Math.min(x0, p.lon);
    y0 = Math.min(y0, p.lat);
    x1 = Math.max(x1, p.lon);
    y1 = Math.max(y1, p.lat);
  }
  return [[x0, y0], [x1, y1]];
}

/**
 * What counts as a gap when the reporting plan is not at hand: three times the track's median
 * interval (the silence watchdog's factor), and never less than two minutes.
 */
export function gapThreshold(fixes: readonly TrackPoint[]): number {
  if (fixes.length < 3) return 5 * 60_000;
  const deltas = fixes.slice(1).map((f, i) => f.deviceTime - fixes[i]!.deviceTime).sort((a, b) => a - b);
  const median = deltas[Math.floor(deltas.length / 2)]!;
  return Math.max(2 * 60_000, 3 * median);
}

/** Every vertex of a geometry, for framing the map on it. */
export function geometryPoints(g: { coordinates?: unknown } | { type: string }): { lon: number; lat: number }[] {
  const out: { lon: number; lat: number }[] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') out.push({ lon: c[0] as number, lat: c[1] as number });
    else if (Array.isArray(c)) c.forEach(walk);
  };
  walk((g as { coordinates?: unknown }).coordinates);
  return out;
}
