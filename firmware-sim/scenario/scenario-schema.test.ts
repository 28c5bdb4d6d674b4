import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema, SCHEMA_FILE } from './scenario-json-schema.ts';
import { validateScenario } from './validate-scenario.ts';

const minimal = () => ({
  version: 1,
  name: 'minimal',
  durationS: 5,
  clients: [{ id: 'c', residenceUnitId: 'KG11000000000' }],
  devices: [{ id: 't', client: 'c', movement: { from: { city: 'Bishkek' } } }],
  expectations: [{ noAlert: 'any' }],
});

const errorsOf = (data: unknown) => {
  const v = validateScenario(data);
  return v.ok ? [] : v.errors;
};

describe('scenario format v1', () => {
  it('docs/scenario.schema.json is the TypeBox schema written out (npm run scenario -- --write-schema)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(scenarioJsonSchema());
  });

  it('accepts a minimal scenario and every file of tests/scenarios', () => {
    expect(errorsOf(minimal())).toEqual([]);
    const dir = fileURLToPath(new URL('../../tests/scenarios/', import.meta.url));
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
      expect([f, errorsOf(JSON.parse(readFileSync(dir + f, 'utf8')))]).toEqual([f, []]);
    }
  });

  it('names the JSON path of a schema error', () => {
    const s = minimal();
    (s.devices[0] as Record<string, unknown>).noiseM = -1;
    (s.clients[0] as Record<string, unknown>).colour = 'red';
    const errors = errorsOf({ ...s, version: 2 });
    expect(errors).toContain('$.version: must be equal to constant');
    expect(errors).toContain('$.devices[0].noiseM: must be >= 0');
    expect(errors.some((e) => e.startsWith('$.clients[0]: must not have additional properties (colour)'))).toBe(true);
  });

  it('names the JSON path of a reference, one-of or name error', () => {
    const s = minimal() as ReturnType<typeof minimal> & Record<string, unknown>;
    s.devices = [
      { id: 't', client: 'nobody', movement: { from: { city: 'Atlantis' } } },
      { id: 't', client: 'c', movement: { from: [74.6, 42.87], steps: [{ waitS: 1, road: 'bishkek-osh' }, { to: { road: 'bishkek-moon' } }] } },
    ] as never;
    s.travelRequests = [{ client: 'c', requestedAtS: 5, decidedAtS: 1, decision: 'approve', destinations: ['KG21000000000'], window: { fromS: 10, toS: 2 } }];
    s.expectations = [{ alert: 'country_exit', noAlert: 'any' }] as never;
    const errors = errorsOf(s);
    expect(errors).toEqual(
      expect.arrayContaining([
        '$.devices[1].id: duplicate id "t"',
        '$.devices[0].client: unknown client "nobody"; clients are c',
        expect.stringMatching(/^\$\.devices\[0\]\.movement\.from: unknown city "Atlantis"/),
        '$.devices[1].movement.steps[0]: needs exactly one of waitS, to, road (got waitS, road)',
        expect.stringMatching(/^\$\.devices\[1\]\.movement\.steps\[1\]\.to: unknown road "bishkek-moon"/),
        '$.devices[1].movement.steps[1]: a leg needs exactly one of durationS, speedKmh',
        '$.travelRequests[0].decidedAtS: a request is decided after it is made',
        '$.travelRequests[0].window: toS (2) must be after fromS (10)',
        '$.expectations[0]: needs exactly one of alert, noAlert',
      ]),
    );
  });

  it('rejects a close without an open and a relative window of a day or more', () => {
    const s = minimal() as Record<string, unknown>;
    s.devices = [{ id: 't', client: 'c', movement: { from: { city: 'Bishkek' } }, events: [{ atS: 1, type: 'strap_close' }] }];
    s.clients = [{ id: 'c', residenceUnitId: 'KG11000000000', curfew: { home: { city: 'Bishkek' }, schedule: { relative: [{ fromS: 0, toS: 90_000 }] } } }];
    expect(errorsOf(s)).toEqual(['$.clients[0].curfew.schedule.relative[0]: a window may last at most 86340 s', '$.devices[0].events[0]: strap_close without an earlier strap_open']);
  });
});
