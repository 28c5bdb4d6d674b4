import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { checkZoneShape, type DrawnShape } from '../../../geofence/zone-validation.ts';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import { ZONE_KINDS, type WeeklySchedule } from '../../../infra/domain/types.ts';
import { Errors } from '../../errors.ts';
import { actorOf, requireClient } from '../../cases/client-record.ts';
import { IdParams, Uuid, errors } from '../../cases/schemas.ts';
import type { SessionUser } from '../../plugins/application/auth.ts';
import { ZONE_FILE_FORMATS, parseZoneFile, zonesToKml } from '../../zones/zone-files.ts';

const LonLatSchema = Type.Tuple([Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 })]);
const Ring = Type.Array(LonLatSchema, { minItems: 4, maxItems: 5001 });
const ShapeSchema = Type.Union([
  Type.Object({
    type: Type.Literal('polygon'),
    geometry: Type.Union([
      Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Ring, { minItems: 1, maxItems: 50 }) }, { additionalProperties: false }),
      Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Array(Ring, { minItems: 1, maxItems: 50 }), { minItems: 1, maxItems: 50 }) }, { additionalProperties: false }),
    ]),
  }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('circle'), center: LonLatSchema, radiusM: Type.Number() }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('corridor'), path: Type.Array(LonLatSchema, { minItems: 2, maxItems: 1000 }), halfWidthM: Type.Number() }, { additionalProperties: false }),
], { description: 'A GeoJSON Polygon or MultiPolygon, a circle, or a corridor (a way and its half-width, stored as the polygon the engine evaluates); geometry is checked (geofence/zone-validation.ts)' });
export const ScheduleSchema = Type.Object(
  {
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone; Kyrgyzstan: Asia/Bishkek' }),
    windows: Type.Array(
      Type.Object({
        days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7, description: 'ISO weekdays, 1 = Monday' }),
        start: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
        end: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'earlier than start: the window runs past midnight' }),
      }, { additionalProperties: false }),
      { minItems: 1, maxItems: 28 },
    ),
  },
  { additionalProperties: false, description: 'When the zone applies, in local time (e.g. a school, every day 07:00-19:00); absent: always' },
);
const Kind = Type.Enum(ZONE_KINDS, { description: 'exclusion: must not be inside; curfew_home: an inclusion zone, must be inside while the schedule is active' });
const Schedule = Type.Optional(Type.Union([ScheduleSchema, Type.Null()]));
const LegalSource = Type.Enum(['court_imposed', 'office_requirement'], {
  description: 'court_imposed: a duty of the sentence (PEC KR arts. 63(1)(1), 160^3(2)(1), 166(1)(2)); office_requirement: a lawful requirement of the office (63(1)(2), 160^3(2)(2), 166(1)(5)); decides the obligation a breach violates',
});
const LegalBasis = Type.String({ minLength: 3, maxLength: 1000, description: 'The duty as the court decision or the office words it' });
const Reason = Type.String({ minLength: 3, maxLength: 2000, description: 'Why the zone is drawn or changed (audited)' });
export const ZoneBody = Type.Object(
  { kind: Kind, label: Type.String({ minLength: 1, maxLength: 200 }), shape: ShapeSchema, schedule: Schedule, legalSource: LegalSource, legalBasis: LegalBasis, reason: Reason },
  { additionalProperties: false },
);
/** A KML 2.2 document is a few kB per zone; 4 MB is hundreds of detailed polygons. */
const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
const ImportBody = Type.Object(
  {
    format: Type.Enum(ZONE_FILE_FORMATS, { description: 'kml: a KML 2.2 document (Placemarks with Polygon or MultiGeometry); geojson: a FeatureCollection, Feature or geometry' }),
    data: Type.String({ minLength: 1, maxLength: MAX_IMPORT_BYTES, description: "The file's text" }),
    labelPrefix: Type.Optional(Type.String({ minLength: 1, maxLength: 150, description: 'Label of a feature that has no name: "<labelPrefix> #<n>" (default: the format)' })),
    kind: Kind, schedule: Schedule, legalSource: LegalSource, legalBasis: LegalBasis, reason: Reason,
  },
  { additionalProperties: false, description: 'One zone per area feature of the file (Polygon, MultiPolygon, a circle exported by this API), each with the kind, schedule and legal basis given here' },
);
const ZoneParams = Type.Object({ id: Uuid, zoneId: Uuid });
const ZoneView = Type.Object({
  id: Type.String(), kind: Type.String(), label: Type.String(), shape: Type.Unknown(), drawnAs: Type.Unknown(), schedule: Type.Unknown(),
  legalSource: Type.String(), legalBasis: Type.Union([Type.String(), Type.Null()]), createdAt: Type.Integer(), updatedAt: Type.Union([Type.Integer(), Type.Null()]),
});

