import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { booleanPointInPolygon } from '@turf/turf';
import { inTransaction } from '../../../infra/db/sql.ts';
import type { WeeklyWindow } from '../../../infra/domain/types.ts';
import { Errors } from '../../errors.ts';
import { requireClient } from '../../cases/client-record.ts';
import { EpochMs, IdParams, Nullable, errors } from '../../cases/schemas.ts';
import type { SessionUser } from '../../plugins/application/auth.ts';
import { COLUMNS, EDITOR_ROLES, ScheduleSchema, ZoneBody, checked, deleteZone, insertZone, updateZone, type ZoneInput, type ZoneRow } from './zones.ts';

/** Curfew hours are local time in Kyrgyzstan (UTC+6, no DST). */
const TIME_ZONE = 'Asia/Bishkek';
/** Under 25 m a home cannot be told from GPS noise indoors; over 2 km it is no longer a home. */
export const CURFEW_RADIUS_M = { min: 25, max: 2000 } as const;

const LonLat = Type.Tuple([Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 })], { description: '[longitude, latitude], WGS84' });
const Windows = ScheduleSchema.properties.windows;
const CurfewBody = Type.Object(
  {
    home: LonLat,
    homeLabel: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'How the home was found: the place chosen in the address search (GET /api/places), or the address as written' })),
    radiusM: Type.Number({ minimum: CURFEW_RADIUS_M.min, maximum: CURFEW_RADIUS_M.max, description: 'Radius of the circle around the home the client must be inside during the hours' }),
    windows: Windows,
    legalSource: ZoneBody.properties.legalSource,
    legalBasis: ZoneBody.properties.legalBasis,
    reason: ZoneBody.properties.reason,
  },
  { additionalProperties: false, description: 'Hours (windows) are Asia/Bishkek local time; a window ending earlier than it starts runs past midnight' },
);
const LiftBody = Type.Object({ reason: ZoneBody.properties.reason }, { additionalProperties: false });

const CurfewVersion = Type.Object({
  zoneId: Type.String(),
  label: Type.String(),
  home: Nullable(LonLat),
  radiusM: Nullable(Type.Number()),
  timeZone: Type.String(),
  windows: Type.Array(Type.Object({ days: Type.Array(Type.Integer()), start: Type.String(), end: Type.String() })),
  legalSource: Type.String(),
  legalBasis: Nullable(Type.String()),
}, { description: 'A curfew as it was (or is); home and radius are null for a curfew zone drawn as a polygon through the zones API' });
const CurfewView = Type.Object({
  home: Nullable(Type.Object({ lon: Type.Number(), lat: Type.Number(), label: Nullable(Type.String()), setAt: EpochMs }, { description: "The client's stored home; kept when the curfew is lifted" })),
  curfew: Nullable(Type.Object({ ...CurfewVersion.properties, createdAt: EpochMs, updatedAt: Nullable(EpochMs) })),
  canEdit: Type.Boolean(),
  history: Type.Array(Type.Object({
    seq: Type.String({ description: 'The audit log entry' }),
    at: EpochMs,
    action: Type.Enum(['set', 'change', 'lift']),
    actor: Type.String(),
    reason: Nullable(Type.String()),
    curfew: Nullable(CurfewVersion),
  }), { description: 'Every version, oldest first, from the audit log (zone.create / zone.update / zone.delete of curfew_home zones)' }),
});
type CurfewVersionT = Static<typeof CurfewVersion>;
type CurfewViewT = Static<typeof CurfewView>;

interface ZoneLike { id: string; kind: string; label: string; shape: unknown; schedule: unknown; legalSource?: string; legal_source?: string; legalBasis?: string | null; legal_basis?: string | null }

function versionOf(z: ZoneLike): CurfewVersionT {
  const s = z.shape as { type?: string; center?: [number, number]; radiusM?: number };
  const schedule = (z.schedule ?? { timeZone: TIME_ZONE, windows: [] }) as { timeZone: string; windows: WeeklyWindow[] };
  return {
    zoneId: z.id, label: z.label,
    home: s.type === 'circle' && s.center ? s.center : null, radiusM: s.type === 'circle' ? s.radiusM ?? null : null,
    timeZone: schedule.timeZone, windows: schedule.windows,
    legalSource: (z.legalSource ?? z.legal_source)!, legalBasis: z.legalBasis ?? z.legal_basis ?? null,
  };
}

