import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { distance as turfDistance, lineString, point, pointToLineDistance } from '@turf/turf';
import { DEG, brutePointInRings, makeFrame, minSegDist2, pointDistM, segDist2, segmentsOfRings } from './geo.ts';

// Points and segments in and around Kyrgyzstan.
const lon = fc.double({ min: 69, max: 81, noNaN: true });
const lat = fc.double({ min: 39, max: 43.5, noNaN: true });
const offset = (maxDeg: number) => fc.double({ min: -maxDeg, max: maxDeg, noNaN: true });

describe('planar distance approximation (geo.ts) against Turf geodesic', () => {
  it('point-to-point within 1 m up to 30 km and within 0.1 % up to 300 km', () => {
    fc.assert(
      fc.property(lon, lat, offset(2.7), offset(2.7), (x, y, dx, dy) => {
        const ours = pointDistM(x, y, x + dx, y + dy);
        const ref = turfDistance(point([x, y]), point([x + dx, y + dy]), { units: 'meters' });
        if (ref <= 30_000) expect(Math.abs(ours - ref)).toBeLessThanOrEqual(1);
        else expect(Math.abs(ours - ref) / ref).toBeLessThanOrEqual(0.001);
      }),
      { numRuns: 2000 },
    );
  });

  it('point-to-segment within 1 m or 0.5 % of turf.pointToLineDistance (segments up to ~5 km)', () => {
    fc.assert(
      fc.property(lon, lat, offset(0.2), offset(0.2), offset(0.05), offset(0.05), (x, y, ox, oy, sx, sy) => {
        const ax = x + ox;
        const ay = y + oy;
        const bx = ax + sx;
        const by = ay + sy;
        // Turf's geodesic method is numerically unstable on sub-metre segments (a 1e-5 m segment
        // through the point gives 52 m), so those are left out of the comparison.
        fc.pre(pointDistM(ax, ay, bx, by) >= 1);
        const ours = Math.sqrt(segDist2(makeFrame(x, y), ax, ay, bx, by));
        const ref = pointToLineDistance(point([x, y]), lineString([[ax, ay], [bx, by]]), { units: 'meters' });
        expect(Math.abs(ours - ref)).toBeLessThanOrEqual(Math.max(1, 0.005 * ref));
      }),
      { numRuns: 2000 },
    );
  });

  it('minSegDist2 is min(best, the squared distance by the clamped projection) for any running minimum', () => {
    // The scans skip the division for a losing interior projection, so its answer must equal the
    // textbook formula: t = clamp(-(u . d) / |d|^2, 0, 1), distance |u + t d|.
    const best = fc.oneof(fc.constant(Infinity), fc.double({ min: 0, max: 1e9, noNaN: true }));
    fc.assert(
      fc.property(lat, offset(0.2), offset(0.2), offset(0.05), offset(0.05), fc.boolean(), best, (y, ox, oy, sx, sy, degenerate, b) => {
        const [ax, ay, bx, by] = degenerate ? [ox, oy, ox, oy] : [ox, oy, ox + sx, oy + sy];
        const cosP = Math.cos(y * DEG);
        const sinHalf = (Math.sin(y * DEG) * DEG) / 2;
        const m = 6371008.8 * DEG;
        const kx = m * (cosP - sinHalf * ((ay + by) / 2));
        const [ux, uy, dx, dy] = [ax * kx, ay * m, (bx - ax) * kx, (by - ay) * m];
        const len2 = dx * dx + dy * dy;
        const t = len2 > 0 ? Math.min(1, Math.max(0, -(ux * dx + uy * dy) / len2)) : 0;
        const ref = (ux + t * dx) ** 2 + (uy + t * dy) ** 2;
        const got = minSegDist2(ax, ay, bx, by, cosP, sinHalf, b);
        const want = Math.min(b, ref);
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, want));
      }),
      { numRuns: 5000 },
    );
    // found by the property above: a 1e-162-degree segment 0.03 mm from the point (its length
    // underflows) is at the distance of its endpoint, not 0
    const cos39 = Math.cos(39 * DEG);
    const sinHalf39 = (Math.sin(39 * DEG) * DEG) / 2;
    const d2 = minSegDist2(-4.1230771350876657e-168, 2.8439006955406087e-10, -4.1230771350876657e-168 + 8.023370871559666e-167, 2.8439006955406087e-10, cos39, sinHalf39, Infinity);
    expect(Math.sqrt(d2)).toBeCloseTo(2.8439006955406087e-10 * 6371008.8 * DEG, 9);
  });

  it('PNPOLY reference: a square with a hole', () => {
    const segs = segmentsOfRings(
      [
        [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
        [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]],
      ],
      true,
    );
    expect(brutePointInRings(0.5, 0.5, segs)).toBe(true);
    expect(brutePointInRings(2, 2, segs)).toBe(false); // in the hole
    expect(brutePointInRings(5, 2, segs)).toBe(false);
  });

  it('rejects unclosed rings', () => {
    expect(() => segmentsOfRings([[[0, 0], [1, 0], [1, 1], [0, 1]]], true)).toThrow(/not closed/);
  });
});
