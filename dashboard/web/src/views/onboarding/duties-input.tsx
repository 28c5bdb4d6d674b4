import { useI18n } from '../../i18n/i18n.tsx';

/** The duties the court imposed, one free-text line each (PEC KR arts. 63(1)(1), 160^3(2)(1), 166(1)(2)). */
export function DutiesInput({ duties, onChange, invalid }: { duties: string[]; onChange(duties: string[]): void; invalid?: 'true' | undefined }) {
  const { t } = useI18n();
  const set = (i: number, text: string) => onChange(duties.map((d, k) => (k === i ? text : d)));
  return (
    <fieldset class="span-all" data-testid="duties">
      <legend>{t('onboarding.duties')}</legend>
      <ol class="duties">
        {duties.map((d, i) => (
          <li key={i}>
            <input name={`duty-${i}`} aria-label={t('onboarding.duty', { n: i + 1 })} value={d} minLength={3} maxLength={1000} aria-invalid={invalid} onInput={(e) => set(i, (e.target as HTMLInputElement).value)} />
            <button type="button" onClick={() => onChange(duties.filter((_, k) => k !== i))}>{t('onboarding.removeDuty')}</button>
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => onChange([...duties, ''])}>{t('onboarding.addDuty')}</button>
    </fieldset>
  );
}
