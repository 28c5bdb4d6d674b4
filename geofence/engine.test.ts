import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { booleanPointInPolygon, pointToPolygonDistance } from '@turf/turf';
import type { Permit, RegimeKind, Zone } from '../infra/domain/types.ts';
import { GEOFENCE_OBLIGATIONS } from '../infra/domain/legal.ts';
import type { GeofenceEngine, RuleKind, RuleVerdict, SupervisionContext } from './index.ts';
import { createGeofenceEngine } from './index.ts';
import { PLACES, UNITS, fixAt, kgzEngine, kgzUnits, loadKgzGeoJson } from './fixtures/kgz.ts';
import { ringsOf } from './shapes.ts';
import { prng } from '../infra/random/seeded-random.ts';

let engine: GeofenceEngine;
beforeAll(() => {
  engine = kgzEngine();
  engine.prepare([UNITS.bishkek, UNITS.oshCity, ALAMUDUN, ISSYK_KUL_RAION]);
}, 120_000);

const ALAMUDUN = 'KG08203000000';
const ISSYK_KUL_RAION = 'KG02210000000';
// Bishkek local time: UTC+6. 2025-06-11 is a Wednesday.
const local = (d: number, h: number, m = 0) => Date.UTC(2025, 5, d, h - 6, m);
const NOON = local(11, 12);

function ctx(regime: RegimeKind, extra: Partial<SupervisionContext> = {}): SupervisionContext {
  return { clientId: 'c-1', regime, residenceUnitId: UNITS.bishkek, zones: [], permits: [], ...extra };
}
function rule(vs: RuleVerdict[], kind: RuleKind, id?: string): RuleVerdict {
  const v = vs.find((x) => x.rule === kind && (id === undefined || x.ruleId === id));
  if (!v) throw new Error(`no verdict ${kind} ${id ?? ''}`);
  return v;
}
const at = (p: readonly [number, number], t = NOON, acc = 10) => fixAt(p[0], p[1], t, acc);
const permit = (p: Partial<Permit>): Permit => ({
  id: 'p-1',
  clientId: 'c-1',
  category: 'weekend_holiday',
  destinationUnitIds: [],
  corridor: null,
  validFrom: local(10, 0),
  validUntil: local(12, 23, 59),
  ...p,
});
// A point in Alamudun raion (checked in a test below) and one far away in Osh.
const IN_ALAMUDUN: [number, number] = [74.5, 42.75];

/** Walk from `from` toward the unit's nearest boundary vertex, stop within `stopM` of its boundary. */
function approach(unitId: string, from: readonly [number, number], stopM: number): [number, number] {
  const u = kgzUnits().find((x) => x.id === unitId)!;
  let best: [number, number] = [0, 0];
  let bestD = Infinity;
  for (const ring of ringsOf(u.geometry)) {
    for (const [vx, vy] of ring) {
      const d = Math.hypot((vx! - from[0]) * Math.cos((from[1] * Math.PI) / 180), vy! - from[1]);
      if (d < bestD) {
        bestD = d;
        best = [vx!, vy!];
      }
    }
  }
  const steps = 100_000;
  for (let i = 0; i <= steps; i++) {
    const x = from[0] + ((best[0] - from[0]) * i) / steps;
    const y = from[1] + ((best[1] - from[1]) * i) / steps;
    if (engine.signedDistanceToUnit(unitId, x, y) <= stopM) return [x, y];
  }
  throw new Error('approach: boundary not reached');
}

