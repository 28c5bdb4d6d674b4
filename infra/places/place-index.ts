/**
 * Search over the offline Kyrgyz place list (infra/data/places/kgz-places.json, built by
 * infra/cli/build-places.ts): settlements from GeoNames and the administrative units' own names.
 * Pure: takes the parsed list, never reads files, so the map labels (issue 20) can reuse it.
 */

export type PlaceLanguage = 'ru' | 'ky' | 'en';

/** A name in each language the list has; a missing one is null (shown in another language). */
export interface PlaceNames {
  ru: string | null;
  ky: string | null;
  en: string | null;
}

export interface PlaceRecord {
  id: string;
  /** 'place': a settlement (GeoNames); 'unit': an administrative unit (level 1 or 2). */
  kind: 'place' | 'unit';
  names: PlaceNames;
  /** Other spellings and former names (e.g. "Фрунзе"), searched but not shown. */
  alt: string[];
  lon: number;
  lat: number;
  /** The level-2 unit containing the place (for a unit of level 2: itself); null on a lake. */
  unitId: string | null;
  /** Level of an administrative unit; absent for places. */
  level?: 1 | 2;
  population?: number;
}

export interface PlaceFile {
  attribution: string;
  places: PlaceRecord[];
}

export interface PlaceHit {
  place: PlaceRecord;
  /** Lower is better: how the query matched (see MATCH_RANK). */
  rank: number;
}

// How a query matched one of the names, best first. Shown names beat alternate spellings.
const MATCH_RANK = { exact: 0, prefix: 1, wordPrefix: 2, substring: 3 } as const;
const ALT_PENALTY = 4;

/**
 * Lower case, ё as е, stress marks and Latin diacritics stripped, punctuation and hyphens as one space: "Кара-Суу",
 * "кара суу" and "Kara-Suu" each match their own spelling however typed. "г." (город) and "ш."
 * (шаар) markers are dropped so that "г.Ош" matches "Ош".
 */
export function normalise(s: string): string {
  return s
    .toLowerCase()
    .replace(/ё/g, 'е')
    // Stress marks go everywhere; other marks only off Latin letters ("ë" -> "e"), since й is и + breve.
    .normalize('NFD')
    .replace(/[\u0300\u0301]/g, '')
    .replace(/(\p{Script=Latin})[\u0300-\u036f]+/gu, '$1')
    .normalize('NFC')
    .replace(/(^|[^\p{L}])(г|ш)\.(?=\s*\p{L})/gu, '$1 ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function matchRank(name: string, q: string): number | null {
  if (name === q) return MATCH_RANK.exact;
  if (name.startsWith(q)) return MATCH_RANK.prefix;
  if (name.split(' ').some((w) => w.startsWith(q))) return MATCH_RANK.wordPrefix;
  if (q.length >= 3 && name.includes(q)) return MATCH_RANK.substring;
  return null;
}

export interface PlaceIndex {
  readonly size: number;
  /** Best matches first: by how the name matched, then units before places, then population. */
  search(query: string, limit?: number): PlaceHit[];
  byId(id: string): PlaceRecord | undefined;
}

export function createPlaceIndex(places: readonly PlaceRecord[]): PlaceIndex {
  const entries = places.map((place) => ({
    place,
    shown: [place.names.ru, place.names.ky, place.names.en].filter((n): n is string => !!n).map(normalise),
    alt: place.alt.map(normalise),
  }));
  const ids = new Map(places.map((p) => [p.id, p]));
  return {
    size: places.length,
    byId: (id) => ids.get(id),
    search(query, limit = 10) {
      const q = normalise(query);
      if (!q) return [];
      const hits: PlaceHit[] = [];
      for (const e of entries) {
        let best: number | null = null;
        for (const n of e.shown) {
          const r = matchRank(n, q);
          if (r !== null && (best === null || r < best)) best = r;
        }
        if (best === null) {
          for (const n of e.alt) {
            const r = matchRank(n, q);
            if (r !== null && (best === null || r + ALT_PENALTY < best)) best = r + ALT_PENALTY;
          }
        }
        if (best !== null) hits.push({ place: e.place, rank: best });
      }
      hits.sort((a, b) =>
        a.rank - b.rank
        // A settlement is where a home is: a place named like its district comes before the district.
        || (a.place.kind === b.place.kind ? 0 : a.place.kind === 'place' ? -1 : 1)
        || (b.place.population ?? 0) - (a.place.population ?? 0)
        || (a.place.names.en ?? a.place.id).localeCompare(b.place.names.en ?? b.place.id));
      return hits.slice(0, Math.max(0, limit));
    },
  };
}

/** The name to show in `lang`, falling back Russian -> English -> Kyrgyz as the UI does. */
export function placeName(p: Pick<PlaceRecord, 'names' | 'id'>, lang: PlaceLanguage): string {
  return p.names[lang] ?? p.names.ru ?? p.names.en ?? p.names.ky ?? p.id;
}
