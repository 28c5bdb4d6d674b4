import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import { createPlaceIndex, normalise, placeName, type PlaceRecord } from './place-index.ts';
import { kgzPlaces } from './kgz-places.ts';

const place = (id: string, names: Partial<PlaceRecord['names']>, over: Partial<PlaceRecord> = {}): PlaceRecord => ({
  id, kind: 'place', names: { ru: null, ky: null, en: null, ...names }, alt: [], lon: 74.6, lat: 42.87, unitId: 'KG11000000000', ...over,
});

describe('place search (pure)', () => {
  const idx = createPlaceIndex([
    place('p-kara-suu', { ru: 'Кара-Суу', en: 'Kara-Suu' }, { population: 20_000 }),
    place('p-kara-balta', { ru: 'Кара-Балта', en: 'Kara-Balta' }, { population: 60_000 }),
    place('p-karakol', { ru: 'Каракол', ky: 'Каракол', en: 'Karakol' }, { alt: ['Пржевальск'], population: 70_000 }),
    place('p-balykchy', { ru: 'Балыкчы', en: 'Balykchy' }, { alt: ['Рыбачье'] }),
    place('u-kara-suu', { ru: 'Кара-Сууский район', ky: 'Кара-Суу району', en: 'Kara-Suu district' }, { kind: 'unit', level: 2 }),
    place('p-ozgon', { ky: 'Өзгөн', en: 'Uzgen' }),
  ]);
  const ids = (q: string) => idx.search(q).map((h) => h.place.id);

  it('normalises case, ё, hyphens, Latin diacritics and the "г." / "ш." markers', () => {
    expect(normalise('Кара-Суу')).toBe('кара суу');
    expect(normalise('  Тортке́ль’ ')).toBe('торткель');
    expect(normalise('Кайынды')).toBe('кайынды');
    expect(normalise('г.Ош')).toBe('ош');
    expect(normalise('Ош ш.')).toBe('ош ш');
    expect(normalise('Tortkël’')).toBe('tortkel');
    expect(normalise('Семёновка')).toBe('семеновка');
  });

  it('finds by a prefix in any language, exact matches and bigger places first', () => {
    expect(ids('кара')).toEqual(['p-karakol', 'p-kara-balta', 'p-kara-suu', 'u-kara-suu']);
    expect(ids('Кара-Суу')).toEqual(['p-kara-suu', 'u-kara-suu']);
    expect(ids('kara suu')).toEqual(['p-kara-suu', 'u-kara-suu']);
    expect(ids('өзгөн')).toEqual(['p-ozgon']);
    expect(ids('uzg')).toEqual(['p-ozgon']);
  });

  it('matches a word inside a name, and substrings of 3+ letters only', () => {
    expect(ids('район')).toEqual(['u-kara-suu']);
    expect(ids('лык')).toEqual(['p-balykchy']);
    expect(ids('ык')).toEqual([]);
  });

  it('finds former names, ranked after shown names', () => {
    expect(ids('Пржевальск')).toEqual(['p-karakol']);
    const hit = idx.search('рыбачье')[0]!;
    expect(hit.place.id).toBe('p-balykchy');
    expect(hit.rank).toBeGreaterThan(idx.search('балыкчы')[0]!.rank);
  });

  it('returns nothing for an empty query and honours the limit', () => {
    expect(ids('  - ')).toEqual([]);
    expect(idx.search('к', 2)).toHaveLength(2);
  });

  it('shows the name in the language asked for, else Russian, else English', () => {
    const ozgon = idx.byId('p-ozgon')!;
    expect(placeName(ozgon, 'ky')).toBe('Өзгөн');
    expect(placeName(ozgon, 'ru')).toBe('Uzgen');
    expect(placeName(idx.byId('p-karakol')!, 'en')).toBe('Karakol');
  });
});

describe('the committed Kyrgyz place list', () => {
  const { file, index } = kgzPlaces();
  const adm2 = JSON.parse(readFileSync(fileURLToPath(new URL('../data/kgz/kgz-adm2.geojson', import.meta.url)), 'utf8')) as FeatureCollection<MultiPolygon, { id: string }>;

  it('carries the GeoNames and COD-AB attribution', () => {
    expect(file.attribution).toMatch(/GeoNames.*CC BY 4\.0/);
    expect(file.attribution).toMatch(/cod-ab-kgz/);
  });

  it('has the main cities with Russian names, in the level-2 unit that contains them', () => {
    for (const [q, unitId] of [['Бишкек', 'KG11000000000'], ['Ош', 'KG21000000000'], ['Токмок', 'KG08400000010'], ['Каракол', 'KG02410000010'], ['Кант', 'KG08206000000']] as const) {
      const hit = index.search(q)[0]!;
      expect({ q, kind: hit.place.kind, ru: hit.place.names.ru, unitId: hit.place.unitId }).toEqual({ q, kind: 'place', ru: q, unitId });
    }
  });

  it('every place lies in the unit it names, and ids are unique', () => {
    const units = new Map(adm2.features.map((f) => [f.properties.id, f as Feature<MultiPolygon>]));
    for (const p of file.places) {
      if (!p.unitId) continue;
      expect({ id: p.id, inside: booleanPointInPolygon([p.lon, p.lat], units.get(p.unitId)!) }).toEqual({ id: p.id, inside: true });
    }
    expect(new Set(file.places.map((p) => p.id)).size).toBe(file.places.length);
  });

  it('finds units by their own names: a district, an oblast, a city unit', () => {
    expect(index.search('Аламудунский')[0]?.place.id).toBe('u-KG08203000000');
    expect(index.search('Чуйская область')[0]?.place.id).toBe('u-KG-C');
    expect(index.search('Джалал-Абад').map((h) => h.place.id)).toContain('u-KG03410000010');
  });
});
