import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceSha256, type SanctionDocumentInput } from '../../dashboard/documents/index.ts';
import { BISHKEK, expectJson, registerClient, signedInUser, type Session } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const TAG = 'DOC-TAG';
const MIN = 60_000;

/** The visible text of a DOCX: the runs of word/document.xml, in order. */
async function docxText(buf: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buf);
  const xml = await zip.file('word/document.xml')!.async('string');
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

// Issue 7 "Documents": an accepted sanction issues a DOCX and a PDF whose evidence (the track and
// the device events of the violation) is hashed, so that a court can verify it.
describe('documents: a court submission generated from the case, parsed back and verified', () => {
  let p: TestPlatform;
  let officer: Session & { id: string };
  let client: string;
  let doc: { id: string; number: string; evidenceSha256: string };
  const violationAt = Date.now() - 30 * MIN;

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [] });
    client = await registerClient(p.pool, TAG, { name: 'Асанов Бакыт Темирович' });
    await p.pool.query(`update clients set court_name = 'Свердловский районный суд г. Бишкек', birth_date = '1991-04-12' where id = $1`, [client]);
    officer = await signedInUser(p.pool, p.dashboardUrl, 'doc-officer', 'officer', BISHKEK);
    // Five fixes and two device events in the violation's hour, one fix well outside it.
    for (let i = 0; i < 5; i++) {
      await p.pool.query(
        `insert into positions (device_id, device_time, seq, client_id, lon, lat, accuracy_m, source) values ($1, to_timestamp($2 / 1000.0), $3, $4, $5, 42.95, 12, 'gps')`,
        [TAG, violationAt + (i - 2) * 5 * MIN, i + 1, client, 74.5 + i * 0.01],
      );
    }
    await p.pool.query(
      `insert into positions (device_id, device_time, seq, client_id, lon, lat, accuracy_m, source) values ($1, to_timestamp($2 / 1000.0), 99, $3, 74.6, 42.87, 8, 'gps')`,
      [TAG, violationAt - 5 * 60 * MIN, client],
    );
    await p.pool.query(
      `insert into device_events (device_id, device_time, seq, type, data) values ($1, to_timestamp($2 / 1000.0), 1, 'strap_opened', '{}'), ($1, to_timestamp($3 / 1000.0), 2, 'strap_closed', '{}')`,
      [TAG, violationAt - MIN, violationAt + 2 * MIN],
    );
    // A warning first, so that the next violation is a repeat (PEC KR art. 168(2)).
    await expectJson(officer.fetch(`/api/clients/${client}/violations`, { method: 'POST', body: JSON.stringify({ obligation: 'court_imposed_duty', occurredAt: violationAt - 10 * 24 * 60 * MIN, description: 'Away during curfew' }) }), 201);
    await p.pool.query(
      `insert into sanction_decisions (client_id, kind, accepted, proposed, reason, articles, violation_ids, decided_by, decided_at)
       select $1, 'written_warning', true, true, 'First curfew breach', '{PEC KR art. 168(1)}', array_agg(id), $2, to_timestamp($3 / 1000.0) from violations where client_id = $1`,
      [client, officer.id, violationAt - 9 * 24 * 60 * MIN],
    );
    await expectJson(officer.fetch(`/api/clients/${client}/violations`, { method: 'POST', body: JSON.stringify({ obligation: 'stay_in_residence_unit', occurredAt: violationAt, description: 'Left Bishkek for Kant' }) }), 201);
    const decision = await expectJson<{ document: typeof doc }>(
      officer.fetch(`/api/clients/${client}/decisions`, { method: 'POST', body: JSON.stringify({ kind: 'court_submission_add_duties', accept: true, reason: 'Repeat within a year of the warning' }) }),
      201,
    );
    doc = decision.document!;
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('stores the document with the evidence of the violation period and its SHA-256', async () => {
    const meta = await expectJson<{ number: string; kind: string; evidenceSha256: string; clientId: string; docxBytes: number; pdfBytes: number }>(officer.fetch(`/api/documents/${doc.id}`));
    expect(meta).toMatchObject({ number: doc.number, kind: 'court_submission_add_duties', evidenceSha256: doc.evidenceSha256, clientId: client });
    expect(meta.evidenceSha256).toMatch(/^[0-9a-f]{64}$/);
    const { rows } = await p.pool.query<{ input: SanctionDocumentInput }>('select input from documents where id = $1', [doc.id]);
    const input = rows[0]!.input;
    // The hour around the violation: the five fixes and both strap events, not the fix five hours earlier.
    expect(input.evidence.fixes).toHaveLength(5);
    expect(input.evidence.events.map((e) => e.type)).toEqual(['strap_opened', 'strap_closed']);
    expect(evidenceSha256(input.evidence)).toBe(meta.evidenceSha256);
    expect(input.legalBasis).toEqual(['PEC KR art. 168(2)']);
    expect(input.warnings).toHaveLength(0); // the warning above was inserted without a document
    expect(input.violations).toHaveLength(2);
    // Any change to the evidence changes the hash.
    const tampered = { ...input.evidence, fixes: input.evidence.fixes.map((f, i) => (i === 0 ? { ...f, lat: f.lat + 0.001 } : f)) };
    expect(evidenceSha256(tampered)).not.toBe(meta.evidenceSha256);
  });

  it('the DOCX parses back with the client, the articles, the document number and the evidence hash', async () => {
    const res = await officer.fetch(`/api/documents/${doc.id}/file.docx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/wordprocessingml/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    const text = await docxText(Buffer.from(await res.arrayBuffer()));
    expect(text).toContain('Асанов Бакыт Темирович');
    expect(text).toContain(doc.number);
    expect(text).toContain(doc.evidenceSha256);
    expect(text).toMatch(/168/);
    expect(text).toContain('Свердловский районный суд');
    // The facts of the ground's elements (issue 17): the warning's date and the repeat within its year.
    const { rows } = await p.pool.query<{ d: string }>(`select to_char(decided_at at time zone 'Asia/Bishkek', 'YYYY-MM-DD') as d from sanction_decisions where client_id = $1 and kind = 'written_warning'`, [client]);
    expect(text).toContain('Установлено:');
    expect(text).toContain(`Письменное предупреждение вынесено ${rows[0]!.d}.`);
    expect(text).toContain('в течение года со дня его вынесения');
  });

  it('the PDF is a PDF, and both downloads are audited as document reads', async () => {
    const res = await officer.fetch(`/api/documents/${doc.id}/file.pdf`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const audit = await p.pool.query<{ details: { documentId: string; format: string } }>(
      `select details from audit_log where action = 'document.read' and subject_id = $1 order by seq`,
      [client],
    );
    expect(audit.rows.map((r) => r.details.format)).toEqual(['docx', 'pdf']);
  });

  it('the evidence export is the exact file the hash covers: its SHA-256 is the document\'s', async () => {
    const res = await officer.fetch(`/api/documents/${doc.id}/evidence.tsv`);
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    expect(createHash('sha256').update(body).digest('hex')).toBe(doc.evidenceSha256);
    expect(body.toString('utf8').split('\n')[0]).toBe('kgz-em-evidence/1');
  });
});
