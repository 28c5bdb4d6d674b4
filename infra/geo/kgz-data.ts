import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { adminUnitsFromGeoJson } from '../../geofence/index.ts';
import type { AdminUnit } from '../domain/types.ts';

/** The Kyrgyz boundary data the project ships (provenance and licence: infra/data/kgz/SOURCE.md). */
export const KGZ_FILES = ['kgz-adm0.geojson', 'kgz-adm1.geojson', 'kgz-adm2.geojson'].map((f) =>
  fileURLToPath(new URL(`../data/kgz/${f}`, import.meta.url)),
);
export const KGZ_SOURCE = 'OCHA COD-AB Kyrgyzstan (MoES 2018), CC BY-IGO 3.0; see infra/data/kgz/SOURCE.md';

/** Reads GeoJSON FeatureCollections of levels 0-2 into administrative units. */
export async function readAdminUnits(files: string[] = KGZ_FILES): Promise<AdminUnit[]> {
  const collections = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as unknown));
  return adminUnitsFromGeoJson(collections);
}
