import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, registerClient, signIn, type Session } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

// Ton and Kemin districts: no other test places clients there, so the district figures are this file's.
const TON = 'KG02220000000';
const KEMIN = 'KG08213000000';
const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

// The API the web UI needs beyond the alert and case routes: its settings, the live map's tags,
// the severity-first queue with a keyset cursor, and the supervisors' district figures.
describe('web UI API: ui-config, live tags, severity-first queue, district figures', () => {
  let p: TestPlatform;
  let operator: Session;
  let supervisor: Session;
  let keminOfficer: Session;
  const clients: Record<string, string> = {};

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [], env: { SLA_CRITICAL_ACK_MINUTES: '4', SLA_HIGH_ACK_MINUTES: '20', MAP_TILE_URL: 'https://tiles.example/{z}/{x}/{y}.png' } });
    for (const tag of ['UA-OK', 'UA-ALERT', 'UA-SILENT']) clients[tag] = await registerClient(p.pool, tag, { unitId: TON, name: `Клиент ${tag}` });
    await createUser(p.pool, 'ua-operator', 'operator');
    await createUser(p.pool, 'ua-supervisor', 'supervisor', TON);
    await createUser(p.pool, 'ua-officer-kemin', 'officer', KEMIN);
    const officerId = (await p.pool.query<{ id: string }>(`select id from users where username = 'ua-supervisor'`)).rows[0]!.id;
    await p.pool.query('update clients set officer_id = $1 where id = any($2)', [officerId, [clients['UA-OK'], clients['UA-ALERT']]]);
    operator = await signIn(p.dashboardUrl, 'ua-operator');
    supervisor = await signIn(p.dashboardUrl, 'ua-supervisor');
    keminOfficer = await signIn(p.dashboardUrl, 'ua-officer-kemin');
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('ui-config gives the SLA targets and tile settings from the configuration, and the boundary attribution', async () => {
    const res = await fetch(`${p.dashboardUrl}/api/ui-config`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      slaAckMinutes: { critical: 4, high: 20, medium: 60, low: 240 },
      tileUrl: 'https://tiles.example/{z}/{x}/{y}.png',
      boundaryAttribution: expect.stringContaining('CC BY-IGO 3.0'),
      travelDecisionHours: 24,
    });
  });

  it('live tags: the latest fix of each tag with its state, scoped to the district', async () => {
    const now = Date.now();
    const fixAt = async (tag: string, t: number, lon: number) =>
      p.pool.query(`insert into positions (device_id, device_time, seq, client_id, lon, lat, accuracy_m, source) values ($1, to_timestamp($2 / 1000.0), $3, $4, $5, 42.49, 12, 'gps')`, [tag, t, t, clients[tag], lon]);
    for (const tag of ['UA-OK', 'UA-ALERT', 'UA-SILENT']) {
      await fixAt(tag, now - 120_000, 78.39);
      await fixAt(tag, now - 60_000, 78.4);
    }
    await p.pool.query(`update devices set last_seen_at = now(), online = true where id in ('UA-OK', 'UA-ALERT')`);
    await p.pool.query(`update devices set last_seen_at = now() - interval '1 hour', online = true where id = 'UA-SILENT'`);
    await p.pool.query(`insert into alerts (episode_key, client_id, device_id, type, severity, opened_at) values ('UA-ALERT:strap:1', $1, 'UA-ALERT', 'strap_tamper', 'critical', now())`, [clients['UA-ALERT']]);

    const mine = (items: { deviceId: string }[]) => items.filter((i) => i.deviceId.startsWith('UA-'));
    const res = await operator.fetch('/api/live/tags');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { deviceId: string; clientId: string; lon: number; at: number; accuracyM: number; state: string }[] };
    expect(mine(items).sort((a, b) => a.deviceId.localeCompare(b.deviceId))).toEqual([
      { deviceId: 'UA-ALERT', clientId: clients['UA-ALERT'], lon: 78.4, lat: 42.49, accuracyM: 12, at: now - 60_000, state: 'alert' },
      { deviceId: 'UA-OK', clientId: clients['UA-OK'], lon: 78.4, lat: 42.49, accuracyM: 12, at: now - 60_000, state: 'ok' },
      { deviceId: 'UA-SILENT', clientId: clients['UA-SILENT'], lon: 78.4, lat: 42.49, accuracyM: 12, at: now - 60_000, state: 'offline' },
    ]);
    expect(mine(((await (await supervisor.fetch('/api/live/tags')).json()) as { items: { deviceId: string }[] }).items)).toHaveLength(3);
    expect(mine(((await (await keminOfficer.fetch('/api/live/tags')).json()) as { items: { deviceId: string }[] }).items)).toEqual([]);
    expect((await fetch(`${p.dashboardUrl}/api/live/tags`)).status).toBe(401);
    // Watching the map is audited once per user per quarter hour, not per refresh.
    await operator.fetch('/api/live/tags');
    const audited = await p.pool.query<{ actor: string; subject_id: string }>(`select actor, subject_id from audit_log where action = 'live.read' order by seq`);
    expect(audited.rows.filter((r) => r.actor === 'ua-operator')).toEqual([{ actor: 'ua-operator', subject_id: '*' }]);
  });

  it('the severity-first queue pages with a keyset cursor: every alert once, in order, however the pages fall', async () => {
    const client = clients['UA-OK']!;
    const base = Date.now() - 86_400_000;
    // 90 alerts, severities cycling, several sharing an opening time to exercise the id tiebreak.
    for (let i = 0; i < 90; i++) {
      await p.pool.query(
        `insert into alerts (episode_key, client_id, type, severity, status, opened_at) values ($1, $2, 'residence_exit', $3, $4, to_timestamp($5 / 1000.0))`,
        [`UA-PAGE:${i}`, client, SEVERITIES[i % 4], i % 5 === 0 ? 'resolved' : 'open', base + Math.floor(i / 3) * 1000],
      );
    }
    const expected = (await p.pool.query<{ id: string }>(
      `select id from alerts where client_id = $1 and status <> 'resolved'
        order by array_position(array['critical','high','medium','low'], severity), opened_at desc, id desc`,
      [client],
    )).rows.map((r) => r.id);
    expect(expected).toHaveLength(72);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await operator.fetch(`/api/alerts?sort=severity&active=true&clientId=${client}&limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { items: { id: string; status: string }[]; nextCursor: string | null };
      expect(page.items.every((a) => a.status !== 'resolved')).toBe(true);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(pages).toBe(11);
  });

  it('refuses a cursor of the other order, naming the field', async () => {
    const first = (await (await operator.fetch(`/api/alerts?clientId=${clients['UA-OK']}&limit=2`)).json()) as { nextCursor: string };
    const res = await operator.fetch(`/api/alerts?sort=severity&clientId=${clients['UA-OK']}&cursor=${first.nextCursor}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'EM_BAD_CURSOR', message: expect.stringContaining('cursor') });
    const bad = await operator.fetch('/api/alerts?sort=loudest');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/sort/);
  });

  it("district figures: a supervisor's own district only; alerts per day, median acknowledgement, SLA breaches, pending requests, clients per officer", async () => {
    const c = clients['UA-SILENT']!;
    // Three alerts raised an hour ago: acknowledged after 2 and 10 minutes, and one never.
    const raised = `now() - interval '1 hour'`;
    for (const [key, sev, ackMin] of [['UA-S:1', 'critical', 2], ['UA-S:2', 'critical', 10], ['UA-S:3', 'high', null]] as const) {
      await p.pool.query(
        `insert into alerts (episode_key, client_id, type, severity, status, opened_at, created_at, acknowledged_at)
         values ($1, $2, 'strap_tamper', $3, $4, ${raised}, ${raised}, ${raised} + make_interval(mins => $5::int))`,
        [key, c, sev, ackMin === null ? 'open' : 'acknowledged', ackMin],
      );
    }
    const res = await supervisor.fetch('/api/stats/district?days=7');
    expect(res.status).toBe(200);
    const s = (await res.json()) as Record<string, unknown> & { alertsPerDay: { total: number; critical: number }[]; clientsPerOfficer: { officer: string | null; clients: number }[] };
    expect(s.districtId).toBe(TON);
    // Everything this file raised in Ton: 1 + 90 + 3 alerts, of which 1 + 23 + 2 critical.
    expect(s.alertsPerDay.reduce((n, d) => n + d.total, 0)).toBe(94);
    expect(s.alertsPerDay.reduce((n, d) => n + d.critical, 0)).toBe(26);
    // Acknowledged: only the two above (the paging alerts have no acknowledgement): median 6 min.
    expect(s.acknowledged).toBe(2);
    expect(s.medianAckMinutes).toBeCloseTo(6, 5);
    expect(s.pendingRequests).toBe(0);
    expect(s.clientsPerOfficer).toEqual([{ officerId: expect.any(String), officer: 'ua-supervisor', clients: 2 }, { officerId: null, officer: null, clients: 1 }]);
    // Breaches: the 10-minute acknowledgement (target 4) and the unacknowledged high one (target 20)
    // count; so do the paging alerts, all raised now and unacknowledged, only if already past target: none are.
    expect(s.slaBreaches).toBe(2);

    expect((await supervisor.fetch(`/api/stats/district?districtId=${KEMIN}`)).status).toBe(404);
    expect((await operator.fetch('/api/stats/district')).status).toBe(403);
    const badDays = await supervisor.fetch('/api/stats/district?days=0');
    expect(badDays.status).toBe(400);
    expect(((await badDays.json()) as { message: string }).message).toMatch(/days/);
  });
});
