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

export const CITIES: City[] = [
  { name: 'Bishkek', unitId: 'KG11000000000', centre: [74.59, 42.87], spreadM: 4000, weight: 40 },
  { name: 'Osh', unitId: 'KG21000000000', centre: [72.80, 40.53], spreadM: 1500, weight: 14 },
  { name: 'Jalal-Abad', unitId: 'KG03410000010', centre: [72.99, 40.93], spreadM: 1200, weight: 6 },
  { name: 'Karakol', unitId: 'KG02410000010', centre: [78.39, 42.49], spreadM: 1200, weight: 5 },
  { name: 'Tokmok', unitId: 'KG08400000010', centre: [75.29, 42.84], spreadM: 1000, weight: 5 },
  { name: 'Naryn', unitId: 'KG04400000010', centre: [75.99, 41.43], spreadM: 1000, weight: 3 },
  { name: 'Talas', unitId: 'KG07400000010', centre: [72.24, 42.52], spreadM: 800, weight: 3 },
  { name: 'Batken', unitId: 'KG05410000010', centre: [70.82, 40.06], spreadM: 600, weight: 2 },
  { name: 'Kant (Ysyk-Ata)', unitId: 'KG08206000000', centre: [74.85, 42.89], spreadM: 1000, weight: 4 },
];
