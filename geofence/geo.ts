/**
 * Planar approximations of spherical distances, used by every index in the engine.
 *
 * Distances are computed in a local equirectangular frame centred on the query point, with the
 * east-west scale taken at the mean latitude of the query point and each segment (a first-order
 * Taylor expansion of cos(mean latitude), so no trigonometry per segment). On the sphere Turf uses
 * (R = 6,371,008.8 m) the error is second order in the latitude difference: below 1 cm at 1 km,
 * below 1 m at 30 km, about 0.1 % at a few hundred kilometres (see geo.test.ts, checked against
 * Turf). Longitudes are not wrapped: the engine is meant for a region that does not cross the
 * antimeridian (Central Asia).
 */

/** Earth radius used by Turf (metres). */
export const EARTH_RADIUS_M = 6371008.8;
export const DEG = Math.PI / 180;
/** Metres per degree of latitude (and of longitude at the equator) on Turf's sphere. */
export const M_PER_DEG = EARTH_RADIUS_M * DEG;

/** Per-query constants: computed once per fix, reused for every segment. */
export interface Frame {
  lon: number;
  lat: number;
  cos: number;
  /** sin(lat) * DEG / 2: derivative factor for the mean-latitude correction. */
  sinHalf: number;
}

export function makeFrame(lon: number, lat: number): Frame {
  const r = lat * DEG;
  return { lon, lat, cos: Math.cos(r), sinHalf: (Math.sin(r) * DEG) / 2 };
}

/** Squared distance (m^2) from the frame's point to segment a-b (lon/lat degrees). */
export function segDist2(f: Frame, ax: number, ay: number, bx: number, by: number): number {
  return minSegDist2(ax - f.lon, ay - f.lat, bx - f.lon, by - f.lat, f.cos, f.sinHalf, Infinity);
}

/**
 * min(best, squared distance (m^2) from a point to segment a-b), the segment given as offsets
 * (degrees) from the point and the point's latitude as cosP = cos(lat), sinHalf = sin(lat) * DEG / 2.
 * The one implementation of the metric: the scans call it with their running minimum (V8 inlines
 * it; DistanceField.distanceInLeaf keeps a measured hand-inlined copy), and it divides only for an
 * interior projection that beats `best`, because the division is the slowest step and most
 * candidates of a scan lose.
 */
export function minSegDist2(ax: number, ay: number, bx: number, by: number, cosP: number, sinHalf: number, best: number): number {
  const kx = M_PER_DEG * (cosP - sinHalf * ((ay + by) * 0.5));
  const ux = ax * kx;
  const uy = ay * M_PER_DEG;
  const dx = (bx - ax) * kx;
  const dy = (by - ay) * M_PER_DEG;
  const len2 = dx * dx + dy * dy;
  // the projection's parameter, times len2
  const tl = -(ux * dx + uy * dy);
  // A segment shorter than 1e-100 m is a point: its squared length is subnormal, and the cross
  // product below would underflow to 0 (a property test found one, 1e-162 degrees long).
  if (tl <= 0 || len2 < 1e-200) {
    const d2 = ux * ux + uy * uy;
    return d2 < best ? d2 : best;
  }
  if (tl >= len2) {
    const vx = ux + dx;
    const vy = uy + dy;
    const d2 = vx * vx + vy * vy;
    return d2 < best ? d2 : best;
  }
  const cr = ux * dy - uy * dx;
  const c2 = cr * cr;
  return c2 < best * len2 ? c2 / len2 : best;
}

/** Distance in metres between two lon/lat points with the same approximation. */
export function pointDistM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const f = makeFrame(lon1, lat1);
  return Math.sqrt(segDist2(f, lon2, lat2, lon2, lat2));
}

/** Bounding box [minLon, minLat, maxLon, maxLat]. */
export type BBox = [number, number, number, number];

export function emptyBBox(): BBox {
  return [Infinity, Infinity, -Infinity, -Infinity];
}

export function extendBBox(b: BBox, x: number, y: number): void {
  if (x < b[0]) b[0] = x;
  if (y < b[1]) b[1] = y;
  if (x > b[2]) b[2] = x;
  if (y > b[3]) b[3] = y;
}

/** Extend b by every endpoint of the segments; returns b. */
export function extendBBoxBySegments(b: BBox, segs: SegmentList): BBox {
  const c = segs.coords;
  for (let i = 0; i < segs.count * 4; i += 2) extendBBox(b, c[i]!, c[i + 1]!);
  return b;
}

/**
 * A flat list of segments: [ax, ay, bx, by] per segment, lon/lat degrees.
 * Rings are closed, so a ring of n positions gives n - 1 segments.
 */
export interface SegmentList {
  coords: Float64Array;
  count: number;
}

export function segmentsOfRings(rings: ReadonlyArray<ReadonlyArray<readonly [number, number] | number[]>>, closed: boolean): SegmentList {
  let n = 0;
  for (const r of rings) if (r.length > 1) n += r.length - 1;
  const coords = new Float64Array(n * 4);
  let k = 0;
  for (const r of rings) {
    for (let i = 0; i + 1 < r.length; i++) {
      const a = r[i]!;
      const b = r[i + 1]!;
      coords[k++] = a[0]!;
      coords[k++] = a[1]!;
      coords[k++] = b[0]!;
      coords[k++] = b[1]!;
    }
    if (closed && r.length > 1) {
      const a = r[r.length - 1]!;
      const b = r[0]!;
      if (a[0] !== b[0] || a[1] !== b[1]) throw new Error('ring is not closed');
    }
  }
  return { coords, count: n };
}

/** Brute-force minimum distance (m) from a point to a segment list: O(n), for small inputs. */
export function bruteDistM(f: Frame, segs: SegmentList): number {
  const c = segs.coords;
  let best = Infinity;
  for (let i = 0; i < segs.count; i++) {
    const o = i * 4;
    const d = segDist2(f, c[o]!, c[o + 1]!, c[o + 2]!, c[o + 3]!);
    if (d < best) best = d;
  }
  return Math.sqrt(best);
}

/**
 * Even-odd point-in-polygon over a segment list (PNPOLY half-open rule: a vertex on the ray's
 * latitude counts as below it). O(n); the grid index in area-grid.ts uses the same convention.
 */
export function brutePointInRings(lon: number, lat: number, segs: SegmentList): boolean {
  const c = segs.coords;
  let inside = false;
  for (let i = 0; i < segs.count; i++) {
    const o = i * 4;
    const ay = c[o + 1]!;
    const by = c[o + 3]!;
    if (ay > lat !== by > lat) {
      const ax = c[o]!;
      const bx = c[o + 2]!;
      if (lon < ax + ((lat - ay) * (bx - ax)) / (by - ay)) inside = !inside;
    }
  }
  return inside;
}
