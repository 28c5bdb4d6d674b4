import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { ROADS, road, routeAlong } from './roads.ts';
import { Route } from './route.ts';

const kgz = (JSON.parse(readFileSync(fileURLToPath(new URL('../infra/data/kgz/kgz-adm0.geojson', import.meta.url)), 'utf8')) as { features: Feature<Polygon | MultiPolygon>[] }).features[0]!;
const inside = (p: [number, number]) => booleanPointInPolygon(p, kgz);

/** Inside or outside, every 200 m along the road (the polyline walked at a uniform pace). */
function samples(id: string): boolean[] {
  const even = new Route(road(id).points.map((x) => x.at), 10);
  const out: boolean[] = [];
  for (let s = 0; s <= even.durationS; s += 20) out.push(inside(even.positionAt(s)));
  out.push(inside(even.positionAt(even.durationS)));
  return out;
}

describe('roads against the country boundary (infra/data/kgz/kgz-adm0.geojson)', () => {
  it.each(ROADS.map((r) => [r.id, r] as const))('%s starts inside Kyrgyzstan', (_id, r) => {
    expect(inside(r.points[0]!.at)).toBe(true);
  });

  it.each(ROADS.filter((r) => !r.crossesBorder).map((r) => [r.id] as const))('%s stays inside along its whole length', (id) => {
    expect(samples(id).every(Boolean)).toBe(true);
  });

  it.each(ROADS.filter((r) => r.crossesBorder).map((r) => [r.id] as const))('%s ends outside, crossing the border once', (id) => {
    const s = samples(id);
    expect(s.at(-1)).toBe(false);
    const firstOut = s.indexOf(false);
    expect(firstOut).toBeGreaterThan(0);
    expect(s.slice(firstOut).every((x) => !x)).toBe(true);
  });

  it('has the roads the scenarios need, with plausible lengths and times', () => {
    expect(ROADS.map((r) => r.id)).toEqual(['bishkek-osh', 'bishkek-karakol', 'bishkek-naryn', 'bishkek-korday', 'osh-dostuk', 'naryn-torugart', 'sary-tash-kyzyl-art']);
    const osh = routeAlong(road('bishkek-osh'));
    expect(osh.lengthM / 1000).toBeGreaterThan(430);
    expect(osh.durationS / 3600).toBeGreaterThan(7);
    expect(osh.durationS / 3600).toBeLessThan(11);
    expect(() => road('bishkek-moscow')).toThrow(/known/);
  });
});
