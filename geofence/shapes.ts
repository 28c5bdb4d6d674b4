/**
 * Compiled zone shapes and permit corridors: signed distance (m) to a circle, a polygon or a
 * corridor (buffered polyline). Small shapes are scanned directly (a handful of segments is
 * faster than any index); large ones get the same indexes as admin units. Compiled forms are
 * cached per geometry object (WeakMap), so repeated evaluations with the same context objects
 * compile once.
 */
import { booleanValid, kinks } from '@turf/turf';
import type { AreaGeometry, Corridor, ZoneShape } from '../infra/domain/types.ts';
import { AreaGrid } from './area-grid.ts';
import type { BBox, SegmentList } from './geo.ts';
import { M_PER_DEG, bruteDistM, brutePointInRings, emptyBBox, extendBBoxBySegments, makeFrame, minSegDist2, pointDistM, segmentsOfRings } from './geo.ts';
import { SegmentIndex } from './nearest.ts';

/** Above this many segments a shape gets a grid and a nearest-segment index. */
export const SMALL_SHAPE_SEGMENTS = 64;

export interface SignedShape {
  /** Signed distance (m): negative inside the shape. */
  signedDistance(lon: number, lat: number): number;
  /**
   * Same, with the query's trigonometry precomputed (cosP = cos(lat), sinHalf = sin(lat) * DEG / 2,
   * as in DistanceField.distanceAt): no allocation per call.
   */
  signedDistanceAt(lon: number, lat: number, cosP: number, sinHalf: number): number;
}

// Module-local copy: imported bindings may compile to getters (tsx), too slow in hot loops.
const MPD = M_PER_DEG;

/** Minimum distance (m) from (px, py) to the first `count` segments of c (geo.ts metric). */
function minDistAt(c: Float64Array, count: number, px: number, py: number, cosP: number, sinHalf: number): number {
  let best = Infinity;
  for (let i = 0; i < count; i++) {
    const o = i * 4;
    best = minSegDist2(c[o]! - px, c[o + 1]! - py, c[o + 2]! - px, c[o + 3]! - py, cosP, sinHalf, best);
  }
  return Math.sqrt(best);
}

export function ringsOf(g: AreaGeometry): number[][][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat(1);
}

/** Basic structural validation (throws): type, ring closure, >= 4 positions, finite lon/lat. */
export function validateAreaGeometry(g: AreaGeometry, what: string): void {
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) throw new Error(`${what}: geometry must be Polygon or MultiPolygon`);
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  if (!Array.isArray(polys) || polys.length === 0) throw new Error(`${what}: empty geometry`);
  for (const poly of polys) {
    if (!Array.isArray(poly) || poly.length === 0) throw new Error(`${what}: empty polygon`);
    for (const ring of poly) {
      if (!Array.isArray(ring) || ring.length < 4) throw new Error(`${what}: ring with fewer than 4 positions`);
      for (const p of ring) {
        const [x, y] = p as number[];
        if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x!) > 180 || Math.abs(y!) > 90) {
          throw new Error(`${what}: invalid position ${JSON.stringify(p)}`);
        }
      }
      const a = ring[0]!;
      const b = ring[ring.length - 1]!;
      if (a[0] !== b[0] || a[1] !== b[1]) throw new Error(`${what}: ring is not closed`);
    }
  }
}

/** turf.booleanValid plus turf.kinks (booleanValid 7.4 accepts a self-crossing single ring). */
export function validateWithTurf(g: AreaGeometry, what: string): void {
  if (!booleanValid(g as never)) throw new Error(`${what}: geometry is not valid (turf.booleanValid)`);
  if (kinks(g as never).features.length > 0) throw new Error(`${what}: geometry is not valid (self-intersecting ring, turf.kinks)`);
}

class CircleShape implements SignedShape {
  constructor(
    private readonly lon: number,
    private readonly lat: number,
    private readonly r: number,
  ) {}
  signedDistance(lon: number, lat: number): number {
    return pointDistM(lon, lat, this.lon, this.lat) - this.r;
  }
  signedDistanceAt(lon: number, lat: number, cosP: number, sinHalf: number): number {
    // geo.ts segDist2 for a degenerate segment, frame at the query point
    const ay = this.lat - lat;
    const kx = MPD * (cosP - sinHalf * ay);
    const x = (this.lon - lon) * kx;
    const y = ay * MPD;
    return Math.sqrt(x * x + y * y) - this.r;
  }
}

