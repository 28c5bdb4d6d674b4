import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../infra/audit/audit-log.ts';
import { addDays, addMonths, bishkekDate } from '../../infra/domain/term.ts';
import { BISHKEK, expectJson, newCaseBody, signedInUser, type Session } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

interface Proposal {
  kind: string;
  articles: string[];
  why: string;
  violationIds: string[];
}
interface Decision {
  id: string;
  kind: string;
  accepted: boolean;
  proposed: boolean;
  articles: string[];
  violationIds: string[];
  decidedAt: number;
  document: { id: string; number: string; evidenceSha256: string } | null;
}

// The violation ladder through the API (PEC KR arts. 64, 160^4, 168): the platform proposes the
// next step from the case's history, an officer decides, every decision is audited with who and why.
describe('the violation ladder through the API', () => {
  let p: TestPlatform;
  let officer: Session & { id: string };
  let probation: string;
  let restriction: string;
  /** When the last decision was taken: a repeat must come after the warning, so it is dated just after it. */
  let lastDecisionAt = 0;

  const open = async (regime: string) =>
    (await expectJson<{ client: { id: string } }>(officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(BISHKEK, { regime })) }), 201)).client.id;
  const violate = async (client: string, obligation = 'stay_in_residence_unit', occurredAt = Math.max(Date.now() - 1000, lastDecisionAt + 1)) => {
    while (Date.now() <= occurredAt) await new Promise((r) => setTimeout(r, 5));
    return expectJson<{ id: string; status: string }>(officer.fetch(`/api/clients/${client}/violations`, { method: 'POST', body: JSON.stringify({ obligation, occurredAt, description: 'Left Bishkek for Kant without permission' }) }), 201);
  };
  const proposals = async (client: string) => (await expectJson<{ items: Proposal[]; decidable: string[] }>(officer.fetch(`/api/clients/${client}/proposals`)));
  const decide = async (client: string, body: Record<string, unknown>) => {
    const res = await officer.fetch(`/api/clients/${client}/decisions`, { method: 'POST', body: JSON.stringify(body) });
    if (res.status === 201) lastDecisionAt = ((await res.clone().json()) as Decision).decidedAt;
    return res;
  };

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [] });
    officer = await signedInUser(p.pool, p.dashboardUrl, 'ld-officer', 'officer', BISHKEK);
    await signedInUser(p.pool, p.dashboardUrl, 'ld-head', 'supervisor', BISHKEK);
    probation = await open('probation_supervision');
    restriction = await open('restriction_of_freedom');
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('PEC KR art. 168(1): no violations, no ladder proposal; a first violation proposes a written warning', async () => {
    expect((await proposals(probation)).items).toEqual([]);
    const v = await violate(probation);
    expect(v.status).toBe('pending');
    const { items } = await proposals(probation);
    expect(items).toEqual([expect.objectContaining({ kind: 'written_warning', articles: ['PEC KR art. 168(1)'], violationIds: [v.id] })]);
  });

  it('PEC KR arts. 64, 160^4, 168: a kind the regime does not have is refused with a stable code; an unproposed one needs a written reason', async () => {
    // 160^4(3) is a deferred sentence's; probation supervision does not have it.
    const res = await decide(probation, { kind: 'court_submission_deferral_end', accept: true, reason: 'Not a deferred sentence at all' });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'EM_NOT_PROPOSED' });
    // Not proposed (a warning is): the reason must be written out.
    const short = await decide(probation, { kind: 'court_submission_revoke', accept: false, reason: 'Too harsh' });
    expect(short.status).toBe(400);
    expect(((await short.json()) as { message: string }).message).toMatch(/body\/reason must be at least 10 characters/);
    const bad = await decide(probation, { kind: 'written_warning', accept: true, reason: 'x' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/body\/reason/);
  });

  it('PEC KR art. 168(1): the officer issues the warning: a document, the violation decided, the decision audited', async () => {
    const d = await expectJson<Decision>(decide(probation, { kind: 'written_warning', accept: true, reason: 'First violation, talked to the client' }), 201);
    expect(d).toMatchObject({ kind: 'written_warning', accepted: true, proposed: true, articles: ['PEC KR art. 168(1)'] });
    expect(d.document?.number).toMatch(/^ПП-\d{4}-\d{6}$/);
    expect((await proposals(probation)).items).toEqual([]);
    const violations = await expectJson<{ items: { status: string }[] }>(officer.fetch(`/api/violations?clientId=${probation}`));
    expect(violations.items.map((v) => v.status)).toEqual(['decided']);
  });

  it('PEC KR art. 168(2): a repeat within a year of the warning proposes a submission to add duties; the officer may choose a milder response', async () => {
    const v = await violate(probation);
    const { items, decidable } = await proposals(probation);
    expect(items[0]).toMatchObject({ kind: 'court_submission_add_duties', articles: ['PEC KR art. 168(2)'], violationIds: [v.id] });
    // The officer decides among every response the regime has, proposed or not (PEC KR arts. 166(3), 166(4), 168).
    expect(decidable.sort()).toEqual(['court_submission_add_duties', 'court_submission_change_duties', 'court_submission_early_termination', 'court_submission_revoke', 'written_warning']);
    const d = await expectJson<Decision>(decide(probation, { kind: 'court_submission_add_duties', accept: true, reason: 'Second exit in a month; ask for a curfew' }), 201);
    expect(d.document?.number).toMatch(/^ПС-/);
  });

  it('PEC KR art. 168(3): two district exits do not ground a revocation; two breaches of court-imposed duties do, with no warning for them; declining it is a decision too', async () => {
    const exit = await violate(probation);
    // A second district exit after the warning: 168(2) again, never 168(3).
    expect((await proposals(probation)).items[0]).toMatchObject({ kind: 'court_submission_add_duties', articles: ['PEC KR art. 168(2)'], violationIds: [exit.id] });
    const curfew1 = await violate(probation, 'court_imposed_duty');
    expect((await proposals(probation)).items[0]?.kind).toBe('court_submission_add_duties');
    const curfew2 = await violate(probation, 'court_imposed_duty');
    const { items } = await proposals(probation);
    expect(items[0]).toMatchObject({ kind: 'court_submission_revoke', articles: ['PEC KR art. 168(3)'], reason: { code: 'court_duties_breached', params: { count: 2 } } });
    expect([...items[0]!.violationIds].sort()).toEqual([exit.id, curfew1.id, curfew2.id].sort());
    const d = await expectJson<Decision>(decide(probation, { kind: 'court_submission_revoke', accept: false, reason: 'Client found work in Kant; reviewing the plan first' }), 201);
    expect(d).toMatchObject({ accepted: false, document: null });
    expect((await proposals(probation)).items).toEqual([]);
  });

  it('PEC KR art. 166(1)(6): not carrying identity documents is recorded with its article; under a deferred sentence (160^3(2)) it is refused naming the field', async () => {
    const v = await violate(probation, 'carry_identity_documents');
    const list = await expectJson<{ items: { id: string; articles: string[] }[] }>(officer.fetch(`/api/violations?clientId=${probation}`));
    expect(list.items.find((i) => i.id === v.id)?.articles).toEqual(['PEC KR art. 166(1)(6)']);
    await expectJson(officer.fetch(`/api/violations/${v.id}/valid-reason`, { method: 'POST', body: JSON.stringify({ validReason: 'Passport at the migration office, receipt shown' }) }));
    const deferred = (await expectJson<{ client: { id: string } }>(officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(BISHKEK, { regime: 'deferred_sentence' })) }), 201)).client.id;
    const refused = await officer.fetch(`/api/clients/${deferred}/violations`, { method: 'POST', body: JSON.stringify({ obligation: 'carry_identity_documents', occurredAt: Date.now() - 1000, description: 'No passport' }) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(/body\/obligation/);
  });

  it('PEC KR art. 168(1): a violation with a valid reason is recorded and never escalates', async () => {
    const v = await violate(probation);
    const excused = await expectJson<{ status: string; validReason: string }>(
      officer.fetch(`/api/violations/${v.id}/valid-reason`, { method: 'POST', body: JSON.stringify({ validReason: 'Took the child to hospital in Kant' }) }),
    );
    expect(excused).toMatchObject({ status: 'valid_reason', validReason: 'Took the child to hospital in Kant' });
    expect((await proposals(probation)).items).toEqual([]);
    const twice = await officer.fetch(`/api/violations/${v.id}/valid-reason`, { method: 'POST', body: JSON.stringify({ validReason: 'Again' }) });
    expect(twice.status).toBe(409);
  });

  it('PEC KR art. 64(3): under restriction of freedom a repeat after the warning proposes another warning and an evasion assessment; the officer may choose the submission', async () => {
    await violate(restriction);
    expect((await proposals(restriction)).items[0]).toMatchObject({ kind: 'written_warning', articles: ['PEC KR art. 64(2)'] });
    await expectJson(decide(restriction, { kind: 'written_warning', accept: true, reason: 'First violation' }), 201);
    const v = await violate(restriction);
    const { items, decidable } = await proposals(restriction);
    expect(items[0]).toMatchObject({ kind: 'written_warning', articles: ['PEC KR art. 64(2)'], violationIds: [v.id], reason: { code: 'repeat_assess_evasion' } });
    // No "add duties" step in art. 64; the 64(3) submission is the officer's to choose.
    expect(decidable.sort()).toEqual(['court_submission_revoke', 'written_warning']);
    const add = await decide(restriction, { kind: 'court_submission_add_duties', accept: true, reason: 'Not in art. 64 at all' });
    expect(add.status).toBe(409);
    await p.pool.query(`update clients set court_name = 'Первомайский районный суд г. Бишкек' where id = $1`, [restriction]);
    const d = await expectJson<Decision>(decide(restriction, { kind: 'court_submission_revoke', accept: true, reason: 'Evades: not living at the address, phone off for two weeks' }), 201);
    expect(d).toMatchObject({ kind: 'court_submission_revoke', proposed: false, articles: ['PEC KR art. 64(3)'], violationIds: [v.id] });
    const stored = await p.pool.query('select proposed from sanction_decisions where id = $1', [d.id]);
    expect(stored.rows).toEqual([{ proposed: false }]);
  });

  it('PEC KR art. 166(4): past half the term with good conduct, early termination is proposed; after the court refuses, not for 3 months', async () => {
    const today = bishkekDate(Date.now());
    const registeredOn = bishkekDate(Date.now() - 400 * 86_400_000);
    const client = (await expectJson<{ client: { id: string } }>(
      officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(BISHKEK, { effectiveDate: registeredOn, registeredOn, termMonths: 24 })) }),
      201,
    )).client.id;
    expect((await proposals(client)).items).toEqual([expect.objectContaining({ kind: 'court_submission_early_termination', articles: ['PEC KR art. 166(4)'] })]);
    const d = await expectJson<Decision>(decide(client, { kind: 'court_submission_early_termination', accept: true, reason: 'Works, studies, no violations' }), 201);
    expect(d.document?.number).toMatch(/^ПС-/);
    // Sent: not proposed again while the court has not ruled.
    expect((await proposals(client)).items).toEqual([]);
    const refusedOn = addMonths(today, -2);
    await expectJson(
      officer.fetch(`/api/clients/${client}/court-outcomes`, { method: 'POST', body: JSON.stringify({ kind: 'court_submission_early_termination', outcome: 'refused', decidedOn: refusedOn, decisionId: d.id }) }),
      201,
    );
    expect((await proposals(client)).items).toEqual([]);
    // Not proposed, and barred by law for 3 months: even the officer's choice is refused, naming the date.
    const noSubmission = await decide(client, { kind: 'court_submission_early_termination', accept: true, reason: 'Again, the client keeps working' });
    expect(noSubmission.status).toBe(409);
    // The first day after the 3-month term (term.ts: the term's last day is the same date 3 months on).
    expect(((await noSubmission.json()) as { message: string }).message).toContain(addDays(addMonths(refusedOn, 3), 1));
    // The same history 2 months earlier (submission 5 months ago, refusal 4): the wait is over.
    await p.pool.query(`update sanction_decisions set decided_at = decided_at - interval '5 months' where client_id = $1`, [client]);
    await p.pool.query(`update court_outcomes set decided_on = $2 where client_id = $1`, [client, addMonths(today, -4)]);
    expect((await proposals(client)).items.map((i) => i.kind)).toEqual(['court_submission_early_termination']);
  });

  it('every decision is in the audit log with who and why, and the chain verifies', async () => {
    const { rows } = await p.pool.query<{ actor: string; reason: string; details: { kind: string; accepted: boolean; documentId: string | null } }>(
      `select actor, reason, details from audit_log where action = 'decision.record' and subject_id = $1 order by seq`,
      [probation],
    );
    expect(rows.map((r) => [r.actor, r.details.kind, r.details.accepted, r.reason])).toEqual([
      ['ld-officer', 'written_warning', true, 'First violation, talked to the client'],
      ['ld-officer', 'court_submission_add_duties', true, 'Second exit in a month; ask for a curfew'],
      ['ld-officer', 'court_submission_revoke', false, 'Client found work in Kant; reviewing the plan first'],
    ]);
    expect(rows[0]!.details.documentId).toMatch(/^[0-9a-f-]{36}$/);
    const decisions = await p.pool.query<{ n: string }>('select count(*) as n from sanction_decisions where client_id = $1', [probation]);
    expect(Number(decisions.rows[0]!.n)).toBe(3);
    expect(await verifyAuditChain(p.pool)).toMatchObject({ ok: true });
  });

  it('PEC KR art. 166(4): a court submission needs the court on the case file: refused naming the field until the officer records it', async () => {
    const registeredOn = bishkekDate(Date.now() - 400 * 86_400_000);
    const client = (await expectJson<{ client: { id: string } }>(
      officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(BISHKEK, { effectiveDate: registeredOn, registeredOn, termMonths: 24, courtName: undefined })) }),
      201,
    )).client.id;
    const refused = await decide(client, { kind: 'court_submission_early_termination', accept: true, reason: 'Works, studies, no violations' });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'EM_CASE_INCOMPLETE', message: expect.stringMatching(/^client\/courtName/) });
    expect((await p.pool.query('select 1 from sanction_decisions where client_id = $1', [client])).rowCount).toBe(0);

    const empty = await officer.fetch(`/api/clients/${client}`, { method: 'PATCH', body: JSON.stringify({ reason: 'nothing' }) });
    expect(empty.status).toBe(400);
    const updated = await expectJson<{ client: { courtName: string } }>(
      officer.fetch(`/api/clients/${client}`, { method: 'PATCH', body: JSON.stringify({ courtName: 'Октябрьский районный суд г. Бишкек', reason: 'Court taken from the sentence' }) }),
    );
    expect(updated.client.courtName).toBe('Октябрьский районный суд г. Бишкек');
    const audit = await p.pool.query<{ reason: string; details: { fields: string[] } }>(`select reason, details from audit_log where action = 'client.update' and subject_id = $1`, [client]);
    // Each changed field with what it was and what it became.
    expect(audit.rows).toEqual([{ reason: 'Court taken from the sentence', details: { fields: ['courtName'], courtName: { from: null, to: 'Октябрьский районный суд г. Бишкек' } } }]);
    await expectJson(decide(client, { kind: 'court_submission_early_termination', accept: true, reason: 'Works, studies, no violations' }), 201);
  });
  it('art. 160^4(3): submission task before the child turns 14, through the API; PEC KR art. 160^4(2): abandoning the child proposes revoking the deferment', async () => {
    const today = bishkekDate(Date.now());
    // The child turns 14 in 30 days: inside the default 60-day lead time.
    const childBirthDate = addDays(addMonths(today, -14 * 12), 30);
    const client = (await expectJson<{ client: { id: string; childBirthDate: string | null } }>(
      officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(BISHKEK, { regime: 'deferred_sentence', childBirthDate })) }),
      201,
    )).client;
    expect(client.childBirthDate).toBe(childBirthDate);
    const { items } = await proposals(client.id);
    expect(items).toEqual([expect.objectContaining({ kind: 'court_submission_deferral_end', articles: ['PEC KR art. 160^4(3)'], reason: { code: 'child_turns_14', params: expect.objectContaining({ dueOn: addDays(today, 30) }) } })]);
    const v = await violate(client.id, 'child_abandoned');
    expect((await proposals(client.id)).items[0]).toMatchObject({ kind: 'court_submission_revoke', articles: ['PEC KR art. 160^4(2)'], violationIds: [v.id], reason: { code: 'child_ground' } });
    // Not a ground of probation supervision: refused naming the field.
    const refused = await officer.fetch(`/api/clients/${probation}/violations`, { method: 'POST', body: JSON.stringify({ obligation: 'child_abandoned', occurredAt: Date.now() - 1000, description: 'x'.repeat(10) }) });
    expect(refused.status).toBe(400);
    const childOnProbation = await officer.fetch(`/api/clients/${probation}`, { method: 'PATCH', body: JSON.stringify({ childBirthDate: '2020-01-01', reason: 'wrong case' }) });
    expect(childOnProbation.status).toBe(400);
    expect(((await childOnProbation.json()) as { message: string }).message).toMatch(/^body\/childBirthDate/);
  });
});
