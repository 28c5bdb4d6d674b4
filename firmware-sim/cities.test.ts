import { beforeAll, describe, expect, it } from 'vitest';
import { createGeofenceEngine, type GeofenceEngine } from '../geofence/index.ts';
import { readAdminUnits } from '../infra/geo/kgz-data.ts';
import { CITIES } from './cities.ts';
import { cityFor, demoDeviceId, movementFor } from './demo-fleet.ts';

// A demo tag that sits at home must never look like a violation: every home, plus its wander
// radius and a margin for GPS noise and the residence rule's buffer, lies inside its unit.
describe('demo fleet homes', () => {
  let engine: GeofenceEngine;
  beforeAll(async () => {
    engine = createGeofenceEngine(await readAdminUnits());
  }, 60_000);

  it('each city centre lies in the unit it names', () => {
    for (const c of CITIES) expect(engine.locate(c.centre[0], c.centre[1]).unitId, c.name).toBe(c.unitId);
  });

  it('the first 2,000 demo homes lie inside their unit by their wander radius plus 150 m', () => {
    const tooClose: string[] = [];
    for (let i = 1; i <= 2000; i++) {
      const id = demoDeviceId(i);
      const city = cityFor(i);
      const m = movementFor(id, city);
      if (m.kind !== 'home') continue;
      const depth = -engine.signedDistanceToUnit(city.unitId, m.home[0], m.home[1]);
      if (depth < m.wanderM + 150) tooClose.push(`${id} ${city.name}: ${depth.toFixed(0)} m inside, wanders ${m.wanderM.toFixed(0)} m`);
    }
    expect(tooClose).toEqual([]);
  }, 60_000);
});
