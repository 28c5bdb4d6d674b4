import type { UnitCollection } from '../api/types.ts';
import type { Language } from '../i18n/i18n.tsx';

/** A unit's name in the UI language. */
export function unitName(units: UnitCollection, id: string | null | undefined, lang: Language): string {
  const f = units.features.find((u) => u.properties.id === id);
  if (!f) return id ?? '';
  return lang === 'ky' ? f.properties.nameKy : lang === 'en' ? f.properties.nameEn : f.properties.nameRu;
}
