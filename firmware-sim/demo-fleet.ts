import type pg from 'pg';
import { checkNewClient, openCaseFile, type NewClientBody } from '../dashboard/cases/open-case-file.ts';
import type { Role, SessionUser } from '../dashboard/plugins/application/auth.ts';
import { addDays, bishkekDate } from '../infra/domain/term.ts';
import { REGIME_KINDS, RISK_LEVELS } from '../infra/domain/types.ts';
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

/** The demo case file of tag i: sentenced 60 days ago, registered five days after it took effect (inside the arrival term). */
export function demoCaseBody(i: number, city: City, today: string): NewClientBody {
  return checkNewClient({
    fullName: `Demo client ${i}`,
    regime: REGIME_KINDS[i % REGIME_KINDS.length]!,
    courtDecisionDate: addDays(today, -60),
    effectiveDate: addDays(today, -50),
    registeredOn: addDays(today, -45),
    termMonths: 24,
    residenceUnitId: city.unitId,
    riskLevel: RISK_LEVELS[i % RISK_LEVELS.length]!,
    courtName: 'Районный суд',
  });
}

/**
 * Registers `count` demo clients and their tags (idempotent: existing demo devices are kept).
 * Each case file is opened as its district's demo officer (or the demo admin) through
 * openCaseFile, the code of POST /api/clients: the same checks, term, check-in calendar and audit
 * entry as a real intake. Needs the demo users (infra/cli/seed-demo-users.ts) first.
 */
export async function seedDemoFleet(pool: pg.Pool, count: number): Promise<number> {
  const { rows: users } = await pool.query<{ id: string; username: string; display_name: string; role: Role; district_id: string | null }>(
    `select id, username, display_name, role, district_id from users where demo and disabled_at is null and role in ('officer', 'admin') order by username`,
  );
  const asUser = (r: (typeof users)[number]): SessionUser => ({ id: r.id, username: r.username, displayName: r.display_name, role: r.role, districtId: r.district_id });
  const officers = new Map(users.filter((u) => u.role === 'officer' && u.district_id).map((u) => [u.district_id!, asUser(u)]));
  const admin = users.find((u) => u.role === 'admin');
  const today = bishkekDate(Date.now());
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
      const actor = officers.get(city.unitId) ?? (admin ? asUser(admin) : undefined);
      if (!actor) throw new Error('no demo officer or admin to open the demo case files as: run `tsx infra/cli/seed-demo-users.ts` first');
      const clientId = await openCaseFile(client, actor, demoCaseBody(i, city, today), today);
      await client.query(`insert into devices (id, client_id, status, report_interval_s) values ($1, $2, 'assigned', 60)`, [id, clientId]);
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
