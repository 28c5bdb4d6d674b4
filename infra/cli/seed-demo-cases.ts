import type pg from 'pg';
import { loadConfig } from '../config/config.ts';
import { createPool, inTransaction } from '../db/sql.ts';
import { TRAVEL_DECISION_HOURS } from '../domain/legal.ts';
import { addDays, bishkekDate, checkInCalendar, computeTerm } from '../domain/term.ts';
import type { RegimeKind } from '../domain/types.ts';

/**
 * Case files for the demo fleet (`npm start`), so that the officers' and supervisors' screens have
 * something to show: each demo client gets its district's officer, the term as the law computes it,
 * the device's fitting in the evidence chain, the check-in calendar (past appearances attended,
 * one in ten left open so that a missed appearance is raised), and a few travel requests waiting
 * for a decision at different points of their 24-hour deadline. Clients that already have a case
 * file (registered_on set) are left alone, so the script can run on every start.
 */
const HOUR = 3_600_000;

async function seedClient(
  client: pg.PoolClient,
  c: { id: string; regime: RegimeKind; effective: string; term_months: number; district_id: string; residence_unit_id: string; device_id: string | null; n: number },
  officerId: string | null,
  today: string,
): Promise<{ checkIns: number; requests: number }> {
  // Demo clients registered five days after the sentence took effect, inside the arrival deadline.
  const registeredOn = addDays(c.effective, 5);
  const term = computeTerm({ regime: c.regime, effectiveDate: c.effective, registeredOn, termMonths: c.term_months });
  await client.query(
    `update clients set officer_id = coalesce(officer_id, $2), registered_on = $3, term_start = $4, arrival_deadline = $5, term_end = $6,
            court_name = coalesce(court_name, 'Районный суд'), created_by = coalesce(created_by, $2)
      where id = $1`,
    [c.id, officerId, registeredOn, term.termStart, term.arrivalDeadline, term.termEnd],
  );
  if (c.device_id) {
    await client.query(
      `insert into device_assignments (device_id, client_id, fitted_at, fitted_by, reason)
       select $1, $2, $3::date, $4, 'fitted at registration' where not exists (select 1 from device_assignments where device_id = $1 and removed_at is null)`,
      [c.device_id, c.id, registeredOn, officerId],
    );
  }
  let checkIns = 0;
  if (term.termStart && term.termEnd) {
    const window = checkInCalendar(term.termStart, term.termEnd).filter((d) => d <= addDays(today, 62));
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
  const { rows } = await pool.query<{ id: string; regime: RegimeKind; effective: string; term_months: number; district_id: string; residence_unit_id: string; device_id: string | null }>(
    `select c.id, c.regime, to_char(c.effective_date, 'YYYY-MM-DD') as effective, c.term_months, c.district_id, c.residence_unit_id, d.id as device_id
       from clients c left join devices d on d.client_id = c.id
      where c.registered_on is null and c.full_name like 'Demo client %'
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
