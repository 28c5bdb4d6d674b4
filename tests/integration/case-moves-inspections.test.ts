import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../infra/audit/audit-log.ts';
import { addDays, addMonths, bishkekDate } from '../../infra/domain/term.ts';
import { BISHKEK, TOKMOK_CITY, expectJson, newCaseBody, signedInUser, type Session } from '../support/fixtures.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../support/platform.ts';

interface Change { id: string; consent: string; state: string; breach: string | null; articles: string[]; violationId: string | null; decision: { agreed: boolean } | null }
interface LivingConditions { articles: string[]; nextDueOn: string | null; inspections: { actNumber: string; inspectedOn: string }[] }
interface CaseFile { client: { id: string }; placeChanges: Change[]; livingConditions: LivingConditions | null; obligations: { obligation: string; text: string }[] }

// Changes of residence, work and study (PEC KR arts. 63(1)(3), 160^3(2)(3), 166(1)(3)) and the
// quarterly inspection of a child's living conditions (167(2)), through the API, the database and
// the deadline watchdog of the alerts service.
describe('changes of place and inspections of a child\'s living conditions', () => {
  let p: TestPlatform;
  let officer: Session & { id: string };
  let outsider: Session & { id: string };
  let operator: Session & { id: string };
  const today = bishkekDate(Date.now());

  const open = async (over: Record<string, unknown> = {}) => expectJson<CaseFile>(officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(BISHKEK, over)) }), 201);
  const post = <T>(s: Session, path: string, body: Record<string, unknown>, status = 200) => expectJson<T>(s.fetch(path, { method: 'POST', body: JSON.stringify(body) }), status);
  const file = (id: string) => expectJson<CaseFile>(officer.fetch(`/api/clients/${id}`));

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [], env: { CASE_SWEEP_MS: '300' } });
    officer = await signedInUser(p.pool, p.dashboardUrl, 'mv-officer', 'officer', BISHKEK);
    outsider = await signedInUser(p.pool, p.dashboardUrl, 'mv-outsider', 'officer', TOKMOK_CITY);
    operator = await signedInUser(p.pool, p.dashboardUrl, 'mv-operator', 'operator');
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('PEC KR art. 166(1)(3): under probation supervision a written notice is enough; nothing is agreed, and a move without notice is a violation', async () => {
    const c = await open();
    const notice = await post<Change>(officer, `/api/clients/${c.client.id}/place-changes`, {
      kind: 'work', newPlace: 'ОсОО «Тамга», Бишкек', receivedOn: addDays(today, -2), plannedOn: addDays(today, -1), reason: 'Written notice No. 4 of the client',
    });
    expect(notice).toMatchObject({ consent: 'written_notice', state: 'notified', articles: ['PEC KR art. 166(1)(3)'], decision: null });
    // There is nothing to agree to under 166(1)(3).
    const decide = await officer.fetch(`/api/clients/${c.client.id}/place-changes/${notice.id}/decision`, { method: 'POST', body: JSON.stringify({ agreed: true, reason: 'Agreed' }) });
    expect(decide.status).toBe(409);
    expect(await decide.text()).toContain('166(1)(3)');
    const changed = await post<Change>(officer, `/api/clients/${c.client.id}/place-changes/${notice.id}/changed`, { changedOn: addDays(today, -1), reason: 'Employer confirmed by phone' });
    expect(changed).toMatchObject({ state: 'changed', violationId: null });

    // Discovered at a home visit: moved with no notice at all.
    const moved = await post<Change>(officer, `/api/clients/${c.client.id}/place-changes`, { kind: 'residence', newPlace: 'ул. Ахунбаева 12, Бишкек', changedOn: addDays(today, -5), reason: 'Home visit report No. 7' });
    expect(moved).toMatchObject({ state: 'breach', breach: 'no_written_notice' });
    const v = await p.pool.query<{ obligation: string; description: string }>('select obligation, description from violations where id = $1', [moved.violationId]);
    expect(v.rows[0]).toEqual({ obligation: 'no_unapproved_move', description: `${addDays(today, -5)} осужденный сменил место жительства (ул. Ахунбаева 12, Бишкек) без письменного уведомления органа пробации` });
    // The ladder proposes a written warning (168(1)), and nothing is decided without the officer.
    const proposals = await expectJson<{ items: { kind: string; articles: string[] }[] }>(officer.fetch(`/api/clients/${c.client.id}/proposals`));
    expect(proposals.items.map((i) => [i.kind, i.articles])).toEqual([['written_warning', ['PEC KR art. 168(1)']]]);
    expect((await p.pool.query('select 1 from sanction_decisions where client_id = $1', [c.client.id])).rowCount).toBe(0);
    // The case file quotes the regime's own words and lists both changes.
    const f = await file(c.client.id);
    expect(f.obligations.find((o) => o.obligation === 'no_unapproved_move')?.text).toContain('без письменного уведомления');
    expect(f.placeChanges.map((x) => x.state)).toEqual(['changed', 'breach']);
  });

  it('PEC KR art. 160^3(2)(3): a deferred sentence needs the office\'s agreement; a move while the request waits is a violation', async () => {
    const c = await open({ regime: 'deferred_sentence', registeredOn: '2026-01-26' });
    const req = await post<Change>(officer, `/api/clients/${c.client.id}/place-changes`, { kind: 'residence', newPlace: 'с. Чым-Коргон', receivedOn: addDays(today, -3), reason: 'Request of the client, incoming No. 51' });
    expect(req).toMatchObject({ consent: 'agreement', state: 'awaiting_agreement', articles: ['PEC KR art. 160^3(2)(3)'] });
    const moved = await post<Change>(officer, `/api/clients/${c.client.id}/place-changes/${req.id}/changed`, { changedOn: addDays(today, -1), reason: 'Found at the new address' });
    expect(moved).toMatchObject({ state: 'breach', breach: 'no_agreement' });
    expect(moved.violationId).toMatch(/^[0-9a-f-]{36}$/);
    // An agreement after the change does not make it lawful.
    expect((await officer.fetch(`/api/clients/${c.client.id}/place-changes/${req.id}/decision`, { method: 'POST', body: JSON.stringify({ agreed: true, reason: 'Late' }) })).status).toBe(409);
  });

  it('PEC KR art. 63(1)(3): restriction of freedom: agreed before the move is lawful, refused then moved is a violation', async () => {
    const c = await open({ regime: 'restriction_of_freedom' });
    const agreed = await post<Change>(officer, `/api/clients/${c.client.id}/place-changes`, { kind: 'study', newPlace: 'КГТУ им. Раззакова', receivedOn: addDays(today, -4), reason: 'Request No. 9' });
    expect((await post<Change>(officer, `/api/clients/${c.client.id}/place-changes/${agreed.id}/decision`, { agreed: true, reason: 'Enrolment letter seen' })).state).toBe('agreed');
    expect((await post<Change>(officer, `/api/clients/${c.client.id}/place-changes/${agreed.id}/changed`, { changedOn: today, reason: 'Started' })).state).toBe('changed');
    const refused = await post<Change>(officer, `/api/clients/${c.client.id}/place-changes`, { kind: 'residence', newPlace: 'г. Кара-Балта', receivedOn: addDays(today, -4), reason: 'Request No. 10' });
    await post(officer, `/api/clients/${c.client.id}/place-changes/${refused.id}/decision`, { agreed: false, reason: 'Outside the district set by the court' });
    expect(await post<Change>(officer, `/api/clients/${c.client.id}/place-changes/${refused.id}/changed`, { changedOn: today, reason: 'Moved anyway' })).toMatchObject({ state: 'breach', breach: 'agreement_refused' });
  });

  it('place changes: another district\'s officer sees 404, an operator 403, bad fields a 400 naming the field; every step is audited', async () => {
    const c = await open();
    const body = { kind: 'work', newPlace: 'Some employer', receivedOn: today, reason: 'Notice' };
    expect((await outsider.fetch(`/api/clients/${c.client.id}/place-changes`, { method: 'POST', body: JSON.stringify(body) })).status).toBe(404);
    expect((await operator.fetch(`/api/clients/${c.client.id}/place-changes`, { method: 'POST', body: JSON.stringify(body) })).status).toBe(403);
    const future = await officer.fetch(`/api/clients/${c.client.id}/place-changes`, { method: 'POST', body: JSON.stringify({ ...body, receivedOn: addDays(today, 2) }) });
    expect(future.status).toBe(400);
    expect(await future.text()).toContain('receivedOn');
    const kind = await officer.fetch(`/api/clients/${c.client.id}/place-changes`, { method: 'POST', body: JSON.stringify({ ...body, kind: 'holiday' }) });
    expect(kind.status).toBe(400);
    expect(await kind.text()).toContain('kind');
    const actions = await p.pool.query<{ action: string }>(`select action from audit_log where action like 'place_change.%' order by seq`);
    expect(new Set(actions.rows.map((r) => r.action))).toEqual(new Set(['place_change.record', 'place_change.decide', 'place_change.changed']));
    expect((await verifyAuditChain(p.pool)).ok).toBe(true);
  });

  it('PEC KR art. 167(2): a child\'s living-conditions inspection overdue raises inspection_overdue; the act closes it, and it cannot be confirmed as the client\'s violation', async () => {
    // Registered 3 months and 2 days ago: the first act was due yesterday.
    const registeredOn = addDays(addMonths(today, -3), -1);
    const c = await open({ birthDate: addMonths(today, -15 * 12), effectiveDate: addDays(registeredOn, -5), registeredOn });
    expect(c.livingConditions).toMatchObject({ articles: ['PEC KR art. 167(2)'], nextDueOn: addMonths(registeredOn, 3), inspections: [] });
    const raised = await eventually(async () => {
      const { rows } = await p.pool.query<{ id: string; type: string; closed_at: Date | null; details: Record<string, unknown> }>(`select id, type, closed_at, details from alerts where client_id = $1`, [c.client.id]);
      return rows.length ? rows : undefined;
    }, 300, 100);
    expect(raised).toEqual([expect.objectContaining({ type: 'inspection_overdue', closed_at: null, details: expect.objectContaining({ dueOn: addMonths(registeredOn, 3), articles: ['PEC KR art. 167(2)'] }) })]);
    // One alert per due date, however many sweeps run.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await p.pool.query('select 1 from alerts where client_id = $1', [c.client.id])).rowCount).toBe(1);
    // Not the client's violation: confirming it as one is refused, naming the field.
    const confirm = await officer.fetch(`/api/alerts/${raised[0]!.id}/resolve`, { method: 'POST', body: JSON.stringify({ outcome: 'violation_confirmed', note: 'try' }) });
    expect(confirm.status).toBe(400);
    expect(await confirm.text()).toContain('body/outcome');

    const lc = await post<LivingConditions>(officer, `/api/clients/${c.client.id}/living-conditions-inspections`, {
      inspectedOn: today, actNumber: 'А-17', guardianshipRepresentative: 'Асанова Г., отдел опеки Первомайского района', findings: 'Условия удовлетворительные',
    });
    expect(lc).toMatchObject({ nextDueOn: addMonths(today, 3), inspections: [{ actNumber: 'А-17', inspectedOn: today }] });
    await eventually(async () => {
      const { rows } = await p.pool.query<{ closed_at: Date | null }>(`select closed_at from alerts where client_id = $1`, [c.client.id]);
      return rows[0]?.closed_at ? rows : undefined;
    }, 300, 100);
    // The same act twice is a conflict; an adult client or another regime has no such inspection.
    expect((await officer.fetch(`/api/clients/${c.client.id}/living-conditions-inspections`, { method: 'POST', body: JSON.stringify({ inspectedOn: today, actNumber: 'А-17', guardianshipRepresentative: 'Асанова Г.', findings: 'again' }) })).status).toBe(409);
    const adult = await open({ birthDate: '1990-01-01' });
    expect(adult.livingConditions).toBeNull();
    const adultAct = await officer.fetch(`/api/clients/${adult.client.id}/living-conditions-inspections`, { method: 'POST', body: JSON.stringify({ inspectedOn: today, actNumber: '1', guardianshipRepresentative: 'Асанова Г.', findings: 'n/a' }) });
    expect(adultAct.status).toBe(400);
    expect(await adultAct.text()).toContain('body/inspectedOn');
    const deferred = await open({ regime: 'deferred_sentence', birthDate: addMonths(today, -16 * 12) });
    expect(deferred.livingConditions).toBeNull();
    const audit = await p.pool.query(`select 1 from audit_log where action = 'living_conditions.inspect' and subject_id = $1`, [c.client.id]);
    expect(audit.rowCount).toBe(1);
  });
});
