import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pointOnFeature } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import type pg from 'pg';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WEB_INDEX = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../dashboard/web/dist/index.html');

/**
 * Debian's Chromium, headless, with SwiftShader so that MapLibre gets WebGL without a GPU. Fails
 * loudly when the browser or the web build is missing: a browser test must never pass vacuously.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);
  if (!existsSync(WEB_INDEX)) throw new Error('the web UI is not built: npm run build:web');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--no-sandbox'],
  });
}

/** A fresh browser profile (own cookies and storage) at a monitoring-centre screen size. */
export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 }, acceptDownloads: true, locale: 'ru-RU', timezoneId: 'Asia/Bishkek' });
  context.setDefaultTimeout(30_000);
  return context;
}

/** A browser with one page for the dashboard in a fresh profile, collecting the page's uncaught errors. */
export async function openDashboard(baseURL: string): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  const browser = await launchBrowser();
  try {
    const page = await (await newContext(browser, baseURL)).newPage();
    return { browser, page, errors: pageErrors(page) };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/** Signs in through the page's own form, as a person would. */
export async function signInUi(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/');
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('form.login button').click();
  await page.locator('nav.nav').waitFor();
}

/**
 * Collects the page's uncaught errors and every Content Security Policy violation (Chromium reports
 * them on the console), so a test can assert the UI ran cleanly under the dashboard's CSP.
 */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(`CSP: ${m.text()}`);
  });
  return errors;
}

/**
 * A point inside an administrative unit, from its boundary in the test database: the UI tests put
 * their clients in districts no other test uses, so that what a screen lists is theirs alone.
 */
export async function pointInUnit(pool: pg.Pool, unitId: string): Promise<[number, number]> {
  const { rows } = await pool.query<{ geometry: Polygon | MultiPolygon }>('select geometry from admin_units where id = $1', [unitId]);
  if (!rows[0]) throw new Error(`no unit ${unitId}`);
  return pointOnFeature(rows[0].geometry).geometry.coordinates as [number, number];
}