class SmallPolygon implements SignedShape {
  private readonly bbox: BBox;
  constructor(private readonly segs: SegmentList) {
    this.bbox = extendBBoxBySegments(emptyBBox(), segs);
  }
  /** Point in the polygon; outside its bounding box (most fixes: zones are small) without a scan. */
  private contains(lon: number, lat: number): boolean {
    const b = this.bbox;
    return lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3] && brutePointInRings(lon, lat, this.segs);
  }
  signedDistance(lon: number, lat: number): number {
    const d = bruteDistM(makeFrame(lon, lat), this.segs);
    return this.contains(lon, lat) ? -d : d;
  }
  signedDistanceAt(lon: number, lat: number, cosP: number, sinHalf: number): number {
    const d = minDistAt(this.segs.coords, this.segs.count, lon, lat, cosP, sinHalf);
    return this.contains(lon, lat) ? -d : d;
  }
}

class LargePolygon implements SignedShape {
  private readonly grid: AreaGrid;
  private readonly index: SegmentIndex;
  constructor(segs: SegmentList) {
    this.grid = new AreaGrid([segs]);
    this.index = new SegmentIndex(segs);
  }
  signedDistance(lon: number, lat: number): number {
    const d = this.index.distance(lon, lat);
    return this.grid.locate(lon, lat) === 0 ? -d : d;
  }
  signedDistanceAt(lon: number, lat: number): number {
    return this.signedDistance(lon, lat);
  }
}

const shapeCache = new WeakMap<object, SignedShape>();

/** Compile a zone shape (validated: basic checks and turf.booleanValid for polygons). */
export function compileShape(shape: ZoneShape, what = 'zone'): SignedShape {
  const hit = shapeCache.get(shape);
  if (hit) return hit;
  let s: SignedShape;
  if (shape.type === 'circle') {
    const [lon, lat] = shape.center;
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || !(shape.radiusM >= 0)) throw new Error(`${what}: invalid circle`);
    s = new CircleShape(lon, lat, shape.radiusM);
  } else {
    validateAreaGeometry(shape.geometry, what);
    validateWithTurf(shape.geometry, what);
    const segs = segmentsOfRings(ringsOf(shape.geometry), true);
    s = segs.count <= SMALL_SHAPE_SEGMENTS ? new SmallPolygon(segs) : new LargePolygon(segs);
  }
  shapeCache.set(shape, s);
  return s;
}

class CorridorShape implements SignedShape {
  private readonly index: SegmentIndex | null;
  constructor(
    private readonly segs: SegmentList,
    private readonly halfWidthM: number,
  ) {
    this.index = segs.count > SMALL_SHAPE_SEGMENTS ? new SegmentIndex(segs) : null;
  }
  signedDistance(lon: number, lat: number): number {
    const d = this.index ? this.index.distance(lon, lat) : bruteDistM(makeFrame(lon, lat), this.segs);
    return d - this.halfWidthM;
  }
  signedDistanceAt(lon: number, lat: number, cosP: number, sinHalf: number): number {
    const d = this.index ? this.index.distance(lon, lat) : minDistAt(this.segs.coords, this.segs.count, lon, lat, cosP, sinHalf);
    return d - this.halfWidthM;
  }
}

/** A corridor as a shape: the set of points within halfWidthM of the path. */
export function compileCorridor(c: Corridor): SignedShape {
  const hit = shapeCache.get(c);
  if (hit) return hit;
  if (!Array.isArray(c.path) || c.path.length === 0) throw new Error('corridor: empty path');
  const path = c.path.length === 1 ? [c.path[0]!, c.path[0]!] : c.path;
  const s = new CorridorShape(segmentsOfRings([path], false), Math.max(0, c.halfWidthM));
  shapeCache.set(c, s);
  return s;
}
