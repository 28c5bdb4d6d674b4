import { bishkekDate, checkInsToSchedule, computeTerm, type TermInput } from '../../../../../infra/domain/term.ts';
import { useI18n } from '../../i18n/i18n.tsx';

const SHOWN = 6;

/**
 * The term, arrival deadline and first appearances as the law computes them, from what the form
 * holds so far: the same pure functions (infra/domain/term.ts) the server runs when it saves, so
 * the preview is the calendar the case file will have. Nothing until the dates make sense.
 */
export function TermPreview({ input }: { input: TermInput }) {
  const { t, calendarDate } = useI18n();
  let preview: { term: ReturnType<typeof computeTerm>; dates: string[] } | null = null;
  try {
    if (input.effectiveDate && input.termMonths >= 1) {
      const term = computeTerm(input);
      preview = { term, dates: checkInsToSchedule(term, input.registeredOn, bishkekDate(Date.now())) };
    }
  } catch {
    // A date still being typed: no preview yet.
  }
  return (
    <section class="panel span-all" aria-labelledby="preview-h" data-testid="term-preview">
      <h2 id="preview-h">{t('onboarding.preview')}</h2>
      {preview ? (
        <>
          <dl class="facts">
            <dt>{t('caseTerm.start')}</dt><dd>{preview.term.termStart ? calendarDate(preview.term.termStart) : t('caseTerm.notStarted')}</dd>
            <dt>{t('caseTerm.end')}</dt><dd>{preview.term.termEnd ? calendarDate(preview.term.termEnd) : t('common.none')}</dd>
            <dt>{t('caseTerm.arrivalDeadline')}</dt><dd>{preview.term.arrivalDeadline ? calendarDate(preview.term.arrivalDeadline) : t('common.none')}</dd>
          </dl>
          <p>{preview.dates.length ? t('onboarding.checkIns', { dates: preview.dates.slice(0, SHOWN).map(calendarDate).join(', '), total: preview.dates.length }) : t('onboarding.noCheckIns')}</p>
          <p class="hint">{preview.term.articles.join('; ')}. {t('onboarding.previewNote')}</p>
        </>
      ) : <p class="hint">{t('onboarding.previewEmpty')}</p>}
    </section>
  );
}
