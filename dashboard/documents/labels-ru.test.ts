import { describe, expect, it } from 'vitest';
import { bishkekDateTime, calendarDate, formalDate } from './bishkek-time.ts';
import { articleRu, documentTitleRu, monthsRu } from './labels-ru.ts';
import { sampleRows } from './table-sample.ts';

describe('Russian wording of the documents', () => {
  it('writes citations as Russian legal text does: item, part, article (LEGAL.md citation form)', () => {
    expect(articleRu('PEC KR art. 168(2)')).toBe('ч. 2 ст. 168 УИК КР');
    expect(articleRu('PEC KR art. 166(1)(4^1)')).toBe('п. 4¹ ч. 1 ст. 166 УИК КР');
    expect(articleRu('PEC KR art. 160^4(2)')).toBe('ч. 2 ст. 160⁴ УИК КР');
    expect(articleRu('PEC KR art. 62')).toBe('ст. 62 УИК КР');
    expect(articleRu('Resolution 442')).toBe('Resolution 442');
  });

  it('names the court submission to revoke after what each regime allows (PEC KR arts. 64(3), 168(3), 160^4(2))', () => {
    expect(documentTitleRu('court_submission_revoke', 'restriction_of_freedom')).toContain('лишением свободы');
    expect(documentTitleRu('court_submission_revoke', 'probation_supervision')).toContain('об отмене пробационного надзора');
    expect(documentTitleRu('court_submission_revoke', 'deferred_sentence')).toContain('об отмене отсрочки');
    expect(documentTitleRu('written_warning', 'parole')).toBe('Письменное предупреждение');
  });

  it('declines months', () => {
    expect([1, 2, 5, 11, 12, 21, 22, 24, 25, 111].map(monthsRu)).toEqual([
      '1 месяц', '2 месяца', '5 месяцев', '11 месяцев', '12 месяцев', '21 месяц', '22 месяца', '24 месяца', '25 месяцев', '111 месяцев',
    ]);
  });

  it('prints times in Asia/Bishkek (UTC+6), whatever the server zone', () => {
    expect(bishkekDateTime(Date.UTC(2025, 11, 31, 18, 0, 0))).toBe('01.01.2026 00:00:00');
    expect(formalDate(Date.UTC(2026, 2, 4, 19, 0, 0))).toBe('«05» марта 2026 г.');
    expect(calendarDate('2025-06-30')).toBe('30.06.2025');
    expect(() => calendarDate('30.06.2025')).toThrow(/yyyy-mm-dd/);
  });
});

describe('the sample of a long table', () => {
  it('shows everything when it fits', () => {
    expect(sampleRows(['a', 'b', 'c'], 3)).toEqual({ rows: [{ position: 1, item: 'a' }, { position: 2, item: 'b' }, { position: 3, item: 'c' }], total: 3, step: 1 });
  });

  it('shows the first, every Nth and the last, never more than asked', () => {
    for (const total of [4, 41, 100, 1081, 10_000]) {
      const items = Array.from({ length: total }, (_, i) => i);
      const s = sampleRows(items, 40);
      expect(s.rows.length).toBeLessThanOrEqual(40);
      expect(s.rows[0]).toEqual({ position: 1, item: 0 });
      expect(s.rows.at(-1)).toEqual({ position: total, item: total - 1 });
      const inner = s.rows.slice(0, -1).map((r) => r.position);
      expect(inner).toEqual(inner.map((_, i) => 1 + i * s.step));
    }
  });
});
