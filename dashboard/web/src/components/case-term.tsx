import type { CaseFile } from '../api/case-types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import './forms.css';

const SHOWN = 12;

/**
 * The term as the server computed it by law (start, end, arrival deadline) and the check-in
 * calendar: the appearances still scheduled, soonest first, and how the past ones went.
 */
export function CaseTerm({ file }: { file: CaseFile }) {
  const { t, calendarDate } = useI18n();
  const { term } = file;
  const day = (d: string | null) => (d ? calendarDate(d) : t('common.none'));
  const upcoming = file.checkIns.filter((c) => c.status === 'scheduled').sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const past = file.checkIns.length - upcoming.length;
  return (
    <section aria-labelledby="term-h" data-testid="case-term">
      <h2 id="term-h">{t('caseTerm.heading')}</h2>
      <dl class="facts">
        <dt>{t('caseTerm.decision')}</dt><dd>{day(term.courtDecisionDate)}</dd>
        {file.client.courtName ? <><dt>{t('onboarding.courtName')}</dt><dd>{file.client.courtName}</dd></> : null}
        <dt>{t('caseTerm.effective')}</dt><dd>{day(term.effectiveDate)}</dd>
        <dt>{t('caseTerm.registered')}</dt><dd>{day(term.registeredOn)}</dd>
        <dt>{t('onboarding.termMonths')}</dt><dd>{term.termMonths}</dd>
        <dt>{t('caseTerm.start')}</dt><dd data-testid="term-start">{term.termStart ? calendarDate(term.termStart) : t('caseTerm.notStarted')}</dd>
        <dt>{t('caseTerm.end')}</dt><dd data-testid="term-end">{day(term.termEnd)}</dd>
        <dt>{t('caseTerm.arrivalDeadline')}</dt><dd>{day(term.arrivalDeadline)}</dd>
      </dl>
      {file.courtDuties.length ? (
        <>
          <h3>{t('onboarding.duties')}</h3>
          <ul data-testid="court-duties">{file.courtDuties.map((d, i) => <li key={i}>{d}</li>)}</ul>
        </>
      ) : null}
      <h3>{t('caseTerm.checkIns')}</h3>
      {upcoming.length ? (
        <ol class="check-in-list" data-testid="check-ins" data-count={upcoming.length}>
          {upcoming.slice(0, SHOWN).map((c) => <li key={c.id}>{calendarDate(c.dueAt)}</li>)}
        </ol>
      ) : <p class="muted">{t('onboarding.noCheckIns')}</p>}
      {upcoming.length > SHOWN || past ? <p class="hint">{t('caseTerm.more', { later: Math.max(0, upcoming.length - SHOWN), past })}</p> : null}
    </section>
  );
}
