import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pointToPolygonDistance } from '@turf/turf';
import { DistanceField } from './distance-field.ts';
import { segmentsOfRings } from './geo.ts';
import { SegmentIndex } from './nearest.ts';
import { kgzUnits, UNITS } from './fixtures/kgz.ts';
import type { AdminUnit } from '../infra/domain/types.ts';
import { ringsOf } from './shapes.ts';

let bishkek: AdminUnit;
let field: DistanceField;
const territory: [number, number, number, number] = [68.2, 38.1, 81.3, 44.3];

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

  it('falls back to the exact search outside its root box', () => {
    const far: [number, number] = [60, 50];
    expect(field.distance(...far)).toBeCloseTo(field.exactDistance(...far), 6);
  });
});
