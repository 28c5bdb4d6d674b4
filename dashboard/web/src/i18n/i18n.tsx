import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { en } from './en.ts';
import { ky } from './ky.ts';
import { ru, type Catalogue, type MessageKey } from './ru.ts';

export const LANGUAGES = ['ru', 'ky', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const CATALOGUES: Record<Language, Catalogue> = { ru, ky, en };
/** Endonyms, so that each language is findable by its own speakers. */
export const LANGUAGE_NAMES: Record<Language, string> = { ru: 'Русский', ky: 'Кыргызча', en: 'English' };
const STORAGE_KEY = 'em.lang';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** Fills {name} placeholders; a missing variable stays visible rather than vanishing. */
export function format(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export function translator(lang: Language): Translate {
  const cat = CATALOGUES[lang];
  return (key, vars) => format(cat[key], vars);
}

/** BCP 47 locale for dates and numbers; Kyrgyz formatting falls back gracefully where the browser lacks it. */
export const LOCALES: Record<Language, string> = { ru: 'ru-RU', ky: 'ky-KG', en: 'en-GB' };

function storedLanguage(): Language {
  const v = globalThis.localStorage?.getItem(STORAGE_KEY);
  return (LANGUAGES as readonly string[]).includes(v ?? '') ? (v as Language) : 'ru';
}

interface I18n {
  lang: Language;
  t: Translate;
  setLang(lang: Language): void;
  /** Date and time in Asia/Bishkek, whatever the browser's zone. */
  dateTime(ms: number): string;
  date(ms: number): string;
  /** A calendar date from the API (YYYY-MM-DD, already Bishkek's), without shifting zones. */
  calendarDate(day: string): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ComponentChildren }) {
  const [lang, setLangState] = useState<Language>(storedLanguage);
  const setLang = useCallback((l: Language) => {
    localStorage.setItem(STORAGE_KEY, l);
    setLangState(l);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(() => {
    const dt = new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'Asia/Bishkek', dateStyle: 'short', timeStyle: 'medium' });
    const d = new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'Asia/Bishkek', dateStyle: 'medium' });
    const cd = new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'UTC', dateStyle: 'medium' });
    return { lang, t: translator(lang), setLang, dateTime: (ms) => dt.format(ms), date: (ms) => d.format(ms), calendarDate: (day) => cd.format(Date.parse(`${day}T00:00:00Z`)) };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
