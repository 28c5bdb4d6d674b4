import type { LonLat } from '../infra/domain/types.ts';

const M_PER_DEG_LAT = 111_320;

/** Moves a point by metres east/north (local flat approximation, fine at simulator scales). */
export function offset([lon, lat]: LonLat, eastM: number, northM: number): LonLat {
  return [lon + eastM / (M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180)), lat + northM / M_PER_DEG_LAT];
}

/**
 * Great-circle distance in metres (haversine). Routes span hundreds of kilometres, where the flat
 * approximation of `offset` would drift by more than a GPS error.
 */
export function distanceM([lon1, lat1]: LonLat, [lon2, lat2]: LonLat): number {
  const r = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The point a fraction `f` (0..1) of the way from a to b. Linear in degrees: road legs between
 * waypoints are a few kilometres to a few tens of kilometres, where that is within metres of the
 * great circle, and it keeps positions exactly on the drawn polyline.
 */
export function lerp(a: LonLat, b: LonLat, f: number): LonLat {
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
}
