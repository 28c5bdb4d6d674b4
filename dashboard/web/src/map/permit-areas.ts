import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Permit } from '../api/case-types.ts';
import type { UnitCollection } from '../api/types.ts';

/** The destination units of the permits valid at `now` (or later), as map areas. */
export function permitAreas(permits: readonly Permit[], units: UnitCollection, now: number): FeatureCollection<Geometry, { kind: string; label: string; permitId: string }> {
  const byId = new Map(units.features.map((f) => [String(f.properties.id), f]));
  const features: Feature<Geometry, { kind: string; label: string; permitId: string }>[] = [];
  for (const p of permits) {
    if (p.revokedAt || p.validUntil < now) continue;
    for (const id of p.destinationUnitIds) {
      const unit = byId.get(id);
      if (unit) features.push({ type: 'Feature', properties: { kind: 'permit', label: unit.properties.nameRu, permitId: p.id }, geometry: unit.geometry });
    }
  }
  return { type: 'FeatureCollection', features };
}
