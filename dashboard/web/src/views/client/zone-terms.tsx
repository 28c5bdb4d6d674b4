import { invalidIf } from '../../components/form-status.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/ru.ts';
import { ALL_DAYS, newWindow, type LegalSource, type ScheduleWindow, type ZoneKind, type ZoneTerms } from './zone-draft.ts';

const KINDS: ZoneKind[] = ['exclusion', 'curfew_home'];
const SOURCES: LegalSource[] = ['court_imposed', 'office_requirement'];
const value = (e: Event) => (e.target as HTMLInputElement).value;

/** The labels a 400's field is matched against (FormStatus), shared by the zone form and the import. */
export function zoneFieldLabels(t: (k: MessageKey) => string): Record<string, string> {
  return {
    label: t('zones.label'), kind: t('zones.kind'), shape: t('zones.shape'), schedule: t('zones.schedule'), legalSource: t('zones.legalSource'),
    legalBasis: t('zones.legalBasis'), reason: t('zones.reason'), data: t('zones.file'),
  };
}

/**
 * What a zone is and on what legal ground: its kind, when it applies (weekly windows in Bishkek
 * time, or always for an exclusion zone), the source and wording of the duty, and the audited
 * reason for the change.
 */
export function ZoneTermsFields({ terms, onChange, error }: { terms: ZoneTerms; onChange(patch: Partial<ZoneTerms>): void; error: Error | undefined }) {
  const { t } = useI18n();
  const set = onChange;
  const setWindow = (i: number, patch: Partial<ScheduleWindow>) => set({ windows: terms.windows.map((w, j) => (j === i ? { ...w, ...patch } : w)) });
  // An inclusion zone is the home during curfew hours: it has no meaning without the hours.
  const always = terms.always && terms.kind === 'exclusion';
  return (
    <>
      <label>{t('zones.kind')}
        <select name="kind" value={terms.kind} onChange={(e) => set({ kind: value(e) as ZoneKind })} aria-invalid={invalidIf(error, 'kind')}>
          {KINDS.map((k) => <option key={k} value={k}>{t(`zones.kind.${k}`)}</option>)}
        </select>
      </label>
      <fieldset class="zone-schedule span-all" aria-invalid={invalidIf(error, 'schedule')}>
        <legend>{t('zones.schedule')}</legend>
        {terms.kind === 'exclusion' ? (
          <label class="inline"><input type="checkbox" name="always" checked={always} onChange={(e) => set({ always: (e.target as HTMLInputElement).checked })} /> {t('zones.always')}</label>
        ) : <p class="hint">{t('zones.curfewNeedsSchedule')}</p>}
        {always ? null : terms.windows.map((w, i) => (
          <div class="zone-window" key={i} role="group" aria-label={t('zones.window', { n: i + 1 })}>
            <span class="days">
              {ALL_DAYS.map((d) => (
                <label class="inline" key={d}>
                  <input type="checkbox" name={`day-${i}-${d}`} checked={w.days.includes(d)}
                    onChange={(e) => setWindow(i, { days: (e.target as HTMLInputElement).checked ? [...w.days, d] : w.days.filter((x) => x !== d) })} />
                  {t(`zones.day.${d}` as MessageKey)}
                </label>
              ))}
            </span>
            <label class="inline">{t('common.from')} <input type="time" name={`start-${i}`} required value={w.start} onInput={(e) => setWindow(i, { start: value(e) })} /></label>
            <label class="inline">{t('common.to')} <input type="time" name={`end-${i}`} required value={w.end} onInput={(e) => setWindow(i, { end: value(e) })} /></label>
            {terms.windows.length > 1 ? <button type="button" class="link" onClick={() => set({ windows: terms.windows.filter((_, j) => j !== i) })}>{t('zones.removeWindow')}</button> : null}
          </div>
        ))}
        {always ? null : <button type="button" onClick={() => set({ windows: [...terms.windows, newWindow()] })}>{t('zones.addWindow')}</button>}
      </fieldset>
      <label>{t('zones.legalSource')}
        <select name="legalSource" value={terms.legalSource} onChange={(e) => set({ legalSource: value(e) as LegalSource })} aria-invalid={invalidIf(error, 'legalSource')}>
          {SOURCES.map((s) => <option key={s} value={s}>{t(`zones.legalSource.${s}`)}</option>)}
        </select>
      </label>
      <label class="span-all">{t('zones.legalBasis')}
        <textarea name="legalBasis" required minLength={3} maxLength={1000} value={terms.legalBasis} onInput={(e) => set({ legalBasis: value(e) })} aria-invalid={invalidIf(error, 'legalBasis')} />
      </label>
      <label class="span-all">{t('zones.reason')}
        <textarea name="reason" required minLength={3} maxLength={2000} value={terms.reason} onInput={(e) => set({ reason: value(e) })} aria-invalid={invalidIf(error, 'reason')} />
      </label>
    </>
  );
}
