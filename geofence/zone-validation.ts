/**
 * Checks a zone an operator or officer drew, before the geofence ever sees it: a shape the engine
 * would evaluate wrongly (a bow-tie polygon's inside is ambiguous), cannot evaluate (coordinates
 * out of range), or would make every fix slow (tens of thousands of vertices) is refused with the
 * problem and where it is. Pure: no I/O. A corridor (a way with a half-width) becomes the polygon
 * the engine evaluates.
 */
import { area, buffer, kinks, lineString, polygon as turfPolygon } from '@turf/turf';
import type { AreaGeometry, LonLat, ZoneShape } from '../infra/domain/types.ts';

/** More vertices than this make point tests slow for every fix of the client; real zones have tens. */
export const MAX_ZONE_VERTICES = 5_000;
/** Smaller than this cannot be told from GPS noise (a fix's 68 % radius is 5-50 m). */
export const MIN_ZONE_AREA_M2 = 100;
export const CIRCLE_RADIUS_M = { min: 10, max: 50_000 } as const;
export const CORRIDOR_HALF_WIDTH_M = { min: 5, max: 5_000 } as const;
export const MAX_CORRIDOR_POINTS = 1_000;

export type DrawnShape =
  | { type: 'polygon'; geometry: AreaGeometry }
  | { type: 'circle'; center: LonLat; radiusM: number }
  | { type: 'corridor'; path: LonLat[]; halfWidthM: number };

export type ZoneShapeCheck =
  | { ok: true; shape: ZoneShape; drawnAs: DrawnShape | null }
  | { ok: false; field: string; problem: string };

const inRange = ([lon, lat]: readonly number[]) => Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon!) <= 180 && Math.abs(lat!) <= 90;
const fail = (field: string, problem: string): ZoneShapeCheck => ({ ok: false, field, problem });

/** `base` names the field in the request, e.g. "body/shape". */
export function checkZoneShape(drawn: DrawnShape, base = 'shape'): ZoneShapeCheck {
  if (drawn.type === 'circle') {
    if (!inRange(drawn.center)) return fail(`${base}/center`, 'longitude must be within ±180 and latitude within ±90');
    if (!(drawn.radiusM >= CIRCLE_RADIUS_M.min && drawn.radiusM <= CIRCLE_RADIUS_M.max)) return fail(`${base}/radiusM`, `must be between ${CIRCLE_RADIUS_M.min} and ${CIRCLE_RADIUS_M.max} m`);
    return { ok: true, shape: { type: 'circle', center: drawn.center, radiusM: drawn.radiusM }, drawnAs: null };
  }
  if (drawn.type === 'corridor') {
    if (drawn.path.length < 2 || drawn.path.length > MAX_CORRIDOR_POINTS) return fail(`${base}/path`, `needs 2 to ${MAX_CORRIDOR_POINTS} points`);
    const bad = drawn.path.findIndex((p) => !inRange(p));
    if (bad >= 0) return fail(`${base}/path/${bad}`, 'longitude must be within ±180 and latitude within ±90');
    if (!(drawn.halfWidthM >= CORRIDOR_HALF_WIDTH_M.min && drawn.halfWidthM <= CORRIDOR_HALF_WIDTH_M.max)) return fail(`${base}/halfWidthM`, `must be between ${CORRIDOR_HALF_WIDTH_M.min} and ${CORRIDOR_HALF_WIDTH_M.max} m`);
    const buffered = buffer(lineString(drawn.path), drawn.halfWidthM, { units: 'meters', steps: 8 });
    const geometry = buffered?.geometry as AreaGeometry | undefined;
    if (!geometry) return fail(`${base}/path`, 'does not make an area');
    const checked = checkPolygon(geometry, base);
    return checked.ok ? { ...checked, drawnAs: drawn } : checked;
  }
  return checkPolygon(drawn.geometry, `${base}/geometry`);
}

function checkPolygon(geometry: AreaGeometry, field: string): ZoneShapeCheck {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : null;
  if (!polygons?.length) return fail(`${field}/type`, 'must be Polygon or MultiPolygon');
  let vertices = 0;
  for (const [pi, rings] of polygons.entries()) {
    const at = geometry.type === 'Polygon' ? `${field}/coordinates` : `${field}/coordinates/${pi}`;
    if (!rings.length) return fail(at, 'has no ring');
    for (const [ri, ring] of rings.entries()) {
      if (ring.length < 4) return fail(`${at}/${ri}`, 'a ring needs at least 4 positions (3 corners and the first again)');
      const first = ring[0]!;
      const last = ring[ring.length - 1]!;
      if (first[0] !== last[0] || first[1] !== last[1]) return fail(`${at}/${ri}`, 'a ring must end where it starts');
      const bad = ring.findIndex((p) => !inRange(p));
      if (bad >= 0) return fail(`${at}/${ri}/${bad}`, 'longitude must be within ±180 and latitude within ±90');
      vertices += ring.length;
    }
    if (vertices > MAX_ZONE_VERTICES) return fail(field, `has more than ${MAX_ZONE_VERTICES} vertices; simplify it`);
    const poly = turfPolygon(rings);
    const crossings = kinks(poly).features;
    if (crossings.length) {
      const [lon, lat] = crossings[0]!.geometry.coordinates;
      return fail(at, `self-intersects near (${lon!.toFixed(5)}, ${lat!.toFixed(5)}): redraw it without crossing edges`);
    }
    if (area(poly) < MIN_ZONE_AREA_M2) return fail(at, `has (nearly) zero area: under ${MIN_ZONE_AREA_M2} m²`);
  }
  return { ok: true, shape: { type: 'polygon', geometry }, drawnAs: null };
}