export interface ZoneRow { id: string; kind: string; label: string; shape: unknown; drawn_as: unknown; schedule: unknown; legal_source: string; legal_basis: string | null; created_at: Date; updated_at: Date | null }
export const COLUMNS = 'id, kind, label, shape, drawn_as, schedule, legal_source, legal_basis, created_at, updated_at';
export const view = (r: ZoneRow) => ({
  id: r.id, kind: r.kind, label: r.label, shape: r.shape, drawnAs: r.drawn_as, schedule: r.schedule, legalSource: r.legal_source, legalBasis: r.legal_basis,
  createdAt: r.created_at.getTime(), updatedAt: r.updated_at?.getTime() ?? null,
});

export type ZoneInput = Static<typeof ZoneBody>;

/** The shape and schedule as the engine will see them, or a 400 naming what is wrong (the shape as `shapeField`). */
export function checked(b: ZoneInput, shapeField = 'body/shape', note = '') {
  const r = checkZoneShape(b.shape as DrawnShape, shapeField);
  if (!r.ok) throw new Errors.VALIDATION(`${r.field}${note} ${r.problem}`);
  const schedule = (b.schedule ?? null) as WeeklySchedule | null;
  if (schedule) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: schedule.timeZone });
    } catch {
      throw new Errors.VALIDATION(`body/schedule/timeZone "${schedule.timeZone}" is not an IANA time zone (Kyrgyzstan: Asia/Bishkek)`);
    }
    schedule.windows.forEach((w, i) => {
      if (w.start === w.end) throw new Errors.VALIDATION(`body/schedule/windows/${i} starts and ends at ${w.start}: it would last no time`);
    });
  }
  if (b.kind === 'curfew_home' && !schedule) throw new Errors.VALIDATION('body/schedule is required for a curfew_home zone: the hours it applies');
  return { shape: r.shape, drawnAs: r.drawnAs, schedule };
}

/** Writes a checked zone and its zone.create audit entry, inside the caller's transaction. */
export async function insertZone(db: pg.PoolClient, clientId: string, b: ZoneInput, z: ReturnType<typeof checked>, user: SessionUser, details: Record<string, unknown> = {}): Promise<ZoneRow> {
  const { rows } = await db.query<ZoneRow>(
    `insert into zones (client_id, kind, label, shape, drawn_as, schedule, legal_source, legal_basis, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${COLUMNS}`,
    [clientId, b.kind, b.label, JSON.stringify(z.shape), z.drawnAs ? JSON.stringify(z.drawnAs) : null, z.schedule ? JSON.stringify(z.schedule) : null, b.legalSource, b.legalBasis, user.id],
  );
  await appendAudit(db, {
    actor: actorOf(user), action: 'zone.create', subjectType: 'client', subjectId: clientId, reason: b.reason,
    details: { zoneId: rows[0]!.id, kind: b.kind, label: b.label, drawnAs: b.shape.type, legalSource: b.legalSource, ...details },
  });
  return rows[0]!;
}

/** Changes a checked zone (`before`, locked by requireZone) and writes zone.update with the previous version. */
export async function updateZone(db: pg.PoolClient, clientId: string, before: ZoneRow, b: ZoneInput, z: ReturnType<typeof checked>, user: SessionUser, details: Record<string, unknown> = {}): Promise<ZoneRow> {
  const { rows } = await db.query<ZoneRow>(
    `update zones set kind = $2, label = $3, shape = $4, drawn_as = $5, schedule = $6, legal_source = $7, legal_basis = $8, updated_by = $9, updated_at = now()
      where id = $1 returning ${COLUMNS}`,
    [before.id, b.kind, b.label, JSON.stringify(z.shape), z.drawnAs ? JSON.stringify(z.drawnAs) : null, z.schedule ? JSON.stringify(z.schedule) : null, b.legalSource, b.legalBasis, user.id],
  );
  await appendAudit(db, { actor: actorOf(user), action: 'zone.update', subjectType: 'client', subjectId: clientId, reason: b.reason, details: { zoneId: before.id, before: view(before), ...details } });
  return rows[0]!;
}

