import type { AdminLevel, AdminUnit, AreaGeometry } from '../domain/types.ts';
import type { SqlExecutor } from './sql.ts';

export async function loadAdminUnits(db: SqlExecutor, maxLevel: AdminLevel = 2): Promise<AdminUnit[]> {
  const { rows } = await db.query<{
    id: string; level: AdminLevel; parent_id: string | null; name_en: string; name_ru: string; name_ky: string; geometry: AreaGeometry;
  }>('select id, level, parent_id, name_en, name_ru, name_ky, geometry from admin_units where level <= $1 order by level, id', [maxLevel]);
  return rows.map((r) => ({ id: r.id, level: r.level, parentId: r.parent_id, nameEn: r.name_en, nameRu: r.name_ru, nameKy: r.name_ky, geometry: r.geometry }));
}

export function bboxOf(geometry: AreaGeometry): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const poly of polys) for (const ring of poly) for (const [x, y] of ring) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

/** Inserts or replaces units by id, in one statement per call. */
export async function upsertAdminUnits(db: SqlExecutor, units: AdminUnit[], source: string): Promise<number> {
  if (units.length === 0) return 0;
  await db.query(
    `insert into admin_units (id, level, parent_id, name_en, name_ru, name_ky, geometry, bbox, source)
     select u.id, u.level, u.parent_id, u.name_en, u.name_ru, u.name_ky, u.geometry, array[u.x1, u.y1, u.x2, u.y2], $10
       from unnest($1::text[], $2::int2[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::float8[], $9::float8[], $11::float8[], $12::float8[])
            as u(id, level, parent_id, name_en, name_ru, name_ky, geometry, x1, y1, x2, y2)
     on conflict (id) do update set level = excluded.level, parent_id = excluded.parent_id, name_en = excluded.name_en,
       name_ru = excluded.name_ru, name_ky = excluded.name_ky, geometry = excluded.geometry, bbox = excluded.bbox,
       source = excluded.source, imported_at = now()`,
    [
      units.map((u) => u.id),
      units.map((u) => u.level),
      units.map((u) => u.parentId),
      units.map((u) => u.nameEn),
      units.map((u) => u.nameRu),
      units.map((u) => u.nameKy),
      units.map((u) => JSON.stringify(u.geometry)),
      units.map((u) => bboxOf(u.geometry)[0]),
      units.map((u) => bboxOf(u.geometry)[1]),
      source,
      units.map((u) => bboxOf(u.geometry)[2]),
      units.map((u) => bboxOf(u.geometry)[3]),
    ],
  );
  return units.length;
}
