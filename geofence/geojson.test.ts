import { describe, expect, it } from 'vitest';
import { adminUnitsFromGeoJson } from './geojson.ts';
import { loadKgzGeoJson } from './fixtures/kgz.ts';

describe('adminUnitsFromGeoJson', () => {
  it('converts the three KGZ levels: 1 country, 9 oblasts, 55 districts, with parents and names', () => {
    const units = adminUnitsFromGeoJson([loadKgzGeoJson('adm0'), loadKgzGeoJson('adm1'), loadKgzGeoJson('adm2')]);
    expect(units.filter((u) => u.level === 0).map((u) => u.id)).toEqual(['KG']);
    expect(units.filter((u) => u.level === 1)).toHaveLength(9);
    expect(units.filter((u) => u.level === 2)).toHaveLength(55);
    const bishkek = units.find((u) => u.id === 'KG11000000000')!;
    expect(bishkek.parentId).toBe('KG-GB');
    expect(bishkek.nameRu.length).toBeGreaterThan(0);
    expect(bishkek.geometry.type).toBe('MultiPolygon');
    const oblastIds = new Set(units.filter((u) => u.level === 1).map((u) => u.id));
    for (const u of units.filter((x) => x.level === 2)) expect(oblastIds.has(u.parentId!)).toBe(true);
  });

  it('rejects what is not a FeatureCollection of areas with id and level', () => {
    expect(() => adminUnitsFromGeoJson([{ type: 'Feature' }])).toThrow(/FeatureCollection/);
    const point = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'X', level: 2 }, geometry: { type: 'Point', coordinates: [0, 0] } }] };
    expect(() => adminUnitsFromGeoJson([point])).toThrow(/Polygon/);
    const noLevel = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'X' }, geometry: { type: 'Polygon', coordinates: [] } }] };
    expect(() => adminUnitsFromGeoJson([noLevel])).toThrow(/level/);
    const dup = { type: 'FeatureCollection', features: [0, 1].map(() => ({ type: 'Feature', properties: { id: 'X', level: 1 }, geometry: { type: 'Polygon', coordinates: [] } })) };
    expect(() => adminUnitsFromGeoJson([dup])).toThrow(/duplicate/);
  });
});