/** The client's curfew_home zones, oldest first, locked when `lock` (inside a transaction). */
async function curfewZones(db: pg.Pool | pg.PoolClient, clientId: string, lock = false): Promise<ZoneRow[]> {
  const { rows } = await db.query<ZoneRow>(`select ${COLUMNS} from zones where client_id = $1 and kind = 'curfew_home' order by created_at, id${lock ? ' for update' : ''}`, [clientId]);
  return rows;
}

/**
 * A home must be in Kyrgyzstan and in the client's residence unit: the residence rule already
 * keeps them there, and a curfew around a home elsewhere would contradict it (400 naming body/home).
 */
async function checkHome(db: pg.PoolClient, home: [number, number], residenceUnitId: string): Promise<void> {
  const { rows } = await db.query<{ id: string; level: number; name_en: string; name_ru: string; geometry: never }>(
    'select id, level, name_en, name_ru, geometry from admin_units where id = $1 or level = 0 order by level',
    [residenceUnitId],
  );
  const where = `(${home[0]}, ${home[1]})`;
  const country = rows.find((r) => r.level === 0);
  if (country && !booleanPointInPolygon(home, country.geometry)) throw new Errors.VALIDATION(`body/home ${where} is outside Kyrgyzstan`);
  const unit = rows.find((r) => r.id === residenceUnitId);
  if (unit && !booleanPointInPolygon(home, unit.geometry)) {
    throw new Errors.VALIDATION(`body/home ${where} is outside the client's residence unit ${unit.name_ru} / ${unit.name_en} (${unit.id}): a home elsewhere needs a change of residence first`);
  }
}

/**
 * The curfew's history from the audit log, the legal record. An entry keeps the version before the
 * change; the version after it is the next entry's "before", or the zone as it is now.
 */
async function history(db: pg.Pool | pg.PoolClient, clientId: string, current: ZoneRow[]): Promise<CurfewViewT['history']> {
  const { rows } = await db.query<{ seq: string; at: Date; actor: string; action: string; reason: string | null; details: { zoneId?: string; kind?: string; before?: ZoneLike } }>(
    // seq is a bigint, read as text; ordered as the number (audit_log.seq), not as the text.
    `select a.seq::text as seq, a.at, a.actor, a.action, a.reason, a.details from audit_log a
      where a.subject_type = 'client' and a.subject_id = $1 and a.action in ('zone.create', 'zone.update', 'zone.delete') order by a.seq`,
    [clientId],
  );
  const now = new Map(current.map((z) => [z.id, z]));
  const out: CurfewViewT['history'] = [];
  rows.forEach((r, i) => {
    const zoneId = r.details.zoneId;
    if (!zoneId) return;
    const before = r.details.before ?? null;
    let after: ZoneLike | null = null;
    if (r.action !== 'zone.delete') {
      const next = rows.slice(i + 1).find((n) => n.details.zoneId === zoneId);
      after = next?.details.before ?? now.get(zoneId) ?? null;
      // A zone changed since to something else, or removed outside this log (pruned): its kind at creation.
      if (!after && r.action === 'zone.create' && r.details.kind !== 'curfew_home') return;
    }
    const wasCurfew = before?.kind === 'curfew_home';
    const isCurfew = after ? after.kind === 'curfew_home' : r.action === 'zone.create' && r.details.kind === 'curfew_home';
    if (!wasCurfew && !isCurfew) return;
    out.push({
      seq: r.seq, at: r.at.getTime(), actor: r.actor, reason: r.reason,
      action: !wasCurfew ? 'set' : isCurfew ? 'change' : 'lift',
      curfew: isCurfew && after ? versionOf(after) : null,
    });
  });
  return out;
}

async function curfewView(db: pg.Pool | pg.PoolClient, clientId: string, user: SessionUser): Promise<CurfewViewT> {
  const zones = await curfewZones(db, clientId);
  const { rows } = await db.query<{ lon: number; lat: number; label: string | null; set_at: Date }>('select lon, lat, label, set_at from client_homes where client_id = $1', [clientId]);
  const h = rows[0];
  const z = zones[0];
  return {
    home: h ? { lon: h.lon, lat: h.lat, label: h.label, setAt: h.set_at.getTime() } : null,
    curfew: z ? { ...versionOf(z), createdAt: z.created_at.getTime(), updatedAt: z.updated_at?.getTime() ?? null } : null,
    canEdit: EDITOR_ROLES.includes(user.role),
    history: await history(db, clientId, zones),
  };
}

