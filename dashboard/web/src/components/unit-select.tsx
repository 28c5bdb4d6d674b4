import type { UnitCollection } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { unitName } from '../lib/units.ts';

/** A select of the level-2 units (districts and cities), in the UI language's alphabetical order. */
export function UnitSelect({ units, name, value, onChange, emptyLabel, required, invalid, disabled }: {
  units: UnitCollection;
  name: string;
  value: string;
  onChange(id: string): void;
  /** Offer "none" first with this label. */
  emptyLabel?: string;
  required?: boolean;
  invalid?: 'true' | undefined;
  disabled?: boolean;
}) {
  const { lang } = useI18n();
  const collator = new Intl.Collator(lang);
  const options = units.features
    .filter((f) => f.properties.level === 2)
    .map((f) => ({ id: f.properties.id, name: unitName(units, f.properties.id, lang) }))
    .sort((a, b) => collator.compare(a.name, b.name));
  return (
    <select name={name} value={value} required={required} disabled={disabled} aria-invalid={invalid} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
      {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
      {options.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
    </select>
  );
}
