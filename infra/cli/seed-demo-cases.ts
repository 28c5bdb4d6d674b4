import type pg from 'pg';
import { loadConfig } from '../config/config.ts';
import { createPool, inTransaction } from '../db/sql.ts';
import { TRAVEL_DECISION_HOURS } from '../domain/legal.ts';
import { addDays, bishkekDate, checkInCalendar } from '../domain/term.ts';

/**
 * The history of the demo fleet's case files (`npm start`), so that the officers' and supervisors'
 * screens have something to show. The case files themselves are opened by the demo fleet's seed
 * (firmware-sim/demo-fleet.ts) through the code of POST /api/clients, which computes the term and
 * schedules the appearances from today on; this adds what happened before today: the device's
 * fitting in the evidence chain, the past appearances (attended, but one client in ten missed the
 * last one, so that a missed appearance is raised) and a few travel requests waiting for a
 * decision at different points of their 24-hour deadline. Clients whose tag fitting is on record
 * are left alone, so the script can run on every start.
 */
const HOUR = 3_600_000;

async function seedClient(
  client: pg.PoolClient,
  c: { id: string; registered_on: string; term_start: string | null; term_end: string | null; district_id: string; residence_unit_id: string; device_id: string; n: number },
  officerId: string | null,
  today: string,
): Promise<{ checkIns: number; requests: number }> {
  // Opened by the demo admin where the district had no demo officer: give it one if there is now.
  const { rows } = await client.query<{ officer_id: string | null }>('update clients set officer_id = coalesce(officer_id, $2) where id = $1 returning officer_id', [c.id, officerId]);
  officerId = rows[0]?.officer_id ?? null;
  await client.query(
    `insert into device_assignments (device_id, client_id, fitted_at, fitted_by, reason)
     select $1, $2, $3::date, $4, 'fitted at registration' where not exists (select 1 from device_assignments where device_id = $1 and removed_at is null)`,
    [c.device_id, c.id, c.registered_on, officerId],
  );
  let checkIns = 0;
  if (c.term_start && c.term_end) {
    // The past of the calendar openCaseFile scheduled from today on (the term as it computed it).
    const window = checkInCalendar(c.term_start, c.term_end).filter((d) => d <= addDays(today, 62));
    for (const [k, due] of window.entries()) {
      const past = due < today;
      // One client in ten did not come to the last appearance: the watchdog raises missed_appearance.
      const missed = past && k === window.filter((d) => d < today).length - 1 && c.n % 10 === 0;
      const status = past && !missed ? 'attended' : 'scheduled';
      await client.query(
        `insert into check_ins (client_id, due_at, status, recorded_by, recorded_at)
         values ($1, $2, $3, $4, case when $3 = 'attended' then $2::date + time '10:00' end) on conflict (client_id, due_at) do nothing`,
        [c.id, due, status, status === 'attended' ? officerId : null],
      );
      checkIns++;
    }
  }
  // Every seventh client has asked to travel: the inbox shows requests fresh, due soon and overdue.
  let requests = 0;
  if (c.n % 7 === 0 && officerId) {
    const ageH = [2, 14, 21, 26][(c.n / 7) % 4]!;
    // Somewhere else than home: Bishkek, or Osh for those who live in Bishkek.
    const away = c.residence_unit_id === 'KG11000000000' ? 'KG21000000000' : 'KG11000000000';
    const submitted = Date.now() - ageH * HOUR;
    await client.query(
      `insert into travel_requests (client_id, category, relation, circumstance, destination_unit_ids, depart_at, return_at, travel_days, reason, submitted_at, submitted_by, decide_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      // Only the exceptional trip has the 24-hour limit (PEC KR arts. 63(2)(3), 166(2)(3)).
      c.n % 2 === 0
        ? [c.id, 'exceptional_circumstances', 'close_relative', 'life_threatening_illness', [away], new Date(Date.now() + 24 * HOUR), new Date(Date.now() + 7 * 24 * HOUR), 1, 'Тяжёлая болезнь матери (справка из больницы приложена)', new Date(submitted), officerId, new Date(submitted + TRAVEL_DECISION_HOURS * HOUR)]
        : [c.id, 'weekend_holiday', null, null, [away], new Date(Date.now() + 48 * HOUR), new Date(Date.now() + 96 * HOUR), 0, 'Поездка к родственникам на выходные', new Date(submitted), officerId, null],
    );
    requests++;
  }
  return { checkIns, requests };
}

const config = loadConfig();
const pool = createPool(config.DATABASE_URL, 2);
try {
  const { rows } = await pool.query<{ id: string; registered_on: string; term_start: string | null; term_end: string | null; district_id: string; residence_unit_id: string; device_id: string }>(
    `select c.id, to_char(c.registered_on, 'YYYY-MM-DD') as registered_on, to_char(c.term_start, 'YYYY-MM-DD') as term_start,
            to_char(c.term_end, 'YYYY-MM-DD') as term_end, c.district_id, c.residence_unit_id, d.id as device_id
       from clients c join devices d on d.client_id = c.id
      where c.full_name like 'Demo client %' and c.registered_on is not null
        and not exists (select 1 from device_assignments da where da.client_id = c.id)
      order by c.created_at, c.id`,
  );
  const officers = new Map(
    (await pool.query<{ id: string; district_id: string }>(`select id, district_id from users where role = 'officer' and district_id is not null order by username`)).rows.map((r) => [r.district_id, r.id]),
  );
  const today = bishkekDate(Date.now());
  let checkIns = 0;
  let requests = 0;
  for (const [n, c] of rows.entries()) {
    const r = await inTransaction(pool, (client) => seedClient(client, { ...c, n }, officers.get(c.district_id) ?? null, today));
    checkIns += r.checkIns;
    requests += r.requests;
  }
  console.log(`demo case files: ${rows.length} clients, ${checkIns} check-ins, ${requests} travel requests`);
} finally {
  await pool.end();
}
