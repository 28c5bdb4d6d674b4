import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDashboard, signInUi } from '../support/browser.ts';
import { createUser, registerClient, signIn, TEST_PASSWORD } from '../support/fixtures.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

// Leilek district: no other test places clients there, so this officer sees only this case.
const LEILEK = 'KG05236000000';
const NAME = 'Токтогулов Эрлан Маратович';

// Issue 8, PEC KR art. 168(3): a failure to appear without a valid reason is a ground for a court
// submission; the officer records the decision in the UI and downloads the generated document.
describe('web UI: an officer decides on a court submission and downloads it', () => {
  let p: TestPlatform;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let client: string;
  let violationId: string;

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [] });
    client = await registerClient(p.pool, 'UI-DOC-TAG', { unitId: LEILEK, name: NAME });
    // A submission is addressed to the court that passed the sentence.
    await p.pool.query(`update clients set court_name = 'Баткенский районный суд' where id = $1`, [client]);
    await createUser(p.pool, 'ui-officer-leilek', 'officer', LEILEK);
    const officer = await signIn(p.dashboardUrl, 'ui-officer-leilek');
    const res = await officer.fetch(`/api/clients/${client}/violations`, {
      method: 'POST',
      // Not reporting within the statutory term goes straight to the court (PEC KR art. 168(3)); a
      // missed fortnightly appearance (appear_when_summoned) would be a warning first.
      body: JSON.stringify({ obligation: 'arrive_within_term', occurredAt: Date.now() - 3 * 86_400_000, description: 'Не явился в орган пробации в установленный срок' }),
    });
    expect(res.status).toBe(201);
    violationId = ((await res.json()) as { id: string }).id;
    ({ browser, page, errors } = await openDashboard(p.dashboardUrl));
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  it('the violation is listed and the platform proposes a court submission with its articles', async () => {
    await signInUi(page, 'ui-officer-leilek', TEST_PASSWORD);
    await page.locator('nav a[href="#/violations"]').click();
    const row = page.locator(`tr[data-violation-id="${violationId}"]`);
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain(NAME);
    await row.getByRole('button').click();
    const card = page.locator('article[data-proposal-kind="court_submission_revoke"]');
    await card.waitFor();
    expect(await card.textContent()).toMatch(/PEC KR art\. 168/);
  });

  it('recording the decision issues the submission, downloadable as DOCX and PDF naming the client', async () => {
    const card = page.locator('article[data-proposal-kind="court_submission_revoke"]');
    await card.locator('textarea[name=reason]').fill('Неявка без уважительной причины подтверждена рапортом');
    await card.locator('button[type=submit]').click();
    const docxLink = card.getByRole('link', { name: 'Скачать DOCX' });
    await docxLink.waitFor();

    const [docx] = await Promise.all([page.waitForEvent('download'), docxLink.click()]);
    expect(docx.suggestedFilename()).toMatch(/\.docx$/);
    const zip = await JSZip.loadAsync(await readFile((await docx.path())!));
    const xml = await zip.file('word/document.xml')!.async('string');
    // Runs may split the name; the text content joined across runs must contain it.
    expect(xml.replace(/<[^>]+>/g, '')).toContain(NAME);

    const [pdf] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'Скачать PDF' }).click()]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    const bytes = await readFile((await pdf.path())!);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const { rows } = await p.pool.query<{ kind: string; accepted: boolean; document_id: string | null }>('select kind, accepted, document_id from sanction_decisions where client_id = $1', [client]);
    expect(rows).toEqual([{ kind: 'court_submission_revoke', accepted: true, document_id: expect.any(String) }]);
    const audit = await p.pool.query(`select 1 from audit_log where actor = 'ui-officer-leilek' and subject_id = $1 and action = 'decision.record'`, [client]);
    expect(audit.rows).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
