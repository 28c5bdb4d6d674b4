import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDashboard, pointInUnit, signInUi } from '../support/browser.ts';
import { createUser, registerClient, signIn, TEST_PASSWORD, ONE_FIX } from '../support/fixtures.ts';
import { connectTag, eventually, startTestPlatform, type TestPlatform, type TestTag } from '../support/platform.ts';

const TAG = 'UI-TRIP-TAG';
// Toguz-Toro district: no other test places clients there, so this officer's inbox is this test's.
const TOGUZ_TORO = 'KG03223000000';
const OSH_UNIT = 'KG21000000000';
const OSH: [number, number] = [72.798, 40.532];
const NARYN: [number, number] = [75.998, 41.416];
const HOUR = 3_600_000;

// Issue 8, PEC KR art. 166(2)(3): an officer approves a travel request in the inbox, sees the
// permit on the map, and the client's trip to the destination raises no alert.
describe('web UI: an officer approves a travel request and the trip raises no alert', () => {
  let p: TestPlatform;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let client: string;
  let requestId: string;
  let tag: TestTag;
  const now = Date.now();

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [TAG], episodeSettings: ONE_FIX });
    client = await registerClient(p.pool, TAG, { unitId: TOGUZ_TORO, name: 'Жумабаев Нурлан' });
    await createUser(p.pool, 'ui-officer-tt', 'officer', TOGUZ_TORO);
    // The client's request, recorded by the officer as the API allows (the UI test is the decision).
    const officer = await signIn(p.dashboardUrl, 'ui-officer-tt');
    const res = await officer.fetch(`/api/clients/${client}/travel-requests`, {
      method: 'POST',
      body: JSON.stringify({
        category: 'exceptional_circumstances', relation: 'close_relative', circumstance: 'life_threatening_illness',
        destinationUnitIds: [OSH_UNIT], departAt: now - 2 * HOUR, returnAt: now + 3 * 24 * HOUR, travelDays: 1, reason: 'Тяжёлая болезнь матери, больница г. Ош',
      }),
    });
    expect(res.status).toBe(201);
    requestId = ((await res.json()) as { id: string }).id;
    tag = await connectTag(p, TAG, { accuracyM: 10 });
    await tag.sendFix(await pointInUnit(p.pool, TOGUZ_TORO), now - 3 * HOUR);
    ({ browser, page, errors } = await openDashboard(p.dashboardUrl));
  });
  afterAll(async () => {
    await browser?.close();
    await tag?.client.endAsync();
    await p?.stop();
  });

  it('the inbox shows the pending request with the time left of its 24 hours', async () => {
    await signInUi(page, 'ui-officer-tt', TEST_PASSWORD);
    await page.locator('nav a[href="#/travel"]').click();
    const row = page.locator(`tr[data-request-id="${requestId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Жумабаев Нурлан');
    // Submitted moments ago: between 23 and 24 hours are left (shown as h:mm:ss).
    expect(await row.locator('.sla').textContent()).toMatch(/^осталось 2[34]:\d\d:\d\d$/);
  });

  it('approving it creates the permit and shows it on the map', async () => {
    const row = page.locator(`tr[data-request-id="${requestId}"]`);
    await row.getByRole('button', { name: 'Разрешить' }).click();
    await page.locator('dialog textarea[name=reason]').fill('Подтверждено справкой больницы');
    await page.locator('dialog button[type=submit]').click();
    const shown = page.locator('[data-testid=permit-shown]');
    await shown.waitFor();
    expect(await shown.textContent()).toContain('Ош');
    await page.locator('.map[data-map-ready="true"]').waitFor();
    const { rows } = await p.pool.query<{ status: string; permit_id: string | null; decision_reason: string }>('select status, permit_id, decision_reason from travel_requests where id = $1', [requestId]);
    expect(rows[0]).toMatchObject({ status: 'approved', decision_reason: 'Подтверждено справкой больницы' });
    const permit = await p.pool.query<{ destination_unit_ids: string[] }>('select destination_unit_ids from permits where id = $1', [rows[0]!.permit_id]);
    expect(permit.rows[0]!.destination_unit_ids).toEqual([OSH_UNIT]);
    const audit = await p.pool.query(`select 1 from audit_log where action = 'travel_request.approve' and subject_id = $1 and actor = 'ui-officer-tt'`, [requestId]);
    expect(audit.rows).toHaveLength(1);
  });

  it("the client's trip to Osh raises no alert; leaving for an unpermitted place still does", async () => {
    const t1 = now - HOUR;
    await tag.sendFix(OSH, t1);
    await tag.sendFix(OSH, t1 + 60_000);
    // A control fix outside both the district and the permit: fixes of one tag are evaluated in
    // order, so once its alert exists the Osh fixes have been judged too.
    const t3 = t1 + 120_000;
    await tag.sendFix(NARYN, t3);
    const alerts = await eventually(async () => {
      await p.alerts.relay.drain();
      const r = await p.pool.query<{ type: string; opened_at: Date }>('select type, opened_at from alerts where client_id = $1', [client]);
      return r.rows.length ? r.rows : undefined;
    }, 300, 100);
    expect(alerts).toHaveLength(1);
    // Had the permit been ignored, the episode would have opened at the first Osh fix.
    expect(alerts[0]!.opened_at.getTime()).toBe(t3);
    expect(errors).toEqual([]);
  });
});