describe('locate', () => {
  it('the places of SOURCE.md: Bishkek, Osh city, Issyk-Kul lake (oblast KG-Y, no unit), Almaty and Sokh (abroad)', () => {
    expect(engine.locate(...PLACES.bishkek)).toEqual({ unitId: UNITS.bishkek, oblastId: 'KG-GB', inCountry: true });
    expect(engine.locate(...PLACES.osh)).toEqual({ unitId: UNITS.oshCity, oblastId: 'KG-GO', inCountry: true });
    expect(engine.locate(...PLACES.issykKulLake)).toEqual({ unitId: null, oblastId: 'KG-Y', inCountry: true });
    expect(engine.locate(...PLACES.almaty)).toEqual({ unitId: null, oblastId: null, inCountry: false });
    expect(engine.locate(...PLACES.sokh)).toEqual({ unitId: null, oblastId: null, inCountry: false });
  });

  it('level 0 and level 1 lookups match Turf on random points (property)', () => {
    const adm0 = loadKgzGeoJson('adm0').features[0]!;
    const adm1 = loadKgzGeoJson('adm1').features;
    fc.assert(
      fc.property(fc.double({ min: 69.2, max: 80.3, noNaN: true }), fc.double({ min: 39.1, max: 43.3, noNaN: true }), (x, y) => {
        const l = engine.locate(x, y);
        expect(l.inCountry).toBe(booleanPointInPolygon([x, y], adm0 as never));
        const ob = adm1.find((f) => booleanPointInPolygon([x, y], f as never));
        expect(l.oblastId).toBe(ob ? String(ob.properties.id) : null);
      }),
      { numRuns: 1000 },
    );
  });

  it('evaluate reports the same inCountry and unit as locate (the country index records sides away from the border)', () => {
    const c = ctx('probation_supervision');
    const rnd = prng(11);
    const country = kgzUnits().find((u) => u.level === 0)!;
    const ring = ringsOf(country.geometry)[0]!;
    for (let i = 0; i < 20000; i++) {
      let x: number;
      let y: number;
      if (i % 2 === 0) {
        x = 69 + rnd() * 11.5;
        y = 39 + rnd() * 4.5;
      } else {
        const v = ring[Math.floor(rnd() * (ring.length - 1))]!;
        x = v[0]! + (rnd() - 0.5) * 0.02;
        y = v[1]! + (rnd() - 0.5) * 0.02;
      }
      const ev = engine.evaluate(c, at([x, y]));
      const loc = engine.locate(x, y);
      expect(ev.inCountry, `${x} ${y}`).toBe(loc.inCountry);
      expect(ev.unitId).toBe(loc.unitId);
      const d = rule(ev.verdicts, 'country_border').distanceM;
      if (d !== 0) expect(d < 0, `${x} ${y}`).toBe(loc.inCountry);
    }
  });

  it('IN_ALAMUDUN fixture point is in Alamudun raion', () => {
    expect(engine.locate(...IN_ALAMUDUN).unitId).toBe(ALAMUDUN);
  });
});

