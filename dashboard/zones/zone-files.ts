/**
 * Zones in and out of files: KML 2.2 (what Google Earth, QGIS and most court and police GIS desks
 * exchange) and GeoJSON. Pure: no I/O. Import only turns a file into drawn shapes and labels; the
 * geometry checks are the same as for a zone drawn in the product (zone-validation.ts), run by the
 * route, so a file cannot bring in a shape the map could not.
 */
import { toKML } from '@placemarkio/tokml';
import { kml } from '@tmcw/togeojson';
import { circle } from '@turf/turf';
import { DOMParser } from '@xmldom/xmldom';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import type { DrawnShape } from '../../geofence/zone-validation.ts';
import type { AreaGeometry, LonLat } from '../../infra/domain/types.ts';

export const ZONE_FILE_FORMATS = ['geojson', 'kml'] as const;
export type ZoneFileFormat = (typeof ZONE_FILE_FORMATS)[number];
/** A district's zones for one client are tens at most; thousands in one file is a wrong file. */
export const MAX_IMPORT_FEATURES = 200;
/** Vertices of a circle written to KML (which has no circle): under 0.2 % of the radius off. */
const KML_CIRCLE_STEPS = 64;

export interface ImportedShape {
  /** The feature's index in the file (document order of the Placemarks in KML). */
  index: number;
  label: string | null;
  shape: DrawnShape;
}
export type ParsedZoneFile =
  | { ok: true; shapes: ImportedShape[]; skipped: { index: number; reason: string }[] }
  | { ok: false; field: string; problem: string };

const fail = (field: string, problem: string): ParsedZoneFile => ({ ok: false, field, problem });
// KML and many GeoJSON writers add altitude; the geofence is two-dimensional.
const lonLat = (p: Position): LonLat => [p[0]!, p[1]!];
const rings2d = (rings: Position[][]): LonLat[][] => rings.map((r) => r.map(lonLat));

/** A file's features (KML Placemarks or GeoJSON features) as shapes to check and create. */
export function parseZoneFile(format: ZoneFileFormat, data: string): ParsedZoneFile {
  const read = format === 'kml' ? readKml(data) : readGeoJson(data);
  if ('problem' in read) return fail('body/data', read.problem);
  const features = read.features;
  if (features.length > MAX_IMPORT_FEATURES) return fail('body/data', `has ${features.length} features; at most ${MAX_IMPORT_FEATURES} can be imported at once`);
  const shapes: ImportedShape[] = [];
  const skipped: { index: number; reason: string }[] = [];
  features.forEach((f, index) => {
    const shape = featureShape(f);
    if (typeof shape === 'string') skipped.push({ index, reason: shape });
    else shapes.push({ index, label: labelOf(f.properties), shape });
  });
  if (!shapes.length) {
    return fail('body/data', features.length
      ? `has no polygon among its ${features.length} feature(s) (${skipped.map((s) => `features/${s.index}: ${s.reason}`).join('; ')}): a zone is an area`
      : 'has no features: nothing to import');
  }
  return { ok: true, shapes, skipped };
}

function readKml(data: string): { features: Feature<Geometry | null>[] } | { problem: string } {
  const problems: string[] = [];
  let doc;
  try {
    // xmldom resolves no external entities and fetches nothing; errors are collected, not thrown past us.
    doc = new DOMParser({ onError: (level, message) => { if (level !== 'warning') problems.push(message); } }).parseFromString(data, 'text/xml');
  } catch (e) {
    return { problem: `is not well-formed XML: ${firstLine((e as Error).message)}` };
  }
  if (problems.length) return { problem: `is not well-formed XML: ${firstLine(problems[0]!)}` };
  const root = doc.documentElement;
  if (!root || root.localName !== 'kml') return { problem: `is not a KML document: its root element is <${root?.nodeName ?? ''}>, not <kml>` };
  return { features: kml(doc).features };
}

function readGeoJson(data: string): { features: Feature<Geometry | null>[] } | { problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (e) {
    return { problem: `is not JSON: ${firstLine((e as Error).message)}` };
  }
  const o = json as { type?: unknown; features?: unknown };
  if (o?.type === 'FeatureCollection' && Array.isArray(o.features)) return { features: o.features as Feature<Geometry | null>[] };
  if (o?.type === 'Feature') return { features: [json as Feature<Geometry | null>] };
  if (typeof o?.type === 'string' && 'coordinates' in (o as object)) return { features: [{ type: 'Feature', properties: {}, geometry: json as Geometry }] };
  return { problem: 'is not a GeoJSON FeatureCollection, Feature or geometry' };
}

