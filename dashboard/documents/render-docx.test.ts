import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { evidenceSha256, renderSanctionDocx, type SanctionDocumentInput } from './index.ts';
import { docxParts, docxText } from './testing/read-back.ts';
import { CLIENT_NAME, FIX_COUNT, sampleInput } from './testing/sample-input.ts';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/**
 * The evidence hash recomputed from the documented form (docs/documents.md), written out here
 * line by line rather than calling the module under test.
 */
function recomputeEvidenceHash(e: SanctionDocumentInput['evidence']): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  const fixes = e.fixes.map((f) => `fix\t${iso(f.at)}\t${f.lat.toFixed(6)}\t${f.lon.toFixed(6)}\t${f.accuracyM.toFixed(1)}\t${f.source}`).sort();
  const events = e.events.map((x) => `event\t${iso(x.at)}\t${x.type}\t${x.detail}`).sort();
  return sha256(['kgz-em-evidence/1', `period\t${iso(e.from)}\t${iso(e.to)}`, ...fixes, ...events].map((l) => `${l}\n`).join(''));
}

const printedHash = (text: string) => /SHA-256: ([0-9a-f]{64})/.exec(text)?.[1];

afterEach(() => {
  vi.useRealTimers();
});

describe('the court submission as DOCX (PEC KR art. 168(2): submission to add duties)', () => {
  it('parses back with the client, regime, breaches, history, legal basis, evidence hash and signatures', async () => {
    const input = sampleInput();
    const text = await docxText(await renderSanctionDocx(input));

    expect(text).toContain('Представление в суд о дополнении ранее установленных обязанностей');
    expect(text).toContain('В Первомайский районный суд г. Бишкек');
    expect(text).toContain('Исх. № ЭН-2026-000123 от «20» января 2026 г.');
    // Client details and the regime by its Russian name.
    expect(text).toContain(`Клиент пробации: ${CLIENT_NAME}`);
    expect(text).toContain('пробационный надзор (ст. 164–168 УИК КР)');
    expect(text).toContain('30.06.2025');
    expect(text).toContain('18 месяцев');
    // The obligations breached, with their articles.
    expect(text).toContain('1) не выезжать за пределы административно-территориальной единицы без разрешения органа пробации (п. 4 ч. 1 ст. 166 УИК КР).');
    expect(text).toContain('(п. 2 ч. 1 ст. 166 УИК КР, п. 5 ч. 1 ст. 166 УИК КР)');
    // Each violation and the warning, dated in Bishkek time: the second violation happened on
    // 14 January in UTC but 15 January in Bishkek.
    const history = text.slice(text.indexOf('3. История'), text.indexOf('4. Данные'));
    expect(history.indexOf('14.11.2025 15:05:00')).toBeGreaterThan(0);
    expect(history.indexOf('20.11.2025 10:00:00')).toBeGreaterThan(history.indexOf('14.11.2025 15:05:00'));
    expect(history.indexOf('15.01.2026 01:30:00')).toBeGreaterThan(history.indexOf('20.11.2025 10:00:00'));
    expect(history).not.toContain('14.01.2026 19:30');
    expect(history).toContain('Вынесено письменное предупреждение № ЭН-2025-000871');
    expect(history).toContain('тревога «нарушение ограничения на пребывание вне дома», № 0b9e77d2-52a1-4f0c-8a3b-6c1d2e3f4a5b');
    // Every article of the legal basis, in Russian and in the platform's citation.
    const basis = text.slice(text.indexOf('5. Правовое основание'), text.indexOf('6. ПРОШУ'));
    for (const [ru, citation] of [
      ['п. 4 ч. 1 ст. 166 УИК КР', 'PEC KR art. 166(1)(4)'],
      ['ч. 1 ст. 168 УИК КР', 'PEC KR art. 168(1)'],
      ['ч. 2 ст. 168 УИК КР', 'PEC KR art. 168(2)'],
    ]) expect(basis).toContain(`${ru} (${citation})`);
    expect(text).toContain(input.request);
    // The evidence hash, as a court would recompute it from the export.
    expect(printedHash(text)).toBe(recomputeEvidenceHash(input.evidence));
    expect(printedHash(text)).toBe(evidenceSha256(input.evidence));
    // Signature blocks: officer and head of office, no client acknowledgement on a submission.
    const signatures = text.slice(text.lastIndexOf('Дата: 20.01.2026'));
    expect(signatures).toContain('Старший инспектор органа пробации\nАбдыкадыров Нурлан Бакытович');
    expect(signatures).toContain('Начальник территориального органа пробации\nТоктогулова Жаныл Асановна');
    expect(text).not.toContain('С предупреждением ознакомлен(а)');
  });

  it('keeps the Cyrillic (Russian and Kyrgyz letters) of the client name intact in the file', async () => {
    const parts = await docxParts(await renderSanctionDocx(sampleInput()));
    // The raw XML holds the name as UTF-8 text, not as replacement characters or entities.
    expect(parts.get('word/document.xml')).toContain(CLIENT_NAME);
    expect(parts.get('docProps/core.xml')).toContain(`<dc:subject>${CLIENT_NAME}</dc:subject>`);
  });

  it('shows a stated sample of a long track, first and last fix included, while the hash covers every fix', async () => {
    const input = sampleInput();
    const text = await docxText(await renderSanctionDocx(input));
    const track = text.slice(text.indexOf('Таблица 1.'), text.indexOf('Таблица 2.'));
    expect(track).toContain(`Показаны 40 из ${FIX_COUNT}: первая, затем каждая 28-я и последняя`);
    expect(track).toContain('1\n14.01.2026 18:00:00\n42.874600\n74.612200\n8.0\nGPS');
    expect(track).toContain(`${FIX_COUNT}\n15.01.2026 12:00:00\n42.874860\n75.055000\n8.0\nGPS`);
    // The second fix (18:01) is not printed, yet changing it changes the printed hash.
    expect(track).not.toContain('14.01.2026 18:01:00');
    const changed = sampleInput();
    changed.evidence.fixes[1]!.lat += 0.000001;
    const changedText = await docxText(await renderSanctionDocx(changed));
    expect(changedText.slice(changedText.indexOf('Таблица 1.'), changedText.indexOf('Таблица 2.'))).toBe(track);
    expect(printedHash(changedText)).not.toBe(printedHash(text));
    expect(printedHash(changedText)).toBe(recomputeEvidenceHash(changed.evidence));
  });

  it('lists the device events in time order, in Russian', async () => {
    const text = await docxText(await renderSanctionDocx(sampleInput()));
    const events = text.slice(text.indexOf('Таблица 2.'), text.indexOf('5. Правовое основание'));
    expect(events).toContain('1\n15.01.2026 01:42:17\nвскрытие ремешка браслета\nдатчик ремешка: разомкнут');
    expect(events).toContain('3\n15.01.2026 08:10:31\nуровень заряда батареи');
    expect(events).toContain('Показаны все события (3) в порядке времени.');
  });

  it('gives the same bytes for the same input, whenever it is rendered', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-02-01T08:00:00Z'));
    const first = await renderSanctionDocx(sampleInput());
    vi.setSystemTime(new Date('2027-07-15T23:59:58Z'));
    const second = await renderSanctionDocx(sampleInput());
    expect(sha256(second)).toBe(sha256(first));
    // The file's own dates are the decision's, not the rendering's.
    const core = (await docxParts(first)).get('docProps/core.xml');
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-20T05:15:00.000Z</dcterms:created>');
  });
});