describe('residence unit (level 2)', () => {
  it('PEC KR art. 166(1)(4): probation client in Bishkek is inside the residence unit', () => {
    const v = rule(engine.evaluate(ctx('probation_supervision'), at(PLACES.bishkek)).verdicts, 'residence_unit');
    expect(v).toMatchObject({ status: 'inside', active: true, alertType: 'residence_exit', severity: 'high', articles: ['PEC KR art. 166(1)(4)'] });
    expect(v.distanceM).toBeLessThan(0);
  });

  it('PEC KR art. 166(1)(4): probation client in Osh without a permit is outside the residence unit, high', () => {
    const v = rule(engine.evaluate(ctx('probation_supervision'), at(PLACES.osh)).verdicts, 'residence_unit');
    expect(v.status).toBe('outside');
    expect(v.severity).toBe('high');
    expect(v.distanceM).toBeGreaterThan(200_000);
    expect(v.permitId).toBeUndefined();
  });

  it('PEC KR art. 63(1)(4): restriction of freedom, outside the unit, cites art. 63(1)(4)', () => {
    const v = rule(engine.evaluate(ctx('restriction_of_freedom'), at(IN_ALAMUDUN)).verdicts, 'residence_unit');
    expect(v.status).toBe('outside');
    expect(v.articles).toEqual(['PEC KR art. 63(1)(4)']);
  });

  it('PEC KR art. 160^3(2)(4): deferred sentence, outside the unit, cites art. 160^3(2)(4)', () => {
    const v = rule(engine.evaluate(ctx('deferred_sentence'), at(IN_ALAMUDUN)).verdicts, 'residence_unit');
    expect(v.status).toBe('outside');
    expect(v.articles).toEqual(['PEC KR art. 160^3(2)(4)']);
  });

  it('PEC KR art. 160(6): parole is supervised as probation (art. 166(1)(4))', () => {
    const v = rule(engine.evaluate(ctx('parole'), at(IN_ALAMUDUN)).verdicts, 'residence_unit');
    expect(v.status).toBe('outside');
    expect(v.articles).toEqual(['PEC KR art. 160(6)', 'PEC KR art. 166(1)(4)']);
  });

  it('PEC KR art. 63(2): permit overrides residence rule while valid and not after', () => {
    const c = ctx('restriction_of_freedom', { permits: [permit({ destinationUnitIds: [ALAMUDUN] })] });
    const during = rule(engine.evaluate(c, at(IN_ALAMUDUN, local(11, 12))).verdicts, 'residence_unit');
    expect(during).toMatchObject({ status: 'inside', active: true, permitId: 'p-1' });
    expect(during.distanceM).toBeLessThan(0);
    const before = rule(engine.evaluate(c, at(IN_ALAMUDUN, local(9, 23, 59))).verdicts, 'residence_unit');
    const after = rule(engine.evaluate(c, at(IN_ALAMUDUN, local(13, 0))).verdicts, 'residence_unit');
    expect(before.status).toBe('outside');
    expect(after.status).toBe('outside');
    expect(after.permitId).toBeUndefined();
    // bounds are inclusive
    expect(rule(engine.evaluate(c, at(IN_ALAMUDUN, local(12, 23, 59))).verdicts, 'residence_unit').status).toBe('inside');
  });

  it('PEC KR art. 166(2): a permit to Alamudun does not allow Osh', () => {
    const c = ctx('probation_supervision', { permits: [permit({ destinationUnitIds: [ALAMUDUN] })] });
    expect(rule(engine.evaluate(c, at(PLACES.osh)).verdicts, 'residence_unit').status).toBe('outside');
  });

  it('PEC KR art. 166(2): the corridor of a valid permit is allowed, its distance is to the corridor edge', () => {
    // a corridor from Bishkek toward Osh, 1 km wide; a point on it 100 km from Bishkek
    const path: [number, number][] = [
      [74.6, 42.8],
      [73.9, 42.0],
      [73.0, 41.0],
      [72.8, 40.55],
    ];
    const c = ctx('probation_supervision', { permits: [permit({ id: 'p-osh', destinationUnitIds: [UNITS.oshCity], corridor: { path, halfWidthM: 1000 } })] });
    const onPath = rule(engine.evaluate(c, at([73.9, 42.0])).verdicts, 'residence_unit');
    expect(onPath).toMatchObject({ status: 'inside', permitId: 'p-osh' });
    expect(onPath.distanceM).toBeCloseTo(-1000, 0);
    const offPath = rule(engine.evaluate(c, at([73.9 + 0.1, 42.0])).verdicts, 'residence_unit');
    expect(offPath.status).toBe('outside');
    expect(rule(engine.evaluate(c, at(PLACES.osh)).verdicts, 'residence_unit').permitId).toBe('p-osh');
  });

  it('signed distance to the residence unit matches turf.pointToPolygonDistance (Bishkek, property)', () => {
    const b = kgzUnits().find((u) => u.id === UNITS.bishkek)!;
    const feature = { type: 'Feature' as const, properties: {}, geometry: b.geometry };
    fc.assert(
      fc.property(fc.double({ min: 74.3, max: 74.9, noNaN: true }), fc.double({ min: 42.7, max: 43.0, noNaN: true }), (x, y) => {
        const ref = pointToPolygonDistance([x, y], feature as never, { units: 'meters' });
        const v = rule(engine.evaluate(ctx('probation_supervision'), at([x, y], NOON, 0)).verdicts, 'residence_unit');
        expect(Math.abs(v.distanceM - ref)).toBeLessThanOrEqual(Math.max(1, 0.005 * Math.abs(ref)));
      }),
      { numRuns: 200 },
    );
  });

  it('a fix whose accuracy circle crosses the boundary is uncertain, never outside', () => {
    const c = ctx('probation_supervision');
    // a point ~30 m outside Bishkek: walk from Osh toward Bishkek's nearest vertex
    const [x, y] = approach(UNITS.bishkek, [74.0, 42.5], 30);
    const d = engine.signedDistanceToUnit(UNITS.bishkek, x, y);
    expect(rule(engine.evaluate(c, fixAt(x, y, NOON, d + 5)).verdicts, 'residence_unit').status).toBe('uncertain');
    expect(rule(engine.evaluate(c, fixAt(x, y, NOON, d - 5)).verdicts, 'residence_unit').status).toBe('outside');
  });
});

