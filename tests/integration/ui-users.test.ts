import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../dashboard/app.ts';
import { loadConfig } from '../../infra/config/config.ts';
import { createPool } from '../../infra/db/sql.ts';
import { newContext, openDashboard, pageErrors, signInUi } from '../support/browser.ts';
import { createUser, registerClient, TEST_PASSWORD } from '../support/fixtures.ts';

// Nooken and Toktogul districts: no other test places clients there, so what the officer's list shows is this file's alone.
const NOOKEN = 'KG03215000000';
const TOKTOGUL = 'KG03225000000';
const OFFICER = 'inspector.nooken';
const OFFICER_PASSWORD = 'nooken-officer-pass-1';
const NEW_CLIENT = 'Абдыкадыров Тимур Бакытович';

// Issue 19: an administrator creates an officer on the Users screen; the officer sees only their
// district's clients, registers a new one through the on-boarding form, and is out at once when disabled.
describe('web UI: user administration and client on-boarding', () => {
  let app: FastifyInstance;
  let pool: pg.Pool;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let url: string;

  beforeAll(async () => {
    // The dashboard alone: these screens need neither the broker nor ingest.
    const config = loadConfig({ ...process.env, DATABASE_URL: inject('databaseUrl'), QUEUE_PREFIX: `em-uiu-${randomUUID().slice(0, 8)}`, HTTP_PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
    app = await buildApp(config);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    pool = createPool(config.DATABASE_URL, 2);
    await createUser(pool, 'ui-users-admin', 'admin');
    await registerClient(pool, 'UIU-NOOKEN', { unitId: NOOKEN, name: 'Мамытов Азамат' });
    await registerClient(pool, 'UIU-TOKTOGUL', { unitId: TOKTOGUL, name: 'Сыдыков Нурлан' });
    ({ browser, page, errors } = await openDashboard(url));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await pool?.end();
  });

  /** A calendar date as the UI shows it, formatted by the browser itself. */
  const shown = (day: string) => page.evaluate((d) => new Intl.DateTimeFormat('ru-RU', { timeZone: 'UTC', dateStyle: 'medium' }).format(Date.parse(`${d}T00:00:00Z`)), day);

  it('an administrator creates an officer of Nooken on the Users screen, the API refusal shown first, then signs out', async () => {
    await signInUi(page, 'ui-users-admin', TEST_PASSWORD);
    await page.locator('nav a[href="#/users"]').click();
    expect(await page.locator('h1#users-h').textContent()).toBe('Пользователи');
    const form = page.locator('form[data-testid=new-user]');
    await form.locator('input[name=username]').fill('Инспектор Ноокен');
    await form.locator('input[name=displayName]').fill('Жумабеков Улан, инспектор');
    await form.locator('select[name=role]').selectOption('officer');
    await form.locator('select[name=districtId]').selectOption(NOOKEN);
    await form.locator('input[name=password]').fill(OFFICER_PASSWORD);
    await form.locator('input[name=reason]').fill('Приказ о назначении инспектора');
    await form.locator('button[type=submit]').click();
    // The 400 names the field: the form says which of its inputs it means and marks it.
    const refusal = form.locator('[role=alert]');
    await expect.poll(() => refusal.textContent()).toMatch(/^Логин\. Ошибка: body\/username/);
    expect(await form.locator('input[name=username]').getAttribute('aria-invalid')).toBe('true');

    await form.locator('input[name=username]').fill(OFFICER);
    await form.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('section [role=status].ok').textContent()).toBe(`Пользователь ${OFFICER} создан`);
    const row = page.locator(`tr[data-username="${OFFICER}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('инспектор');
    expect(await row.textContent()).toContain('Ноокенский');
    const { rows } = await pool.query<{ role: string; district_id: string }>('select role, district_id from users where username = $1', [OFFICER]);
    expect(rows).toEqual([{ role: 'officer', district_id: NOOKEN }]);

    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.locator('h1#login-h').waitFor();
  });

  it("the new officer signs in with that password and sees Nooken's client, not Toktogul's; changes their own password", async () => {
    await signInUi(page, OFFICER, OFFICER_PASSWORD);
    await page.locator('h1#clients-h').waitFor();
    await page.locator('tbody tr', { hasText: 'Мамытов Азамат' }).waitFor();
    expect(await page.locator('tbody tr', { hasText: 'Сыдыков Нурлан' }).count()).toBe(0);
    // Not an administrator: no Users section.
    expect(await page.locator('nav a[href="#/users"]').count()).toBe(0);

    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    await page.locator('dialog input[name=currentPassword]').fill(OFFICER_PASSWORD);
    await page.locator('dialog input[name=newPassword]').fill('nooken-officer-pass-2');
    await page.locator('dialog input[name=repeatPassword]').fill('nooken-officer-pass-2');
    await page.locator('dialog button[type=submit]').click();
    await page.locator('dialog').waitFor({ state: 'detached' });
    expect(await page.locator('header [role=status]').textContent()).toBe('Пароль изменён; другие ваши сеансы завершены');
    const audit = await pool.query(`select 1 from audit_log where action = 'user.password_changed' and actor = $1`, [OFFICER]);
    expect(audit.rows).toHaveLength(1);
  });

  it('registers a client through the on-boarding form and lands on the case file with the term computed by law', async () => {
    await page.getByRole('link', { name: 'Новый клиент' }).click();
    await page.locator('h1#onboarding-h').waitFor();
    const form = page.locator('form[data-testid=onboarding]');
    await form.locator('input[name=fullName]').fill(NEW_CLIENT);
    await form.locator('select[name=regime]').selectOption('probation_supervision');
    await form.locator('input[name=courtDecisionDate]').fill('2026-09-01');
    await form.locator('input[name=courtName]').fill('Ноокенский районный суд');
    await form.locator('input[name=effectiveDate]').fill('2026-09-15');
    // Before the sentence took effect: the server refuses it, naming the field.
    await form.locator('input[name=registeredOn]').fill('2026-09-10');
    await form.locator('input[name=termMonths]').fill('12');
    expect(await form.locator('select[name=residenceUnitId]').inputValue()).toBe(NOOKEN);
    await form.getByRole('button', { name: 'Добавить обязанность' }).click();
    await form.locator('input[name=duty-0]').fill('Не посещать места проведения массовых мероприятий');
    await form.getByRole('button', { name: 'Добавить обязанность' }).click();
    await form.locator('input[name=duty-1]').fill('Пройти курс лечения от алкоголизма');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.locator('[role=alert]').textContent()).toContain('body/registeredOn cannot be before the effective date');
    expect(await form.locator('[role=alert]').textContent()).toMatch(/^Поставлен на учёт \(явился\)\. /);
    expect(await form.locator('input[name=registeredOn]').getAttribute('aria-invalid')).toBe('true');

    await form.locator('input[name=registeredOn]').fill('2026-09-20');
    // Probation supervision runs from the day of appearance (PEC KR art. 166(1)(1)): the preview says so before saving.
    await expect.poll(() => form.locator('[data-testid=term-preview]').textContent()).toContain(await shown('2026-09-20'));
    await form.locator('button[type=submit]').click();
    await page.locator('h1#client-h').waitFor();
    await expect.poll(() => page.locator('h1#client-h').textContent()).toContain(NEW_CLIENT);

    const { rows } = await pool.query<{ id: string; term_start: string; term_end: string; court_duties: string[]; officer: string }>(
      `select c.id, to_char(term_start, 'YYYY-MM-DD') as term_start, to_char(term_end, 'YYYY-MM-DD') as term_end, court_duties, u.username as officer
         from clients c join users u on u.id = c.officer_id where full_name = $1`,
      [NEW_CLIENT],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ term_start: '2026-09-20', term_end: '2027-09-20', officer: OFFICER, court_duties: ['Не посещать места проведения массовых мероприятий', 'Пройти курс лечения от алкоголизма'] });
    expect(page.url()).toContain(`#/clients/${rows[0]!.id}`);
    const term = page.locator('[data-testid=case-term]');
    expect(await term.locator('[data-testid=term-start]').textContent()).toBe(await shown('2026-09-20'));
    expect(await term.locator('[data-testid=term-end]').textContent()).toBe(await shown('2027-09-20'));
    expect(await term.locator('[data-testid=court-duties] li').count()).toBe(2);
    // The calendar the server scheduled, as the page shows it.
    const scheduled = await pool.query(`select 1 from check_ins where client_id = $1 and status = 'scheduled'`, [rows[0]!.id]);
    expect(scheduled.rows.length).toBeGreaterThan(0);
    expect(await term.locator('[data-testid=check-ins]').getAttribute('data-count')).toBe(String(scheduled.rows.length));
    const audit = await pool.query(`select 1 from audit_log where action = 'client.create' and subject_id = $1 and actor = $2`, [rows[0]!.id, OFFICER]);
    expect(audit.rows).toHaveLength(1);
  });

  it("the administrator disables the officer: the officer's open session is refused at once", async () => {
    const admin = await (await newContext(browser, url)).newPage();
    const adminErrors = pageErrors(admin);
    await signInUi(admin, 'ui-users-admin', TEST_PASSWORD);
    await admin.locator('nav a[href="#/users"]').click();
    const row = admin.locator(`tr[data-username="${OFFICER}"]`);
    await row.getByRole('button', { name: 'Отключить' }).click();
    await admin.locator('dialog textarea[name=reason]').fill('Уволен со службы');
    await admin.locator('dialog button[type=submit]').click();
    await expect.poll(() => admin.locator('section [role=status].ok').textContent()).toBe(`Учётная запись ${OFFICER} отключена, её сеансы завершены`);
    await expect.poll(() => row.getAttribute('data-disabled')).toBe('true');

    // The officer's page is still open: its next request is refused, and a reload shows the sign-in form.
    expect(await page.evaluate(() => fetch('/api/clients?limit=1').then((r) => r.status))).toBe(401);
    await page.reload();
    await page.locator('h1#login-h').waitFor();
    expect(adminErrors).toEqual([]);
    expect(errors).toEqual([]);
  });
});