describe('the written warning as DOCX (PEC KR art. 168(1))', () => {
  const warning = (): SanctionDocumentInput =>
    sampleInput({
      kind: 'written_warning',
      documentNumber: 'ЭН-2025-000871',
      issuedAt: Date.UTC(2025, 10, 20, 4, 0, 0),
      court: null,
      violations: [sampleInput().violations[0]!],
      warnings: [],
      legalBasis: ['PEC KR art. 166(1)(4)', 'PEC KR art. 168(1)'],
      request: 'Предупредить клиента пробации о том, что при повторном нарушении в течение одного года орган пробации внесет в суд представление о дополнении обязанностей (ч. 2 ст. 168 УИК КР).',
    });

  it('has the warning title, no court, and the client acknowledgement under the signatures', async () => {
    const text = await docxText(await renderSanctionDocx(warning()));
    expect(text).toContain('Письменное предупреждение');
    expect(text).not.toContain('Представление в суд');
    expect(text).not.toMatch(/^В .*суд/m);
    expect(text).toContain('№ ЭН-2025-000871 от «20» ноября 2025 г.');
    expect(text).toContain('6. Предупреждение');
    const ack = text.slice(text.indexOf('С предупреждением ознакомлен(а):'));
    expect(ack).toContain(`Клиент пробации\n${CLIENT_NAME}`);
    expect(ack).toContain('«___» ____________ 20___ г.');
  });

  it('refuses a court submission without a court rather than leave the addressee out', async () => {
    await expect(renderSanctionDocx(sampleInput({ court: null }))).rejects.toThrow(/input\.court/);
  });
});
