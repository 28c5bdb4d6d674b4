import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BISHKEK, ONE_FIX, TOKMOK_CITY, expectJson, registerClient, signedInUser, type Session } from '../support/fixtures.ts';
import { connectTag, eventually, startTestPlatform, type TestPlatform, type TestTag } from '../support/platform.ts';

interface CurfewView {
  home: { lon: number; lat: number; label: string | null } | null;
  curfew: { zoneId: string; home: [number, number]; radiusM: number; timeZone: string; windows: { days: number[]; start: string; end: string }[]; legalBasis: string } | null;
  canEdit: boolean;
  history: { action: string; actor: string; reason: string; curfew: { radiusM: number; home: [number, number] } | null }[];
}

/** HH:MM in Asia/Bishkek (UTC+6, no DST) `offsetMin` minutes from now. */
const bishkekTime = (offsetMin: number) => new Date(Date.now() + (6 * 60 + offsetMin) * 60_000).toISOString().slice(11, 16);

// Issue 19: a client's home and curfew set in one step through the zone code path, with its
// history from the audit log; ingest sees it without a restart (context cache 10 min here).
describe('home and curfew API', () => {
  const TAG = 'CURFEW-TAG-1';
  const HOME: [number, number] = [74.6, 42.87];
  const AWAY: [number, number] = [74.5805, 42.8426]; // in Bishkek, about 3 km from home
  let p: TestPlatform;
  let clientId: string;
  let officer: Session & { id: string };
  let outsider: Session & { id: string };
  let tag: TestTag;
  // Hours around now, so that the fixes below fall inside them.
  const windows = [{ days: [1, 2, 3, 4, 5, 6, 7], start: bishkekTime(-120), end: bishkekTime(120) }];
  const body = (over: Record<string, unknown> = {}) => ({
    home: HOME, homeLabel: 'Бишкек', radiusM: 150, windows, legalSource: 'court_imposed',
    legalBasis: 'находиться дома с 22:00 до 06:00 (приговор, п. 4)', reason: 'приговор от 10.01.2026', ...over,
  });
  const put = (s: Session, b: unknown) => s.fetch(`/api/clients/${clientId}/curfew`, { method: 'PUT', body: JSON.stringify(b) });

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [TAG], episodeSettings: ONE_FIX, env: { INGEST_CONTEXT_TTL_MS: '600000' } });
    clientId = await registerClient(p.pool, TAG, { unitId: BISHKEK });
    officer = await signedInUser(p.pool, p.dashboardUrl, 'cf-officer', 'officer', BISHKEK);
    outsider = await signedInUser(p.pool, p.dashboardUrl, 'cf-outsider', 'officer', TOKMOK_CITY);
    tag = await connectTag(p, TAG);
  });
  afterAll(async () => {
    await tag?.client.endAsync();
    await p?.stop();
  });

  it('set, and a fix away from home in curfew hours raises a curfew alert with no restart', async () => {
    const t0 = Date.now() - 10 * 60_000;
    // A fix at home first, so that ingest has the client's context cached without the curfew.
    await tag.sendFix(HOME, t0);
    await eventually(async () => ((await p.pool.query('select 1 from positions where device_id = $1', [TAG])).rowCount ? true : undefined));
    const set = await expectJson<CurfewView>(put(officer, body()));
    expect(set.curfew).toMatchObject({ home: HOME, radiusM: 150, timeZone: 'Asia/Bishkek', windows });
    expect(set.home).toMatchObject({ lon: HOME[0], lat: HOME[1], label: 'Бишкек' });
    await new Promise((r) => setTimeout(r, 500));
    await tag.sendFix(AWAY, t0 + 60_000);
    const alert = await eventually(async () => {
      const { rows } = await p.pool.query<{ type: string; details: { ruleId?: string } }>('select type, details from alerts where client_id = $1', [clientId]);
      return rows.find((r) => r.type === 'curfew_breach');
    }, 300, 100);
    expect(alert.details.ruleId).toBe(set.curfew!.zoneId);
  });

  it('replace keeps one curfew zone; lift keeps the home; the history has every version with who and why', async () => {
    const replaced = await expectJson<CurfewView>(put(officer, body({ radiusM: 300, reason: 'суд расширил радиус' })));
    const zoneId = replaced.curfew!.zoneId;
    expect(replaced.curfew!.radiusM).toBe(300);
    const zones = await p.pool.query<{ id: string }>(`select id from zones where client_id = $1 and kind = 'curfew_home'`, [clientId]);
    expect(zones.rows.map((r) => r.id)).toEqual([zoneId]);

    const lifted = await expectJson<CurfewView>(officer.fetch(`/api/clients/${clientId}/curfew`, { method: 'DELETE', body: JSON.stringify({ reason: 'суд отменил обязанность' }) }));
    expect(lifted.curfew).toBeNull();
    expect(lifted.home).toMatchObject({ lon: HOME[0], lat: HOME[1] });
    expect(lifted.history.map((h) => [h.action, h.actor, h.reason, h.curfew?.radiusM ?? null])).toEqual([
      ['set', 'cf-officer', 'приговор от 10.01.2026', 150],
      ['change', 'cf-officer', 'суд расширил радиус', 300],
      ['lift', 'cf-officer', 'суд отменил обязанность', null],
    ]);
    const got = await expectJson<CurfewView>(officer.fetch(`/api/clients/${clientId}/curfew`));
    expect(got.history).toEqual(lifted.history);
    expect(got.canEdit).toBe(true);

    const audit = await p.pool.query<{ action: string; details: { zoneId: string; curfew?: unknown } }>(
      `select action, details from audit_log where subject_id = $1 and action like 'zone.%' order by seq`, [clientId]);
    expect(audit.rows.map((r) => r.action)).toEqual(['zone.create', 'zone.update', 'zone.delete']);
    expect(audit.rows[0]!.details.curfew).toEqual({ home: HOME, homeLabel: 'Бишкек' });
    expect((await officer.fetch(`/api/clients/${clientId}/curfew`, { method: 'DELETE', body: JSON.stringify({ reason: 'ещё раз' }) })).status).toBe(404);
  });

  it('another district is a 404; bad input is a 400 naming the field', async () => {
    expect((await put(outsider, body())).status).toBe(404);
    expect((await outsider.fetch(`/api/clients/${clientId}/curfew`)).status).toBe(404);
    const cases: [unknown, string][] = [
      [body({ radiusM: 10 }), 'body/radiusM'],
      [body({ radiusM: 2500 }), 'body/radiusM'],
      [body({ home: [75.3015, 42.8419] }), "body/home (75.3015, 42.8419) is outside the client's residence unit"],
      [body({ home: [76.95, 43.25] }), 'body/home (76.95, 43.25) is outside Kyrgyzstan'],
      [body({ windows: [{ days: [1], start: '22:00', end: '22:00' }] }), 'body/windows/0 starts and ends at 22:00'],
      [body({ windows: [{ days: [8], start: '22:00', end: '06:00' }] }), 'body/windows/0/days/0'],
      [body({ windows: [{ days: [1], start: '25:00', end: '06:00' }] }), 'body/windows/0/start'],
      [body({ reason: undefined }), "body must have required property 'reason'"],
    ];
    for (const [b, message] of cases) {
      const res = await put(officer, b);
      const text = await res.text();
      expect({ message, status: res.status, text }).toEqual({ message, status: 400, text: expect.stringContaining(message) });
    }
    expect((await officer.fetch(`/api/clients/${clientId}/curfew`, { method: 'DELETE', body: JSON.stringify({}) })).status).toBe(400);
  });

  it('address search over the offline place list', async () => {
    const r = await expectJson<{ attribution: string; items: { id: string; kind: string; names: { ru: string | null }; lon: number; lat: number; unit: { id: string } | null }[] }>(
      officer.fetch(`/api/places?q=${encodeURIComponent('бишкек')}`));
    expect(r.attribution).toContain('GeoNames');
    expect(r.items[0]).toMatchObject({ kind: 'place', names: { ru: 'Бишкек' }, unit: { id: BISHKEK } });
    expect(r.items.map((i) => i.id)).toContain(`u-${BISHKEK}`);
    expect((await officer.fetch('/api/places?q=')).status).toBe(400);
    expect((await fetch(`${p.dashboardUrl}/api/places?q=osh`)).status).toBe(401);
  });
});
