import type { LonLat } from '../infra/domain/types.ts';

/**
 * Where demo clients live: city centres with the level 2 unit that contains them (checked against
 * the boundary data in cities.test.ts). Weights roughly follow population, so the demo fleet looks
 * like a national caseload.
 */
export interface City {
  name: string;
  unitId: string;
  centre: LonLat;
  /** Radius (m) within which homes are scattered. */
  spreadM: number;
  weight: number;
}

// Centres are the deepest interior points near each city centre (not the map label), and spreads
// keep every home, with its wander radius, well inside the unit: cities.test.ts checks it.
export const CITIES: City[] = [
  { name: 'Bishkek', unitId: 'KG11000000000', centre: [74.596, 42.864], spreadM: 4000, weight: 40 },
  { name: 'Osh', unitId: 'KG21000000000', centre: [72.798, 40.532], spreadM: 1000, weight: 14 },
  { name: 'Jalal-Abad', unitId: 'KG03410000010', centre: [73.01, 40.932], spreadM: 1500, weight: 6 },
  { name: 'Karakol', unitId: 'KG02410000010', centre: [78.394, 42.498], spreadM: 2500, weight: 5 },
  { name: 'Tokmok', unitId: 'KG08400000010', centre: [75.308, 42.84], spreadM: 1500, weight: 5 },
  { name: 'Naryn', unitId: 'KG04400000010', centre: [75.998, 41.416], spreadM: 1800, weight: 3 },
  { name: 'Talas', unitId: 'KG07400000010', centre: [72.262, 42.518], spreadM: 600, weight: 3 },
  { name: 'Batken', unitId: 'KG05410000010', centre: [70.808, 40.088], spreadM: 2500, weight: 2 },
  { name: 'Kant (Ysyk-Ata)', unitId: 'KG08206000000', centre: [74.876, 42.86], spreadM: 3000, weight: 4 },
];
