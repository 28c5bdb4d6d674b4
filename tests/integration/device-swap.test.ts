import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BISHKEK, expectJson, registerClient, signedInUser, type Session } from '../support/fixtures.ts';
import { connectTag, eventually, startTestPlatform, type TestPlatform } from '../support/platform.ts';

// Issue 19: a broken tag swapped in one step; the client's track continues across the two devices.
describe('swapping a tag', () => {
  const OLD = 'SW-OLD-1';
  const NEW = 'SW-NEW-1';
  let p: TestPlatform;
  let clientId: string;
  let officer: Session & { id: string };

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [OLD, NEW] });
    clientId = await registerClient(p.pool, OLD, { unitId: BISHKEK });
    await p.pool.query(`insert into devices (id) values ($1)`, [NEW]);
    officer = await signedInUser(p.pool, p.dashboardUrl, 'sw-officer', 'officer', BISHKEK);
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('ends the old assignment and begins the new one at the same instant, and the track reads on across both tags', async () => {
    const t0 = Date.now() - 10 * 60_000;
    const oldTag = await connectTag(p, OLD);
    await oldTag.sendFix([74.6, 42.87], t0);
    await oldTag.client.endAsync();
    // Stored before the swap. (A fix of the old tag that arrives after it still belongs to this
    // client if its device time is before the swap: assignment-at-device-time.test.ts.)
    await eventually(async () => ((await p.pool.query('select 1 from positions where device_id = $1', [OLD])).rowCount ? true : undefined));
    const at = t0 + 60_000;
    const swap = await expectJson<{ removed: { removedAt: number; deviceId: string }; fitted: { fittedAt: number; deviceId: string } }>(
      officer.fetch(`/api/clients/${clientId}/device-swap`, { method: 'POST', body: JSON.stringify({ fromDeviceId: OLD, toDeviceId: NEW, reason: 'case cracked, replaced at the office', at }) }),
    );
    expect(swap.removed).toMatchObject({ deviceId: OLD, removedAt: at });
    expect(swap.fitted).toMatchObject({ deviceId: NEW, fittedAt: at });
    const status = await p.pool.query<{ id: string; status: string; client_id: string | null }>('select id, status, client_id from devices where id = any($1) order by id', [[NEW, OLD]]);
    expect(status.rows).toEqual([{ id: NEW, status: 'assigned', client_id: clientId }, { id: OLD, status: 'faulty', client_id: null }]);
    const newTag = await connectTag(p, NEW);
    await newTag.sendFix([74.601, 42.871], t0 + 120_000);
    await newTag.client.endAsync();
    const track = await eventually(async () => {
      const t = await expectJson<{ fixes: { deviceId: string; deviceTime: number }[] }>(officer.fetch(`/api/clients/${clientId}/track?from=${t0 - 1000}&to=${t0 + 180_000}&reason=${encodeURIComponent('check the swap')}`));
      return t.fixes.length === 2 ? t : undefined;
    });
    expect(track.fixes.map((f) => f.deviceId)).toEqual([OLD, NEW]);
    // The same tag twice, or one that is not in stock, is refused naming the field.
    const same = await officer.fetch(`/api/clients/${clientId}/device-swap`, { method: 'POST', body: JSON.stringify({ fromDeviceId: NEW, toDeviceId: NEW, reason: 'x'.repeat(5) }) });
    expect(same.status).toBe(400);
    expect(await same.text()).toContain('body/toDeviceId');
    const faulty = await officer.fetch(`/api/clients/${clientId}/device-swap`, { method: 'POST', body: JSON.stringify({ fromDeviceId: NEW, toDeviceId: OLD, reason: 'back to the old one' }) });
    expect(faulty.status).toBe(409);
    // Refused as a whole: the client still wears the new tag.
    expect((await p.pool.query<{ client_id: string }>('select client_id from devices where id = $1', [NEW])).rows[0]!.client_id).toBe(clientId);
  });
});
