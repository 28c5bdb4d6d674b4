import type pg from 'pg';
import { inTransaction } from '../../infra/db/sql.ts';
import type { PlannedAction, ScenarioPlan } from './scenario-plan.ts';
import type { Scenario } from './scenario-schema.ts';

/**
 * Registers what a scenario describes through the platform's seed path (SQL, as the demo fleet
 * and the integration tests do: case management owns no intake API yet). Returns the platform's
 * client id for each client of the file.
 */
export async function seedScenario(pool: pg.Pool, s: Scenario, plan: ScenarioPlan): Promise<Map<string, string>> {
  await checkUnits(pool, s);
  return inTransaction(pool, async (db) => {
    const ids = new Map<string, string>();
    for (const c of plan.clients) {
      const { rows } = await db.query<{ id: string }>(
        `insert into clients (full_name, regime, court_decision_date, effective_date, term_months, term_start, registered_on, residence_unit_id, district_id, birth_date)
         values ($1, $2, current_date - ($5::int + 15), current_date - ($5::int + 5), 24, current_date - $5::int, current_date - $5::int, $3, $4,
                 case when $6::int is null then null else (current_date - make_interval(years => $6::int))::date end) returning id`,
        [c.name, c.regime, c.residenceUnitId, c.districtId, c.termStartedDaysAgo, c.ageYears],
      );
      ids.set(c.key, rows[0]!.id);
      for (const k of c.checkIns) {
        await db.query(
          `insert into check_ins (client_id, due_at, status, recorded_at) values ($1, (now() at time zone 'Asia/Bishkek')::date + $2::int, $3, case when $3 = 'attended' then now() end)`,
          [rows[0]!.id, k.dueInDays, k.status],
        );
      }
      for (const z of c.zones) {
        await db.query('insert into zones (client_id, kind, label, shape, schedule) values ($1, $2, $3, $4, $5)', [rows[0]!.id, z.kind, z.label, JSON.stringify(z.shape), z.schedule ? JSON.stringify(z.schedule) : null]);
      }
    }
    for (const d of plan.devices) {
      await db.query(`insert into devices (id, client_id, status, report_interval_s) values ($1, $2, 'assigned', $3)`, [d.id, ids.get(d.clientKey), d.intervalS]);
    }
    return ids;
  });
}

/**
 * A decided travel request. An approval becomes a permit (PEC KR arts. 63(2), 166(2)); a denial
 * leaves the limits as they are. Seeded directly: the dashboard has no travel-request API yet.
 */
export async function applyTravelDecision(pool: pg.Pool, clientId: string, a: Extract<PlannedAction, { kind: 'permit' }>): Promise<void> {
  if (a.decision !== 'approve') return;
  await pool.query(
    `insert into permits (client_id, category, destination_unit_ids, corridor, valid_from, valid_until)
     values ($1, $2, $3, $4, to_timestamp($5 / 1000.0), to_timestamp($6 / 1000.0))`,
    [clientId, a.category, a.destinations, a.corridor ? JSON.stringify(a.corridor) : null, a.validFrom, a.validUntil],
  );
}

/** Unit ids must exist (residence: level 2), named by their JSON path when they do not. */
async function checkUnits(pool: pg.Pool, s: Scenario): Promise<void> {
  const { rows } = await pool.query<{ id: string; level: number }>('select id, level from admin_units');
  const level = new Map(rows.map((r) => [r.id, r.level]));
  const errors: string[] = [];
  s.clients.forEach((c, i) => {
    if (level.get(c.residenceUnitId) !== 2) errors.push(`$.clients[${i}].residenceUnitId: "${c.residenceUnitId}" is not a level 2 unit`);
    if (c.districtId !== undefined && level.get(c.districtId) !== 2) errors.push(`$.clients[${i}].districtId: "${c.districtId}" is not a level 2 unit`);
  });
  s.travelRequests?.forEach((r, i) =>
    r.destinations.forEach((d, j) => {
      if (d.startsWith('KG') && !level.has(d)) errors.push(`$.travelRequests[${i}].destinations[${j}]: unknown unit "${d}"`);
    }),
  );
  if (errors.length) throw new ScenarioSetupError(errors);
}

export class ScenarioSetupError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('; '));
  }
}
