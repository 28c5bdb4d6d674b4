import { describe, expect, it } from 'vitest';
import { obligationArticles, obligationTextRu } from '../../infra/domain/legal.ts';
import { placeChangeBreachRu } from '../../infra/domain/place-change.ts';
import { bishkekMidnight } from '../../infra/domain/term.ts';
import type { RegimeKind } from '../../infra/domain/types.ts';
import { deferralEndProposal, nextLadderStep, type CaseHistory, type LadderViolation, type PastDecision, type Proposal } from '../../infra/domain/violation-ladder.ts';
import { renderSanctionDocx, renderSanctionPdf } from './index.ts';
import { articleRu, groundFactsRu } from './labels-ru.ts';
import { docxText, pdfText } from './testing/read-back.ts';
import { sampleInput } from './testing/sample-input.ts';

// Issue 17 "Documents": each ground's document, generated from the platform's own proposal and
// read back, cites the exact part and point of the article and states the facts of each element.
const at = (date: string) => bishkekMidnight(date) + 12 * 3_600_000;
const v = (id: string, date: string, obligation: LadderViolation['obligation'] = 'stay_in_residence_unit'): LadderViolation => ({ id, obligation, occurredAt: at(date), validReason: null });
const warned = (date: string, ids: string[]): PastDecision => ({ kind: 'written_warning', accepted: true, decidedAt: at(date), violationIds: ids });
const history = (regime: RegimeKind, over: Partial<CaseHistory>): CaseHistory => ({
  regime, termStart: '2026-01-10', termEnd: '2030-01-10', birthDate: null, damagesOutstanding: false, violations: [], decisions: [], courtRulings: [], now: at('2026-06-01'), ...over,
});

const cases: { name: string; proposal: Proposal | null; article: string; facts: string[] }[] = [
  {
    name: 'PEC KR art. 168(1): written warning',
    proposal: nextLadderStep(history('probation_supervision', { violations: [v('a', '2026-05-01')] })),
    article: 'ч. 1 ст. 168 УИК КР',
    facts: ['Письменное предупреждение ранее не выносилось.'],
  },
  {
    name: 'PEC KR art. 168(2): a repeat within a year of the warning',
    proposal: nextLadderStep(history('probation_supervision', { violations: [v('a', '2026-02-01'), v('b', '2026-05-01')], decisions: [warned('2026-02-03', ['a'])] })),
    article: 'ч. 2 ст. 168 УИК КР',
    facts: ['Письменное предупреждение вынесено 2026-02-03.', 'в течение года со дня его вынесения (12 месяцев)'],
  },
  {
    name: 'PEC KR art. 168(3): two breaches of court-imposed duties',
    proposal: nextLadderStep(history('probation_supervision', { violations: [v('a', '2026-03-01', 'court_imposed_duty'), v('b', '2026-05-01', 'court_imposed_duty')] })),
    article: 'ч. 3 ст. 168 УИК КР',
    facts: ['нарушены без уважительных причин 2 раза (2026-03-01, 2026-05-01)', 'предварительное письменное предупреждение не требуется'],
  },
  {
    name: 'PEC KR art. 168(3): failure to arrive within the statutory term',
    proposal: nextLadderStep(history('probation_supervision', { violations: [v('a', '2026-05-05', 'arrive_within_term')] })),
    article: 'ч. 3 ст. 168 УИК КР',
    facts: ['Неявка в орган пробации без уважительной причины в установленный законодательством срок (2026-05-05).'],
  },
  {
    name: 'PEC KR art. 160^4(2): abandoning the child',
    proposal: nextLadderStep(history('deferred_sentence', { violations: [v('a', '2026-05-01', 'child_abandoned')] })),
    article: 'ч. 2 ст. 160⁴ УИК КР',
    facts: ['Отказ от ребенка или уклонение от обязанностей по его воспитанию (2026-05-01)'],
  },
  {
    name: 'PEC KR art. 160^4(3): the child turns 14',
    proposal: deferralEndProposal(history('deferred_sentence', { childBirthDate: '2012-07-01' })),
    article: 'ч. 3 ст. 160⁴ УИК КР',
    facts: ['Ребенок, 2012-07-01 года рождения, достигает четырнадцатилетнего возраста 2026-07-01.'],
  },
  {
    name: 'PEC KR art. 64(3): restriction of freedom, failure to arrive',
    proposal: nextLadderStep(history('restriction_of_freedom', { violations: [v('a', '2026-05-05', 'arrive_within_term')] })),
    article: 'ч. 3 ст. 64 УИК КР',
    facts: ['Неявка в орган пробации без уважительной причины'],
  },
];

describe('documents state the ground: its article and the facts of each element', () => {
  it('PEC KR art. 166(1)(3): a warning for a move without written notice quotes the regime\'s words and the facts of the move', async () => {
    const p = nextLadderStep(history('probation_supervision', { violations: [v('a', '2026-05-10', 'no_unapproved_move')] }))!;
    const breach = placeChangeBreachRu('residence', 'no_written_notice', { kind: 'residence', receivedOn: null, decision: null, changedOn: '2026-05-10' }, 'ул. Ахунбаева 12, Бишкек');
    const base = sampleInput({ kind: p.kind, legalBasis: p.articles, grounds: groundFactsRu(p.reason), court: null });
    const input = {
      ...base,
      obligationsBreached: [{ text: obligationTextRu('no_unapproved_move', 'probation_supervision'), articles: [...obligationArticles('no_unapproved_move', 'probation_supervision')] }],
      violations: [{ occurredAt: at('2026-05-10'), obligation: obligationTextRu('no_unapproved_move', 'probation_supervision'), articles: ['PEC KR art. 166(1)(3)'], alert: null, validReason: null, description: breach }],
    };
    const docx = (await docxText(await renderSanctionDocx(input))).replace(/\s+/g, ' ');
    const pdf = pdfText(await renderSanctionPdf(input, { compress: false })).replace(/\s+/g, ' ');
    for (const text of [docx, pdf]) {
      expect(text).toContain('ч. 1 ст. 168 УИК КР');
      expect(text).toContain('п. 3 ч. 1 ст. 166 УИК КР');
      expect(text).toContain('не менять без письменного уведомления органа пробации место жительства, работы, учебы');
      expect(text).toContain('без письменного уведомления органа пробации');
      expect(text).toContain('ул. Ахунбаева 12, Бишкек');
    }
  });

  for (const c of cases) {
    it(`${c.name}: the DOCX and the PDF cite ${c.article} and state the facts`, async () => {
      expect(c.proposal).not.toBeNull();
      const p = c.proposal!;
      const input = sampleInput({ kind: p.kind, legalBasis: p.articles, grounds: groundFactsRu(p.reason), ...(p.kind === 'written_warning' ? { court: null } : {}) });
      const docx = await docxText(await renderSanctionDocx(input));
      const pdf = pdfText(await renderSanctionPdf(input, { compress: false }));
      for (const text of [docx, pdf.replace(/\s+/g, ' ')]) {
        expect(text).toContain(c.article);
        expect(text).toContain('Установлено:');
        for (const f of c.facts) expect(text.replace(/\s+/g, ' ')).toContain(f);
      }
      expect(p.articles.map(articleRu)).toContain(c.article);
    });
  }
});
