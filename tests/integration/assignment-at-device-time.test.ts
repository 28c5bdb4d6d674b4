import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointInUnit } from '../support/browser.ts';
import { BISHKEK, expectJson, ONE_FIX, signedInUser, TOKMOK_CITY, type Session } from '../support/fixtures.ts';
import { connectTag, eventually, startTestPlatform, type TestPlatform } from '../support/platform.ts';

const MIN = 60_000;

// Issue 19: every fix and alert belongs to the assignment that was current at its device time; a
// tag that publishes while fitted on nobody is stored and flagged, never alerted against a client.
describe('fixes and alerts belong to the assignment current at their device time', () => {
  const [A, B, C, D, E, F] = ['A', 'B', 'C', 'D', 'E', 'F'].map((x) => `ASG-${x}`) as [string, string, string, string, string, string];
  let p: TestPlatform;
  let officer: Session & { id: string };
  let home: [number, number];
  let away: [number, number];

  const newClient = async (name: string) =>
    (await p.pool.query<{ id: string }>(
      `insert into clients (full_name, regime, court_decision_date, effective_date, term_months, term_start, residence_unit_id, district_id)
       values ($1, 'probation_supervision', '2026-01-10', '2026-01-20', 24, '2026-01-25', $2, $2) returning id`,
      [name, BISHKEK],
    )).rows[0]!.id;
  const assign = (clientId: string, body: Record<string, unknown>) =>
    officer.fetch(`/api/clients/${clientId}/device-assignments`, { method: 'POST', body: JSON.stringify({ reason: 'recorded at the office', ...body }) });
  const positions = async (deviceId: string) =>
    (await p.pool.query<{ t: string; client_id: string | null }>(
      `select round(extract(epoch from device_time) * 1000)::int8 as t, client_id from positions where device_id = $1 order by device_time`,
      [deviceId],
    )).rows.map((r) => ({ t: Number(r.t), clientId: r.client_id }));

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [A, B, C, D, E, F], episodeSettings: ONE_FIX });
    await p.pool.query(`insert into devices (id) select unnest($1::text[])`, [[A, B, C, D, E, F]]);
    officer = await signedInUser(p.pool, p.dashboardUrl, 'asg-officer', 'officer', BISHKEK);
    home = await pointInUnit(p.pool, BISHKEK);
    away = await pointInUnit(p.pool, TOKMOK_CITY);
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('a removed tag\'s late batch is the old client\'s track and raises that client\'s alert, marked late; what it sent after removal is stored with no client', async () => {
    const x = await newClient('Клиент X');
    const t0 = Date.now() - 60 * MIN;
    await expectJson(assign(x, { action: 'fit', deviceId: A, at: t0 - 10 * MIN }));
    const a = await connectTag(p, A);
    await a.sendFix(home, t0);
    await a.sendFix(home, t0 + MIN);
    await eventually(async () => ((await positions(A)).length === 2 ? true : undefined));
    const swapAt = t0 + 30 * MIN;
    await expectJson(officer.fetch(`/api/clients/${x}/device-swap`, { method: 'POST', body: JSON.stringify({ fromDeviceId: A, toDeviceId: B, at: swapAt, reason: 'strap worn, replaced' }) }));
    const b = await connectTag(p, B);
    await b.sendFix(home, swapAt + MIN);
    // The old tag's memory is uploaded after the swap: a trip out of the district before it, and one
    // fix from after it (the tag in the office drawer).
    await a.sendFixes([
      { seq: 10, t: t0 + 10 * MIN, lon: away[0], lat: away[1], acc: 5, src: 'gps' },
      { seq: 11, t: t0 + 12 * MIN, lon: away[0], lat: away[1], acc: 5, src: 'gps' },
      { seq: 12, t: t0 + 15 * MIN, lon: home[0], lat: home[1], acc: 5, src: 'gps' },
      { seq: 13, t: swapAt + 5 * MIN, lon: home[0], lat: home[1], acc: 5, src: 'gps' },
    ]);
    const stored = await eventually(async () => {
      const rows = await positions(A);
      return rows.length === 6 ? rows : undefined;
    });
    expect(stored.filter((r) => r.t < swapAt).every((r) => r.clientId === x)).toBe(true);
    expect(stored.find((r) => r.t === swapAt + 5 * MIN)!.clientId).toBeNull();
    const flag = await p.pool.query<{ unassigned_fixes: string; unassigned_fix_at: Date }>('select unassigned_fixes, unassigned_fix_at from devices where id = $1', [A]);
    expect(Number(flag.rows[0]!.unassigned_fixes)).toBe(1);
    expect(flag.rows[0]!.unassigned_fix_at.getTime()).toBe(swapAt + 5 * MIN);

    const alert = await eventually(async () => {
      const r = await p.pool.query<{ client_id: string; type: string; opened_at: Date; closed_at: Date | null; details: { late?: boolean } }>(
        `select client_id, type, opened_at, closed_at, details from alerts where device_id = $1 and type = 'residence_exit'`,
        [A],
      );
      return r.rows[0]?.closed_at ? r.rows : undefined;
    });
    expect(alert).toHaveLength(1);
    expect(alert[0]).toMatchObject({ client_id: x, details: { late: true } });
    expect(alert[0]!.opened_at.getTime()).toBe(t0 + 10 * MIN);
    expect(alert[0]!.closed_at!.getTime()).toBe(t0 + 15 * MIN);

    // One track across both tags, and none of the drawer's fix.
    const track = await expectJson<{ fixes: { deviceId: string; deviceTime: number }[] }>(
      officer.fetch(`/api/clients/${x}/track?from=${t0 - MIN}&to=${swapAt + 10 * MIN}&reason=${encodeURIComponent('check the swap and the late upload')}`),
    );
    expect(track.fixes.map((f) => `${f.deviceId}@${(f.deviceTime - t0) / MIN}`)).toEqual([`${A}@0`, `${A}@1`, `${A}@10`, `${A}@12`, `${A}@15`, `${B}@31`]);
    await Promise.all([a.client.endAsync(), b.client.endAsync()]);
  });

  it('a tag in stock that publishes is stored with no client and flagged, raises nothing, and a fitting recorded after the fact takes its fixes', async () => {
    const c = await connectTag(p, C);
    const t = Date.now() - 5 * MIN;
    await c.sendFix(away, t);
    await eventually(async () => ((await positions(C)).length === 1 ? true : undefined));
    expect(await positions(C)).toEqual([{ t, clientId: null }]);
    const flag = await p.pool.query<{ unassigned_fixes: string }>('select unassigned_fixes from devices where id = $1', [C]);
    expect(Number(flag.rows[0]!.unassigned_fixes)).toBe(1);
    // Fitted ten minutes ago, recorded now: the fix from outside becomes the client's track, and is
    // not judged after the fact as live data (the fitting was recorded later than the fix arrived).
    const y = await newClient('Клиент Y');
    await expectJson(assign(y, { action: 'fit', deviceId: C, at: t - 5 * MIN }));
    expect(await positions(C)).toEqual([{ t, clientId: y }]);
    const audit = await p.pool.query<{ details: { fixesAttributed: number } }>(`select details from audit_log where action = 'device.fit' and subject_id = $1`, [y]);
    expect(audit.rows[0]!.details.fixesAttributed).toBe(1);
    expect((await p.pool.query('select 1 from alerts where device_id = $1', [C])).rowCount).toBe(0);
    await c.client.endAsync();
  });

  it('removing a tag closes its open episode at the removal; a lost tag loses its broker account', async () => {
    const z = await newClient('Клиент Z');
    await expectJson(assign(z, { action: 'fit', deviceId: D, at: Date.now() - 20 * MIN }));
    const d = await connectTag(p, D);
    await d.sendFix(away, Date.now() - MIN);
    await eventually(async () => ((await p.pool.query(`select 1 from alerts where device_id = $1 and type = 'residence_exit'`, [D])).rowCount ? true : undefined));
    const removedAt = Date.now();
    const removed = await expectJson<{ removalCode: string; removedAt: number }>(assign(z, { action: 'remove', deviceId: D, at: removedAt, removalCode: 'lost', reason: 'client reports the tag lost' }));
    expect(removed).toMatchObject({ removalCode: 'lost', removedAt });
    const closed = await eventually(async () => {
      const r = await p.pool.query<{ closed_at: Date | null }>(`select closed_at from alerts where device_id = $1 and type = 'residence_exit'`, [D]);
      return r.rows[0]?.closed_at ?? undefined;
    });
    expect(closed.getTime()).toBe(removedAt);
    const dev = await p.pool.query<{ status: string; credentials_revoked_at: Date | null }>('select status, credentials_revoked_at from devices where id = $1', [D]);
    expect(dev.rows[0]!.status).toBe('lost');
    expect(dev.rows[0]!.credentials_revoked_at).not.toBeNull();
    const states = await p.pool.query<{ rule_id: string }>('select rule_id from rule_state where device_id = $1', [D]);
    expect(states.rows.length).toBeGreaterThan(0);
    expect(states.rows.every((r) => r.rule_id.startsWith('a:'))).toBe(true);
    await d.client.endAsync();
  });

  it('refuses assignments that overlap in time, naming body/at', async () => {
    const w = await newClient('Клиент W');
    const fitAt = Date.now() - 60 * MIN;
    await expectJson(assign(w, { action: 'fit', deviceId: E, at: fitAt }));
    const early = await assign(w, { action: 'remove', deviceId: E, at: fitAt - MIN });
    expect(early.status).toBe(400);
    expect(await early.text()).toMatch(/body\/at is before the tag was fitted/);
    await expectJson(assign(w, { action: 'remove', deviceId: E, at: fitAt + 30 * MIN }));
    // The same tag again from before it came off, on another client: two fittings would overlap.
    const v = await newClient('Клиент V');
    const overlapTag = await assign(v, { action: 'fit', deviceId: E, at: fitAt + 10 * MIN });
    expect(overlapTag.status).toBe(400);
    expect(await overlapTag.text()).toMatch(/body\/at overlaps an earlier fitting of ASG-E/);
    // Another tag on the same client from before its last tag came off.
    const overlapClient = await assign(w, { action: 'fit', deviceId: F, at: fitAt + 20 * MIN });
    expect(overlapClient.status).toBe(400);
    expect(await overlapClient.text()).toMatch(/body\/at overlaps the client's earlier tag ASG-E/);
    await expectJson(assign(v, { action: 'fit', deviceId: E, at: fitAt + 30 * MIN }));
    const fitWithCode = await assign(v, { action: 'fit', deviceId: E, removalCode: 'lost' });
    expect(fitWithCode.status).toBe(400);
  });
});
