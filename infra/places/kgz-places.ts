import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPlaceIndex, type PlaceFile, type PlaceIndex } from './place-index.ts';

/** The committed place list (provenance and licence: infra/data/places/SOURCE.md). */
export const KGZ_PLACES_FILE = fileURLToPath(new URL('../data/places/kgz-places.json', import.meta.url));

let cached: { file: PlaceFile; index: PlaceIndex } | null = null;

/** The list and its index, read once per process (35 KB: read synchronously at first use). */
export function kgzPlaces(): { file: PlaceFile; index: PlaceIndex } {
  if (!cached) {
    const file = JSON.parse(readFileSync(KGZ_PLACES_FILE, 'utf8')) as PlaceFile;
    cached = { file, index: createPlaceIndex(file.places) };
  }
  return cached;
}
