/**
 * Test support: a realistic submission to add duties (PEC KR art. 168(2)) for a client under
 * probation supervision in Bishkek, with a night of track (one fix a minute, long enough to be
 * sampled in the table), device events, two violations and the written warning between them.
 */
import type { EvidenceEvent, EvidenceFix, SanctionDocumentInput } from '../types.ts';

export const CLIENT_NAME = 'Үсөнбаева Айгүл Мырзабековна';
export const EVIDENCE_FROM = Date.UTC(2026, 0, 14, 12, 0, 0); // 18:00 in Bishkek
export const FIX_COUNT = 18 * 60 + 1; // one a minute until 06:00 UTC the next day

/** A walk east out of Bishkek's Pervomaisky district, with GPS most of the time. */
export function sampleFixes(): EvidenceFix[] {
  return Array.from({ length: FIX_COUNT }, (_, i) => ({
    at: EVIDENCE_FROM + i * 60_000,
    lat: 42.8746 + (i % 11) * 0.00013,
    lon: 74.6122 + i * 0.00041,
    accuracyM: i % 50 === 49 ? 350 : 8 + (i % 5) * 1.5,
    source: i % 50 === 49 ? 'cell' : 'gps',
  }));
}

export function sampleEvents(): EvidenceEvent[] {
  return [
    { at: Date.UTC(2026, 0, 14, 19, 42, 17), type: 'strap_opened', detail: 'датчик ремешка: разомкнут' },
    { at: Date.UTC(2026, 0, 14, 19, 44, 3), type: 'strap_closed', detail: 'датчик ремешка: замкнут' },
    { at: Date.UTC(2026, 0, 15, 2, 10, 31), type: 'battery', detail: 'level=18 charging=false' },
  ];
}

export function sampleInput(overrides: Partial<SanctionDocumentInput> = {}): SanctionDocumentInput {
  return {
    kind: 'court_submission_add_duties',
    documentNumber: 'ЭН-2026-000123',
    issuedAt: Date.UTC(2026, 0, 20, 5, 15, 0),
    office: { name: 'Территориальный орган пробации Первомайского района г. Бишкек', districtName: 'Первомайский район, г. Бишкек' },
    court: { name: 'Первомайский районный суд г. Бишкек' },
    client: {
      fullName: CLIENT_NAME,
      birthDate: '1991-04-07',
      address: 'г. Бишкек, ул. Московская, д. 112, кв. 5',
      regime: 'probation_supervision',
      courtDecisionDate: '2025-06-30',
      termStart: '2025-07-08',
      termMonths: 18,
      residenceUnitName: 'г. Бишкек',
    },
    obligationsBreached: [
      { text: 'не выезжать за пределы административно-территориальной единицы без разрешения органа пробации', articles: ['PEC KR art. 166(1)(4)'] },
      { text: 'исполнять возложенные судом обязанности (надзорные требования) и законные требования органа пробации', articles: ['PEC KR art. 166(1)(2)', 'PEC KR art. 166(1)(5)'] },
    ],
    violations: [
      {
        occurredAt: Date.UTC(2025, 10, 14, 9, 5, 0),
        obligation: 'не выезжать за пределы административно-территориальной единицы без разрешения органа пробации',
        articles: ['PEC KR art. 166(1)(4)'],
        alert: { id: '6f1c2a4e-1b7d-4c3e-9a55-0d2e8f7b1c90', type: 'residence_exit' },
        validReason: null,
      },
      {
        // 01:30 on 15 January in Bishkek, still 14 January in UTC.
        occurredAt: Date.UTC(2026, 0, 14, 19, 30, 0),
        obligation: 'исполнять возложенные судом обязанности (надзорные требования) и законные требования органа пробации',
        articles: ['PEC KR art. 166(1)(5)'],
        alert: { id: '0b9e77d2-52a1-4f0c-8a3b-6c1d2e3f4a5b', type: 'curfew_breach' },
        validReason: null,
      },
    ],
    warnings: [{ issuedAt: Date.UTC(2025, 10, 20, 4, 0, 0), documentNumber: 'ЭН-2025-000871' }],
    evidence: { fixes: sampleFixes(), events: sampleEvents(), from: EVIDENCE_FROM, to: EVIDENCE_FROM + 18 * 3_600_000 },
    legalBasis: ['PEC KR art. 166(1)(4)', 'PEC KR art. 168(1)', 'PEC KR art. 168(2)'],
    request:
      'Дополнить ранее установленные клиенту пробации Үсөнбаевой А. М. обязанности обязанностью не покидать место жительства с 22:00 до 06:00, ' +
      'поскольку в течение одного года после письменного предупреждения она повторно нарушила возложенные обязанности.',
    officer: { fullName: 'Абдыкадыров Нурлан Бакытович', position: 'Старший инспектор органа пробации' },
    head: { fullName: 'Токтогулова Жаныл Асановна', position: 'Начальник территориального органа пробации' },
    ...overrides,
  };
}