describe('lakes: Issyk-Kul belongs to no level-2 unit', () => {
  it('a client of Issyk-Kul raion on the lake is outside the residence unit by the distance to its shore', () => {
    const c = { ...ctx('probation_supervision'), residenceUnitId: ISSYK_KUL_RAION };
    const ev = engine.evaluate(c, at(PLACES.issykKulLake));
    expect(ev.unitId).toBeNull();
    expect(ev.inCountry).toBe(true);
    const v = rule(ev.verdicts, 'residence_unit');
    expect(v.status).toBe('outside');
    expect(v.distanceM).toBeCloseTo(engine.signedDistanceToUnit(ISSYK_KUL_RAION, ...PLACES.issykKulLake), 6);
    expect(rule(ev.verdicts, 'country_border').status).toBe('inside');
  });

  it('near the shore the accuracy circle makes a lake fix uncertain, not a violation', () => {
    const c = { ...ctx('probation_supervision'), residenceUnitId: ISSYK_KUL_RAION };
    // walk from the lake point toward the raion's nearest vertex until ~20 m off its shore
    const [x, y] = approach(ISSYK_KUL_RAION, PLACES.issykKulLake, 20);
    const ev = engine.evaluate(c, fixAt(x, y, NOON, 30));
    expect(ev.unitId).toBeNull();
    expect(rule(ev.verdicts, 'residence_unit').status).toBe('uncertain');
  });
});

describe('country border', () => {
  it('PEC KR art. 166(1)(4^1): probation client in Kazakhstan is outside the country, critical', () => {
    const ev = engine.evaluate(ctx('probation_supervision'), at(PLACES.almaty));
    expect(ev.inCountry).toBe(false);
    const v = rule(ev.verdicts, 'country_border');
    expect(v).toMatchObject({ status: 'outside', active: true, alertType: 'country_exit', severity: 'critical', articles: ['PEC KR art. 166(1)(4^1)'] });
    expect(v.distanceM).toBeGreaterThan(10_000);
  });

  it('PEC KR art. 63(1)(4^1): restriction of freedom abroad is outside even with a permit naming a foreign country', () => {
    const c = ctx('restriction_of_freedom', { permits: [permit({ destinationUnitIds: ['KZ'] })] });
    const v = rule(engine.evaluate(c, at(PLACES.almaty)).verdicts, 'country_border');
    expect(v.status).toBe('outside');
    expect(v.permitId).toBeUndefined();
    expect(v.articles).toEqual(['PEC KR art. 63(1)(4^1)']);
  });

  it('PEC KR art. 160(6): parole abroad is outside the country (absolute ban of art. 166(1)(4^1))', () => {
    const c = ctx('parole', { permits: [permit({ destinationUnitIds: ['KZ'] })] });
    expect(rule(engine.evaluate(c, at(PLACES.almaty)).verdicts, 'country_border')).toMatchObject({ status: 'outside', severity: 'critical' });
  });

  it('PEC KR art. 160^3(2)(5): deferred sentence abroad without a permit is outside the country', () => {
    const v = rule(engine.evaluate(ctx('deferred_sentence'), at(PLACES.almaty)).verdicts, 'country_border');
    expect(v).toMatchObject({ status: 'outside', articles: ['PEC KR art. 160^3(2)(5)'] });
  });

  it('PEC KR art. 160^3(2)(5): deferred sentence abroad with a permit is allowed', () => {
    const c = ctx('deferred_sentence', { permits: [permit({ id: 'p-kz', destinationUnitIds: ['KZ'] })] });
    const ev = engine.evaluate(c, at(PLACES.almaty));
    expect(rule(ev.verdicts, 'country_border')).toMatchObject({ status: 'inside', permitId: 'p-kz' });
    expect(rule(ev.verdicts, 'residence_unit')).toMatchObject({ status: 'inside', permitId: 'p-kz' });
    // after the permit: outside again
    const later = engine.evaluate(c, at(PLACES.almaty, local(13, 1)));
    expect(rule(later.verdicts, 'country_border').status).toBe('outside');
  });

  it('enclaves: Sokh (Uzbekistan, a hole in the country) is outside the country', () => {
    const adm0 = loadKgzGeoJson('adm0').features[0]!;
    const sokh: [number, number] = [71.13, 39.99]; // inside the Sokh hole ring of kgz-adm0
    expect(booleanPointInPolygon(sokh, adm0 as never)).toBe(false); // checked against the data
    const ev = engine.evaluate(ctx('probation_supervision'), at(sokh));
    expect(ev.inCountry).toBe(false);
    const v = rule(ev.verdicts, 'country_border');
    expect(v.status).toBe('outside');
    // the enclave is small: the distance is to the hole's ring, a few km at most
    expect(v.distanceM).toBeGreaterThan(0);
    expect(v.distanceM).toBeLessThan(10_000);
    expect(Math.abs(v.distanceM - pointToPolygonDistance(sokh, adm0 as never, { units: 'meters' }))).toBeLessThan(Math.max(1, 0.005 * v.distanceM));
  });

  it('enclaves: Vorukh (Tajikistan) and Shakhimardan (Uzbekistan) are outside the country', () => {
    expect(engine.locate(70.6, 39.835).inCountry).toBe(false);
    expect(engine.locate(71.785, 39.98).inCountry).toBe(false);
  });
});

