import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVIDENCE_LIMIT } from '../../dashboard/cases/sanction-document.ts';
import { addDays, bishkekDate } from '../../infra/domain/term.ts';
import { BISHKEK, expectJson, newCaseBody, signedInUser, type Session } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

interface Decision {
  id: string;
  kind: string;
  proposed: boolean;
  articles: string[];
  document: { id: string; number: string; evidenceSha256: string } | null;
}

// Decisions the platform did not propose, the court's rulings on them, and the evidence a
// document is built from (PEC KR arts. 160^4, 168; issue #7).
describe('submissions: the officer decides, the court rules once, the evidence is whole', () => {
  let p: TestPlatform;
  let officer: Session & { id: string };
  const today = bishkekDate(Date.now());

  const open = async (over: Record<string, unknown>) =>
    (await expectJson<{ client: { id: string } }>(officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(BISHKEK, over)) }), 201)).client.id;
  const decide = (client: string, body: Record<string, unknown>) => officer.fetch(`/api/clients/${client}/decisions`, { method: 'POST', body: JSON.stringify(body) });
  const violate = (client: string, occurredAt: number) =>
    expectJson<{ id: string }>(officer.fetch(`/api/clients/${client}/violations`, { method: 'POST', body: JSON.stringify({ obligation: 'stay_in_residence_unit', occurredAt, description: 'Left Bishkek for Kant' }) }), 201);

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [] });
    officer = await signedInUser(p.pool, p.dashboardUrl, 'sub-officer', 'officer', BISHKEK);
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('PEC KR art. 160^4(3): the officer submits the end of a deferral (child turned 14); the court rules once, a double submit is a 409', async () => {
    const client = await open({ regime: 'deferred_sentence', effectiveDate: addDays(today, -400), registeredOn: addDays(today, -395), termMonths: 36 });
    const { decidable, items } = await expectJson<{ decidable: string[]; items: unknown[] }>(officer.fetch(`/api/clients/${client}/proposals`));
    expect(items).toEqual([]);
    expect(decidable).toContain('court_submission_deferral_end');
    const d = await expectJson<Decision>(decide(client, { kind: 'court_submission_deferral_end', accept: true, reason: 'The child turned 14 on the 3rd (birth certificate)' }), 201);
    expect(d).toMatchObject({ kind: 'court_submission_deferral_end', proposed: false, articles: ['PEC KR art. 160^4(3)'] });
    expect(d.document?.number).toMatch(new RegExp(`^ПС-${today.slice(0, 4)}-\\d{6}$`));
    const stored = await p.pool.query<{ kind: string; title: string }>(`select kind, input ->> 'kind' as title from documents where id = $1`, [d.document!.id]);
    expect(stored.rows).toEqual([{ kind: 'court_submission_deferral_end', title: 'court_submission_deferral_end' }]);

    const outcome = { kind: 'court_submission_deferral_end', outcome: 'granted', decidedOn: today, decisionId: d.id };
    await expectJson(officer.fetch(`/api/clients/${client}/court-outcomes`, { method: 'POST', body: JSON.stringify(outcome) }), 201);
    const again = await officer.fetch(`/api/clients/${client}/court-outcomes`, { method: 'POST', body: JSON.stringify(outcome) });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { message: string }).message).toMatch(/body\/decisionId/);
    // Two at once: the unique index lets exactly one through.
    const d2 = await expectJson<Decision>(decide(client, { kind: 'court_submission_revoke', accept: true, reason: 'Refuses to care for the child (act of the guardianship body)' }), 201);
    const both = await Promise.all([0, 1].map(() => officer.fetch(`/api/clients/${client}/court-outcomes`, { method: 'POST', body: JSON.stringify({ ...outcome, kind: 'court_submission_revoke', decisionId: d2.id }) })));
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('PEC KR art. 168(1): building a document reads the track: a track.read audit entry with the decision, in the same transaction', async () => {
    const client = await open({});
    // Fixes are stored for the client whose tag it is (track reads go by the client's tags).
    await p.pool.query(`insert into devices (id, client_id, status) values ('SUB-TAG', $1, 'assigned')`, [client]);
    await p.pool.query(
      `insert into positions (device_id, device_time, seq, client_id, lon, lat, accuracy_m, source) values ('SUB-TAG', now() - interval '30 minutes', 1, $1, 74.6, 42.87, 8, 'gps')`,
      [client],
    );
    await violate(client, Date.now() - 30 * 60_000);
    const d = await expectJson<Decision>(decide(client, { kind: 'written_warning', accept: true, reason: 'First exit, warned in person' }), 201);
    const audit = await p.pool.query<{ reason: string; details: { decisionId: string; fixes: number } }>(
      `select reason, details from audit_log where action = 'track.read' and subject_id = $1`,
      [client],
    );
    expect(audit.rows).toEqual([{ reason: 'First exit, warned in person', details: expect.objectContaining({ decisionId: d.id, fixes: 1 }) }]);
  });

  it('PEC KR art. 168(1): evidence over the limit is refused as incomplete, naming the period, and nothing is stored', async () => {
    const client = await open({});
    const at = Date.now() - 60 * 60_000;
    // One more fix than a document may hold, all within the hour around the violation.
    await p.pool.query(`insert into devices (id, client_id, status) values ('SUB-BIG', $1, 'assigned')`, [client]);
    await p.pool.query(
      `insert into positions (device_id, device_time, seq, client_id, lon, lat, accuracy_m, source)
       select 'SUB-BIG', to_timestamp($2 / 1000.0) + (g * interval '10 milliseconds'), g, $1, 74.6, 42.87, 8, 'gps' from generate_series(1, $3::int) g`,
      [client, at - 20 * 60_000, EVIDENCE_LIMIT + 1],
    );
    await violate(client, at);
    const res = await decide(client, { kind: 'written_warning', accept: true, reason: 'First exit, warned in person' });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'EM_CASE_INCOMPLETE', message: expect.stringMatching(/^evidence: more than 200000 fixes or events from \d{4}-/) });
    expect((await p.pool.query('select 1 from sanction_decisions where client_id = $1', [client])).rowCount).toBe(0);
    expect((await p.pool.query(`select 1 from audit_log where action = 'track.read' and subject_id = $1`, [client])).rowCount).toBe(0);
  });

  it('PEC KR art. 168(1): recording a valid reason waits for a decision in progress on the same client (the client row is locked first)', async () => {
    const client = await open({});
    const v = await violate(client, Date.now() - 60_000);
    const held = await p.pool.connect();
    try {
      await held.query('begin');
      await held.query('select 1 from clients where id = $1 for update', [client]);
      const pending = officer.fetch(`/api/violations/${v.id}/valid-reason`, { method: 'POST', body: JSON.stringify({ validReason: 'In hospital (certificate)' }) });
      // The request waits on the client's row lock, as a decision would.
      // (Before the fix it locked only the violation and never waited: this loop then runs until the test's own timeout.)
      const waiting = async () => (await p.pool.query(
        `select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like 'select 1 from clients where id = $1 for update%' and pid <> pg_backend_pid()`,
      )).rowCount === 1;
      while (!(await waiting())) await new Promise((r) => setTimeout(r, 20));
      await held.query('commit');
      expect((await pending).status).toBe(200);
    } finally {
      held.release();
    }
  });
});
