import { Compile } from 'typebox/compile';
import { ROADS } from '../roads.ts';
import { placeProblem } from './places.ts';
import { ScenarioSchema, type Place, type Scenario } from './scenario-schema.ts';

const checker = Compile(ScenarioSchema);

export type Validation = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

/** "/devices/0/movement/from" -> "$.devices[0].movement.from": the path a writer looks for. */
export function jsonPath(pointer: string): string {
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
      .join('')
  );
}

/**
 * Checks a parsed scenario file: first the schema (types, ranges, unknown fields), then what a
 * schema cannot say (references between clients and devices, one-of fields, names of cities and
 * roads, time spans). Every error starts with the JSON path of the offending value.
 */
export function validateScenario(data: unknown): Validation {
  if (!checker.Check(data)) {
    const seen = new Set<string>();
    const errors: string[] = [];
    for (const e of checker.Errors(data)) {
      // Unions report one error per branch; the "anyOf" summary and schema-false noise say less.
      if (e.keyword === 'boolean') continue;
      const line = `${jsonPath(e.instancePath)}: ${e.message}${e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperties?: string[] }).additionalProperties?.join(', ')})` : ''}`;
      if (!seen.has(line)) errors.push(line);
      seen.add(line);
    }
    return { ok: false, errors: errors.slice(0, 12) };
  }
  const s = data as Scenario;
  const errors: string[] = [];
  const err = (path: string, msg: string) => errors.push(`${path}: ${msg}`);
  const place = (path: string, p: Place) => {
    const problem = placeProblem(p);
    if (problem) err(path, problem);
  };
  const span = (path: string, x: { fromS: number; toS: number }, maxS?: number) => {
    if (!(x.toS > x.fromS)) err(path, `toS (${x.toS}) must be after fromS (${x.fromS})`);
    else if (maxS !== undefined && x.toS - x.fromS > maxS) err(path, `a window may last at most ${maxS} s`);
  };
  const unique = (path: string, ids: string[]) => {
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) err(`${path}[${i}].id`, `duplicate id "${id}"`);
    });
  };
  const clients = s.clients.map((c) => c.id);
  unique('$.clients', clients);
  unique('$.devices', s.devices.map((d) => d.id));
  const client = (path: string, id: string) => {
    if (!clients.includes(id)) err(path, `unknown client "${id}"; clients are ${clients.join(', ')}`);
  };
  const schedule = (path: string, sch: { relative?: { fromS: number; toS: number }[] | undefined; weekly?: unknown[] | undefined }) => {
    if (!sch.relative?.length && !sch.weekly?.length) err(path, 'needs at least one weekly or relative window');
    sch.relative?.forEach((r, i) => span(`${path}.relative[${i}]`, r, 86_340));
  };
  s.clients.forEach((c, i) => {
    c.exclusionZones?.forEach((z, j) => {
      const p = `$.clients[${i}].exclusionZones[${j}]`;
      if ((z.circle === undefined) === (z.polygon === undefined)) err(p, 'needs exactly one of circle, polygon');
      if (z.circle) place(`${p}.circle.center`, z.circle.center);
      if (z.schedule) schedule(`${p}.schedule`, z.schedule);
    });
    if (c.curfew) {
      place(`$.clients[${i}].curfew.home`, c.curfew.home);
      schedule(`$.clients[${i}].curfew.schedule`, c.curfew.schedule);
    }
  });
  s.travelRequests?.forEach((r, i) => {
    const p = `$.travelRequests[${i}]`;
    client(`${p}.client`, r.client);
    if (r.decidedAtS < r.requestedAtS) err(`${p}.decidedAtS`, 'a request is decided after it is made');
    span(`${p}.window`, r.window);
    if (r.corridor) {
      if ((r.corridor.road === undefined) === (r.corridor.path === undefined)) err(`${p}.corridor`, 'needs exactly one of road, path');
      if (r.corridor.road !== undefined && !ROADS.some((x) => x.id === r.corridor!.road)) err(`${p}.corridor.road`, `unknown road "${r.corridor.road}"`);
    }
  });
  s.devices.forEach((d, i) => {
    const p = `$.devices[${i}]`;
    client(`${p}.client`, d.client);
    place(`${p}.movement.from`, d.movement.from);
    if (d.movement.wanderM && d.movement.steps?.length) err(`${p}.movement.wanderM`, 'a random walk is only for a wearer without steps');
    d.movement.steps?.forEach((st, j) => {
      const sp = `${p}.movement.steps[${j}]`;
      const kinds = (['waitS', 'to', 'road'] as const).filter((k) => st[k] !== undefined);
      if (kinds.length !== 1) return void err(sp, `needs exactly one of waitS, to, road (got ${kinds.length ? kinds.join(', ') : 'none'})`);
      if (st.waitS !== undefined && (st.durationS !== undefined || st.speedKmh !== undefined || st.via || st.reverse !== undefined)) err(sp, 'a wait takes only waitS');
      if (st.to !== undefined) {
        place(`${sp}.to`, st.to);
        st.via?.forEach((v, k) => place(`${sp}.via[${k}]`, v));
        if ((st.durationS === undefined) === (st.speedKmh === undefined)) err(sp, 'a leg needs exactly one of durationS, speedKmh');
      }
      if (st.road !== undefined) {
        if (!ROADS.some((x) => x.id === st.road)) err(`${sp}.road`, `unknown road "${st.road}"; known: ${ROADS.map((x) => x.id).join(', ')}`);
        if (st.durationS !== undefined && st.speedKmh !== undefined) err(sp, 'give durationS or speedKmh, not both');
        if (st.via) err(`${sp}.via`, 'a road has its own waypoints');
      }
    });
    d.outages?.forEach((o, j) => span(`${p}.outages[${j}]`, o));
    const ev = d.events ?? [];
    ev.forEach((e, j) => {
      const ep = `${p}.events[${j}]`;
      if (e.type === 'battery_drain' && e.pctPerHour === undefined) err(`${ep}.pctPerHour`, 'battery_drain needs pctPerHour');
      if (e.type !== 'battery_drain' && e.pctPerHour !== undefined) err(`${ep}.pctPerHour`, 'only for battery_drain');
      if (e.type !== 'gps_lost' && e.fallback !== undefined) err(`${ep}.fallback`, 'only for gps_lost');
    });
    // A close needs an open before it (the sensors report a state change).
    for (const [open, close] of [['strap_open', 'strap_close'], ['case_open', 'case_close']] as const) {
      let isOpen = false;
      [...ev.entries()].sort((a, b) => a[1].atS - b[1].atS).forEach(([j, e]) => {
        if (e.type === open || (open === 'strap_open' && e.type === 'strap_cut')) isOpen = true;
        if (e.type === close) {
          if (!isOpen) err(`${p}.events[${j}]`, `${close} without an earlier ${open}`);
          isOpen = false;
        }
      });
    }
  });
  s.expectations.forEach((e, i) => {
    const p = `$.expectations[${i}]`;
    if ((e.alert === undefined) === (e.noAlert === undefined)) err(p, 'needs exactly one of alert, noAlert');
    if (e.client !== undefined) client(`${p}.client`, e.client);
    if (e.withinS && !(e.withinS[1] >= e.withinS[0])) err(`${p}.withinS`, 'the window ends before it starts');
    if (e.noAlert !== undefined && (e.count !== undefined || e.closed !== undefined)) err(p, 'count and closed are for alert expectations');
  });
  return errors.length ? { ok: false, errors } : { ok: true, scenario: s };
}
