import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pointToPolygonDistance } from '@turf/turf';
import { DistanceField } from './distance-field.ts';
import { brutePointInRings, segmentsOfRings, type SegmentList } from './geo.ts';
import { SegmentIndex } from './nearest.ts';
import { kgzUnits, UNITS } from './fixtures/kgz.ts';
import { prng } from '../infra/random/seeded-random.ts';
import type { AdminUnit } from '../infra/domain/types.ts';
import { ringsOf } from './shapes.ts';

let bishkek: AdminUnit;
let field: DistanceField;
const territory: [number, number, number, number] = [68.2, 38.1, 81.3, 44.3];

/** Even draws anywhere in the territory, odd draws within `spread` degrees of a boundary vertex. */
function sampleTerritoryOrBoundary(rnd: () => number, i: number, segs: SegmentList, spread: number): [number, number] {
  if (i % 2 === 0) return [territory[0] + rnd() * (territory[2] - territory[0]), territory[1] + rnd() * (territory[3] - territory[1])];
  const s = Math.floor(rnd() * segs.count) * 4;
  return [segs.coords[s]! + (rnd() - 0.5) * spread, segs.coords[s + 1]! + (rnd() - 0.5) * spread];
}

beforeAll(() => {
  bishkek = kgzUnits().find((u) => u.id === UNITS.bishkek)!;
  field = new DistanceField(segmentsOfRings(ringsOf(bishkek.geometry), true), territory);
});

