import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDashboard, signInUi } from '../support/browser.ts';
import { createUser, TEST_PASSWORD } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

// Issue 8: Russian by default, Kyrgyz and English on request, and the choice survives a reload.
describe('web UI: the language switch', () => {
  let p: TestPlatform;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [] });
    await createUser(p.pool, 'ui-lang-operator', 'operator');
    ({ browser, page, errors } = await openDashboard(p.dashboardUrl));
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  const heading = () => page.locator('h1#queue-h').textContent();

  it('is Russian by default, before and after sign-in', async () => {
    await page.goto('/');
    expect(await page.locator('h1#login-h').textContent()).toBe('Вход в систему');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    await signInUi(page, 'ui-lang-operator', TEST_PASSWORD);
    await page.locator('h1#queue-h').waitFor();
    expect(await heading()).toBe('Очередь тревог');
  });

  it('switches to English and to Kyrgyz, every visible label with it', async () => {
    await page.locator('select[name=lang]').selectOption('en');
    await expect.poll(heading).toBe('Alert queue');
    expect(await page.locator('nav.nav').textContent()).toContain('Map');
    expect(await page.locator('select[name=status] option:checked').textContent()).toBe('in progress');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');

    await page.locator('select[name=lang]').selectOption('ky');
    await expect.poll(heading).toBe('Эскертүүлөр кезеги');
    expect(await page.locator('nav.nav').textContent()).toContain('Карта');
    expect(await page.locator('header .who').textContent()).toContain('оператор');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('ky');
  });

  it('keeps the choice across a reload', async () => {
    await page.reload();
    await page.locator('h1#queue-h').waitFor();
    expect(await heading()).toBe('Эскертүүлөр кезеги');
    await page.locator('select[name=lang]').selectOption('ru');
    await expect.poll(heading).toBe('Очередь тревог');
    expect(errors).toEqual([]);
  });
});