/**
 * A client's home and curfew in one step (issue 19): the curfew is the client's curfew_home zone,
 * a circle around the home, written through the zones' own code (zones.ts: the same checks, audit
 * entries and change notification that reaches ingest without a restart).
 */
const curfewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const editors = app.requireUser(...EDITOR_ROLES);

  app.get(
    '/clients/:id/curfew',
    {
      preHandler: app.requireUser(),
      schema: { tags: ['cases'], summary: "The client's home, current curfew and every earlier version (who, when, why)", params: IdParams, response: { 200: CurfewView, ...errors } },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const c = await requireClient(app.pg, id, request.user!);
      return curfewView(app.pg, c.id, request.user!);
    },
  );

  app.put(
    '/clients/:id/curfew',
    {
      preHandler: editors,
      schema: {
        tags: ['cases'],
        summary: "Set the client's home and curfew: creates or replaces their curfew_home zone (a circle of radiusM around home, 25 m - 2 km, in their residence unit), audited as zone.create / zone.update",
        params: IdParams, body: CurfewBody, response: { 200: CurfewView, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof CurfewBody>;
      const user = request.user!;
      const home: [number, number] = [b.home[0], b.home[1]];
      const input: ZoneInput = {
        kind: 'curfew_home', label: `Дом (комендантский час)${b.homeLabel ? `: ${b.homeLabel}` : ''}`.slice(0, 200),
        shape: { type: 'circle', center: home, radiusM: b.radiusM }, schedule: { timeZone: TIME_ZONE, windows: b.windows },
        legalSource: b.legalSource, legalBasis: b.legalBasis, reason: b.reason,
      };
      let z: ReturnType<typeof checked>;
      try {
        z = checked(input, 'body/home');
      } catch (e) {
        // The zone checks name the zone's fields; this body has the windows at the top level.
        if (e instanceof Errors.VALIDATION) throw new Errors.VALIDATION(e.message.replace(/^body\/schedule\//, 'body/').replace(/^body\/home\/radiusM/, 'body/radiusM'));
        throw e;
      }
      const context = { curfew: { home, homeLabel: b.homeLabel ?? null } };
      return inTransaction(app.pg, async (db) => {
        const c = await requireClient(db, id, user, true);
        await checkHome(db, home, c.residenceUnitId);
        const [current, ...extra] = await curfewZones(db, id, true);
        if (current) await updateZone(db, id, current, input, z, user, context);
        else await insertZone(db, id, input, z, user, context);
        // One curfew a client: other curfew_home zones (drawn through the zones API) give way to it.
        for (const other of extra) await deleteZone(db, id, other, b.reason, user, { replacedBy: current!.id });
        await db.query(
          `insert into client_homes (client_id, lon, lat, label, set_by) values ($1, $2, $3, $4, $5)
           on conflict (client_id) do update set lon = excluded.lon, lat = excluded.lat, label = excluded.label, set_by = excluded.set_by, set_at = now()`,
          [id, home[0], home[1], b.homeLabel ?? null, user.id],
        );
        return curfewView(db, id, user);
      });
    },
  );

  app.delete(
    '/clients/:id/curfew',
    {
      preHandler: editors,
      schema: {
        tags: ['cases'], summary: "Lift the client's curfew (their home is kept); the lifted curfew is in the audit log (zone.delete)",
        params: IdParams, body: LiftBody, response: { 200: CurfewView, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const { reason } = request.body as Static<typeof LiftBody>;
      const user = request.user!;
      return inTransaction(app.pg, async (db) => {
        await requireClient(db, id, user, true);
        const zones = await curfewZones(db, id, true);
        if (!zones.length) throw new Errors.NOT_FOUND(`curfew of client ${id}`);
        for (const z of zones) await deleteZone(db, id, z, reason, user, { curfew: 'lifted' });
        return curfewView(db, id, user);
      });
    },
  );
};

export default curfewRoutes;
