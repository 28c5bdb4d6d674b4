import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../infra/audit/audit-log.ts';
import { addDays, addMonths, bishkekDate, checkInCalendar } from '../../infra/domain/term.ts';
import { BISHKEK, TOKMOK_CITY, expectJson, newCaseBody, signedInUser, type Session } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

interface CaseFile {
  client: { id: string };
  term: { registeredOn: string | null; termStart: string | null; termEnd: string | null; arrivalDeadline: string | null; deferralBasis?: string | null; arrivedAtResidenceOn?: string | null };
  checkIns: { id: string; dueAt: string; status: string }[];
  lateArrivalViolationId?: string | null;
}

// Registration at the office (PEC KR arts. 61(2), 62, 160^2(2), 160(6), 166(1)(1)): the term and
// the check-in calendar follow from it, and arriving after the statutory term is the violation
// that goes straight to the court (64(3), 160^4(2), 168(3)).
describe('registration at the office and the arrival term', () => {
  let p: TestPlatform;
  let officer: Session & { id: string };
  let outsider: Session & { id: string };
  let operator: Session & { id: string };
  const today = bishkekDate(Date.now());

  const open = async (over: Record<string, unknown>) => expectJson<CaseFile>(officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(BISHKEK, over)) }), 201);
  const register = (s: Session, id: string, body: Record<string, unknown>) => s.fetch(`/api/clients/${id}/registration`, { method: 'POST', body: JSON.stringify(body) });

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [] });
    officer = await signedInUser(p.pool, p.dashboardUrl, 'reg-officer', 'officer', BISHKEK);
    outsider = await signedInUser(p.pool, p.dashboardUrl, 'reg-outsider', 'officer', TOKMOK_CITY);
    operator = await signedInUser(p.pool, p.dashboardUrl, 'reg-operator', 'operator');
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('PEC KR art. 168(3): registered after the 10-day arrival term: the term starts then, an arrive_within_term violation is recorded and proposes the court submission', async () => {
    const effectiveDate = addDays(today, -20);
    const file = await open({ effectiveDate, registeredOn: undefined });
    expect(file.term.termStart).toBeNull();
    expect(file.checkIns).toEqual([]);
    const registered = await expectJson<CaseFile>(register(officer, file.client.id, { registeredOn: today, reason: 'Reported to the office today, registration card No. 12' }));
    expect(registered.term).toMatchObject({ registeredOn: today, termStart: today, termEnd: addMonths(today, 24), arrivalDeadline: addDays(effectiveDate, 10) });
    expect(registered.checkIns.length).toBeGreaterThan(40);
    expect(registered.checkIns.every((c) => c.dueAt >= today && c.status === 'scheduled')).toBe(true);
    expect(registered.lateArrivalViolationId).toMatch(/^[0-9a-f-]{36}$/);
    const v = await p.pool.query<{ obligation: string; valid_reason: string | null; day: string }>(
      `select obligation, valid_reason, to_char(occurred_at at time zone 'Asia/Bishkek', 'YYYY-MM-DD') as day from violations where id = $1`,
      [registered.lateArrivalViolationId],
    );
    expect(v.rows).toEqual([{ obligation: 'arrive_within_term', valid_reason: null, day: addDays(effectiveDate, 11) }]);
    const proposals = await expectJson<{ items: { kind: string; articles: string[]; reason: { code: string } }[] }>(officer.fetch(`/api/clients/${file.client.id}/proposals`));
    expect(proposals.items[0]).toMatchObject({ kind: 'court_submission_revoke', articles: ['PEC KR art. 168(3)'], reason: { code: 'failure_to_appear' } });
    const audit = await p.pool.query<{ actor: string; reason: string; details: Record<string, unknown> }>(
      `select actor, reason, details from audit_log where action = 'client.register' and subject_id = $1`,
      [file.client.id],
    );
    expect(audit.rows).toEqual([
      expect.objectContaining({ actor: 'reg-officer', reason: 'Reported to the office today, registration card No. 12', details: expect.objectContaining({ registeredOn: today, lateArrivalViolationId: registered.lateArrivalViolationId }) }),
    ]);
    // Registered once; a second registration is a conflict.
    expect((await register(officer, file.client.id, { registeredOn: today, reason: 'Again' })).status).toBe(409);
    // The officer later records a valid reason: nothing is proposed.
    await expectJson(officer.fetch(`/api/violations/${registered.lateArrivalViolationId}/valid-reason`, { method: 'POST', body: JSON.stringify({ validReason: 'In hospital until the day before (certificate)' }) }));
    expect((await expectJson<{ items: unknown[] }>(officer.fetch(`/api/clients/${file.client.id}/proposals`))).items).toEqual([]);
  });

  it('PEC KR art. 166(1)(1): registered within the term: no violation', async () => {
    const file = await open({ effectiveDate: addDays(today, -3), registeredOn: undefined });
    const registered = await expectJson<CaseFile>(register(officer, file.client.id, { registeredOn: addDays(today, -1), reason: 'Registered yesterday, entered today' }));
    expect(registered.lateArrivalViolationId).toBeNull();
    expect(registered.term.termStart).toBe(addDays(today, -1));
    const n = await p.pool.query('select 1 from violations where client_id = $1', [file.client.id]);
    expect(n.rowCount).toBe(0);
  });

  it('PEC KR art. 160^2(2): a deferred sentence schedules no appearance inside the arrival window', async () => {
    // An effective date that puts the next default appearance day inside the 10-day window.
    const next = checkInCalendar(today, addMonths(today, 2)).find((d) => d >= today)!;
    const effectiveDate = addDays(next, -3);
    const file = await open({ regime: 'deferred_sentence', effectiveDate, registeredOn: undefined, termMonths: 12 });
    const deadline = addDays(effectiveDate, 10);
    // The term still counts from the effective date (160^3(1)); appearances after the window.
    expect(file.term.termStart).toBe(effectiveDate);
    expect(file.checkIns.length).toBeGreaterThan(0);
    expect(file.checkIns.map((c) => c.dueAt)).not.toContain(next);
    expect(file.checkIns.every((c) => c.dueAt > deadline)).toBe(true);
  });

  it('PEC KR art. 160^1(4): released from prison under a deferment: 5 days from the arrival home; a missed one proposes revoking the deferment (160^4(2)) and cites 160^1(4)', async () => {
    const effectiveDate = addDays(today, -30);
    const file = await open({ regime: 'deferred_sentence', effectiveDate, registeredOn: undefined, deferralBasis: 'release_from_prison' });
    // Not home yet: no deadline, no appearances.
    expect(file.term).toMatchObject({ arrivalDeadline: null, deferralBasis: 'release_from_prison', arrivedAtResidenceOn: null, articles: ['PEC KR art. 160^1(4)', 'PEC KR art. 160^3(1)'] });
    expect(file.checkIns).toEqual([]);
    const arrivedOn = addDays(today, -12);
    const home = await expectJson<CaseFile>(officer.fetch(`/api/clients/${file.client.id}/arrival-at-residence`, { method: 'POST', body: JSON.stringify({ arrivedOn, reason: 'Call from the district police: arrived home' }) }));
    expect(home.term).toMatchObject({ arrivalDeadline: addDays(arrivedOn, 5), arrivedAtResidenceOn: arrivedOn });
    const registered = await expectJson<CaseFile>(register(officer, file.client.id, { registeredOn: today, reason: 'Reported today' }));
    expect(registered.lateArrivalViolationId).toMatch(/^[0-9a-f-]{36}$/);
    const violations = await expectJson<{ items: { id: string; obligation: string; articles: string[] }[] }>(officer.fetch(`/api/violations?clientId=${file.client.id}`));
    expect(violations.items).toEqual([expect.objectContaining({ id: registered.lateArrivalViolationId, obligation: 'arrive_within_term', articles: ['PEC KR art. 160^1(4)'] })]);
    const proposals = await expectJson<{ items: { kind: string; articles: string[] }[] }>(officer.fetch(`/api/clients/${file.client.id}/proposals`));
    expect(proposals.items[0]).toMatchObject({ kind: 'court_submission_revoke', articles: ['PEC KR art. 160^4(2)'] });
    const audit = await p.pool.query<{ details: { arrivedOn: string } }>(`select details from audit_log where action = 'client.arrival' and subject_id = $1`, [file.client.id]);
    expect(audit.rows.map((r) => r.details.arrivedOn)).toEqual([arrivedOn]);
  });

  it('PEC KR art. 160^1(4): the arrival basis is for a deferred sentence only; registering without the arrival date is refused naming the field', async () => {
    const wrong = await officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(BISHKEK, { deferralBasis: 'release_from_prison' })) });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { message: string }).message).toMatch(/^body\/deferralBasis/);
    const file = await open({ regime: 'deferred_sentence', effectiveDate: addDays(today, -3), registeredOn: undefined, deferralBasis: 'release_from_prison' });
    const noDate = await register(officer, file.client.id, { registeredOn: today, reason: 'Reported today' });
    expect(noDate.status).toBe(400);
    expect(((await noDate.json()) as { message: string }).message).toMatch(/^body\/arrivedAtResidenceOn .*160\^1\(4\)/);
    const ok = await expectJson<CaseFile>(register(officer, file.client.id, { registeredOn: today, arrivedAtResidenceOn: addDays(today, -1), reason: 'Reported the day after arriving' }));
    expect(ok).toMatchObject({ lateArrivalViolationId: null, term: { arrivalDeadline: addDays(today, 4) } });
    // A court-decision deferral keeps its 10 days from the effective date (160^2(2)).
    const byDecision = await open({ regime: 'deferred_sentence', effectiveDate: addDays(today, -3), registeredOn: undefined });
    expect(byDecision.term).toMatchObject({ deferralBasis: 'court_decision', arrivalDeadline: addDays(today, 7) });
  });

  it('PEC KR art. 160(6): on parole, registering within the 5 days schedules appearances from registration on', async () => {
    const effectiveDate = addDays(today, -1);
    const file = await open({ regime: 'parole', effectiveDate, registeredOn: undefined, termMonths: 12 });
    expect(file.checkIns.every((c) => c.dueAt > addDays(effectiveDate, 5))).toBe(true);
    const registered = await expectJson<CaseFile>(register(officer, file.client.id, { registeredOn: today, reason: 'Reported on release, registration card No. 7' }));
    expect(registered.term.termStart).toBe(effectiveDate);
    expect(registered.checkIns.length).toBeGreaterThan(0);
    expect(registered.checkIns.every((c) => c.dueAt >= today)).toBe(true);
    const window = checkInCalendar(today, addDays(effectiveDate, 6)).filter((d) => d >= today);
    for (const d of window) expect(registered.checkIns.map((c) => c.dueAt)).toContain(d);
    expect(registered.lateArrivalViolationId).toBeNull();
  });

  it('PEC KR art. 62: bad dates are 400s naming the field; another district is 404; an operator may not register', async () => {
    const file = await open({ regime: 'restriction_of_freedom', effectiveDate: addDays(today, -5), registeredOn: undefined });
    const future = await register(officer, file.client.id, { registeredOn: addDays(today, 1), reason: 'Typo in the date' });
    expect(future.status).toBe(400);
    expect(((await future.json()) as { message: string }).message).toMatch(/body\/registeredOn/);
    const early = await register(officer, file.client.id, { registeredOn: addDays(today, -6), reason: 'Before the sentence took effect' });
    expect(early.status).toBe(400);
    expect(((await early.json()) as { message: string }).message).toMatch(/body\/registeredOn/);
    const notDate = await register(officer, file.client.id, { registeredOn: 'yesterday', reason: 'Free text' });
    expect(notDate.status).toBe(400);
    expect((await register(outsider, file.client.id, { registeredOn: today, reason: 'Not my district' })).status).toBe(404);
    expect((await register(operator, file.client.id, { registeredOn: today, reason: 'Not my role' })).status).toBe(403);
    const untouched = await p.pool.query('select registered_on from clients where id = $1', [file.client.id]);
    expect(untouched.rows).toEqual([{ registered_on: null }]);
  });

  it('GET /clients reads last positions: one clients.list audit entry per request with the count and the filter', async () => {
    const before = await p.pool.query<{ n: string }>(`select count(*) as n from audit_log where action = 'clients.list'`);
    const page = await expectJson<{ items: unknown[]; total: number }>(officer.fetch('/api/clients?limit=2&q=Test'));
    const after = await p.pool.query<{ actor: string; details: { count: number; filter: { q: string; limit: number } } }>(
      `select actor, details from audit_log where action = 'clients.list' order by seq desc limit 1`,
    );
    const n = await p.pool.query<{ n: string }>(`select count(*) as n from audit_log where action = 'clients.list'`);
    expect(Number(n.rows[0]!.n)).toBe(Number(before.rows[0]!.n) + 1);
    expect(after.rows[0]).toMatchObject({ actor: 'reg-officer', details: { count: page.items.length, filter: { q: 'Test', limit: 2 } } });
    expect(await verifyAuditChain(p.pool)).toMatchObject({ ok: true });
  });
});
