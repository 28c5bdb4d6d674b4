import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../infra/audit/audit-log.ts';
import { BISHKEK, createUser, registerClient, signIn, TEST_PASSWORD, type Session } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const OSH = 'KG21000000000';

// Personal data rules: an officer sees only the clients of their district (anything else is a
// 404), every decision is logged with who and why in a hash-chained, append-only audit log, and
// the monitoring centre works alerts through acknowledge, note and resolve.
describe('auth, district scoping, audit and the alert workflow', () => {
  let p: TestPlatform;
  let operator: Session;
  let bishkekOfficer: Session;
  const alertIn: Record<string, string> = {};
  const clientIn: Record<string, string> = {};

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [] });
    for (const [unit, tag] of [[BISHKEK, 'AW-BISHKEK'], [OSH, 'AW-OSH']] as const) {
      const client = await registerClient(p.pool, tag, { unitId: unit });
      clientIn[unit] = client;
      const { rows } = await p.pool.query<{ id: string }>(
        `insert into alerts (episode_key, client_id, device_id, type, severity, opened_at, raise_announced_at)
         values ($1, $2, $3, 'strap_tamper', 'critical', now() - interval '1 minute', now()) returning id`,
        [`${tag}:strap:1`, client, tag],
      );
      alertIn[unit] = rows[0]!.id;
    }
    await createUser(p.pool, 'aw-operator', 'operator');
    await createUser(p.pool, 'aw-officer-bishkek', 'officer', BISHKEK);
    await createUser(p.pool, 'aw-officer-osh', 'officer', OSH);
    operator = await signIn(p.dashboardUrl, 'aw-operator');
    bishkekOfficer = await signIn(p.dashboardUrl, 'aw-officer-bishkek');
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('refuses the alert API without a session', async () => {
    const res = await fetch(`${p.dashboardUrl}/api/alerts`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'EM_UNAUTHENTICATED' });
  });

  it('refuses a wrong password without telling whether the user exists, and rate-limits sign-in', async () => {
    const attempt = (username: string) =>
      fetch(`${p.dashboardUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'wrong-password' }) });
    const known = await attempt('aw-officer-osh');
    const unknown = await attempt('nobody-here');
    expect(known.status).toBe(401);
    expect(await known.json()).toEqual(await unknown.json());
    // Five failures per account (LOGIN_FAILURES_PER_ACCOUNT): one is used; the fifth locks the account.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt('aw-officer-osh')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const limited = await attempt('aw-officer-osh');
    expect(await limited.json()).toMatchObject({ code: 'EM_RATE_LIMITED' });
  });

  it('RBAC across two districts: an officer sees only their district, and another district is a 404', async () => {
    // Filtered by client, so that other test files' alerts in the shared database do not page these out.
    const list = async (s: Session, unit: string) =>
      ((await (await s.fetch(`/api/alerts?clientId=${clientIn[unit]}`)).json()) as { items: { id: string }[] }).items.map((a) => a.id);
    expect(await list(bishkekOfficer, BISHKEK)).toEqual([alertIn[BISHKEK]]);
    expect(await list(bishkekOfficer, OSH)).toEqual([]);
    const theirs = await bishkekOfficer.fetch(`/api/alerts/${alertIn[OSH]}`);
    expect(theirs.status).toBe(404);
    expect((await bishkekOfficer.fetch(`/api/alerts/${alertIn[OSH]}/acknowledge`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(await list(operator, BISHKEK)).toEqual([alertIn[BISHKEK]]);
    expect(await list(operator, OSH)).toEqual([alertIn[OSH]]);
  });

  it('refuses a mutating request without the CSRF token', async () => {
    const res = await fetch(`${p.dashboardUrl}/api/alerts/${alertIn[BISHKEK]}/acknowledge`, {
      method: 'POST', headers: { ...bishkekOfficer.headers, 'content-type': 'application/json' }, body: '{}',
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'EM_CSRF' });
  });

  it('acknowledge, note, resolve as a confirmed violation: a violation record, and each decision audited with who and why', async () => {
    const id = alertIn[BISHKEK]!;
    const ack = await bishkekOfficer.fetch(`/api/alerts/${id}/acknowledge`, { method: 'POST', body: JSON.stringify({ note: 'Calling the client' }) });
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ status: 'acknowledged' });
    expect((await bishkekOfficer.fetch(`/api/alerts/${id}/acknowledge`, { method: 'POST', body: '{}' })).status).toBe(409);
    const bad = await bishkekOfficer.fetch(`/api/alerts/${id}/resolve`, { method: 'POST', body: JSON.stringify({ outcome: 'shrug', note: 'x' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/outcome|note/);
    const resolved = await bishkekOfficer.fetch(`/api/alerts/${id}/resolve`, {
      method: 'POST', body: JSON.stringify({ outcome: 'violation_confirmed', note: 'Strap found cut at home visit' }),
    });
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ status: 'resolved', outcome: 'violation_confirmed' });
    const v = await p.pool.query<{ obligation: string; recorded_by: string }>('select obligation, recorded_by from violations where alert_id = $1', [id]);
    expect(v.rows).toHaveLength(1);
    // A cut strap breaches the office's lawful requirements (PEC KR art. 166(1)(5)), not a court-imposed duty.
    expect(v.rows[0]!.obligation).toBe('office_requirement');
    const notes = (await (await bishkekOfficer.fetch(`/api/alerts/${id}/notes`)).json()) as { text: string; author: string }[];
    expect(notes.map((n) => n.text)).toEqual(['Calling the client', 'Strap found cut at home visit']);
    const audit = await p.pool.query<{ action: string; actor: string; reason: string | null }>(
      `select action, actor, reason from audit_log where subject_type = 'alert' and subject_id = $1 order by seq`,
      [id],
    );
    expect(audit.rows).toEqual([
      { action: 'alert.acknowledge', actor: 'aw-officer-bishkek', reason: 'Calling the client' },
      { action: 'alert.resolve', actor: 'aw-officer-bishkek', reason: 'Strap found cut at home visit' },
    ]);
  });

  it('the audit log is append-only and its hash chain detects tampering', async () => {
    expect(await verifyAuditChain(p.pool)).toMatchObject({ ok: true });
    await expect(p.pool.query(`update audit_log set reason = 'edited' where seq = 1`)).rejects.toThrow(/append-only/);
    await expect(p.pool.query(`delete from audit_log where seq = 1`)).rejects.toThrow(/append-only/);
    // A database superuser can still get past the trigger: the chain is what catches that.
    const { rows } = await p.pool.query<{ seq: string; reason: string | null }>(`select seq, reason from audit_log where action = 'alert.resolve' order by seq desc limit 1`);
    const seq = Number(rows[0]!.seq);
    const client = await p.pool.connect();
    try {
      await client.query('begin');
      await client.query('alter table audit_log disable trigger audit_log_no_update');
      await client.query(`update audit_log set reason = 'Nothing found' where seq = $1`, [seq]);
      await client.query('alter table audit_log enable trigger audit_log_no_update');
      await client.query('commit');
      expect(await verifyAuditChain(p.pool)).toMatchObject({ ok: false, brokenAt: seq, problem: 'entry content does not match its hash' });
      // Put it back, so that the shared test database keeps a valid chain.
      await client.query('begin');
      await client.query('alter table audit_log disable trigger audit_log_no_update');
      await client.query(`update audit_log set reason = $2 where seq = $1`, [seq, rows[0]!.reason]);
      await client.query('alter table audit_log enable trigger audit_log_no_update');
      await client.query('commit');
    } finally {
      client.release();
    }
    expect(await verifyAuditChain(p.pool)).toMatchObject({ ok: true });
  });

  it('signs out: the session no longer works', async () => {
    // The Osh officer is rate-limited by the test above, the operator is not.
    const session = await signIn(p.dashboardUrl, 'aw-operator', TEST_PASSWORD);
    expect((await session.fetch('/api/auth/me')).status).toBe(200);
    expect((await session.fetch('/api/auth/logout', { method: 'POST', body: '{}' })).status).toBe(204);
    expect((await session.fetch('/api/auth/me')).status).toBe(401);
  });
});
