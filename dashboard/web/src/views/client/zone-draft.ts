/**
 * A zone as the form edits it, and the conversions between it, the API's zone body
 * (dashboard/routes/api/zones.ts) and terra-draw's features. Pure, unit-tested.
 */
export type LonLat = [number, number];
export type ZoneShape =
  | { type: 'polygon'; geometry: { type: 'Polygon'; coordinates: LonLat[][] } | { type: 'MultiPolygon'; coordinates: LonLat[][][] } }
  | { type: 'circle'; center: LonLat; radiusM: number }
  | { type: 'corridor'; path: LonLat[]; halfWidthM: number };
export interface ScheduleWindow { days: number[]; start: string; end: string }
export interface WeeklySchedule { timeZone: string; windows: ScheduleWindow[] }
export type ZoneKind = 'exclusion' | 'curfew_home';
export type LegalSource = 'court_imposed' | 'office_requirement';

/** GET /api/clients/:id/zones */
export interface ZoneRecord {
  id: string;
  kind: ZoneKind;
  label: string;
  shape: ZoneShape;
  drawnAs: ZoneShape | null;
  schedule: WeeklySchedule | null;
  legalSource: LegalSource;
  legalBasis: string | null;
  createdAt: number;
  updatedAt: number | null;
}
export interface ZoneList { zones: ZoneRecord[]; canEdit: boolean }

export interface ZoneTerms {
  kind: ZoneKind;
  /** No schedule: the zone always applies (exclusion zones only). */
  always: boolean;
  windows: ScheduleWindow[];
  legalSource: LegalSource;
  legalBasis: string;
  reason: string;
}
export interface ZoneDraft extends ZoneTerms {
  label: string;
  shape: ZoneShape | null;
}

/** Kyrgyzstan keeps one time zone all year; every schedule is in it. */
export const TIME_ZONE = 'Asia/Bishkek';
export const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
export const newWindow = (): ScheduleWindow => ({ days: [...ALL_DAYS], start: '22:00', end: '06:00' });
export const DEFAULT_HALF_WIDTH_M = 100;

export const newTerms = (): ZoneTerms => ({ kind: 'exclusion', always: true, windows: [newWindow()], legalSource: 'court_imposed', legalBasis: '', reason: '' });
export const newDraft = (): ZoneDraft => ({ ...newTerms(), label: '', shape: null });

/** The form's values for changing a zone: what was drawn (a corridor's way, not its outline). */
export function draftFromZone(z: ZoneRecord): ZoneDraft {
  return {
    kind: z.kind, label: z.label, shape: z.drawnAs ?? z.shape,
    always: !z.schedule, windows: z.schedule?.windows.map((w) => ({ ...w, days: [...w.days] })) ?? [newWindow()],
    legalSource: z.legalSource, legalBasis: z.legalBasis ?? '', reason: '',
  };
}

export function scheduleOf(t: ZoneTerms): WeeklySchedule | null {
  return t.always && t.kind === 'exclusion' ? null : { timeZone: TIME_ZONE, windows: t.windows.map((w) => ({ ...w, days: [...w.days].sort((a, b) => a - b) })) };
}

/** The POST/PUT body; the server checks everything (its 400 names the field). */
export function zoneBody(d: ZoneDraft) {
  return { kind: d.kind, label: d.label.trim(), shape: d.shape, schedule: scheduleOf(d), legalSource: d.legalSource, legalBasis: d.legalBasis.trim(), reason: d.reason.trim() };
}

const round = (n: number) => Math.round(n * 1e7) / 1e7;
const pos = (p: readonly number[]): LonLat => [round(p[0]!), round(p[1]!)];

interface DrawnGeo { geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }

/**
 * A finished terra-draw feature as the API's shape. Circles come as their polygon with the radius
 * in properties: the centre is the mean of the vertices, which lie evenly round it.
 */
export function shapeFromDrawn(f: DrawnGeo, halfWidthM: number): ZoneShape | null {
  const g = f.geometry;
  if (g.type === 'LineString') return { type: 'corridor', path: (g.coordinates as number[][]).map(pos), halfWidthM };
  if (g.type !== 'Polygon') return null;
  const ring = (g.coordinates as number[][][])[0]!;
  const radiusKm = Number(f.properties.radiusKilometers);
  if (f.properties.mode === 'circle' && radiusKm > 0) {
    const corners = ring.slice(0, -1);
    const mean = (i: 0 | 1) => corners.reduce((s, p) => s + p[i]!, 0) / corners.length;
    return { type: 'circle', center: pos([mean(0), mean(1)]), radiusM: Math.round(radiusKm * 1000) };
  }
  return { type: 'polygon', geometry: { type: 'Polygon', coordinates: (g.coordinates as number[][][]).map((r) => r.map(pos)) } };
}

/**
 * The shape as a terra-draw feature, to adjust it on the map; null for what terra-draw cannot edit
 * (a MultiPolygon). A circle is handed over as its polygon with the radius.
 */
export function drawnFromShape(s: ZoneShape, circleRing: (c: LonLat, radiusM: number) => LonLat[]) {
  if (s.type === 'corridor') return { type: 'Feature' as const, geometry: { type: 'LineString' as const, coordinates: s.path }, properties: { mode: 'linestring' } };
  if (s.type === 'circle') {
    return { type: 'Feature' as const, geometry: { type: 'Polygon' as const, coordinates: [circleRing(s.center, s.radiusM)] }, properties: { mode: 'circle', radiusKilometers: s.radiusM / 1000 } };
  }
  if (s.geometry.type !== 'Polygon') return null;
  return { type: 'Feature' as const, geometry: { type: 'Polygon' as const, coordinates: s.geometry.coordinates }, properties: { mode: 'polygon' } };
}