const firstLine = (s: string) => s.split('\n')[0]!.slice(0, 300);

/** The area a feature draws, or why it draws none. */
function featureShape(f: Feature<Geometry | null>): DrawnShape | string {
  const g = f?.geometry;
  const props = (f?.properties ?? {}) as Record<string, unknown>;
  if (!g || typeof g !== 'object') return 'no geometry';
  const circleOf = circleProps(props);
  // Our own exports: a circle is a point with radiusM (GeoJSON) or its polygon with the centre and radius (KML).
  if (circleOf && (g.type === 'Point' || g.type === 'Polygon')) {
    const center = g.type === 'Point' ? lonLat(g.coordinates) : circleOf.center;
    if (center) return { type: 'circle', center, radiusM: circleOf.radiusM };
  }
  const area = areaOf(g);
  if (area) return { type: 'polygon', geometry: area };
  return `a ${g.type} is not an area`;
}

function areaOf(g: Geometry): AreaGeometry | null {
  if (!Array.isArray((g as { coordinates?: unknown }).coordinates) && g.type !== 'GeometryCollection') return null;
  if (g.type === 'Polygon') return { type: 'Polygon', coordinates: rings2d(g.coordinates) };
  if (g.type === 'MultiPolygon') return { type: 'MultiPolygon', coordinates: g.coordinates.map(rings2d) };
  // KML's MultiGeometry: the polygons in it are the area, a label point or a line beside them is not.
  if (g.type === 'GeometryCollection') {
    const parts = g.geometries.flatMap((m) => {
      const a = areaOf(m);
      return !a ? [] : a.type === 'Polygon' ? [a.coordinates] : a.coordinates;
    });
    if (!parts.length) return null;
    return parts.length === 1 ? { type: 'Polygon', coordinates: parts[0]! } : { type: 'MultiPolygon', coordinates: parts };
  }
  return null;
}

function circleProps(p: Record<string, unknown>): { radiusM: number; center: LonLat | null } | null {
  const radiusM = Number(p.radiusM);
  if (p.radiusM === undefined || p.radiusM === '' || !Number.isFinite(radiusM)) return null;
  const lon = Number(p.centerLon);
  const lat = Number(p.centerLat);
  return { radiusM, center: p.centerLon !== undefined && Number.isFinite(lon) && Number.isFinite(lat) ? [lon, lat] : null };
}

function labelOf(p: unknown): string | null {
  const props = (p ?? {}) as Record<string, unknown>;
  const name = [props.name, props.label, props.title].find((v) => typeof v === 'string' && v.trim());
  return typeof name === 'string' ? name.trim().slice(0, 200) : null;
}

export interface ExportedZone {
  id: string;
  kind: string;
  label: string;
  shape: unknown;
  drawnAs: unknown;
  schedule: unknown;
  legalSource: string;
  legalBasis: string | null;
}

/**
 * A KML 2.2 document of the zones. KML has no circle: a circle is written as its polygon, with the
 * centre and radius in ExtendedData, which an import of this file reads back as the circle.
 */
export function zonesToKml(zones: readonly ExportedZone[]): string {
  const features: FeatureCollection<Geometry> = {
    type: 'FeatureCollection',
    features: zones.map((z) => {
      const s = z.shape as { type: string; geometry?: Geometry; center?: LonLat; radiusM?: number };
      const drawn = z.drawnAs as { type?: string; halfWidthM?: number } | null;
      const isCircle = s.type === 'circle' && s.center && s.radiusM;
      const geometry = isCircle ? circle(s.center!, s.radiusM!, { units: 'meters', steps: KML_CIRCLE_STEPS }).geometry : s.geometry!;
      const properties: Record<string, unknown> = {
        name: z.label,
        kind: z.kind,
        shape: drawn?.type ?? s.type,
        legalSource: z.legalSource,
        ...(z.legalBasis ? { legalBasis: z.legalBasis } : {}),
        ...(z.schedule ? { schedule: z.schedule } : {}),
        ...(isCircle ? { radiusM: s.radiusM, centerLon: s.center![0], centerLat: s.center![1] } : {}),
        ...(drawn?.type === 'corridor' ? { halfWidthM: drawn.halfWidthM } : {}),
      };
      // An XML id must not start with a digit, as a UUID may.
      return { type: 'Feature', id: `zone-${z.id}`, geometry, properties };
    }),
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${toKML(features)}\n`;
}
