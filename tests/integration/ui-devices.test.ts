import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDashboard, pointInUnit, signInUi } from '../support/browser.ts';
import { BISHKEK, createUser, TEST_PASSWORD } from '../support/fixtures.ts';
import { connectTag, eventually, startTestPlatform, type TestPlatform } from '../support/platform.ts';

// Issue 19, in Russian: enrol two tags in the registry screen, fit one on a client, swap it for the
// other, and see one continuous track across both on the client page.
describe('web UI: the device registry', () => {
  const [FIRST, SECOND] = ['UI-DEV-1', 'UI-DEV-2'];
  let p: TestPlatform;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let clientId: string;
  let home: [number, number];

  const row = (id: string) => page.locator(`tr[data-device-id="${id}"]`);
  const done = async (text: string) => {
    await page.locator('[data-testid=devices-done]', { hasText: text }).waitFor();
  };
  // The list reloads after the message: wait for the row to show the new status.
  const statusOf = async (id: string, text: string) => {
    await row(id).locator('[data-testid=device-status]', { hasText: text }).waitFor();
    return row(id).locator('[data-testid=device-status]').textContent();
  };

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [FIRST, SECOND] });
    clientId = (await p.pool.query<{ id: string }>(
      `insert into clients (full_name, regime, court_decision_date, effective_date, term_months, term_start, residence_unit_id, district_id)
       values ('Токтогулов Эрлан', 'probation_supervision', '2026-01-10', '2026-01-20', 24, '2026-01-25', $1, $1) returning id`,
      [BISHKEK],
    )).rows[0]!.id;
    home = await pointInUnit(p.pool, BISHKEK);
    await createUser(p.pool, 'ui-dev-admin', 'admin');
    ({ browser, page, errors } = await openDashboard(p.dashboardUrl));
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  it('enrols two tags; each secret is shown once and only its hash is kept', async () => {
    await signInUi(page, 'ui-dev-admin', TEST_PASSWORD);
    await page.locator('nav a[href="#/devices"]').click();
    for (const id of [FIRST, SECOND]) {
      const form = page.locator('form[name=enrol]');
      await form.locator('input[name=id]').fill(id);
      await form.locator('input[name=model]').fill('GT-300');
      await form.locator('input[name=reason]').fill('поставка декабря');
      await form.getByRole('button', { name: 'Зарегистрировать браслет' }).click();
      await done(`Браслет ${id} зарегистрирован`);
      const secret = (await page.locator('[data-testid=device-secret] code').textContent())!;
      expect(secret.length).toBeGreaterThanOrEqual(32);
      const stored = await p.pool.query<{ broker_secret_hash: string }>('select broker_secret_hash from devices where id = $1', [id]);
      expect(stored.rows[0]!.broker_secret_hash).not.toContain(secret);
      await row(id).waitFor();
      expect(await row(id).locator('[data-testid=device-status]').textContent()).toContain('на складе');
    }
  });

  it('fits the first on the client, swaps it for the second, and the client page shows one track across both', async () => {
    await row(FIRST).getByRole('button', { name: 'Надеть клиенту' }).click();
    const fit = page.locator('form[name=device-fit]');
    await fit.locator('input[name=clientSearch]').fill('Токтогулов');
    await fit.locator(`select[name=clientId] option[value="${clientId}"]`).waitFor({ state: 'attached' });
    await fit.locator('select[name=clientId]').selectOption(clientId);
    await fit.locator('input[name=reason]').fill('надет при постановке на учёт');
    await fit.getByRole('button', { name: 'Сохранить' }).click();
    await done(`Браслет ${FIRST} надет`);
    expect(await statusOf(FIRST, 'надет')).toContain('надет');

    const first = await connectTag(p, FIRST);
    await first.sendFix(home, Date.now());
    await first.sendFix([home[0] + 0.001, home[1]], Date.now() + 1);
    await eventually(async () => ((await p.pool.query('select 1 from positions where device_id = $1 and client_id = $2', [FIRST, clientId])).rowCount === 2 ? true : undefined));
    await first.client.endAsync();

    await row(FIRST).getByRole('button', { name: 'Заменить' }).click();
    const swap = page.locator('form[name=device-swap]');
    await swap.locator('select[name=toDeviceId]').selectOption(SECOND);
    await swap.locator('input[name=reason]').fill('трещина корпуса');
    await swap.getByRole('button', { name: 'Сохранить' }).click();
    await done(`Браслет ${FIRST} заменён`);
    expect(await statusOf(FIRST, 'неисправен')).toContain('неисправен');
    expect(await statusOf(SECOND, 'надет')).toContain('надет');

    // Device times no later than now: the client page's track form ends a minute ahead, truncated to
    // the minute, so a fix stamped in the future could fall after it.
    const second = await connectTag(p, SECOND);
    await second.sendFix([home[0] + 0.002, home[1]], Date.now());
    await second.sendFix([home[0] + 0.003, home[1]], Date.now() + 1);
    await eventually(async () => ((await p.pool.query('select 1 from positions where device_id = $1 and client_id = $2', [SECOND, clientId])).rowCount === 2 ? true : undefined));
    await second.client.endAsync();

    await row(SECOND).getByRole('link').click();
    await page.locator('input[name=reason]').fill('проверка замены браслета');
    await page.getByRole('button', { name: 'Показать трек' }).click();
    const devices = page.locator('[data-testid=track-devices]');
    await devices.waitFor();
    expect(await devices.textContent()).toBe(`Браслеты в треке: ${FIRST} → ${SECOND}`);
    expect(await page.locator('.playback p[role=status]').textContent()).toMatch(/из 4/);
    const audit = await p.pool.query<{ action: string }>(`select action from audit_log where subject_id = $1 and action like 'device.%' order by seq`, [clientId]);
    expect(audit.rows.map((r) => r.action)).toEqual(['device.fit', 'device.remove', 'device.fit']);
    expect(errors).toEqual([]);
  });
});
