import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { evidenceSha256, renderSanctionPdf } from './index.ts';
import { pdfText } from './testing/read-back.ts';
import { CLIENT_NAME, sampleInput } from './testing/sample-input.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const oneLine = (s: string) => s.replace(/\s+/g, ' ');

afterEach(() => {
  vi.useRealTimers();
});

describe('the court submission as PDF', () => {
  it('is a PDF with DejaVu embedded (the standard PDF fonts have no Cyrillic)', async () => {
    const pdf = await renderSanctionPdf(sampleInput(), { compress: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans-Bold\b/);
    expect(raw).toContain('/FontFile2');
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
  });

  it('reads back with the client name in Cyrillic, the title, the legal basis and the evidence hash', async () => {
    const input = sampleInput();
    const text = pdfText(await renderSanctionPdf(input, { compress: false }));
    expect(text).toContain(`Клиент пробации: ${CLIENT_NAME}`);
    expect(oneLine(text)).toContain('Представление в суд о дополнении ранее установленных обязанностей');
    expect(oneLine(text)).toContain('пробационный надзор (ст. 164–168 УИК КР)');
    expect(oneLine(text)).toContain('15.01.2026 01:30:00');
    expect(oneLine(text)).toContain('ч. 2 ст. 168 УИК КР (PEC KR art. 168(2))');
    expect(text).toContain(evidenceSha256(input.evidence));
    expect(oneLine(text)).toContain('Абдыкадыров Нурлан Бакытович');
    expect(oneLine(text)).toContain('Токтогулова Жаныл Асановна');
  });

  it('compresses its streams by default', async () => {
    const pdf = await renderSanctionPdf(sampleInput());
    expect(pdf.toString('latin1')).toContain('/FlateDecode');
    expect(pdfText(pdf)).not.toContain(CLIENT_NAME);
  });

  it('gives the same bytes for the same input, whenever it is rendered', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-02-01T08:00:00Z'));
    const first = await renderSanctionPdf(sampleInput());
    vi.setSystemTime(new Date('2027-07-15T23:59:58Z'));
    const second = await renderSanctionPdf(sampleInput());
    expect(sha256(second)).toBe(sha256(first));
    const changed = sampleInput();
    changed.evidence.events[0]!.detail = 'датчик ремешка: замкнут';
    expect(sha256(await renderSanctionPdf(changed))).not.toBe(sha256(first));
  });

  it('prints the warning with the client acknowledgement', async () => {
    const text = pdfText(await renderSanctionPdf(sampleInput({ kind: 'written_warning', court: null }), { compress: false }));
    expect(text).toContain('Письменное предупреждение');
    expect(text).toContain('С предупреждением ознакомлен(а):');
  });
});
