/**
 * Conversion of the KGZ boundary GeoJSON (infra/data/kgz/*.geojson) into AdminUnit[].
 * Pure: takes parsed JSON, never reads files.
 */
import type { AdminLevel, AdminUnit, AreaGeometry } from '../infra/domain/types.ts';

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function str(x: unknown): string {
  return typeof x === 'string' ? x : '';
}

/**
 * Feature properties used: id (or pcode), level, parent_id, name_en, name_ru, name_ky.
 * Throws on anything that is not a FeatureCollection of Polygon/MultiPolygon features with an id
 * and a level of 0, 1 or 2.
 */
export function adminUnitsFromGeoJson(collections: unknown[]): AdminUnit[] {
  const out: AdminUnit[] = [];
  const seen = new Set<string>();
  collections.forEach((fc, ci) => {
    if (!isObject(fc) || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
      throw new Error(`collection ${ci}: not a GeoJSON FeatureCollection`);
    }
    fc.features.forEach((f: unknown, fi: number) => {
      const where = `collection ${ci}, feature ${fi}`;
      if (!isObject(f) || f.type !== 'Feature' || !isObject(f.properties) || !isObject(f.geometry)) throw new Error(`${where}: not a Feature with properties and geometry`);
      const p = f.properties;
      const id = str(p.id) || str(p.pcode) || (typeof f.id === 'string' ? f.id : '');
      if (!id) throw new Error(`${where}: missing properties.id`);
      const level = Number(p.level);
      if (level !== 0 && level !== 1 && level !== 2) throw new Error(`${where} (${id}): level must be 0, 1 or 2`);
      const g = f.geometry;
      if ((g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates)) {
        throw new Error(`${where} (${id}): geometry must be Polygon or MultiPolygon`);
      }
      if (seen.has(id)) throw new Error(`${where}: duplicate id ${id}`);
      seen.add(id);
      const parent = str(p.parent_id);
      out.push({
        id,
        level: level as AdminLevel,
        parentId: parent || null,
        nameEn: str(p.name_en),
        nameRu: str(p.name_ru),
        nameKy: str(p.name_ky),
        geometry: { type: g.type, coordinates: g.coordinates } as AreaGeometry,
      });
    });
  });
  return out;
}
