import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BISHKEK, TOKMOK_CITY, expectJson, registerClient, signedInUser, type Session } from '../support/fixtures.ts';
import { connectTag, eventually, startTestPlatform, type TestPlatform, type TestTag } from '../support/platform.ts';

// Issue 19: zones drawn through the API reach the geofence without a restart. The context cache
// is long here (10 min), so only the database's change notification can make ingest see the zone.
describe('zones administered through the API', () => {
  const TAG = 'ZONE-TAG-1';
  const HOME: [number, number] = [74.6, 42.87];
  const BAR: [number, number] = [74.5805, 42.8426];
  let p: TestPlatform;
  let clientId: string;
  let officer: Session & { id: string };
  let operator: Session & { id: string };
  let outsider: Session & { id: string };
  let tag: TestTag;
  const zoneBody = (over: Record<string, unknown> = {}) => ({
    kind: 'exclusion', label: 'Bar "Ala-Too" (victim works there)', shape: { type: 'circle', center: BAR, radiusM: 1500 },
    legalSource: 'court_imposed', legalBasis: 'не посещать бар «Ала-Тоо» (приговор, п. 3)', reason: 'court decision of 2026-01-10', ...over,
  });
  const post = (s: Session, body: unknown) => s.fetch(`/api/clients/${clientId}/zones`, { method: 'POST', body: JSON.stringify(body) });

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [TAG], env: { INGEST_CONTEXT_TTL_MS: '600000' } });
    clientId = await registerClient(p.pool, TAG, { unitId: BISHKEK });
    officer = await signedInUser(p.pool, p.dashboardUrl, 'zn-officer', 'officer', BISHKEK);
    operator = await signedInUser(p.pool, p.dashboardUrl, 'zn-operator', 'operator');
    outsider = await signedInUser(p.pool, p.dashboardUrl, 'zn-outsider', 'officer', TOKMOK_CITY);
    tag = await connectTag(p, TAG);
  });
  afterAll(async () => {
    await tag?.client.endAsync();
    await p?.stop();
  });

  it('draw a zone, and the next fixes inside it raise an exclusion alert, with no restart', async () => {
    const t0 = Date.now() - 10 * 60_000;
    // A fix at home first, so that ingest has the client's context cached without the zone.
    await tag.sendFix(HOME, t0);
    await eventually(async () => ((await p.pool.query('select 1 from positions where device_id = $1', [TAG])).rowCount ? true : undefined));
    const zone = await expectJson<{ id: string }>(post(officer, zoneBody()), 201);
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 1; i <= 3; i++) await tag.sendFix(BAR, t0 + i * 60_000);
    const alert = await eventually(async () => {
      const { rows } = await p.pool.query<{ id: string; type: string; details: { ruleId?: string } }>(`select id, type, details from alerts where client_id = $1`, [clientId]);
      return rows.find((r) => r.type === 'exclusion_entry');
    }, 300, 100);
    expect(alert.details.ruleId).toBe(zone.id);

    // The zone's legal basis decides the obligation: set by the office, it is an office requirement (166(1)(5)).
    await expectJson(officer.fetch(`/api/clients/${clientId}/zones/${zone.id}`, { method: 'PUT', body: JSON.stringify(zoneBody({ legalSource: 'office_requirement', reason: 'the office set it, not the court' })) }));
    const resolved = await expectJson<{ violationId?: string }>(operator.fetch(`/api/alerts/${alert.id}/resolve`, { method: 'POST', body: JSON.stringify({ outcome: 'violation_confirmed', note: 'seen inside the bar zone for 3 minutes' }) }));
    const v = await p.pool.query<{ obligation: string }>('select obligation from violations where alert_id = $1', [alert.id]);
    expect(v.rows[0]?.obligation).toBe('office_requirement');
    expect(resolved).toBeDefined();

    const geo = await expectJson<{ type: string; features: { id: string; geometry: { type: string }; properties: { radiusM?: number } }[] }>(officer.fetch(`/api/clients/${clientId}/zones.geojson`));
    expect(geo.features).toEqual([expect.objectContaining({ id: zone.id, geometry: expect.objectContaining({ type: 'Point' }), properties: expect.objectContaining({ radiusM: 1500 }) })]);
    const audit = await p.pool.query<{ action: string }>(`select action from audit_log where subject_id = $1 and action like 'zone.%' order by seq`, [clientId]);
    expect(audit.rows.map((r) => r.action)).toEqual(['zone.create', 'zone.update']);
  });

  it('refuses bad geometry and schedules with a 400 naming the problem; another district is a 404; a removal is audited with the zone', async () => {
    const bowtie = { type: 'polygon', geometry: { type: 'Polygon', coordinates: [[[74.6, 42.87], [74.61, 42.88], [74.61, 42.87], [74.6, 42.88], [74.6, 42.87]]] } };
    const cases: [unknown, string][] = [
      [zoneBody({ shape: bowtie }), 'body/shape/geometry/coordinates self-intersects'],
      [zoneBody({ shape: { type: 'circle', center: [74.6, 42.87], radiusM: 2 } }), 'body/shape/radiusM'],
      [zoneBody({ shape: { type: 'polygon', geometry: { type: 'Polygon', coordinates: [[[74.6, 42.87], [74.61, 42.87], [74.62, 42.87], [74.6, 42.87]]] } } }), 'zero area'],
      [zoneBody({ shape: { type: 'circle', center: [274.6, 42.87], radiusM: 200 } }), 'body/shape'],
      [zoneBody({ schedule: { timeZone: 'Mars/Olympus', windows: [{ days: [1], start: '07:00', end: '19:00' }] } }), 'body/schedule/timeZone'],
      [zoneBody({ schedule: { timeZone: 'Asia/Bishkek', windows: [{ days: [8], start: '07:00', end: '19:00' }] } }), 'body/schedule'],
      [zoneBody({ kind: 'curfew_home' }), 'body/schedule is required'],
    ];
    for (const [body, message] of cases) {
      const res = await post(officer, body);
      expect({ message, status: res.status }).toEqual({ message, status: 400 });
      expect((await res.json() as { message: string }).message).toContain(message);
    }
    expect((await post(outsider, zoneBody())).status).toBe(404);
    const school = await expectJson<{ id: string }>(post(officer, zoneBody({ label: 'School No. 5', schedule: { timeZone: 'Asia/Bishkek', windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '07:00', end: '19:00' }] } })), 201);
    const del = await officer.fetch(`/api/clients/${clientId}/zones/${school.id}`, { method: 'DELETE', body: JSON.stringify({ reason: 'court lifted the duty' }) });
    expect(del.status).toBe(204);
    const audit = await p.pool.query<{ details: { before: { label: string } } }>(`select details from audit_log where action = 'zone.delete' and subject_id = $1`, [clientId]);
    expect(audit.rows[0]?.details.before.label).toBe('School No. 5');
    expect((await p.pool.query('select 1 from zones where id = $1', [school.id])).rowCount).toBe(0);
  });
});
