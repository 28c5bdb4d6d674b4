import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDashboard, pointInUnit, signInUi } from '../support/browser.ts';
import { createUser, registerClient, TEST_PASSWORD, ONE_FIX } from '../support/fixtures.ts';
import { connectTag, eventually, startTestPlatform, type TestPlatform, type TestTag } from '../support/platform.ts';

const TAG = 'UI-OP-TAG';
// Chatkal district: no other test places clients there, so the district filter shows only this test's alerts.
const CHATKAL = 'KG03230000000';
const BISHKEK: [number, number] = [74.596, 42.864];

// Issue 8: an operator signs in, watches the live map, sees a violation arrive live in the queue,
// and works it from the keyboard: acknowledge, note, resolve.
describe('web UI: the operator works a live violation', () => {
  let p: TestPlatform;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let client: string;
  let tag: TestTag;
  let home: [number, number];

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [TAG], episodeSettings: ONE_FIX });
    client = await registerClient(p.pool, TAG, { unitId: CHATKAL, name: 'Асанов Бакыт' });
    home = await pointInUnit(p.pool, CHATKAL);
    await createUser(p.pool, 'ui-operator', 'operator');
    tag = await connectTag(p, TAG, { accuracyM: 8 });
    // Two fixes at home half an hour ago; the next one (the violation) comes after a gap in reporting.
    await tag.sendFix(home, Date.now() - 30 * 60_000);
    await tag.sendFix(home, Date.now() - 29 * 60_000);
    await eventually(async () => ((await p.pool.query('select 1 from positions where device_id = $1', [TAG])).rows.length === 2 ? true : undefined));
    ({ browser, page, errors } = await openDashboard(p.dashboardUrl));
  });
  afterAll(async () => {
    await browser?.close();
    await tag?.client.endAsync();
    await p?.stop();
  });

  it('signs in and lands on the alert queue, in Russian, with the live stream connected', async () => {
    await signInUi(page, 'ui-operator', TEST_PASSWORD);
    await page.locator('h1#queue-h').waitFor();
    expect(await page.locator('h1#queue-h').textContent()).toBe('Очередь тревог');
    await page.locator('.live-live').waitFor();
    expect(await page.locator('footer.attribution').textContent()).toContain('CC BY-IGO 3.0');
  });

  it('draws the live map with WebGL: the tag is on it and the canvas has content', async () => {
    await page.locator('nav a[href="#/map"]').click();
    await page.locator('.map[data-map-ready="true"]').waitFor();
    await page.locator('[data-testid=tag-count]').waitFor();
    const count = Number((await page.locator('[data-testid=tag-count]').textContent())!.replace(/\D/g, ''));
    expect(count).toBeGreaterThanOrEqual(1);
    // The boundary attribution is on the map itself, as the licence requires.
    expect(await page.locator('.maplibregl-ctrl-attrib').textContent()).toContain('OCHA');
    const colours = await page.evaluate(() => {
      const gl = document.querySelector<HTMLCanvasElement>('canvas.maplibregl-canvas')!;
      const c = document.createElement('canvas');
      c.width = 200;
      c.height = 200;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(gl, 0, 0, 200, 200);
      const data = ctx.getImageData(0, 0, 200, 200).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return seen.size;
    });
    // Background, district fills and outlines at least: a blank or failed WebGL canvas has one colour.
    expect(colours).toBeGreaterThan(3);
  });

  it('a tag leaving its district shows up live in the queue, then is acknowledged, noted and resolved from the keyboard', async () => {
    await page.locator('nav a[href="#/queue"]').click();
    await page.locator('select[name=district]').selectOption(CHATKAL);
    await page.locator('.live-live').waitFor();
    await page.locator('table.queue[data-loaded="true"]').waitFor();
    // Loaded before the violation happens: the row can only arrive over the live stream.
    expect(await page.locator('tbody tr', { hasText: TAG }).count()).toBe(0);

    await tag.sendFix(BISHKEK, Date.now() - 10_000);
    const row = page.locator('tbody tr', { hasText: TAG });
    await row.waitFor();
    expect(await row.textContent()).toContain('Выход за пределы района проживания');
    expect(await row.getAttribute('data-status')).toBe('open');
    const alertId = (await row.getAttribute('data-alert-id'))!;

    await row.click();
    await page.keyboard.press('a');
    await expect.poll(() => row.getAttribute('data-status')).toBe('acknowledged');

    await page.keyboard.press('n');
    await page.locator('dialog textarea[name=note]').fill('Позвонил клиенту, не отвечает');
    await page.locator('dialog button[type=submit]').click();
    await page.locator('dialog').waitFor({ state: 'detached' });

    await row.focus();
    await page.keyboard.press('r');
    await page.locator('dialog select[name=outcome]').selectOption('violation_confirmed');
    await page.locator('dialog textarea[name=note]').fill('Подтверждено выездом в Бишкек без разрешения');
    await page.locator('dialog button[type=submit]').click();
    // Resolved alerts leave the "in progress" queue.
    await row.waitFor({ state: 'detached' });

    const { rows } = await p.pool.query<{ status: string; outcome: string; acknowledged_by: string | null }>('select status, outcome, acknowledged_by from alerts where id = $1', [alertId]);
    expect(rows[0]).toMatchObject({ status: 'resolved', outcome: 'violation_confirmed' });
    const notes = await p.pool.query<{ text: string }>('select text from alert_notes where alert_id = $1 order by created_at', [alertId]);
    expect(notes.rows.map((n) => n.text)).toEqual(['Позвонил клиенту, не отвечает', 'Подтверждено выездом в Бишкек без разрешения']);
    const audit = await p.pool.query<{ action: string; actor: string }>(`select action, actor from audit_log where subject_type = 'alert' and subject_id = $1 order by seq`, [alertId]);
    expect(audit.rows).toEqual([
      { action: 'alert.acknowledge', actor: 'ui-operator' },
      { action: 'alert.note', actor: 'ui-operator' },
      { action: 'alert.resolve', actor: 'ui-operator' },
    ]);
    const v = await p.pool.query('select 1 from violations where alert_id = $1 and client_id = $2', [alertId, client]);
    expect(v.rows).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it("drills down into the client: device health, and the track played back with its gap, the read audited with its reason", async () => {
    await page.goto(`/#/clients/${client}`);
    await expect.poll(() => page.locator('h1#client-h').textContent()).toContain('Асанов Бакыт');
    expect(await page.locator('[data-testid=device-health]').textContent()).toContain(TAG);
    // By its label: the client page has other forms with a reason field (the curfew's, the zones')
    await page.getByRole('textbox', { name: 'Основание просмотра трека (записывается в журнал)' }).fill('Проверка тревоги о выезде');
    await page.getByRole('button', { name: 'Показать трек' }).click();
    const status = page.locator('.playback p[role=status]');
    await expect.poll(() => status.textContent()).toMatch(/^Точка 3 из 3: .*, точность 8 м, источник gps$/);
    expect(await page.locator('.playback summary').textContent()).toBe('Пропуски связи: 1');
    await page.locator('.playback input[type=range]').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => status.textContent()).toMatch(/^Точка 1 из 3/);
    await page.locator('.map[data-map-ready="true"]').waitFor();
    const audit = await p.pool.query<{ reason: string }>(`select reason from audit_log where action = 'track.read' and subject_id = $1 and actor = 'ui-operator'`, [client]);
    expect(audit.rows).toEqual([{ reason: 'Проверка тревоги о выезде' }]);
    expect(errors).toEqual([]);
  });
});