describe('DistanceField (distance to a unit boundary) against Turf', () => {
  it('matches |turf.pointToPolygonDistance| for Bishkek within 1 m or 0.5 %, near and far', () => {
    const feature = { type: 'Feature' as const, properties: {}, geometry: bishkek.geometry };
    fc.assert(
      fc.property(fc.double({ min: 74.2, max: 75.0, noNaN: true }), fc.double({ min: 42.6, max: 43.1, noNaN: true }), (x, y) => {
        const ref = Math.abs(pointToPolygonDistance([x, y], feature as never, { units: 'meters' }));
        expect(Math.abs(field.distance(x, y) - ref)).toBeLessThanOrEqual(Math.max(1, 0.005 * ref));
      }),
      { numRuns: 300 },
    );
  });

  it('matches the exact R-tree search within 0.2 % (+0.5 m) anywhere in the territory', () => {
    const exact = new SegmentIndex(segmentsOfRings(ringsOf(bishkek.geometry), true));
    fc.assert(
      fc.property(fc.double({ min: 68.2, max: 81.3, noNaN: true }), fc.double({ min: 38.1, max: 44.3, noNaN: true }), (x, y) => {
        const ref = exact.distance(x, y);
        expect(Math.abs(field.distance(x, y) - ref)).toBeLessThanOrEqual(0.002 * ref + 0.5);
      }),
      { numRuns: 20000 },
    );
  });

  it('is exact (< 1 cm vs the R-tree search) within 1 km of the boundary, where rules are decided', () => {
    const segs = segmentsOfRings(ringsOf(bishkek.geometry), true);
    const exact = new SegmentIndex(segs);
    fc.assert(
      fc.property(fc.nat(), fc.double({ min: -0.008, max: 0.008, noNaN: true }), fc.double({ min: -0.008, max: 0.008, noNaN: true }), (k, dx, dy) => {
        const s = (k % segs.count) * 4;
        const x = segs.coords[s]! + dx;
        const y = segs.coords[s + 1]! + dy;
        const ref = exact.distance(x, y);
        if (ref < 1000) expect(Math.abs(field.distance(x, y) - ref)).toBeLessThan(0.01);
      }),
      { numRuns: 5000 },
    );
  });

  it('matches the exact R-tree search (0.2 % + 0.5 m; < 1 cm within 1 km) for the country and a spread of level-2 units', () => {
    const units = kgzUnits();
    const picked = units.filter((u, i) => u.level === 0 || (u.level === 2 && i % 6 === 0));
    expect(picked.length).toBeGreaterThan(8);
    const rnd = prng(99);
    for (const u of picked) {
      const segs = segmentsOfRings(ringsOf(u.geometry), true);
      const f = new DistanceField(segs, territory);
      const exact = new SegmentIndex(segs);
      for (let i = 0; i < 3000; i++) {
        const [x, y] = sampleTerritoryOrBoundary(rnd, i, segs, 0.02);
        const ref = exact.distance(x, y);
        const got = f.distance(x, y);
        if (ref < 1000) expect(Math.abs(got - ref), `${u.id} ${x} ${y}`).toBeLessThan(0.01);
        else expect(Math.abs(got - ref), `${u.id} ${x} ${y}`).toBeLessThanOrEqual(0.002 * ref + 0.5);
      }
    }
  }, 120_000);

  it('keeps lists of the given size: leaves near the boundary hold at most leafSize candidates', () => {
    const segs = segmentsOfRings(ringsOf(bishkek.geometry), true);
    const f = new DistanceField(segs, territory, { leafSize: 8 });
    const exact = new SegmentIndex(segs);
    expect(f.leafCount).toBeGreaterThan(0);
    expect(f.candidateCount).toBeGreaterThan(0);
    // smaller leaves change the tree, never the answer
    for (let i = 0; i < 2000; i++) {
      const s = (i % segs.count) * 4;
      const x = segs.coords[s]! + 0.003 * Math.sin(i);
      const y = segs.coords[s + 1]! + 0.003 * Math.cos(i * 1.7);
      const ref = exact.distance(x, y);
      if (ref < 1000) expect(Math.abs(f.distance(x, y) - ref)).toBeLessThan(0.01);
    }
  });

  it('stores segment coordinates as Float32 offsets from the leaf anchors: rounding < 1 mm near the boundary, < 10 cm anywhere (KGZ)', () => {
    const units = kgzUnits();
    const picked = units.filter((u, i) => u.level === 0 || (u.level === 2 && i % 9 === 0));
    for (const u of picked) {
      const f = new DistanceField(segmentsOfRings(ringsOf(u.geometry), true), territory);
      expect(f.nearRoundingM, u.id).toBeLessThan(0.001);
      expect(f.maxRoundingM, u.id).toBeLessThan(0.1);
    }
  }, 120_000);

  it('branch and bound (candidates by increasing lower bound) returns the minimum over all candidates', () => {
    // a comb: many nearly equidistant teeth, so bounds are tight and the early exit is exercised
    const ring: [number, number][] = [];
    for (let i = 0; i <= 40; i++) {
      ring.push([74 + i * 0.01, 42]);
      ring.push([74 + i * 0.01 + 0.005, 42.05]);
    }
    ring.push([74.4, 41.9], [74, 41.9], [74, 42]);
    const segs = segmentsOfRings([ring], true);
    const f = new DistanceField(segs, territory);
    const exact = new SegmentIndex(segs);
    const rnd = prng(7);
    for (let i = 0; i < 20000; i++) {
      const x = 73.5 + rnd() * 1.5;
      const y = 41.5 + rnd() * 1.2;
      const ref = exact.distance(x, y);
      const got = f.distance(x, y);
      if (ref < 1000) expect(Math.abs(got - ref), `${x} ${y}`).toBeLessThan(0.01);
      else expect(Math.abs(got - ref), `${x} ${y}`).toBeLessThanOrEqual(0.002 * ref + 0.5);
    }
  });

  it('records the side of leaves away from the boundary (lastSide) consistently with exact point location', () => {
    const units = kgzUnits();
    const country = units.find((u) => u.level === 0)!;
    const segs = segmentsOfRings(ringsOf(country.geometry), true);
    const inside = (x: number, y: number): boolean => brutePointInRings(x, y, segs);
    const f = new DistanceField(segs, territory, {}, inside);
    const plain = new DistanceField(segs, territory);
    const rnd = prng(5);
    let known = 0;
    for (let i = 0; i < 4000; i++) {
      const [x, y] = sampleTerritoryOrBoundary(rnd, i, segs, 0.05);
      f.distance(x, y);
      const side = f.lastSide;
      if (side !== 0) {
        known++;
        expect(side > 0, `${x} ${y}`).toBe(inside(x, y));
      }
      plain.distance(x, y);
      expect(plain.lastSide).toBe(0);
    }
    expect(known).toBeGreaterThan(1000);
    f.distance(60, 50); // outside the root box: unknown
    expect(f.lastSide).toBe(0);
  }, 120_000);

  it('falls back to the exact search outside its root box', () => {
    const far: [number, number] = [60, 50];
    expect(field.distance(...far)).toBeCloseTo(field.exactDistance(...far), 6);
  });
});
