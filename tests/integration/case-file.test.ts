import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../infra/audit/audit-log.ts';
import { bishkekDate } from '../../infra/domain/term.ts';
import { BISHKEK, expectJson, newCaseBody, signedInUser, type Session } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

interface CaseFile {
  client: { id: string; officer: { id: string; name: string } | null };
  term: { termStart: string | null; termEnd: string | null; arrivalDeadline: string; halfwayOn: string | null; articles: string[] };
  obligations: { obligation: string; articles: string[] }[];
  checkIns: { id: string; dueAt: string; status: string; violationId: string | null }[];
  deviceAssignments: { deviceId: string; fittedAt: number; fittedBy: { name: string } | null; removedAt: number | null; removedBy: { name: string } | null; reason: string }[];
  device: { id: string } | null;
  plan: { plan: string; assistanceRefused: boolean } | null;
  referrals: { agency: string; purpose: string }[];
}

// The case file (issue 7): opened through the API with the term computed by law, the check-in
// calendar, the tag's evidence chain, appearances, and audited reads of the file and the track.
describe('case file: term by law, check-ins, evidence chain, audited reads', () => {
  let p: TestPlatform;
  let officer: Session & { id: string };
  let file: CaseFile;

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [] });
    officer = await signedInUser(p.pool, p.dashboardUrl, 'cf-officer', 'officer', BISHKEK);
    file = await expectJson<CaseFile>(officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(BISHKEK, { plan: 'Трудоустройство, курс по профилактике' })) }), 201);
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('PEC KR art. 166(1)(1): probation supervision counts from the appearance; arrival 10 days after the sentence took effect', () => {
    expect(file.term).toMatchObject({ termStart: '2026-01-26', termEnd: '2028-01-26', arrivalDeadline: '2026-01-30', articles: ['PEC KR art. 166(1)(1)'] });
    expect(file.client.officer).toEqual({ id: officer.id, name: 'cf-officer' });
    expect(file.obligations.find((o) => o.obligation === 'appear_when_summoned')?.articles).toEqual(['PEC KR art. 166(1)(7)']);
    expect(file.plan?.plan).toMatch(/Трудоустройство/);
  });

  it('PEC KR art. 166(1)(7): the check-in calendar has two appearances a month from today to the end of the term, none on a weekend', () => {
    const today = bishkekDate(Date.now());
    const dates = file.checkIns.map((c) => c.dueAt);
    expect(dates.length).toBeGreaterThan(0);
    expect(dates.every((d) => d >= today && d < '2028-01-26')).toBe(true);
    const months = new Map<string, number>();
    for (const d of dates) months.set(d.slice(0, 7), (months.get(d.slice(0, 7)) ?? 0) + 1);
    // Every month strictly between the first and the last has exactly two.
    const inner = [...months.entries()].slice(1, -1);
    expect(inner.length).toBeGreaterThan(5);
    for (const [, n] of inner) expect(n).toBe(2);
    for (const d of dates) expect([0, 6]).not.toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
    expect(file.checkIns.every((c) => c.status === 'scheduled')).toBe(true);
  });

  it('PEC KR art. 165(2), 165(6): the plan is updated, a refusal of assistance needs its act; referrals go to the bodies of resolution 442', async () => {
    const id = file.client.id;
    const noAct = await officer.fetch(`/api/clients/${id}/plan`, { method: 'PUT', body: JSON.stringify({ plan: 'Только регистрация', assistanceRefused: true }) });
    expect(noAct.status).toBe(400);
    expect(((await noAct.json()) as { message: string }).message).toMatch(/body\/refusalAct/);
    await expectJson(officer.fetch(`/api/clients/${id}/plan`, { method: 'PUT', body: JSON.stringify({ plan: 'Только регистрация', assistanceRefused: true, refusalAct: 'Акт от 01.02.2026' }) }));
    await expectJson(officer.fetch(`/api/clients/${id}/referrals`, { method: 'POST', body: JSON.stringify({ agency: 'labour_social_protection', purpose: 'Поиск работы' }) }), 201);
    const updated = await expectJson<CaseFile>(officer.fetch(`/api/clients/${id}`));
    expect(updated.plan).toMatchObject({ plan: 'Только регистрация', assistanceRefused: true });
    expect(updated.referrals).toEqual([expect.objectContaining({ agency: 'labour_social_protection', purpose: 'Поиск работы' })]);
  });

  it('PEC KR art. 62: restriction of freedom opened before registration has no term start and no calendar yet', async () => {
    const rof = await expectJson<CaseFile>(
      officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(BISHKEK, { regime: 'restriction_of_freedom', registeredOn: undefined })) }),
      201,
    );
    expect(rof.term).toMatchObject({ termStart: null, termEnd: null, arrivalDeadline: '2026-01-30' });
    expect(rof.checkIns).toEqual([]);
  });

  it('refuses a bad case with a message naming the field', async () => {
    const bad = await officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody('KG99999999999')) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'EM_VALIDATION', message: expect.stringContaining('body/residenceUnitId') });
    const noTerm = await officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(BISHKEK, { termMonths: 0 })) });
    expect(((await noTerm.json()) as { message: string }).message).toMatch(/termMonths/);
    const other = await officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(BISHKEK, { districtId: 'KG21000000000' })) });
    expect(((await other.json()) as { message: string }).message).toMatch(/body\/districtId/);
  });

  it('fits and removes a tag: the evidence chain records who and when', async () => {
    const id = file.client.id;
    await p.pool.query(`insert into devices (id, status) values ('CF-TAG-1', 'in_stock')`);
    const fittedAt = Date.now() - 60_000;
    await expectJson(officer.fetch(`/api/clients/${id}/device-assignments`, { method: 'POST', body: JSON.stringify({ action: 'fit', deviceId: 'CF-TAG-1', reason: 'Fitted at intake', at: fittedAt }) }));
    const again = await officer.fetch(`/api/clients/${id}/device-assignments`, { method: 'POST', body: JSON.stringify({ action: 'fit', deviceId: 'CF-TAG-1', reason: 'Twice' }) });
    expect(again.status).toBe(409);
    const fitted = await expectJson<CaseFile>(officer.fetch(`/api/clients/${id}`));
    expect(fitted.device?.id).toBe('CF-TAG-1');
    expect(fitted.deviceAssignments).toEqual([expect.objectContaining({ deviceId: 'CF-TAG-1', fittedAt, fittedBy: expect.objectContaining({ name: 'cf-officer' }), removedAt: null })]);
    await expectJson(officer.fetch(`/api/clients/${id}/device-assignments`, { method: 'POST', body: JSON.stringify({ action: 'remove', deviceId: 'CF-TAG-1', reason: 'Battery swelling', deviceStatus: 'faulty' }) }));
    const removed = await expectJson<CaseFile>(officer.fetch(`/api/clients/${id}`));
    expect(removed.device).toBeNull();
    expect(removed.deviceAssignments[0]).toMatchObject({ removedBy: { name: 'cf-officer' } });
    expect(removed.deviceAssignments[0]!.removedAt).toBeGreaterThanOrEqual(fittedAt);
    const dev = await p.pool.query<{ status: string; client_id: string | null }>(`select status, client_id from devices where id = 'CF-TAG-1'`);
    expect(dev.rows[0]).toEqual({ status: 'faulty', client_id: null });
    const audit = await p.pool.query<{ action: string; reason: string }>(`select action, reason from audit_log where subject_id = $1 and action like 'device.%' order by seq`, [id]);
    expect(audit.rows).toEqual([{ action: 'device.fit', reason: 'Fitted at intake' }, { action: 'device.remove', reason: 'Battery swelling' }]);
  });

  it('PEC KR art. 168(1): a missed fortnightly appearance without a valid reason is a violation, and the platform proposes a written warning first', async () => {
    const id = file.client.id;
    const future = file.checkIns[file.checkIns.length - 1]!;
    const early = await officer.fetch(`/api/clients/${id}/check-ins/${future.id}/attendance`, { method: 'POST', body: JSON.stringify({ status: 'missed' }) });
    expect(early.status).toBe(409);
    const past = await p.pool.query<{ id: string }>(`insert into check_ins (client_id, due_at) values ($1, current_date - 3) returning id`, [id]);
    const rec = await expectJson<{ violationId: string }>(
      officer.fetch(`/api/clients/${id}/check-ins/${past.rows[0]!.id}/attendance`, { method: 'POST', body: JSON.stringify({ status: 'missed' }) }),
    );
    const twice = await officer.fetch(`/api/clients/${id}/check-ins/${past.rows[0]!.id}/attendance`, { method: 'POST', body: JSON.stringify({ status: 'attended' }) });
    expect(twice.status).toBe(409);
    const v = await p.pool.query<{ obligation: string; valid_reason: string | null }>('select obligation, valid_reason from violations where id = $1', [rec.violationId]);
    expect(v.rows[0]).toEqual({ obligation: 'appear_when_summoned', valid_reason: null });
    const proposals = await expectJson<{ items: { kind: string; articles: string[] }[] }>(officer.fetch(`/api/clients/${id}/proposals`));
    // Not the "неявка в установленный срок" of 168(3) (that is arrive_within_term): a warning under 168(1).
    expect(proposals.items[0]).toMatchObject({ kind: 'written_warning', articles: ['PEC KR art. 168(1)'] });
  });

  it('PEC KR art. 166(1)(7): an appearance cannot be recorded as missed on its own due day (the office is open until closing)', async () => {
    const id = file.client.id;
    const today = bishkekDate(Date.now());
    const due = await p.pool.query<{ id: string }>(
      `insert into check_ins (client_id, due_at) values ($1, $2::date) on conflict (client_id, due_at) do update set due_at = excluded.due_at returning id`,
      [id, today],
    );
    const res = await officer.fetch(`/api/clients/${id}/check-ins/${due.rows[0]!.id}/attendance`, { method: 'POST', body: JSON.stringify({ status: 'missed' }) });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { message: string }).message).toContain(`due on ${today}`);
    // Attending on the day is fine.
    await expectJson(officer.fetch(`/api/clients/${id}/check-ins/${due.rows[0]!.id}/attendance`, { method: 'POST', body: JSON.stringify({ status: 'attended' }) }));
  });

  it('PEC KR art. 168(1): a missed appearance with a valid reason is recorded and proposes nothing', async () => {
    const other = await expectJson<CaseFile>(officer.fetch('/api/clients', { method: 'POST', body: JSON.stringify(newCaseBody(BISHKEK)) }), 201);
    const past = await p.pool.query<{ id: string }>(`insert into check_ins (client_id, due_at) values ($1, current_date - 3) returning id`, [other.client.id]);
    const rec = await expectJson<{ violationId: string }>(
      officer.fetch(`/api/clients/${other.client.id}/check-ins/${past.rows[0]!.id}/attendance`, { method: 'POST', body: JSON.stringify({ status: 'missed', validReason: 'In hospital (certificate)' }) }),
    );
    expect(rec.violationId).toMatch(/^[0-9a-f-]{36}$/);
    const proposals = await expectJson<{ items: unknown[] }>(officer.fetch(`/api/clients/${other.client.id}/proposals`));
    expect(proposals.items).toEqual([]);
  });

  it('the track needs a reason, and every read of it and of the case file is audited', async () => {
    const id = file.client.id;
    const t0 = Date.now() - 3_600_000;
    await p.pool.query(
      `insert into positions (device_id, device_time, seq, client_id, lon, lat, accuracy_m, source)
       values ('CF-TAG-1', to_timestamp($2 / 1000.0), 1, $1, 74.6, 42.87, 8, 'gps'), ('CF-TAG-1', to_timestamp($2 / 1000.0 + 60), 2, $1, 74.61, 42.871, 9, 'gps')`,
      [id, t0],
    );
    const noReason = await officer.fetch(`/api/clients/${id}/track?from=${t0 - 1000}&to=${t0 + 120_000}`);
    expect(noReason.status).toBe(400);
    expect(((await noReason.json()) as { message: string }).message).toMatch(/reason/);
    const track = await expectJson<{ fixes: { seq: number; lon: number }[] }>(officer.fetch(`/api/clients/${id}/track?from=${t0 - 1000}&to=${t0 + 120_000}&reason=${encodeURIComponent('Checking the alert of today')}`));
    expect(track.fixes.map((f) => f.seq)).toEqual([1, 2]);
    const audit = await p.pool.query<{ action: string; actor: string; reason: string | null }>(
      `select action, actor, reason from audit_log where subject_type = 'client' and subject_id = $1 and action in ('client.read', 'track.read') order by seq`,
      [id],
    );
    expect(audit.rows.filter((r) => r.action === 'client.read').length).toBeGreaterThanOrEqual(2);
    expect(audit.rows[audit.rows.length - 1]).toEqual({ action: 'track.read', actor: 'cf-officer', reason: 'Checking the alert of today' });
    expect(await verifyAuditChain(p.pool)).toMatchObject({ ok: true });
  });
});