/** Removes a zone (`before`, locked by requireZone) and writes zone.delete with the removed version. */
export async function deleteZone(db: pg.PoolClient, clientId: string, before: ZoneRow, reason: string, user: SessionUser, details: Record<string, unknown> = {}): Promise<void> {
  await db.query('delete from zones where id = $1', [before.id]);
  await appendAudit(db, { actor: actorOf(user), action: 'zone.delete', subjectType: 'client', subjectId: clientId, reason, details: { zoneId: before.id, before: view(before), ...details } });
}

export async function requireZone(db: pg.PoolClient, clientId: string, zoneId: string): Promise<ZoneRow> {
  const { rows } = await db.query<ZoneRow>(`select ${COLUMNS} from zones where id = $1 and client_id = $2 for update`, [zoneId, clientId]);
  if (!rows[0]) throw new Errors.NOT_FOUND(`zone ${zoneId}`);
  return rows[0];
}

/** Who may draw, change, import and remove zones (an officer or supervisor: their district's clients). */
export const EDITOR_ROLES: readonly SessionUser['role'][] = ['operator', 'officer', 'supervisor'];

/**
 * Exclusion and inclusion (curfew-home) zones drawn in the product. A change reaches the geofence
 * within seconds and without a restart: the zones table notifies ingest, which drops the client's
 * cached context (migration 0012, ingest/context-change-listener.ts).
 */
const zoneRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const editors = app.requireUser(...EDITOR_ROLES);

  app.post(
    '/clients/:id/zones',
    {
      preHandler: editors,
      schema: { tags: ['cases'], summary: 'Draw a zone for a client (exclusion or curfew home), with its schedule and legal basis; audited as zone.create', params: IdParams, body: ZoneBody, response: { 201: ZoneView, ...errors } },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof ZoneBody>;
      const user = request.user!;
      const z = checked(b);
      const row = await inTransaction(app.pg, async (db) => {
        await requireClient(db, id, user, true);
        return insertZone(db, id, b, z, user);
      });
      return reply.status(201).send(view(row));
    },
  );

  app.put(
    '/clients/:id/zones/:zoneId',
    {
      preHandler: editors,
      schema: { tags: ['cases'], summary: 'Change a zone (shape, schedule, legal basis); the previous version is in the audit log (zone.update)', params: ZoneParams, body: ZoneBody, response: { 200: ZoneView, ...errors } },
    },
    async (request) => {
      const { id, zoneId } = request.params as Static<typeof ZoneParams>;
      const b = request.body as Static<typeof ZoneBody>;
      const user = request.user!;
      const z = checked(b);
      return inTransaction(app.pg, async (db) => {
        await requireClient(db, id, user, true);
        return view(await updateZone(db, id, await requireZone(db, id, zoneId), b, z, user));
      });
    },
  );

  app.delete(
    '/clients/:id/zones/:zoneId',
    {
      preHandler: editors,
      schema: {
        tags: ['cases'], summary: 'Remove a zone; the removed zone is kept in the audit log (zone.delete)', params: ZoneParams,
        body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 2000 }) }, { additionalProperties: false }), response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const { id, zoneId } = request.params as Static<typeof ZoneParams>;
      const { reason } = request.body as { reason: string };
      const user = request.user!;
      await inTransaction(app.pg, async (db) => {
        await requireClient(db, id, user, true);
        await deleteZone(db, id, await requireZone(db, id, zoneId), reason, user);
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/clients/:id/zones.geojson',
    {
      preHandler: app.requireUser(),
      schema: { tags: ['cases'], summary: "The client's zones as a GeoJSON FeatureCollection (circles as their centre with radiusM)", params: IdParams, response: { 200: Type.Unknown(), ...errors } },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const c = await requireClient(app.pg, id, request.user!);
      const { rows } = await app.pg.query<ZoneRow>(`select ${COLUMNS} from zones where client_id = $1 order by created_at, id`, [c.id]);
      const features = rows.map((r) => {
        const s = r.shape as { type: string; geometry?: unknown; center?: [number, number]; radiusM?: number };
        const geometry = s.type === 'circle' ? { type: 'Point', coordinates: s.center } : s.geometry;
        return { type: 'Feature', id: r.id, geometry, properties: { kind: r.kind, label: r.label, schedule: r.schedule, legalSource: r.legal_source, legalBasis: r.legal_basis, ...(s.type === 'circle' ? { radiusM: s.radiusM } : {}) } };
      });
      return reply.type('application/geo+json').send({ type: 'FeatureCollection', features });
    },
  );

  app.get(
    '/clients/:id/zones',
    {
      preHandler: app.requireUser(),
      schema: {
        tags: ['cases'], summary: "The client's zones as drawn, with their legal basis, and whether the user may change them", params: IdParams,
        response: { 200: Type.Object({ zones: Type.Array(ZoneView), canEdit: Type.Boolean({ description: 'operators, officers and supervisors (of the district)' }) }), ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const user = request.user!;
      const c = await requireClient(app.pg, id, user);
      const { rows } = await app.pg.query<ZoneRow>(`select ${COLUMNS} from zones where client_id = $1 order by created_at, id`, [c.id]);
      return { zones: rows.map(view), canEdit: EDITOR_ROLES.includes(user.role) };
    },
  );

  app.get(
    '/clients/:id/zones.kml',
    {
      preHandler: app.requireUser(),
      schema: {
        tags: ['cases'], summary: "The client's zones as a KML 2.2 document (circles as 64-sided polygons with radiusM, centerLon and centerLat in ExtendedData)",
        params: IdParams, produces: ['application/vnd.google-earth.kml+xml'], response: { 200: Type.String(), ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const c = await requireClient(app.pg, id, request.user!);
      const { rows } = await app.pg.query<ZoneRow>(`select ${COLUMNS} from zones where client_id = $1 order by created_at, id`, [c.id]);
      return reply
        .type('application/vnd.google-earth.kml+xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="zones-${c.id}.kml"`)
        .send(zonesToKml(rows.map(view)));
    },
  );

  app.post(
    '/clients/:id/zones/import',
    {
      preHandler: editors,
      bodyLimit: MAX_IMPORT_BYTES * 2,
      schema: {
        tags: ['cases'],
        summary: 'Create zones from a KML or GeoJSON file, one per area feature, all or none, each checked as a drawn zone; audited as zone.create with the feature it came from',
        params: IdParams, body: ImportBody,
        response: { 201: Type.Object({ zones: Type.Array(ZoneView), skipped: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.String() }), { description: 'features that are not areas (points, lines)' }) }), ...errors },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof ImportBody>;
      const user = request.user!;
      const parsed = parseZoneFile(b.format, b.data);
      if (!parsed.ok) throw new Errors.VALIDATION(`${parsed.field} ${parsed.problem}`);
      // Every feature is checked before anything is written: a file with one bad polygon creates nothing.
      const zones = parsed.shapes.map((s) => {
        const input: ZoneInput = {
          kind: b.kind, label: s.label ?? `${b.labelPrefix ?? b.format.toUpperCase()} #${s.index + 1}`, shape: s.shape as ZoneInput['shape'],
          schedule: b.schedule ?? null, legalSource: b.legalSource, legalBasis: b.legalBasis, reason: b.reason,
        };
        return { input, index: s.index, z: checked(input, `body/data/features/${s.index}`, s.label ? ` (${JSON.stringify(s.label)})` : '') };
      });
      const rows = await inTransaction(app.pg, async (db) => {
        await requireClient(db, id, user, true);
        const created: ZoneRow[] = [];
        for (const { input, index, z } of zones) created.push(await insertZone(db, id, input, z, user, { importedFrom: { format: b.format, featureIndex: index } }));
        return created;
      });
      return reply.status(201).send({ zones: rows.map(view), skipped: parsed.skipped });
    },
  );
};

export default zoneRoutes;
