import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../infra/audit/audit-log.ts';
import { BISHKEK, TOKMOK_CITY, createUser, registerClient, signIn } from '../support/fixtures.ts';
import { eventually, openEventStream, startTestPlatform, type TestPlatform } from '../support/platform.ts';

// The case file's deadlines, checked by the alerts service's repeatable job (CASE_SWEEP_MS):
// missed appearances become alerts; travel requests nearing or past their 24-hour decision
// deadline are pushed to the district's dashboards, and a breach is recorded and audited.
describe('case deadlines: missed appearances and travel-request decisions', () => {
  let p: TestPlatform;
  let bishkekClient: string;
  let tokmokClient: string;
  let officerId: string;

  beforeAll(async () => {
    p = await startTestPlatform({ devices: ['CD-TAG-1', 'CD-TAG-2', 'CD-TAG-3', 'CD-TAG-4'], env: { CASE_SWEEP_MS: '300', TRAVEL_WARN_MINUTES: '240' } });
    bishkekClient = await registerClient(p.pool, 'CD-TAG-1', { unitId: BISHKEK });
    tokmokClient = await registerClient(p.pool, 'CD-TAG-2', { unitId: TOKMOK_CITY });
    officerId = await createUser(p.pool, 'cd-officer', 'officer', BISHKEK);
    await createUser(p.pool, 'cd-supervisor', 'supervisor', BISHKEK);
    await createUser(p.pool, 'cd-operator', 'operator');
  });
  afterAll(async () => {
    await p?.stop();
  });

  const alertsOf = async (clientId: string) =>
    (await p.pool.query<{ type: string; closed_at: Date | null; device_id: string | null; details: Record<string, unknown> }>(
      'select type, closed_at, device_id, details from alerts where client_id = $1 order by opened_at',
      [clientId],
    )).rows;

  it('PEC KR art. 166(1)(7): a check-in left open after its day raises one missed_appearance; recording attendance closes it', async () => {
    // Yesterday and tomorrow in Asia/Bishkek: only yesterday's is overdue.
    const { rows } = await p.pool.query<{ id: string; due: string }>(
      `insert into check_ins (client_id, due_at)
       values ($1, (now() at time zone 'Asia/Bishkek')::date - 1), ($1, (now() at time zone 'Asia/Bishkek')::date + 1)
       returning id, to_char(due_at, 'YYYY-MM-DD') as due`,
      [bishkekClient],
    );
    const overdue = rows[0]!;
    const raised = await eventually(async () => {
      const a = await alertsOf(bishkekClient);
      return a.length ? a : undefined;
    }, 300, 100);
    expect(raised).toEqual([{ type: 'missed_appearance', closed_at: null, device_id: null, details: expect.objectContaining({ kind: 'check_in', checkInId: overdue.id, dueOn: overdue.due }) }]);
    // Further sweeps raise nothing more for the same check-in, and enqueue nothing more either.
    await new Promise((r) => setTimeout(r, 1000));
    await p.alerts.relay.drain();
    expect(await alertsOf(bishkekClient)).toHaveLength(1);
    const intents = await p.pool.query(`select 1 from outbox where payload ->> 'episodeKey' = $1`, [`appearance:${overdue.id}`]);
    expect(intents.rowCount).toBe(1);
    await p.pool.query(`update check_ins set status = 'attended', recorded_at = now(), recorded_by = $2 where id = $1`, [overdue.id, officerId]);
    const closed = await eventually(async () => {
      const a = await alertsOf(bishkekClient);
      return a[0]?.closed_at ? a : undefined;
    }, 300, 100);
    expect(closed).toHaveLength(1);
  });

  it('PEC KR art. 166(2): the district is warned before the 24-hour deadline, and a breach is recorded, audited and pushed', async () => {
    const supervisor = await signIn(p.dashboardUrl, 'cd-supervisor');
    const stream = openEventStream(`${p.dashboardUrl}/api/alerts/stream`, supervisor.headers);
    await stream.ready;
    const insert = (clientId: string, decideByMinutes: number) =>
      p.pool
        .query<{ id: string }>(
          `insert into travel_requests (client_id, category, destination_unit_ids, depart_at, return_at, travel_days, reason, submitted_by, submitted_at, decide_by)
           values ($1, 'weekend_holiday', array['KG08400000010'], now() + interval '2 days', now() + interval '4 days', 0, 'family visit', $2,
                   now() + make_interval(mins => $3) - interval '24 hours', now() + make_interval(mins => $3))
           returning id`,
          [clientId, officerId, decideByMinutes],
        )
        .then((r) => r.rows[0]!.id);
    const nearing = await insert(bishkekClient, 60); // due in an hour: inside the 4-hour warning
    const relaxed = await insert(bishkekClient, 600); // due in 10 hours: no warning yet
    const late = await insert(bishkekClient, -5); // already past its deadline
    const otherDistrict = await insert(tokmokClient, -5);

    const events = await eventually(async () => {
      const e = stream.events.filter((x) => x.event.startsWith('travel_request.'));
      return e.filter((x) => x.event === 'travel_request.deadline_breached').length >= 1 && e.some((x) => x.data.id === nearing) ? e : undefined;
    }, 300, 100);
    const seen = events.map((e) => `${e.event}:${String(e.data.id)}`);
    expect(seen).toContain(`travel_request.deadline_near:${nearing}`);
    expect(seen).toContain(`travel_request.deadline_breached:${late}`);
    expect(seen.some((s) => s.endsWith(relaxed))).toBe(false);
    // Another district's request is not pushed to this supervisor.
    expect(seen.some((s) => s.endsWith(otherDistrict))).toBe(false);

    const state = async (id: string) =>
      (await p.pool.query<{ w: Date | null; b: Date | null }>('select deadline_warned_at as w, deadline_breached_at as b from travel_requests where id = $1', [id])).rows[0]!;
    expect((await state(nearing)).w).not.toBeNull();
    expect((await state(nearing)).b).toBeNull();
    expect(await state(relaxed)).toEqual({ w: null, b: null });
    const breach = await state(late);
    expect(breach.b).not.toBeNull();
    await eventually(async () => ((await state(otherDistrict)).b ? true : undefined));

    const audit = await p.pool.query<{ actor: string; reason: string }>(
      `select actor, reason from audit_log where action = 'travel_request.deadline_breached' and subject_id = $1`,
      [late],
    );
    expect(audit.rows).toEqual([{ actor: 'system:case-deadlines', reason: expect.stringContaining('24 hours') }]);
    // Recorded once, however many sweeps pass.
    await new Promise((r) => setTimeout(r, 1000));
    const again = await p.pool.query(`select 1 from audit_log where action = 'travel_request.deadline_breached' and subject_id = $1`, [late]);
    expect(again.rowCount).toBe(1);
    expect((await verifyAuditChain(p.pool)).ok).toBe(true);
    // The nightly retention job (nothing is five years old here) leaves the chain verifiable.
    expect(await p.alerts.auditRetention.run()).toEqual({ pruned: false, chainOk: true });
    stream.close();
  });

  it('PEC KR art. 168(3): a missed appearance recorded by the officer and confirmed from its alert is one violation, not two', async () => {
    const clientId = await registerClient(p.pool, 'CD-TAG-3', { unitId: BISHKEK });
    const { rows } = await p.pool.query<{ id: string }>(
      `insert into check_ins (client_id, due_at) values ($1, (now() at time zone 'Asia/Bishkek')::date - 2) returning id`,
      [clientId],
    );
    const checkInId = rows[0]!.id;
    const alertId = await eventually(async () => {
      const r = await p.pool.query<{ id: string }>(`select id from alerts where episode_key = $1`, [`appearance:${checkInId}`]);
      return r.rows[0]?.id;
    }, 300, 100);
    const officer = await signIn(p.dashboardUrl, 'cd-officer');
    const recorded = await officer.fetch(`/api/clients/${clientId}/check-ins/${checkInId}/attendance`, { method: 'POST', body: JSON.stringify({ status: 'missed' }) });
    expect(recorded.status).toBe(200);
    const operator = await signIn(p.dashboardUrl, 'cd-operator');
    const resolved = await operator.fetch(`/api/alerts/${alertId}/resolve`, { method: 'POST', body: JSON.stringify({ outcome: 'violation_confirmed', note: 'did not come, no reason given' }) });
    expect(resolved.status).toBe(200);
    const v = await p.pool.query<{ obligation: string; alert_id: string | null }>('select obligation, alert_id from violations where client_id = $1', [clientId]);
    expect(v.rows).toEqual([{ obligation: 'appear_when_summoned', alert_id: alertId }]);
  });

  it('PEC KR art. 166(1)(1): no registration the day after the 10-day arrival deadline raises missed_appearance for the arrival; registering closes it', async () => {
    const clientId = await registerClient(p.pool, 'CD-TAG-4', { unitId: BISHKEK });
    await p.pool.query(`update clients set registered_on = null, arrival_deadline = (now() at time zone 'Asia/Bishkek')::date - 2 where id = $1`, [clientId]);
    const raised = await eventually(async () => {
      const a = await alertsOf(clientId);
      return a.length ? a : undefined;
    }, 300, 100);
    expect(raised).toEqual([{ type: 'missed_appearance', closed_at: null, device_id: null, details: expect.objectContaining({ kind: 'arrival' }) }]);
    // Confirmed from the alert, it is a failure to arrive (64(3), 168(3)), not a missed appearance.
    const alertId = (await p.pool.query<{ id: string }>('select id from alerts where client_id = $1', [clientId])).rows[0]!.id;
    const operator = await signIn(p.dashboardUrl, 'cd-operator');
    const resolved = await operator.fetch(`/api/alerts/${alertId}/resolve`, { method: 'POST', body: JSON.stringify({ outcome: 'violation_confirmed', note: 'never came to the office' }) });
    expect(resolved.status).toBe(200);
    // The client turns up late and the officer registers them: the same violation, not a second.
    const officer = await signIn(p.dashboardUrl, 'cd-officer');
    const today = (await p.pool.query<{ d: string }>(`select to_char((now() at time zone 'Asia/Bishkek')::date, 'YYYY-MM-DD') as d`)).rows[0]!.d;
    const reg = await officer.fetch(`/api/clients/${clientId}/registration`, { method: 'POST', body: JSON.stringify({ registeredOn: today, reason: 'Came to the office today' }) });
    expect(reg.status).toBe(200);
    const v = await p.pool.query<{ obligation: string; alert_id: string | null }>('select obligation, alert_id from violations where client_id = $1', [clientId]);
    expect(v.rows).toEqual([{ obligation: 'arrive_within_term', alert_id: alertId }]);
    const closed = await eventually(async () => {
      const a = await alertsOf(clientId);
      return a[0]?.closed_at ? a : undefined;
    }, 300, 100);
    expect(closed).toHaveLength(1);
  });
});
