import type pg from 'pg';
import type { Expectation } from './scenario-schema.ts';

export interface SeenAlert {
  clientKey: string;
  type: string;
  severity: string;
  openedAt: number;
  closedAt: number | null;
}

export interface ExpectationResult {
  pass: boolean;
  line: string;
}

/** The alerts of a scenario's clients, from the platform's `alerts` table. */
export async function alertsOf(pool: pg.Pool, clients: Map<string, string>): Promise<SeenAlert[]> {
  const byId = new Map([...clients].map(([k, id]) => [id, k]));
  const { rows } = await pool.query<{ client_id: string; type: string; severity: string; opened_at: Date; closed_at: Date | null }>(
    'select client_id, type, severity, opened_at, closed_at from alerts where client_id = any($1) order by opened_at, type',
    [[...clients.values()]],
  );
  return rows.map((r) => ({ clientKey: byId.get(r.client_id)!, type: r.type, severity: r.severity, openedAt: r.opened_at.getTime(), closedAt: r.closed_at?.getTime() ?? null }));
}

const secs = (ms: number, t0: number) => `${((ms - t0) / 1000).toFixed(1)}s`;
const describeAlert = (a: SeenAlert, t0: number) => `${a.type}/${a.clientKey} at ${secs(a.openedAt, t0)}${a.closedAt === null ? ' open' : ` closed ${secs(a.closedAt, t0)}`}`;
const list = (alerts: SeenAlert[], t0: number) => (alerts.length ? alerts.map((a) => describeAlert(a, t0)).join(', ') : 'none');

/**
 * One expectation against what the platform raised. Windows are seconds from the scenario start
 * and apply to the alert's opening time (device time of the first violating fix or event).
 */
export function checkExpectation(e: Expectation, seen: SeenAlert[], t0: number): ExpectationResult {
  const type = e.alert ?? e.noAlert!;
  const who = e.client ? ` for ${e.client}` : '';
  const when = e.withinS ? ` within ${e.withinS[0]}-${e.withinS[1]}s` : '';
  const mine = seen.filter((a) => e.client === undefined || a.clientKey === e.client);
  const inWindow = (a: SeenAlert) => !e.withinS || (a.openedAt >= t0 + e.withinS[0] * 1000 && a.openedAt <= t0 + e.withinS[1] * 1000);
  const matches = mine.filter((a) => (type === 'any' || a.type === type) && inWindow(a));
  if (e.noAlert !== undefined) {
    const pass = matches.length === 0;
    return { pass, line: `${pass ? 'PASS' : 'FAIL'} no ${type} alert${who}${when}: saw ${list(matches, t0)}` };
  }
  const countOk = e.count === undefined ? matches.length >= 1 : matches.length === e.count;
  const closedOk = e.closed === undefined || (matches.length > 0 && matches.every((a) => (a.closedAt !== null) === e.closed));
  const pass = countOk && closedOk;
  const wanted = `${e.count === undefined ? '' : `exactly ${e.count} `}${type} alert${who}${when}${e.closed === undefined ? '' : e.closed ? ', closed' : ', still open'}`;
  const context = pass ? list(matches, t0) : `${list(matches, t0)}; all alerts${who}: ${list(mine, t0)}`;
  return { pass, line: `${pass ? 'PASS' : 'FAIL'} ${wanted}: saw ${context}` };
}
