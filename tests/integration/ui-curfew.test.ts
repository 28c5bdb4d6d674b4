import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDashboard, signInUi } from '../support/browser.ts';
import { BISHKEK, TEST_PASSWORD, createUser, registerClient } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

// Issue 19, in Russian: an officer sets a client's curfew with the home found by address search,
// and sees it with its history on the client page.
describe('web UI: home and curfew', () => {
  let p: TestPlatform;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let clientId: string;

  beforeAll(async () => {
    p = await startTestPlatform({ devices: ['UI-CURFEW-1'] });
    clientId = await registerClient(p.pool, 'UI-CURFEW-1', { unitId: BISHKEK, name: 'Асанов Бакыт' });
    await createUser(p.pool, 'ui-cf-officer', 'officer', BISHKEK);
    ({ browser, page, errors } = await openDashboard(p.dashboardUrl));
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  it('sets a curfew by address search and shows it with its history', async () => {
    await signInUi(page, 'ui-cf-officer', TEST_PASSWORD);
    await page.goto(`/#/clients/${clientId}`);
    const panel = page.locator('[data-testid=curfew]');
    await panel.locator('[data-testid=curfew-none]').waitFor();
    const form = panel.locator('[data-testid=curfew-form]');
    await form.locator('input[name=place]').fill('Бишкек');
    await form.getByRole('button', { name: 'Найти' }).click();
    await form.locator('[data-testid=place-hits] button').first().click();
    expect(Number(await form.locator('input[name=lat]').inputValue())).toBeCloseTo(42.87, 1);
    await form.locator('input[name=radiusM]').fill('200');
    await form.locator('textarea[name=legalBasis]').fill('находиться дома с 22:00 до 06:00 (приговор, п. 4)');
    await form.locator('input[name=reason]').fill('приговор от 10.01.2026');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await panel.getByText('Комендантский час сохранён').waitFor();
    const current = await panel.locator('[data-testid=curfew-current]').textContent();
    expect(current).toContain('Бишкек');
    expect(current).toContain('ежедневно 22:00–06:00');
    const row = panel.locator('[data-testid=curfew-history] tbody tr').first();
    expect(await row.textContent()).toMatch(/установлен.*ui-cf-officer.*приговор от 10\.01\.2026.*200 м/);
    expect(errors).toEqual([]);
  });
});
