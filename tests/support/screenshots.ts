/**
 * `npm run screenshots`: the main views of the web UI, captured in real headless Chromium against
 * a real dashboard on seeded data, saved to docs/screenshots/ for the README.
 *
 * It uses a database of its own (SCREENSHOTS_DATABASE_URL, default kgz_em_screenshots), recreated
 * on every run, and real Redis under its own prefix; it never touches the demo's or the tests' data.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Page } from 'playwright-core';
import { buildApp } from '../../dashboard/app.ts';
import { upsertUser } from '../../infra/auth/users.ts';
import { loadConfig } from '../../infra/config/config.ts';
import { recreateDatabase } from '../../infra/db/ensure-database.ts';
import { provisionDatabase } from '../../infra/db/provision.ts';
import { createPool } from '../../infra/db/sql.ts';
import { CITIES } from '../../firmware-sim/cities.ts';
import { offset } from '../../firmware-sim/geo-math.ts';
import { prng } from '../../infra/random/seeded-random.ts';
import { launchBrowser, newContext, signInUi } from './browser.ts';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const PASSWORD = 'screenshot-password';
const BISHKEK = 'KG11000000000';
const OSH = 'KG21000000000';
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const SURNAMES = ['Асанов', 'Бекмуратов', 'Жумабаев', 'Исаков', 'Кадыров', 'Мамытов', 'Осмонов', 'Сатыбалдиев', 'Токтогулов', 'Усенов', 'Эшенов', 'Абдыкадыров'];
const NAMES = ['Азамат', 'Бакыт', 'Нурлан', 'Эрлан', 'Талант', 'Улан', 'Айбек', 'Марат', 'Руслан', 'Данияр', 'Кубан', 'Бекзат'];
const REGIMES = ['probation_supervision', 'restriction_of_freedom', 'parole', 'deferred_sentence'] as const;
const SEVERITY_OF: Record<string, string> = { strap_tamper: 'critical', country_exit: 'critical', residence_exit: 'high', exclusion_entry: 'high', no_communication: 'high', curfew_breach: 'medium', device_offline: 'medium', battery_low: 'low' };

interface Seeded {
  focusClient: string;
}

/** A national caseload of 400 tags, a Bishkek office with its requests and violations, and one client's day. */
async function seed(pool: pg.Pool): Promise<Seeded> {
  const rand = prng(8);
  const now = Date.now();
  const users: Record<string, string> = {};
  for (const [username, displayName, role, district] of [
    ['operator', 'Оператор Айгуль Сейитова', 'operator', null],
    ['officer.bishkek', 'Инспектор Нурбек Алиев', 'officer', BISHKEK],
    ['officer2.bishkek', 'Инспектор Гульнара Токтосунова', 'officer', BISHKEK],
    ['supervisor.bishkek', 'Начальник Мирлан Орозбеков', 'supervisor', BISHKEK],
    ['admin', 'Администратор Эркин Садыков', 'admin', null],
  ] as const) users[username] = await upsertUser(pool, { username, displayName, role, districtId: district, password: PASSWORD }, 4);

  const clients: { id: string; device: string; unit: string; home: [number, number] }[] = [];
  const total = CITIES.reduce((s, c) => s + c.weight, 0);
  for (let i = 0; i < 400; i++) {
    let r = rand() * total;
    const city = CITIES.find((c) => (r -= c.weight) < 0) ?? CITIES[0]!;
    const home = offset(city.centre, (rand() - 0.5) * city.spreadM, (rand() - 0.5) * city.spreadM) as [number, number];
    const name = `${SURNAMES[i % SURNAMES.length]} ${NAMES[Math.floor(i / SURNAMES.length) % NAMES.length]}`;
    const officer = city.unitId === BISHKEK ? users[i % 3 ? 'officer.bishkek' : 'officer2.bishkek'] : null;
    const { rows } = await pool.query<{ id: string }>(
      `insert into clients (full_name, regime, court_decision_date, effective_date, term_months, term_start, residence_unit_id, district_id, risk_level, officer_id, court_name)
       values ($1, $2, current_date - 90, current_date - 80, 24, current_date - 75, $3, $3, $4, $5, 'Первомайский районный суд г. Бишкек') returning id`,
      [name, REGIMES[i % 4], city.unitId, ['low', 'medium', 'high'][i % 3], officer],
    );
    const device = `TAG${String(i + 1).padStart(5, '0')}`;
    const silent = i % 23 === 0;
    await pool.query(
      `insert into devices (id, client_id, status, report_interval_s, last_seen_at, online, battery_level, battery_at)
       values ($1, $2, 'assigned', 60, now() - make_interval(secs => $3), $4, $5, now())`,
      [device, rows[0]!.id, silent ? 3 * 3600 : 30, !silent, Math.round(15 + rand() * 85)],
    );
    const p = offset(home, (rand() - 0.5) * 300, (rand() - 0.5) * 300);
    await pool.query(
      `insert into positions (device_id, device_time, seq, client_id, lon, lat, accuracy_m, source) values ($1, now() - interval '40 seconds', 1, $2, $3, $4, $5, 'gps')`,
      [device, rows[0]!.id, p[0], p[1], 5 + rand() * 20],
    );
    await pool.query(`insert into check_ins (client_id, due_at) values ($1, current_date + $2::int)`, [rows[0]!.id, 1 + (i % 12)]);
    await pool.query(`insert into device_events (device_id, device_time, seq, type) values ($1, now() - interval '3 days', 1, $2)`, [device, i % 37 === 5 ? 'strap_opened' : 'strap_closed']);
    clients.push({ id: rows[0]!.id, device, unit: city.unitId, home });
  }

  // Alerts in every state and severity over the last two weeks, the newest still open.
  const types = Object.keys(SEVERITY_OF);
  for (let i = 0; i < 260; i++) {
    const c = clients[Math.floor(rand() * clients.length)]!;
    const type = types[i % types.length]!;
    const ageMs = i < 18 ? rand() * 20 * MIN : rand() * 14 * DAY;
    const status = i < 18 ? (i % 4 === 0 ? 'acknowledged' : 'open') : 'resolved';
    const ack = status === 'open' ? null : 2 + rand() * 20;
    await pool.query(
      `insert into alerts (episode_key, client_id, device_id, type, severity, status, opened_at, created_at, lon, lat, acknowledged_at, resolved_at, outcome, escalated_at)
       values ($1, $2, $3, $4, $5, $6, now() - make_interval(secs => $7), now() - make_interval(secs => $7), $8, $9,
               case when $10::float8 is null then null else now() - make_interval(secs => $7) + $10::float8 * interval '1 minute' end,
               case when $6 = 'resolved' then now() - make_interval(secs => $7) + interval '40 minutes' end,
               case when $6 = 'resolved' then 'false_alarm' end,
               case when $5 = 'critical' and $6 = 'open' and $7 > 300 then now() end)`,
      [`shot:${i}`, c.id, c.device, type, SEVERITY_OF[type], status, Math.round(ageMs / 1000), c.home[0], c.home[1], ack],
    );
  }

  const bishkek = clients.filter((c) => c.unit === BISHKEK);
  // Travel requests awaiting the Bishkek office, submitted over the last day.
  for (const [i, c] of bishkek.slice(0, 4).entries()) {
    await pool.query(
      `insert into travel_requests (client_id, category, relation, circumstance, destination_unit_ids, depart_at, return_at, travel_days, reason, submitted_at, submitted_by, decide_by)
       values ($1, $2, $3, $4, $5, now() + interval '1 day', now() + interval '6 days', 1, $6, now() - $7::float8 * interval '1 hour', $8,
               -- only an exceptional trip has the 24-hour limit (PEC KR art. 166(2)(3))
               case when $2 = 'exceptional_circumstances' then now() - $7::float8 * interval '1 hour' + interval '24 hours' end)`,
      [c.id, i % 2 ? 'weekend_holiday' : 'exceptional_circumstances', i % 2 ? null : 'close_relative', i % 2 ? null : 'life_threatening_illness', [i % 2 ? 'KG08400000010' : OSH],
        i % 2 ? 'Свадьба брата в Токмоке' : 'Тяжёлая болезнь отца, больница г. Ош', [2, 9, 17, 22.5][i], users['officer.bishkek']],
    );
  }
  // Violations: no report within the statutory term (straight to the court) and two district exits.
  const [v1, v2] = [bishkek[5]!, bishkek[6]!];
  await pool.query(`insert into violations (client_id, obligation, occurred_at, recorded_by, description) values ($1, 'arrive_within_term', now() - interval '3 days', $2, 'Не явился в орган пробации в установленный срок')`, [v1.id, users['officer.bishkek']]);
  for (const d of [9, 2]) await pool.query(`insert into violations (client_id, obligation, occurred_at, recorded_by) values ($1, 'stay_in_residence_unit', now() - make_interval(days => $2), $3)`, [v2.id, d, users['officer.bishkek']]);

  // The drill-down client: two hours of fixes around home with a 25-minute gap, a permit to Osh.
  const focus = bishkek[7]!;
  let seq = 10;
  for (let k = 0; k < 60; k++) {
    const t = now - 2 * HOUR + k * 2 * MIN;
    if (t > now - 70 * MIN && t < now - 45 * MIN) continue;
    const p = offset(focus.home, Math.sin(k / 6) * 600, Math.cos(k / 9) * 400 + k * 8);
    await pool.query(
      `insert into positions (device_id, device_time, seq, client_id, lon, lat, accuracy_m, source) values ($1, to_timestamp($2 / 1000.0), $3, $4, $5, $6, $7, $8)`,
      [focus.device, t, ++seq, focus.id, p[0], p[1], k % 9 === 4 ? 180 : 8 + (k % 5) * 6, k % 9 === 4 ? 'cell' : 'gps'],
    );
  }
  await pool.query(`insert into permits (client_id, category, destination_unit_ids, valid_from, valid_until) values ($1, 'weekend_holiday', '{KG21000000000}', now() + interval '2 days', now() + interval '4 days')`, [focus.id]);
  await pool.query(`insert into device_events (device_id, device_time, seq, type, data) values ($1, now() - interval '30 minutes', 2, 'strap_closed', '{}')`, [focus.device]);
  return { focusClient: focus.id };
}