const circle = (id: string, kind: Zone['kind'], center: [number, number], radiusM: number, schedule: Zone['schedule'] = null): Zone => ({
  id,
  clientId: 'c-1',
  kind,
  label: id,
  shape: { type: 'circle', center, radiusM },
  schedule,
});
const HOME: [number, number] = [74.5698, 42.8746];

describe('compiled contexts', () => {
  it('clients without zones or permits share one compiled form, and a client with a zone keeps its own', () => {
    const z = circle('z-shared', 'exclusion', [74.6122, 42.8746], 500);
    const here = at([74.6122, 42.8746]);
    const plainA = ctx('probation_supervision');
    const plainB = ctx('probation_supervision');
    const zoned = ctx('probation_supervision', { zones: [z] });
    // In turns, so that a compiled form shared by mistake would carry the zone over.
    const zoneRules = (c: SupervisionContext) => engine.evaluate(c, here).verdicts.filter((v) => v.rule === 'exclusion_zone');
    expect(zoneRules(plainA)).toEqual([]);
    expect(rule(engine.evaluate(zoned, here).verdicts, 'exclusion_zone', 'z-shared')).toMatchObject({ status: 'outside' });
    expect(zoneRules(plainB)).toEqual([]);
    expect(engine.evaluate(plainB, here).verdicts).toEqual(engine.evaluate(plainA, here).verdicts);
  });
});

