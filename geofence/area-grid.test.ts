import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { booleanPointInPolygon } from '@turf/turf';
import { AreaGrid } from './area-grid.ts';
import { brutePointInRings, segmentsOfRings } from './geo.ts';
import type { SegmentList } from './geo.ts';
import { loadKgzGeoJson, nearSegment } from './fixtures/kgz.ts';

type Feat = { properties: Record<string, unknown>; geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] } };

let feats: Feat[];
let grid: AreaGrid;
let segs: SegmentList[];

beforeAll(() => {
  feats = loadKgzGeoJson('adm2').features as unknown as Feat[];
  segs = feats.map((f) => segmentsOfRings((f.geometry.type === 'Polygon' ? f.geometry.coordinates : (f.geometry.coordinates as number[][][][]).flat(1)) as number[][][], true));
  grid = new AreaGrid(segs);
});

function turfUnit(x: number, y: number): number {
  for (let k = 0; k < feats.length; k++) if (booleanPointInPolygon([x, y], feats[k] as never)) return k;
  return -1;
}

describe('AreaGrid point location on the 55 KGZ level-2 units', () => {
  it('matches turf.booleanPointInPolygon on random points in the country bbox', () => {
    fc.assert(
      fc.property(fc.double({ min: 69.2, max: 80.3, noNaN: true }), fc.double({ min: 39.1, max: 43.3, noNaN: true }), (x, y) => {
        expect(grid.locate(x, y)).toBe(turfUnit(x, y));
      }),
      { numRuns: 3000 },
    );
  });

  it('matches Turf on points within ~100 m of unit boundaries (mixed cells)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.double({ min: -0.001, max: 0.001, noNaN: true }), fc.double({ min: -0.001, max: 0.001, noNaN: true }), (k, dx, dy) => {
        const a = segs[k % segs.length]!;
        const s = (Math.floor(k / segs.length) % a.count) * 4;
        const x = a.coords[s]! + dx;
        const y = a.coords[s + 1]! + dy;
        // exactly on a boundary the answer is a convention (Turf: first unit; PNPOLY: one side)
        fc.pre(!segs.some((g) => nearSegment(g.coords, g.count, x, y)));
        expect(grid.locate(x, y)).toBe(turfUnit(x, y));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with brute-force PNPOLY on a synthetic polygon with a hole, in a coarse grid', () => {
    const ring = segmentsOfRings(
      [
        [[0, 0], [10, 0], [10, 10], [5, 6], [0, 10], [0, 0]],
        [[2, 2], [2, 4], [4, 4], [4, 2], [2, 2]],
      ],
      true,
    );
    const g = new AreaGrid([ring], { minCells: 16, cellsPerSegment: 1 });
    fc.assert(
      fc.property(fc.double({ min: -1, max: 11, noNaN: true }), fc.double({ min: -1, max: 11, noNaN: true }), (x, y) => {
        expect(g.locate(x, y)).toBe(brutePointInRings(x, y, ring) ? 0 : -1);
      }),
      { numRuns: 5000 },
    );
  });

  it('returns -1 outside the grid', () => {
    expect(grid.locate(0, 0)).toBe(-1);
    expect(grid.locate(NaN, 42)).toBe(-1);
  });
});
