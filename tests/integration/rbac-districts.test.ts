import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BISHKEK, expectJson, newCaseBody, signedInUser, type Session } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const OSH = 'KG21000000000';

interface Fixture {
  client: string;
  checkIn: string;
  violation: string;
  travelRequest: string;
  document: string;
}

// Personal data (issue 7): an officer sees only the clients of their own district. Another
// district's client is a 404 on every client route, never a 403, so ids cannot be probed; the
// monitoring centre (operator) sees both districts.
describe('RBAC across two districts on every case route', () => {
  let p: TestPlatform;
  let bishkekOfficer: Session;
  let oshOfficer: Session;
  let operator: Session;
  const of: Record<string, Fixture> = {};

  /** Opens a case in `unit` as its own officer, with a violation, a decision and its document, and a travel request. */
  async function caseIn(officer: Session, unit: string, tag: string): Promise<Fixture> {
    const file = await expectJson<{ client: { id: string }; checkIns: { id: string }[] }>(officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(unit)) }), 201);
    const client = file.client.id;
    await p.pool.query(`insert into devices (id, status) values ($1, 'in_stock')`, [tag]);
    await expectJson(officer.fetch(`/api/clients/${client}/device-assignments`, { method: 'POST', body: JSON.stringify({ action: 'fit', deviceId: tag, reason: 'Intake' }) }));
    const violation = await expectJson<{ id: string }>(
      officer.fetch(`/api/clients/${client}/violations`, { method: 'POST', body: JSON.stringify({ obligation: 'no_unapproved_move', occurredAt: Date.now() - 60_000, description: 'Moved without notice' }) }),
      201,
    );
    const decision = await expectJson<{ document: { id: string } }>(
      officer.fetch(`/api/clients/${client}/decisions`, { method: 'POST', body: JSON.stringify({ kind: 'written_warning', accept: true, reason: 'First violation' }) }),
      201,
    );
    const travel = await expectJson<{ id: string }>(
      officer.fetch(`/api/clients/${client}/travel-requests`, {
        method: 'POST',
        body: JSON.stringify({ category: 'vacation', destinationUnitIds: [unit === OSH ? BISHKEK : OSH], departAt: Date.now() + 86_400_000, returnAt: Date.now() + 5 * 86_400_000, travelDays: 0, reason: 'Vacation' }),
      }),
      201,
    );
    return { client, checkIn: file.checkIns[0]!.id, violation: violation.id, travelRequest: travel.id, document: decision.document.id };
  }

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [] });
    bishkekOfficer = await signedInUser(p.pool, p.dashboardUrl, 'rb-officer-bishkek', 'officer', BISHKEK);
    oshOfficer = await signedInUser(p.pool, p.dashboardUrl, 'rb-officer-osh', 'officer', OSH);
    operator = await signedInUser(p.pool, p.dashboardUrl, 'rb-operator', 'operator');
    of[BISHKEK] = await caseIn(bishkekOfficer, BISHKEK, 'RB-TAG-BISHKEK');
    of[OSH] = await caseIn(oshOfficer, OSH, 'RB-TAG-OSH');
  });
  afterAll(async () => {
    await p?.stop();
  });

  /** Every route that names a client or one of its records, with a body that would be valid for the owner. */
  const routes = (f: Fixture): [string, string, unknown?][] => [
    ['GET', `/api/clients/${f.client}`],
    ['GET', `/api/clients/${f.client}/track?from=${Date.now() - 3_600_000}&to=${Date.now()}&reason=probing`],
    ['POST', `/api/clients/${f.client}/check-ins/${f.checkIn}/attendance`, { status: 'attended' }],
    ['POST', `/api/clients/${f.client}/device-assignments`, { action: 'remove', deviceId: 'RB-TAG-OSH', reason: 'probing' }],
    ['POST', `/api/clients/${f.client}/travel-requests`, { category: 'vacation', destinationUnitIds: [BISHKEK], departAt: Date.now() + 86_400_000, returnAt: Date.now() + 2 * 86_400_000, travelDays: 0, reason: 'probing' }],
    ['POST', `/api/travel-requests/${f.travelRequest}/decision`, { decision: 'approve', reason: 'probing' }],
    ['POST', `/api/clients/${f.client}/violations`, { obligation: 'no_unapproved_move', occurredAt: Date.now() - 1000, description: 'probing' }],
    ['POST', `/api/violations/${f.violation}/valid-reason`, { validReason: 'probing' }],
    ['GET', `/api/clients/${f.client}/proposals`],
    ['PUT', `/api/clients/${f.client}/plan`, { plan: 'probing' }],
    ['POST', `/api/clients/${f.client}/referrals`, { agency: 'health', purpose: 'probing' }],
    ['POST', `/api/clients/${f.client}/decisions`, { kind: 'written_warning', accept: false, reason: 'probing' }],
    ['POST', `/api/clients/${f.client}/court-outcomes`, { kind: 'court_submission_revoke', outcome: 'refused', decidedOn: '2026-01-01' }],
    ['GET', `/api/documents/${f.document}`],
    ['GET', `/api/documents/${f.document}/file.docx`],
    ['GET', `/api/documents/${f.document}/file.pdf`],
    ['GET', `/api/documents/${f.document}/evidence.tsv`],
    ['PATCH', `/api/clients/${f.client}`, { courtName: 'probing court', reason: 'probing' }],
    ['POST', `/api/clients/${f.client}/registration`, { registeredOn: '2026-01-27', reason: 'probing' }],
    ['GET', `/api/permits?clientId=${f.client}`],
    ['GET', `/api/violations?clientId=${f.client}`],
    ['POST', `/api/clients/${f.client}/zones`, { kind: 'exclusion', label: 'probing', shape: { type: 'circle', center: [72.8, 40.5], radiusM: 300 }, legalSource: 'court_imposed', legalBasis: 'probing', reason: 'probing' }],
    ['GET', `/api/clients/${f.client}/zones.geojson`],
    ['POST', `/api/clients/${f.client}/place-changes`, { kind: 'work', newPlace: 'probing employer', receivedOn: '2026-02-01', reason: 'probing' }],
    ['POST', `/api/clients/${f.client}/living-conditions-inspections`, { inspectedOn: '2026-02-01', actNumber: 'P-1', guardianshipRepresentative: 'probing', findings: 'probing' }],
  ];

  it("an officer gets 404 EM_NOT_FOUND for the other district's client on every client route, and nothing changes", async () => {
    const auditBefore = await p.pool.query<{ n: string }>(`select count(*) as n from audit_log where action <> 'access.denied'`);
    const deniedBefore = await p.pool.query<{ n: string }>(`select coalesce(max(seq), 0) as n from audit_log`);
    for (const [method, path, body] of routes(of[OSH]!)) {
      const res = await bishkekOfficer.fetch(path, body === undefined ? { method } : { method, body: JSON.stringify(body) });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      expect(await res.json()).toMatchObject({ code: 'EM_NOT_FOUND' });
    }
    // Not one of those requests acted or read: the audit log grew only by the denials, one per request
    // with who and why (issue 18), and the Osh case is untouched.
    const auditAfter = await p.pool.query<{ n: string }>(`select count(*) as n from audit_log where action <> 'access.denied'`);
    expect(auditAfter.rows[0]!.n).toBe(auditBefore.rows[0]!.n);
    const denied = await p.pool.query<{ actor: string; reason: string; subject_id: string }>(
      `select actor, reason, subject_id from audit_log where action = 'access.denied' and actor = 'rb-officer-bishkek' and seq > $1 order by seq`,
      [deniedBefore.rows[0]!.n],
    );
    expect(denied.rows).toHaveLength(routes(of[OSH]!).length);
    for (const r of denied.rows) expect(r.reason).toMatch(new RegExp(`of district ${OSH}, not the user's ${BISHKEK}`));
    const osh = await p.pool.query<{ n: string }>('select count(*) as n from violations where client_id = $1', [of[OSH]!.client]);
    expect(Number(osh.rows[0]!.n)).toBe(1);
    const tr = await p.pool.query<{ status: string }>('select status from travel_requests where id = $1', [of[OSH]!.travelRequest]);
    expect(tr.rows[0]!.status).toBe('pending');
  });

  it('lists are scoped: the other district does not appear in clients, violations, permits or travel requests', async () => {
    const clients = await expectJson<{ items: { id: string; districtId: string }[] }>(bishkekOfficer.fetch('/api/clients?limit=200'));
    expect(clients.items.map((c) => c.id)).toContain(of[BISHKEK]!.client);
    expect(clients.items.every((c) => c.districtId === BISHKEK)).toBe(true);
    // Unfiltered lists hold only the officer's district (filtered by the other district's client: 404, above).
    const violations = await expectJson<{ items: { clientId: string }[] }>(bishkekOfficer.fetch('/api/violations'));
    expect(violations.items.map((v) => v.clientId)).toContain(of[BISHKEK]!.client);
    expect(violations.items.map((v) => v.clientId)).not.toContain(of[OSH]!.client);
    const permits = await expectJson<{ items: { clientId?: string }[] }>(bishkekOfficer.fetch('/api/permits'));
    expect(permits.items.map((x) => x.clientId)).not.toContain(of[OSH]!.client);
    const inbox = await expectJson<{ items: { id: string }[] }>(bishkekOfficer.fetch('/api/travel-requests'));
    expect(inbox.items.map((i) => i.id)).toContain(of[BISHKEK]!.travelRequest);
    expect(inbox.items.map((i) => i.id)).not.toContain(of[OSH]!.travelRequest);
  });

  it('the operator sees both districts, and reads of their case files and tracks are audited', async () => {
    const clients = await expectJson<{ items: { id: string }[] }>(operator.fetch('/api/clients?limit=200'));
    for (const unit of [BISHKEK, OSH]) {
      expect(clients.items.map((c) => c.id)).toContain(of[unit]!.client);
      await expectJson(operator.fetch(`/api/clients/${of[unit]!.client}`));
      await expectJson(operator.fetch(`/api/clients/${of[unit]!.client}/track?from=${Date.now() - 3_600_000}&to=${Date.now()}&reason=${encodeURIComponent('Night shift review')}`));
      await expectJson(operator.fetch(`/api/documents/${of[unit]!.document}`));
      expect((await expectJson<{ items: unknown[] }>(operator.fetch(`/api/violations?clientId=${of[unit]!.client}`))).items).toHaveLength(1);
    }
    const audit = await p.pool.query<{ subject_id: string; action: string }>(
      `select subject_id, action from audit_log where actor = 'rb-operator' and action in ('client.read', 'track.read') order by seq`,
    );
    expect(audit.rows).toEqual([
      { subject_id: of[BISHKEK]!.client, action: 'client.read' },
      { subject_id: of[BISHKEK]!.client, action: 'track.read' },
      { subject_id: of[OSH]!.client, action: 'client.read' },
      { subject_id: of[OSH]!.client, action: 'track.read' },
    ]);
  });

  it("the Osh officer can do on their own client what the Bishkek officer could not", async () => {
    const f = of[OSH]!;
    await expectJson(oshOfficer.fetch(`/api/clients/${f.client}`));
    await expectJson(oshOfficer.fetch(`/api/documents/${f.document}`));
    await expectJson(oshOfficer.fetch(`/api/travel-requests/${f.travelRequest}/decision`, { method: 'POST', body: JSON.stringify({ decision: 'approve', reason: 'Vacation at Issyk-Kul' }) }));
  });

  it('roles: an operator may not open a case, decide, or read the travel inbox', async () => {
    const open = await operator.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(BISHKEK)) });
    expect(open.status).toBe(403);
    expect(await open.json()).toMatchObject({ code: 'EM_FORBIDDEN' });
    const decide = await operator.fetch(`/api/clients/${of[BISHKEK]!.client}/decisions`, { method: 'POST', body: JSON.stringify({ kind: 'written_warning', accept: false, reason: 'not mine' }) });
    expect(decide.status).toBe(403);
    expect((await operator.fetch('/api/travel-requests')).status).toBe(403);
  });
});