async function shot(page: Page, name: string): Promise<void> {
  // Let countdowns tick and the map finish drawing tiles of its own data.
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLElement>('.map')).every((m) => m.dataset.mapIdle === 'true'));
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log(`[screenshots] ${name}.png`);
}

async function main(): Promise<void> {
  const databaseUrl = process.env.SCREENSHOTS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kgz_em_screenshots';
  await recreateDatabase(databaseUrl);
  await provisionDatabase(databaseUrl, { importedBy: 'screenshots import of infra/data/kgz' });
  const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl, QUEUE_PREFIX: 'em-screenshots', HTTP_PORT: '0', LOG_LEVEL: 'warn' });
  const pool = createPool(databaseUrl, 3);
  const { focusClient } = await seed(pool);
  const app = await buildApp(config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  await mkdir(OUT, { recursive: true });
  const browser = await launchBrowser();
  try {
    const as = async (username: string) => {
      const page = await (await newContext(browser, base)).newPage();
      await signInUi(page, username, PASSWORD);
      return page;
    };
    const op = await as('operator');
    await op.locator('tbody tr').first().waitFor();
    await op.locator('tbody tr').first().focus();
    await shot(op, 'operator-alert-queue');
    await op.locator('nav a[href="#/map"]').click();
    await op.locator('.map[data-map-ready="true"]').waitFor();
    await op.locator('[data-testid=tag-count]').waitFor();
    await shot(op, 'operator-live-map');
    await op.goto(`${base}/#/clients/${focusClient}`);
    await op.locator('input[name=reason]').fill('Проверка маршрута за день');
    await op.getByRole('button', { name: 'Показать трек' }).click();
    await op.locator('.playback p[role=status]').waitFor();
    await op.locator('.playback input[type=range]').focus();
    for (let i = 0; i < 12; i++) await op.keyboard.press('ArrowLeft');
    await op.locator('.map[data-map-ready="true"]').waitFor();
    await shot(op, 'operator-client-track');
    // The administration panels below the track: zones (with terra-draw on the map above) and the curfew.
    await op.locator('section.zones-panel').scrollIntoViewIfNeeded();
    await op.locator('section.zones-panel').screenshot({ path: path.join(OUT, 'operator-client-zones.png') });
    console.log('[screenshots] operator-client-zones.png');
    await op.locator('[data-testid=curfew]').scrollIntoViewIfNeeded();
    await op.locator('[data-testid=curfew]').screenshot({ path: path.join(OUT, 'operator-client-curfew.png') });
    console.log('[screenshots] operator-client-curfew.png');
    await op.goto(`${base}/#/devices`);
    await op.locator('tr[data-device-id]').first().waitFor();
    await shot(op, 'operator-device-registry');

    const officer = await as('officer.bishkek');
    await officer.locator('[data-testid=next-check-in]').first().waitFor();
    await shot(officer, 'officer-clients');
    await officer.goto(`${base}/#/onboarding`);
    await officer.locator('main form').first().waitFor();
    await shot(officer, 'officer-onboarding');
    await officer.goto(`${base}/#/clients`);
    await officer.locator('nav a[href="#/travel"]').click();
    await officer.locator('tr[data-request-id]').first().waitFor();
    await officer.locator('.map[data-map-ready="true"]').waitFor();
    await shot(officer, 'officer-travel-requests');
    await officer.locator('nav a[href="#/violations"]').click();
    await officer.locator('tr[data-violation-id]').first().getByRole('button').click();
    await officer.locator('article[data-proposal-kind]').first().waitFor();
    await shot(officer, 'officer-violations-proposals');

    const admin = await as('admin');
    await admin.goto(`${base}/#/users`);
    await admin.locator('tbody tr').first().waitFor();
    await shot(admin, 'admin-users');

    const supervisor = await as('supervisor.bishkek');
    await supervisor.locator('[data-testid=median-ack]').waitFor();
    await shot(supervisor, 'supervisor-district-figures');
    await supervisor.locator('select[name=lang]').selectOption('ky');
    await supervisor.locator('nav a[href="#/travel"]').click();
    await supervisor.locator('tr[data-request-id]').first().waitFor();
    await supervisor.locator('.map[data-map-ready="true"]').waitFor();
    await shot(supervisor, 'supervisor-travel-requests-kyrgyz');
  } finally {
    await browser.close();
    await app.close();
    await pool.end();
  }
}

await main();
