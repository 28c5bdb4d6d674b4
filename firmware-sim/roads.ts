import type { LonLat } from '../infra/domain/types.ts';
import { Route } from './route.ts';

/** A waypoint of a road and the typical speed (km/h) of the leg that leaves it. */
export interface RoadPoint {
  at: LonLat;
  kmh: number;
  place?: string;
}

export interface Road {
  id: string;
  name: string;
  /** True when the road ends beyond the state border (a wearer leaving the country). */
  crossesBorder: boolean;
  points: RoadPoint[];
}

const p = (lon: number, lat: number, kmh: number, place?: string): RoadPoint => (place ? { at: [lon, lat], kmh, place } : { at: [lon, lat], kmh });

/**
 * Main roads as coarse polylines: approximate coordinates of the towns and passes the roads run
 * through, with a speed per leg (city 40, plains 80, mountain road 50, passes 35, border queue 5).
 * Legs are straight, so lengths come out 20-30% short of the real road; good enough for timing
 * scenarios. roads.test.ts checks them against the country boundary: domestic roads stay inside
 * Kyrgyzstan along their whole length (the Jalal-Abad to Osh leg is routed east of the Andijan
 * salient for that reason), border roads start inside and end outside, crossing once.
 */
export const ROADS: Road[] = [
  {
    id: 'bishkek-osh',
    name: 'Bishkek - Osh (M41 via Kara-Balta, Too-Ashuu, Suusamyr, Toktogul, Kara-Kul, Tash-Kumyr, Jalal-Abad)',
    crossesBorder: false,
    points: [
      p(74.596, 42.864, 40, 'Bishkek'),
      p(74.48, 42.86, 80),
      p(74.3, 42.86, 80, 'Sokuluk'),
      p(74.11, 42.83, 80, 'Belovodskoye'),
      p(73.85, 42.81, 60, 'Kara-Balta'),
      p(73.9, 42.63, 50, 'Sosnovka'),
      p(73.86, 42.48, 35),
      p(73.8, 42.33, 35, 'Too-Ashuu pass (tunnel)'),
      p(73.8, 42.2, 70, 'Suusamyr valley'),
      p(73.5, 42.15, 50),
      p(73.1, 42.17, 35, 'Ala-Bel pass'),
      p(73.05, 42.0, 50, 'Chychkan gorge'),
      p(72.94, 41.87, 60, 'Toktogul'),
      p(72.8, 41.75, 50),
      p(72.74, 41.63, 50, 'Kara-Kul'),
      p(72.55, 41.5, 50),
      p(72.22, 41.35, 60, 'Tash-Kumyr'),
      p(72.3, 41.15, 70),
      p(72.48, 41.03, 70, 'Kochkor-Ata'),
      p(72.63, 41.06, 70, 'Massy'),
      p(72.75, 41.04, 70, 'Bazar-Korgon'),
      p(73.01, 40.932, 60, 'Jalal-Abad'),
      p(73.12, 40.88, 70),
      p(73.18, 40.82, 70),
      p(73.12, 40.755, 70),
      p(73.0, 40.72, 70),
      p(72.88, 40.69, 60, 'Kara-Suu'),
      p(72.84, 40.6, 40),
      p(72.798, 40.532, 0, 'Osh'),
    ],
  },
  {
    id: 'bishkek-karakol',
    name: 'Bishkek - Karakol (via Tokmok, Boom gorge, Balykchy, north shore of Issyk-Kul)',
    crossesBorder: false,
    points: [
      p(74.596, 42.864, 40, 'Bishkek'),
      p(74.75, 42.87, 80),
      p(75.3, 42.84, 80, 'Tokmok'),
      p(75.69, 42.78, 60, 'Kemin'),
      p(75.85, 42.58, 60, 'Boom gorge'),
      p(76.19, 42.46, 80, 'Balykchy'),
      p(76.73, 42.62, 80, 'Chok-Tal'),
      p(77.08, 42.65, 80, 'Cholpon-Ata'),
      p(77.66, 42.73, 80, 'Ananyevo'),
      p(78.36, 42.73, 60, 'Tyup'),
      p(78.394, 42.498, 0, 'Karakol'),
    ],
  },
  {
    id: 'bishkek-naryn',
    name: 'Bishkek - Naryn (via Balykchy, Kochkor, Dolon pass)',
    crossesBorder: false,
    points: [
      p(74.596, 42.864, 40, 'Bishkek'),
      p(74.75, 42.87, 80),
      p(75.3, 42.84, 80, 'Tokmok'),
      p(75.69, 42.78, 60, 'Kemin'),
      p(75.85, 42.58, 60, 'Boom gorge'),
      p(76.19, 42.46, 70, 'Balykchy'),
      p(75.95, 42.35, 70),
      p(75.75, 42.21, 60, 'Kochkor'),
      p(75.72, 42.06, 40),
      p(75.78, 41.84, 40, 'Dolon pass'),
      p(75.998, 41.416, 0, 'Naryn'),
    ],
  },
  {
    id: 'bishkek-korday',
    name: 'Bishkek - Kazakh border at Ak-Jol / Korday',
    crossesBorder: true,
    points: [
      p(74.596, 42.864, 40, 'Bishkek'),
      p(74.6, 42.92, 60),
      p(74.65, 42.98, 60),
      p(74.712, 43.012, 5, 'Ak-Jol checkpoint'),
      p(74.7159, 43.017, 40, 'border (Chu river)'),
      p(74.71, 43.04, 0, 'Korday (Kazakhstan)'),
    ],
  },
  {
    id: 'osh-dostuk',
    name: 'Osh - Uzbek border at Dostuk',
    crossesBorder: true,
    points: [
      p(72.798, 40.532, 40, 'Osh'),
      p(72.78, 40.55, 40),
      p(72.753, 40.566, 5, 'Dostuk checkpoint'),
      p(72.751, 40.571, 30, 'border'),
      p(72.748, 40.578, 0, 'Uzbekistan'),
    ],
  },
  {
    id: 'naryn-torugart',
    name: 'Naryn - Chinese border at Torugart (via At-Bashy)',
    crossesBorder: true,
    points: [
      p(75.998, 41.416, 40, 'Naryn'),
      p(75.8, 41.17, 70, 'At-Bashy'),
      p(75.55, 40.95, 60),
      p(75.37, 40.75, 50, 'Tash-Rabat turn'),
      p(75.39, 40.6, 5, 'Torugart checkpoint'),
      p(75.39, 40.56, 30, 'Torugart pass'),
      p(75.38, 40.5, 0, 'China'),
    ],
  },
  {
    id: 'sary-tash-kyzyl-art',
    name: 'Sary-Tash - Tajik border at Kyzyl-Art (Pamir highway M41)',
    crossesBorder: true,
    points: [
      p(73.25, 39.73, 50, 'Sary-Tash'),
      p(73.3, 39.62, 50),
      p(73.33, 39.5, 50, 'Bordobo'),
      p(73.34, 39.4, 5, 'Kyzyl-Art checkpoint'),
      p(73.355, 39.37, 30, 'Kyzyl-Art pass'),
      p(73.4, 39.3, 0, 'Tajikistan (towards Karakul)'),
    ],
  },
];

export function road(id: string): Road {
  const r = ROADS.find((x) => x.id === id);
  if (!r) throw new Error(`no road "${id}"; known: ${ROADS.map((x) => x.id).join(', ')}`);
  return r;
}

/** The road as a route, its speeds scaled by `speedFactor` (a careful driver, a bus, a truck). */
export function routeAlong(r: Road, speedFactor = 1): Route {
  return new Route(
    r.points.map((x) => x.at),
    r.points.slice(0, -1).map((x) => (x.kmh / 3.6) * speedFactor),
  );
}
