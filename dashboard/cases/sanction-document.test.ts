import { describe, expect, it } from 'vitest';
import { documentNumber } from './sanction-document.ts';

describe('sanction document number', () => {
  it('PEC KR art. 168(1): a warning issued at 01:00 on 1 January in Bishkek is numbered in the new year, though UTC is still in the old one', () => {
    // 2026-12-31T19:00Z is 2027-01-01 01:00 in Asia/Bishkek (UTC+6).
    expect(documentNumber('written_warning', Date.UTC(2026, 11, 31, 19, 0), 42)).toBe('ПП-2027-000042');
    expect(documentNumber('written_warning', Date.UTC(2026, 11, 31, 17, 59), 42)).toBe('ПП-2026-000042');
  });
  it('PEC KR art. 160^4(3): the submission at the end of a deferral is a court submission (ПС)', () => {
    expect(documentNumber('court_submission_deferral_end', Date.UTC(2026, 5, 1), '7')).toBe('ПС-2026-000007');
  });
});