describe('exclusion zones', () => {
  it('PEC KR art. 166(1)(2): entering an exclusion zone is outside the allowed area, high', () => {
    const z = circle('z-victim', 'exclusion', [74.6122, 42.8746], 500);
    const inside = rule(engine.evaluate(ctx('probation_supervision', { zones: [z] }), at([74.6122, 42.8746])).verdicts, 'exclusion_zone', 'z-victim');
    expect(inside).toMatchObject({ status: 'outside', active: true, alertType: 'exclusion_entry', severity: 'high', articles: ['PEC KR art. 166(1)(2)', 'PEC KR art. 166(1)(5)'] });
    expect(inside.distanceM).toBeCloseTo(500, 0);
    const away = rule(engine.evaluate(ctx('probation_supervision', { zones: [z] }), at(PLACES.bishkek)).verdicts, 'exclusion_zone');
    expect(away.status).toBe('inside');
    expect(away.distanceM).toBeLessThan(0);
  });

  it('PEC KR art. 63(1)(1): a scheduled polygon zone (school hours) is only active during its schedule', () => {
    const school: Zone = {
      id: 'z-school',
      clientId: 'c-1',
      kind: 'exclusion',
      label: 'school',
      shape: { type: 'polygon', geometry: { type: 'Polygon', coordinates: [[[74.58, 42.85], [74.585, 42.85], [74.585, 42.854], [74.58, 42.854], [74.58, 42.85]]] } },
      schedule: { timeZone: 'Asia/Bishkek', windows: [{ days: [1, 2, 3, 4, 5], start: '08:00', end: '14:00' }] },
    };
    const c = ctx('restriction_of_freedom', { zones: [school] });
    const inSchool: [number, number] = [74.5825, 42.852];
    const wedMorning = rule(engine.evaluate(c, at(inSchool, local(11, 9))).verdicts, 'exclusion_zone');
    expect(wedMorning).toMatchObject({ status: 'outside', active: true, articles: ['PEC KR art. 63(1)(1)', 'PEC KR art. 63(1)(2)'] });
    expect(rule(engine.evaluate(c, at(inSchool, local(11, 15))).verdicts, 'exclusion_zone').active).toBe(false);
    expect(rule(engine.evaluate(c, at(inSchool, local(14, 9))).verdicts, 'exclusion_zone').active).toBe(false); // Saturday
  });

  it('polygon zone signed distance matches turf.pointToPolygonDistance (property)', () => {
    const geometry = { type: 'Polygon' as const, coordinates: [[[74.58, 42.85], [74.59, 42.85], [74.595, 42.86], [74.585, 42.857], [74.58, 42.86], [74.58, 42.85]]] as [number, number][][] };
    const z: Zone = { id: 'z-p', clientId: 'c-1', kind: 'exclusion', label: '', shape: { type: 'polygon', geometry }, schedule: null };
    const c = ctx('probation_supervision', { zones: [z] });
    fc.assert(
      fc.property(fc.double({ min: 74.57, max: 74.6, noNaN: true }), fc.double({ min: 42.84, max: 42.87, noNaN: true }), (x, y) => {
        const ref = pointToPolygonDistance([x, y], { type: 'Feature', properties: {}, geometry } as never, { units: 'meters' });
        const v = rule(engine.evaluate(c, at([x, y], NOON, 0)).verdicts, 'exclusion_zone');
        // allowed area = outside the zone: the sign is flipped
        expect(Math.abs(-v.distanceM - ref)).toBeLessThanOrEqual(Math.max(1, 0.005 * Math.abs(ref)));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects an invalid (self-intersecting) polygon zone', () => {
    const bow: Zone = { id: 'z-bow', clientId: 'c-1', kind: 'exclusion', label: '', shape: { type: 'polygon', geometry: { type: 'Polygon', coordinates: [[[74, 42], [74.1, 42.1], [74.1, 42], [74, 42.1], [74, 42]]] } }, schedule: null };
    expect(() => engine.evaluate(ctx('probation_supervision', { zones: [bow] }), at(PLACES.bishkek))).toThrow(/not valid/);
  });
});

describe('curfew', () => {
  const curfew = circle('z-home', 'curfew_home', HOME, 150, { timeZone: 'Asia/Bishkek', windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '06:00' }] });
  const away: [number, number] = [74.59, 42.87];

  it('PEC KR art. 166(1)(2): away from home at 02:00 Bishkek time (curfew across midnight) is a curfew breach, medium', () => {
    const v = rule(engine.evaluate(ctx('probation_supervision', { zones: [curfew] }), at(away, local(12, 2))).verdicts, 'curfew');
    expect(v).toMatchObject({ status: 'outside', active: true, alertType: 'curfew_breach', severity: 'medium' });
  });

  it('PEC KR art. 166(1)(2): the same place at 12:00 is outside the home but the curfew is not active', () => {
    const v = rule(engine.evaluate(ctx('probation_supervision', { zones: [curfew] }), at(away, local(12, 12))).verdicts, 'curfew');
    expect(v.status).toBe('outside');
    expect(v.active).toBe(false);
  });

  it('PEC KR art. 160^3(2)(1): at home during curfew is inside', () => {
    const v = rule(engine.evaluate(ctx('deferred_sentence', { zones: [curfew] }), at(HOME, local(11, 23))).verdicts, 'curfew');
    expect(v).toMatchObject({ status: 'inside', active: true, articles: ['PEC KR art. 160^3(2)(1)', 'PEC KR art. 160^3(2)(2)'] });
  });

  it('PEC KR art. 166(2): a valid travel permit suspends the curfew while the client is away from the residence unit', () => {
    const c = ctx('probation_supervision', { zones: [curfew], permits: [permit({ destinationUnitIds: [ALAMUDUN] })] });
    const v = rule(engine.evaluate(c, at(IN_ALAMUDUN, local(11, 23))).verdicts, 'curfew');
    expect(v).toMatchObject({ active: false, permitId: 'p-1' });
    // still in Bishkek: the curfew applies
    expect(rule(engine.evaluate(c, at(away, local(11, 23))).verdicts, 'curfew').active).toBe(true);
  });
});

describe('legal module', () => {
  it('every rule and regime has articles; the country ban is absolute except for a deferred sentence', () => {
    for (const o of Object.values(GEOFENCE_OBLIGATIONS)) for (const r of Object.values(o.regimes)) expect(r.articles.length).toBeGreaterThan(0);
    expect(GEOFENCE_OBLIGATIONS.country_border.regimes.probation_supervision.applicability).toBe('absolute');
    expect(GEOFENCE_OBLIGATIONS.country_border.regimes.deferred_sentence.applicability).toBe('unless_permitted');
  });
});

describe('engine construction', () => {
  it('requires a country unit and rejects duplicate ids', () => {
    const units = kgzUnits();
    expect(() => createGeofenceEngine(units.filter((u) => u.level !== 0))).toThrow(/level-0/);
    expect(() => createGeofenceEngine([...units, units[0]!])).toThrow(/duplicate/);
  });

  it('rejects an unknown residence unit', () => {
    expect(() => engine.evaluate({ ...ctx('parole'), residenceUnitId: 'KG-NOPE' }, at(PLACES.bishkek))).toThrow(/unknown residence/);
  });
});

describe('per-context compiled data (cached per context object)', () => {
  it('is re-resolved when the same context object gets other permits, zones or regime', () => {
    const c = ctx('probation_supervision');
    const f = at(IN_ALAMUDUN);
    expect(rule(engine.evaluate(c, f).verdicts, 'residence_unit').status).toBe('outside');
    c.permits.push(permit({ destinationUnitIds: [ALAMUDUN] }));
    const v = rule(engine.evaluate(c, f).verdicts, 'residence_unit');
    expect(v.status).toBe('inside');
    expect(v.permitId).toBe('p-1');
    c.permits = [];
    expect(rule(engine.evaluate(c, f).verdicts, 'residence_unit').status).toBe('outside');
    const zone: Zone = { id: 'z-1', clientId: 'c-1', kind: 'exclusion', label: 'x', shape: { type: 'circle', center: [...IN_ALAMUDUN], radiusM: 300 }, schedule: null };
    c.zones.push(zone);
    expect(rule(engine.evaluate(c, f).verdicts, 'exclusion_zone', 'z-1').status).toBe('outside');
    zone.shape = { type: 'circle', center: [IN_ALAMUDUN[0] + 0.1, IN_ALAMUDUN[1]], radiusM: 300 };
    expect(rule(engine.evaluate(c, f).verdicts, 'exclusion_zone', 'z-1').status).toBe('inside');
    c.residenceUnitId = ALAMUDUN;
    expect(rule(engine.evaluate(c, f).verdicts, 'residence_unit').status).toBe('inside');
  });

  it('prepareContext builds every index the context needs, so the first fix builds none (ingest calls it outside its transaction)', () => {
    // two level-2 units no other test here evaluates, so their indexes are not built yet
    const [resUnit, destUnit] = kgzUnits()
      .filter((u) => u.level === 2 && ![UNITS.bishkek, UNITS.oshCity, ALAMUDUN, ISSYK_KUL_RAION].includes(u.id))
      .map((u) => u.id)
      .sort()
      .slice(-2);
    const c = ctx('probation_supervision', { residenceUnitId: resUnit!, permits: [permit({ destinationUnitIds: [destUnit!] })] });
    const before = engine.indexBytes();
    engine.prepareContext(c);
    const prepared = engine.indexBytes();
    expect(prepared).toBeGreaterThan(before);
    // a fix on the other side of the country: evaluation consults residence, permit and country
    const v = engine.evaluate(c, at(PLACES.osh));
    expect(rule(v.verdicts, 'residence_unit').status).toBe('outside');
    expect(engine.indexBytes()).toBe(prepared);
    engine.prepareContext(c);
    expect(engine.indexBytes()).toBe(prepared);
  });

  it('the single level-0 unit shares the country distance index', () => {
    const level0 = kgzUnits().find((u) => u.level === 0)!;
    const before = engine.indexBytes();
    const d = engine.signedDistanceToUnit(level0.id, ...PLACES.bishkek);
    expect(engine.indexBytes()).toBe(before);
    const v = rule(engine.evaluate(ctx('probation_supervision'), at(PLACES.bishkek)).verdicts, 'country_border');
    expect(d).toBeCloseTo(v.distanceM, 9);
  });
});
