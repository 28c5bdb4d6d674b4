import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BISHKEK, expectJson, registerClient, signedInUser, type Session, ONE_FIX } from '../support/fixtures.ts';
import { connectTag, eventually, startTestPlatform, type TestPlatform, type TestTag } from '../support/platform.ts';

const H = 3_600_000;
const D = 24 * H;
const OSH_UNIT = 'KG21000000000';
const OSH: [number, number] = [72.798, 40.532];
const ROUTE_TAG = 'TR-ROUTE';
// The road from Bishkek to Osh through Kara-Balta and Toktogul, as the officer approves it.
const TOKTOGUL: [number, number] = [72.94, 41.87];
const NARYN: [number, number] = [75.99, 41.43];
const ROAD_TO_OSH = { path: [[74.6, 42.87], [73.85, 42.81], TOKTOGUL, OSH], halfWidthM: 5000 };
const APPROVED_TAG = 'TR-APPROVED';
const DENIED_TAG = 'TR-DENIED';

interface TravelRequest {
  id: string;
  status: string;
  deadline: string;
  submittedAt: number;
  decideBy: number;
  permitId: string | null;
  articles: string[];
}

// PEC KR arts. 63(2), 166(2): a travel request is decided within 24 hours; an approval is the
// permit the geofence uses, a denial leaves the normal limits in place.
describe('travel requests: 24-hour decisions, permits that the geofence uses', () => {
  let p: TestPlatform;
  let officer: Session & { id: string };
  let supervisor: Session & { id: string };
  const clientOf: Record<string, string> = {};
  const devices: Record<string, TestTag> = {};

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [APPROVED_TAG, DENIED_TAG, ROUTE_TAG], episodeSettings: ONE_FIX });
    for (const tag of [APPROVED_TAG, DENIED_TAG, ROUTE_TAG]) {
      clientOf[tag] = await registerClient(p.pool, tag);
      devices[tag] = await connectTag(p, tag);
    }
    officer = await signedInUser(p.pool, p.dashboardUrl, 'tr-officer', 'officer', BISHKEK);
    supervisor = await signedInUser(p.pool, p.dashboardUrl, 'tr-supervisor', 'supervisor', BISHKEK);
  });
  afterAll(async () => {
    for (const d of Object.values(devices)) await d.close();
    await p?.stop();
  });

  const submit = (tag: string, over: Record<string, unknown> = {}) =>
    officer.fetch(`/api/clients/${clientOf[tag]}/travel-requests`, {
      method: 'POST',
      body: JSON.stringify({
        category: 'exceptional_circumstances', relation: 'close_relative', circumstance: 'death', destinationUnitIds: [OSH_UNIT],
        departAt: Date.now() - 2 * H, returnAt: Date.now() + 2 * D, travelDays: 1, reason: 'Funeral of the father in Osh', ...over,
      }),
    });
  const sendFromOsh = (tag: string, seq: number, t: number) => devices[tag]!.sendFix(OSH, t, seq);
  const alertsOf = async (tag: string) => {
    await p.alerts.relay.drain();
    return (await p.pool.query<{ type: string }>('select type from alerts where client_id = $1', [clientOf[tag]])).rows.map((r) => r.type);
  };

  it('PEC KR art. 166(2)(3): refuses a request the law does not allow, naming the field', async () => {
    const long = await submit(APPROVED_TAG, { returnAt: Date.now() + 13 * D, travelDays: 1 });
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ code: 'EM_VALIDATION', message: expect.stringMatching(/^body\/returnAt .*at most 10/) });
    const abroad = await submit(APPROVED_TAG, { destinationUnitIds: ['KZ'] });
    expect(((await abroad.json()) as { message: string }).message).toMatch(/^body\/destinationUnitIds .*166\(1\)\(4\^1\)/);
    const nowhere = await submit(APPROVED_TAG, { destinationUnitIds: ['KG99999999999'] });
    expect(((await nowhere.json()) as { message: string }).message).toMatch(/^body\/destinationUnitIds/);
  });

  it('PEC KR art. 166(2)(3): approval within 24 hours creates a permit for the whole trip, and the geofence honours it', async () => {
    const req = await expectJson<TravelRequest>(submit(APPROVED_TAG), 201);
    expect(req).toMatchObject({ status: 'pending', deadline: 'ok', articles: ['PEC KR art. 166(2)(3)'] });
    expect(req.decideBy - req.submittedAt).toBe(24 * H);
    const inbox = await expectJson<{ items: TravelRequest[] }>(supervisor.fetch('/api/travel-requests?status=pending'));
    expect(inbox.items.map((i) => i.id)).toContain(req.id);

    const decided = await expectJson<TravelRequest>(supervisor.fetch(`/api/travel-requests/${req.id}/decision`, { method: 'POST', body: JSON.stringify({ decision: 'approve', reason: 'Death certificate seen' }) }));
    expect(decided).toMatchObject({ status: 'approved', deadline: 'met' });
    const permit = await p.pool.query<{ client_id: string; destination_unit_ids: string[]; valid_from: Date; valid_until: Date; travel_request_id: string }>(
      'select client_id, destination_unit_ids, valid_from, valid_until, travel_request_id from permits where id = $1',
      [decided.permitId],
    );
    const tr = await p.pool.query<{ depart_at: Date; return_at: Date }>('select depart_at, return_at from travel_requests where id = $1', [req.id]);
    expect(permit.rows[0]).toEqual({
      client_id: clientOf[APPROVED_TAG], destination_unit_ids: [OSH_UNIT], valid_from: tr.rows[0]!.depart_at, valid_until: tr.rows[0]!.return_at, travel_request_id: req.id,
    });
    const again = await supervisor.fetch(`/api/travel-requests/${req.id}/decision`, { method: 'POST', body: JSON.stringify({ decision: 'deny', reason: 'Changed my mind' }) });
    expect(again.status).toBe(409);

    const permits = await expectJson<{ items: { id: string; validFrom: number; validUntil: number }[] }>(officer.fetch(`/api/permits?clientId=${clientOf[APPROVED_TAG]}`));
    expect(permits.items).toEqual([expect.objectContaining({ id: decided.permitId, validFrom: tr.rows[0]!.depart_at.getTime(), validUntil: tr.rows[0]!.return_at.getTime() })]);

    // In Osh during the trip: nothing is raised.
    await devices[APPROVED_TAG]!.stored(await sendFromOsh(APPROVED_TAG, 1, Date.now() - H));
    await new Promise((r) => setTimeout(r, 500));
    expect(await alertsOf(APPROVED_TAG)).toEqual([]);
  });

  it('PEC KR art. 166(2)(3): the way there is part of the trip: an approved route is the permit\'s corridor, and off it is a district exit', async () => {
    const req = await expectJson<TravelRequest & { route: unknown }>(submit(ROUTE_TAG, { route: ROAD_TO_OSH }), 201);
    expect(req.route).toEqual(ROAD_TO_OSH);
    const decided = await expectJson<TravelRequest>(officer.fetch(`/api/travel-requests/${req.id}/decision`, { method: 'POST', body: JSON.stringify({ decision: 'approve', reason: 'Death certificate seen; by road' }) }));
    const corridor = await p.pool.query<{ corridor: unknown }>('select corridor from permits where id = $1', [decided.permitId]);
    expect(corridor.rows[0]!.corridor).toEqual(ROAD_TO_OSH);
    const send = (seq: number, lonLat: [number, number]) => devices[ROUTE_TAG]!.sendFix(lonLat, Date.now() - H + seq * 60_000, seq);
    // On the road through Toktogul district: allowed.
    await devices[ROUTE_TAG]!.stored(await send(1, TOKTOGUL));
    await new Promise((r) => setTimeout(r, 500));
    expect(await alertsOf(ROUTE_TAG)).toEqual([]);
    // Naryn is neither the destination nor on the way.
    await send(2, NARYN);
    expect(await eventually(async () => {
      const t = await alertsOf(ROUTE_TAG);
      return t.length ? t : undefined;
    })).toEqual(['residence_exit']);
    const bad = await submit(ROUTE_TAG, { route: { path: [[74.6, 42.87]], halfWidthM: 5000 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/route/);
  });

  it('PEC KR art. 166(2): a denial creates no permit, and the same trip raises a district exit', async () => {
    const req = await expectJson<TravelRequest>(submit(DENIED_TAG), 201);
    const denied = await expectJson<TravelRequest>(officer.fetch(`/api/travel-requests/${req.id}/decision`, { method: 'POST', body: JSON.stringify({ decision: 'deny', reason: 'No proof of the death' }) }));
    expect(denied).toMatchObject({ status: 'denied', permitId: null });
    expect((await p.pool.query('select 1 from permits where client_id = $1', [clientOf[DENIED_TAG]])).rows).toEqual([]);
    await sendFromOsh(DENIED_TAG, 1, Date.now() - H);
    const types = await eventually(async () => {
      const t = await alertsOf(DENIED_TAG);
      return t.length ? t : undefined;
    });
    expect(types).toEqual(['residence_exit']);
  });

  it('PEC KR arts. 63(2)(3), 166(2)(3): the 24 hours count from when the client applied (receivedAt), which must be recent and not in the future', async () => {
    const receivedAt = Date.now() - 20 * H;
    const req = await expectJson<TravelRequest>(submit(APPROVED_TAG, { receivedAt, departAt: Date.now() + H }), 201);
    expect(req.decideBy).toBe(receivedAt + 24 * H);
    for (const bad of [Date.now() + 2 * H, Date.now() - 8 * D]) {
      const res = await submit(APPROVED_TAG, { receivedAt: bad });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/^body\/receivedAt/);
    }
    // Withdrawn from the inbox so that later tests see only their own requests.
    await p.pool.query(`update travel_requests set status = 'denied', decided_at = now(), decided_by = $2, decision_reason = 'test' where id = $1`, [req.id, officer.id]);
  });

  it('PEC KR arts. 63(2)(3), 166(2)(3): a request past its 24 hours shows as expired and breached; deciding it late records the breach', async () => {
    const { rows } = await p.pool.query<{ id: string }>(
      `insert into travel_requests (client_id, category, relation, circumstance, destination_unit_ids, depart_at, return_at, travel_days, reason, submitted_at, submitted_by, decide_by)
       values ($1, 'exceptional_circumstances', 'close_relative', 'death', '{KG21000000000}', now() + interval '1 day', now() + interval '8 days', 0, 'Funeral of the uncle', now() - interval '25 hours', $2,
               now() - interval '1 hour') returning id`,
      [clientOf[APPROVED_TAG], officer.id],
    );
    const id = rows[0]!.id;
    const expired = await expectJson<{ items: TravelRequest[] }>(supervisor.fetch('/api/travel-requests?status=expired'));
    expect(expired.items.find((i) => i.id === id)).toMatchObject({ status: 'expired', deadline: 'breached' });
    const pending = await expectJson<{ items: TravelRequest[] }>(supervisor.fetch('/api/travel-requests?status=pending'));
    expect(pending.items.map((i) => i.id)).not.toContain(id);

    await expectJson(supervisor.fetch(`/api/travel-requests/${id}/decision`, { method: 'POST', body: JSON.stringify({ decision: 'approve', reason: 'Late, but the trip is fine' }) }));
    const after = await p.pool.query<{ deadline_breached_at: Date | null; decide_by: Date }>('select deadline_breached_at, decide_by from travel_requests where id = $1', [id]);
    expect(after.rows[0]!.deadline_breached_at).toEqual(after.rows[0]!.decide_by);
    const audit = await p.pool.query<{ actor: string; reason: string; details: { late: boolean; permitId: string } }>(
      `select actor, reason, details from audit_log where action = 'travel_request.approve' and subject_id = $1`,
      [id],
    );
    expect(audit.rows).toEqual([{ actor: 'tr-supervisor', reason: 'Late, but the trip is fine', details: expect.objectContaining({ late: true, permitId: expect.any(String) }) }]);
  });
  it('PEC KR arts. 166(2)(2), 166(2)(4), 166(2)(5): study, weekends and a vacation have no 24-hour limit: no deadline, never expired; study names its registration office', async () => {
    const vacation = await expectJson<TravelRequest & { deadline: string; decideBy: number | null }>(
      submit(DENIED_TAG, { category: 'vacation', relation: undefined, circumstance: undefined, returnAt: Date.now() + 20 * D }),
      201,
    );
    expect(vacation).toMatchObject({ status: 'pending', decideBy: null, deadline: 'none', articles: ['PEC KR art. 166(2)(5)'] });
    // Submitted 3 days ago and still pending: pending, not expired.
    await p.pool.query(`update travel_requests set submitted_at = now() - interval '3 days' where id = $1`, [vacation.id]);
    const pending = await expectJson<{ items: TravelRequest[] }>(supervisor.fetch('/api/travel-requests?status=pending'));
    expect(pending.items.find((i) => i.id === vacation.id)).toMatchObject({ status: 'pending', deadline: 'none' });
    const expired = await expectJson<{ items: TravelRequest[] }>(supervisor.fetch('/api/travel-requests?status=expired'));
    expect(expired.items.map((i) => i.id)).not.toContain(vacation.id);

    const noOffice = await submit(DENIED_TAG, { category: 'study', relation: undefined, circumstance: undefined, returnAt: Date.now() + 90 * D });
    expect(noOffice.status).toBe(400);
    expect(((await noOffice.json()) as { message: string }).message).toMatch(/^body\/studyRegistrationOffice .*166\(2\)\(2\)/);
    const study = await expectJson<TravelRequest & { studyRegistrationOffice: string | null }>(
      submit(DENIED_TAG, { category: 'study', relation: undefined, circumstance: undefined, returnAt: Date.now() + 90 * D, studyRegistrationOffice: 'Орган пробации г. Ош' }),
      201,
    );
    expect(study).toMatchObject({ decideBy: null, deadline: 'none', studyRegistrationOffice: 'Орган пробации г. Ош', articles: ['PEC KR art. 166(2)(2)'] });
    await p.pool.query(`update travel_requests set status = 'denied', decided_at = now(), decided_by = $2, decision_reason = 'test' where id = any($1)`, [[vacation.id, study.id], officer.id]);
  });
});
