import { booleanPointInPolygon, distance } from '@turf/turf';
import type { Polygon } from 'geojson';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDashboard, pointInUnit, signInUi } from '../support/browser.ts';
import { ONE_FIX, TEST_PASSWORD, createUser, registerClient } from '../support/fixtures.ts';
import { connectTag, eventually, startTestPlatform, type TestPlatform, type TestTag } from '../support/platform.ts';

const TAG = 'UI-ZONE-TAG';
// Kochkor district: no other test places clients there, so the queue's district filter shows only
// this test's alerts (and its point from pointInUnit lies well inside, not on its boundary).
const KOCHKOR = 'KG04235000000';
const NAME = 'Жумабеков Эрлан';
const LABEL = 'Рынок «Чаек» (место работы потерпевшей)';
// The page answers in well under a second, but the machine may be busy with other tests.
const POLL = { timeout: 20_000 };
/** Half the side of the square drawn on the map, in screen pixels. */
const HALF = 60;

// Issue 19: an operator draws an exclusion zone with the mouse on the client's map (terra-draw),
// fills in its legal basis and saves it; the tag then walks into it and the alert reaches the queue.
describe('web UI: drawing an exclusion zone on the map, and the alert when the tag enters it', () => {
  let p: TestPlatform;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let client: string;
  let tag: TestTag;
  let home: [number, number];
  let zoneId: string;
  /** The centre of the map's canvas on screen, scrolled into view. */
  const mapCentre = async () => {
    const canvas = page.locator('.map canvas.maplibregl-canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    return { cx: box.x + box.width / 2, cy: box.y + box.height / 2 };
  };
  const clickAt = async (points: [number, number][]) => {
    for (const [x, y] of points) {
      await page.mouse.move(x, y, { steps: 5 });
      await page.mouse.click(x, y);
    }
  };

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [TAG], episodeSettings: ONE_FIX });
    client = await registerClient(p.pool, TAG, { unitId: KOCHKOR, name: NAME });
    home = await pointInUnit(p.pool, KOCHKOR);
    await createUser(p.pool, 'ui-zone-operator', 'operator');
    tag = await connectTag(p, TAG, { accuracyM: 8 });
    // A fix at home: the client page frames the map on the client's last position, so the map's
    // centre is this point.
    await tag.sendFix(home, Date.now() - 20 * 60_000);
    await eventually(async () => ((await p.pool.query('select 1 from positions where device_id = $1', [TAG])).rowCount ? true : undefined));
    ({ browser, page, errors } = await openDashboard(p.dashboardUrl));
  });
  afterAll(async () => {
    await browser?.close();
    await tag?.client.endAsync();
    await p?.stop();
  });

  it('draws a square around the client\'s position with the mouse, saves it with its legal basis, and the tag entering it raises the alert in the queue', async () => {
    await signInUi(page, 'ui-zone-operator', TEST_PASSWORD);
    // The operator's home is the queue; open the client once it is there, so no redirect races the link.
    await page.locator('h1#queue-h').waitFor();
    await page.goto(`/#/clients/${client}`);
    await expect.poll(() => page.locator('h1#client-h').textContent(), POLL).toContain(NAME);
    // The caseload summary (with the last fix) has loaded and the map has been framed on it.
    await page.locator('dd a[href="#/queue"]').waitFor();
    await page.locator('.map[data-map-ready="true"][data-map-idle="true"]').waitFor();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await page.locator('#zones-h').textContent()).toBe('Зоны');
    expect(await page.locator('.zones-panel').textContent()).toContain('Зон нет');

    await page.getByRole('button', { name: 'Новая зона' }).click();
    await page.locator('.zone-form input[name=label]').fill(LABEL);
    await page.getByRole('button', { name: 'Многоугольник' }).click();
    expect(await page.locator('.zone-form .hint').first().textContent()).toContain('щёлкните по первой точке');

    const { cx, cy } = await mapCentre();
    const corners: [number, number][] = [[cx - HALF, cy - HALF], [cx + HALF, cy - HALF], [cx + HALF, cy + HALF], [cx - HALF, cy + HALF]];
    await clickAt([...corners, corners[0]!]);
    await expect.poll(() => page.locator('[data-testid=zone-shape]').textContent(), POLL).toBe('Многоугольник, вершин: 4');

    expect(await page.locator('.zone-form select[name=kind]').inputValue()).toBe('exclusion');
    expect(await page.locator('.zone-form input[name=always]').isChecked()).toBe(true);
    await page.locator('.zone-form select[name=legalSource]').selectOption('court_imposed');
    await page.locator('.zone-form textarea[name=legalBasis]').fill('не посещать рынок «Чаек» (приговор, п. 4)');
    await page.locator('.zone-form textarea[name=reason]').fill('решение суда от 10.01.2026');
    await page.getByRole('button', { name: 'Сохранить зону' }).click();
    await expect.poll(() => page.locator('.zones-panel [role=status]').first().textContent(), POLL).toBe(`Зона «${LABEL}» сохранена`);
    const item = page.locator('.zone-list li', { hasText: LABEL });
    await item.waitFor();
    expect(await item.textContent()).toContain('запретная · всегда');

    // The zone is the square drawn: four corners round the map's centre (the client's position),
    // as wide on screen as it is tall (Web Mercator stretches latitude by 1 / cos(latitude)).
    const { rows } = await p.pool.query<{ id: string; kind: string; shape: { type: string; geometry: Polygon }; schedule: unknown; legal_source: string; legal_basis: string }>(
      'select id, kind, shape, schedule, legal_source, legal_basis from zones where client_id = $1', [client],
    );
    expect(rows).toHaveLength(1);
    const zone = rows[0]!;
    zoneId = zone.id;
    expect(zone).toMatchObject({ kind: 'exclusion', schedule: null, legal_source: 'court_imposed', legal_basis: 'не посещать рынок «Чаек» (приговор, п. 4)' });
    expect(zone.shape.type).toBe('polygon');
    const ring = zone.shape.geometry.coordinates[0]!;
    expect(ring).toHaveLength(5);
    expect(ring[0]).toEqual(ring[4]);
    expect(booleanPointInPolygon(home, zone.shape.geometry)).toBe(true);
    const lons = ring.map((c) => c[0]!);
    const lats = ring.map((c) => c[1]!);
    const width = Math.max(...lons) - Math.min(...lons);
    const height = Math.max(...lats) - Math.min(...lats);
    expect(width / height).toBeCloseTo(1 / Math.cos((home[1] * Math.PI) / 180), 1);
    const audit = await p.pool.query<{ actor: string; reason: string; details: { zoneId: string } }>(`select actor, reason, details from audit_log where action = 'zone.create' and subject_id = $1`, [client]);
    expect(audit.rows.map((r) => [r.actor, r.reason, r.details.zoneId])).toEqual([['ui-zone-operator', 'решение суда от 10.01.2026', zone.id]]);

    // The tag walks into the zone (its centre, well inside): the exclusion alert reaches the queue.
    await page.locator('nav a[href="#/queue"]').click();
    await page.locator('select[name=district]').selectOption(KOCHKOR);
    await page.locator('table.queue[data-loaded="true"]').waitFor();
    const centre: [number, number] = [(Math.max(...lons) + Math.min(...lons)) / 2, (Math.max(...lats) + Math.min(...lats)) / 2];
    await tag.sendFix(centre, Date.now() - 10_000);
    const row = page.locator('tbody tr', { hasText: TAG });
    await row.waitFor();
    expect(await row.textContent()).toContain('Вход в запретную зону');
    const alertId = (await row.getAttribute('data-alert-id'))!;
    const alert = await p.pool.query<{ client_id: string; type: string; details: { ruleId?: string } }>('select client_id, type, details from alerts where id = $1', [alertId]);
    expect(alert.rows[0]).toMatchObject({ client_id: client, type: 'exclusion_entry', details: expect.objectContaining({ ruleId: zone.id }) });
    expect(errors).toEqual([]);
  });

  it('shows the 400 of a self-crossing boundary with its message, then redraws the zone as a circle, and removes it with a reason', async () => {
    await page.goto(`/#/clients/${client}`);
    const item = page.locator(`.zone-list li[data-zone-id="${zoneId}"]`);
    await item.getByRole('button', { name: 'Изменить' }).click();
    const form = page.locator('.zone-form');
    expect(await form.locator('h3').textContent()).toBe(`Изменение зоны «${LABEL}»`);
    expect(await form.locator('input[name=label]').inputValue()).toBe(LABEL);
    await form.locator('input[name=label]').fill('Рынок «Чаек»');
    await page.locator('.map[data-map-ready="true"][data-map-idle="true"]').waitFor();

    // A bow-tie: terra-draw lets it be drawn, the server refuses it and the form says why.
    await form.getByRole('button', { name: 'Многоугольник' }).click();
    let { cx, cy } = await mapCentre();
    await clickAt([[cx - HALF, cy - HALF], [cx + HALF, cy + HALF], [cx + HALF, cy - HALF], [cx - HALF, cy + HALF], [cx - HALF, cy - HALF]]);
    await expect.poll(() => page.locator('[data-testid=zone-shape]').textContent(), POLL).toBe('Многоугольник, вершин: 4');
    await form.locator('textarea[name=reason]').fill('уточнение границы');
    await form.getByRole('button', { name: 'Сохранить зону' }).click();
    const alert = form.locator('[role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^Граница на карте\. Ошибка: body\/shape\/geometry\/coordinates self-intersects near \(/);
    expect(await alert.getAttribute('data-field')).toBe('shape');

    // Redrawn as a circle round the same point: click the centre, move out, click.
    await form.getByRole('button', { name: 'Круг' }).click();
    ({ cx, cy } = await mapCentre());
    await clickAt([[cx, cy], [cx + HALF, cy]]);
    await expect.poll(() => page.locator('[data-testid=zone-shape]').textContent(), POLL).toMatch(/^Круг радиусом \d+ м$/);
    await form.getByRole('button', { name: 'Сохранить зону' }).click();
    await expect.poll(() => page.locator('.zones-panel [role=status]').first().textContent(), POLL).toBe('Зона «Рынок «Чаек»» сохранена');
    const { rows } = await p.pool.query<{ label: string; shape: { type: string; center: [number, number]; radiusM: number } }>('select label, shape from zones where id = $1', [zoneId]);
    expect(rows[0]!.label).toBe('Рынок «Чаек»');
    expect(rows[0]!.shape.type).toBe('circle');
    expect(rows[0]!.shape.radiusM).toBeGreaterThan(100);
    // The centre clicked is the map's centre, the client's position: within a few pixels of it.
    expect(distance(rows[0]!.shape.center, home, { units: 'meters' })).toBeLessThan(rows[0]!.shape.radiusM / 10);

    await item.getByRole('button', { name: 'Удалить' }).click();
    await page.locator('dialog textarea[name=reason]').fill('суд отменил обязанность');
    await page.locator('dialog button[type=submit]').click();
    await page.locator('dialog').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.zones-panel').textContent(), POLL).toContain('Зон нет');
    const audit = await p.pool.query<{ action: string; reason: string }>(`select action, reason from audit_log where subject_id = $1 and action like 'zone.%' order by seq`, [client]);
    expect(audit.rows).toEqual([
      { action: 'zone.create', reason: 'решение суда от 10.01.2026' },
      { action: 'zone.update', reason: 'уточнение границы' },
      { action: 'zone.delete', reason: 'суд отменил обязанность' },
    ]);
    expect(errors).toEqual([]);
  });

  it('draws a corridor as a way with a typed half-width (then abandons it)', async () => {
    await page.getByRole('button', { name: 'Новая зона' }).click();
    const form = page.locator('.zone-form');
    await form.getByRole('button', { name: 'Коридор' }).click();
    const { cx, cy } = await mapCentre();
    await clickAt([[cx - HALF, cy], [cx, cy - HALF], [cx + HALF, cy], [cx + HALF, cy]]);
    await expect.poll(() => page.locator('[data-testid=zone-shape]').textContent(), POLL).toBe('Коридор: точек пути 3, по 100 м в каждую сторону');
    await form.locator('input[name=halfWidthM]').fill('250');
    await expect.poll(() => page.locator('[data-testid=zone-shape]').textContent(), POLL).toBe('Коридор: точек пути 3, по 250 м в каждую сторону');
    await form.getByRole('button', { name: 'Отмена' }).click();
    await form.waitFor({ state: 'detached' });
    expect((await p.pool.query('select 1 from zones where client_id = $1', [client])).rowCount).toBe(0);
  });

  it('imports a KML file through the import dialog, and exports the zones as KML', async () => {
    const [lon, lat] = home;
    const ring = [[lon - 0.01, lat - 0.01], [lon + 0.01, lat - 0.01], [lon + 0.01, lat + 0.01], [lon - 0.01, lat - 0.01]].map((c) => c.join(',')).join(' ');
    const kml = `<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>Школа № 3</name><Polygon><outerBoundaryIs><LinearRing><coordinates>${ring}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>`;
    await page.getByRole('button', { name: 'Импорт KML или GeoJSON' }).click();
    const dialog = page.locator('dialog');
    await dialog.locator('input[type=file]').setInputFiles({ name: 'schools.kml', mimeType: 'application/vnd.google-earth.kml+xml', buffer: Buffer.from(kml) });
    await dialog.locator('input[name=always]').uncheck();
    await dialog.locator('input[name="start-0"]').fill('07:00');
    await dialog.locator('input[name="end-0"]').fill('19:00');
    await dialog.locator('textarea[name=legalBasis]').fill('не посещать учебные заведения (приговор, п. 5)');
    await dialog.locator('textarea[name=reason]').fill('зоны из ГИС суда');
    await dialog.locator('button[type=submit]').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.zones-panel [role=status]').first().textContent(), POLL).toBe('Импортировано зон: 1; пропущено объектов без площади (точки, линии): 0');
    expect(await page.locator('.zone-list li').textContent()).toContain('Школа № 3 · запретная · Пн, Вт, Ср, Чт, Пт, Сб, Вс 07:00–19:00');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Скачать KML' }).click()]);
    const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks as Buffer[]).toString('utf8'));
    expect(download.suggestedFilename()).toBe(`zones-${client}.kml`);
    expect(text).toContain('<name>Школа № 3</name>');
    expect(errors).toEqual([]);
  });
});
