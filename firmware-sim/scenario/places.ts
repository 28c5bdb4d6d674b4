import type { LonLat } from '../../infra/domain/types.ts';
import { CITIES } from '../cities.ts';
import { offset } from '../geo-math.ts';
import { ROADS } from '../roads.ts';
import type { Place } from './scenario-schema.ts';

/** Why a place cannot be resolved, or null when it can (for validation messages). */
export function placeProblem(place: Place): string | null {
  if (Array.isArray(place)) return null;
  const given = (['lonLat', 'city', 'road'] as const).filter((k) => place[k] !== undefined);
  if (given.length !== 1) return `needs exactly one of lonLat, city, road (got ${given.length ? given.join(', ') : 'none'})`;
  if (place.point !== undefined && place.road === undefined) return '`point` is only for a road';
  if (place.city !== undefined && !CITIES.some((c) => c.name === place.city)) {
    return `unknown city "${place.city}"; known: ${CITIES.map((c) => c.name).join(', ')}`;
  }
  if (place.road !== undefined) {
    const r = ROADS.find((x) => x.id === place.road);
    if (!r) return `unknown road "${place.road}"; known: ${ROADS.map((x) => x.id).join(', ')}`;
    if (typeof place.point === 'number' && place.point >= r.points.length) return `road "${r.id}" has ${r.points.length} waypoints (0..${r.points.length - 1})`;
  }
  return null;
}

/** The coordinates of a place (validated before). */
export function resolvePlace(place: Place): LonLat {
  if (Array.isArray(place)) return [place[0], place[1]];
  let at: LonLat;
  if (place.lonLat) at = [place.lonLat[0], place.lonLat[1]];
  else if (place.city !== undefined) at = CITIES.find((c) => c.name === place.city)!.centre;
  else {
    const points = ROADS.find((x) => x.id === place.road)!.points;
    const i = place.point === 'end' ? points.length - 1 : place.point === 'start' || place.point === undefined ? 0 : place.point;
    at = points[i]!.at;
  }
  return place.offsetM ? offset(at, place.offsetM[0], place.offsetM[1]) : at;
}
