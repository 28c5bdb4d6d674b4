import type pg from 'pg';
import { REGIME_KINDS } from '../infra/domain/types.ts';
import { CITIES, type City } from './cities.ts';
import { offset } from './geo-math.ts';
import { hashSeed, prng } from '../infra/random/seeded-random.ts';
import type { Movement } from './simulated-tag.ts';

export const DEMO_PREFIX = 'DEMO';
export const demoDeviceId = (i: number) => `${DEMO_PREFIX}${String(i).padStart(5, '0')}`;

/** Picks a city for tag i, weighted by the cities' caseload weights, deterministically. */
export function cityFor(i: number): City {
  const total = CITIES.reduce((s, c) => s + c.weight, 0);
  let r = prng(i + 1)() * total;
  for (const c of CITIES) {
    r -= c.weight;
    if (r < 0) return c;
  }
  return CITIES[0]!;
}

/**
 * A few demo tags (about 3%) drive straight out of town so that the demo raises district-exit
 * alerts within minutes; the rest wander around home.
 */
export function movementFor(deviceId: string, city: City): Movement {
  const rand = prng(hashSeed(deviceId));
  const home = offset(city.centre, (rand() - 0.5) * city.spreadM, (rand() - 0.5) * city.spreadM);
  if (rand() < 0.03) return { kind: 'heading', start: home, bearingDeg: rand() * 360, speedMps: 25 };
  return { kind: 'home', home, wanderM: 150 + rand() * 300 };
}

/**
 * Registers `count` demo clients and their tags (idempotent: existing demo devices are kept).
 * Goes through SQL directly because case management (issue 7) will own the real intake API.
 */
export async function seedDemoFleet(pool: pg.Pool, count: number): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const existing = await client.query<{ id: string }>(`select id from devices where id like $1`, [`${DEMO_PREFIX}%`]);
    const have = new Set(existing.rows.map((r) => r.id));
    let created = 0;
    for (let i = 1; i <= count; i++) {
      const id = demoDeviceId(i);
      if (have.has(id)) continue;
      const city = cityFor(i);
      const regime = REGIME_KINDS[i % REGIME_KINDS.length]!;
      const c = await client.query<{ id: string }>(
        `insert into clients (full_name, regime, court_decision_date, effective_date, term_months, term_start, residence_unit_id, district_id, risk_level)
         values ($1, $2, current_date - 60, current_date - 50, 24, current_date - 45, $3, $3, $4) returning id`,
        [`Demo client ${i}`, regime, city.unitId, ['low', 'medium', 'high'][i % 3]],
      );
      await client.query(`insert into devices (id, client_id, status, report_interval_s) values ($1, $2, 'assigned', 60)`, [id, c.rows[0]!.id]);
      created++;
    }
    await client.query('commit');
    return created;
  } catch (err) {
    await client.query('rollback');
    throw err;
  } finally {
    client.release();
  }
}
