import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { provisionDeviceSecretIn, revokeDeviceSecretIn } from '../../../infra/broker/device-credentials.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import { Errors, outOfScope } from '../../errors.ts';
import { districtScope } from '../../plugins/application/auth.ts';
import { actorOf, requireClient } from '../../cases/client-record.ts';
import { assignmentView, removeDevice } from '../../cases/device-assignment.ts';
import { Assignment, EpochMs, errors } from '../../cases/schemas.ts';

const DeviceId = Type.String({ pattern: '^[A-Za-z0-9_-]{3,64}$' });
const Reason = Type.String({ minLength: 3, maxLength: 2000, description: 'Why (audited)' });
const DeviceParams = Type.Object({ deviceId: DeviceId });
const STATUSES = ['in_stock', 'assigned', 'faulty', 'lost', 'retired'] as const;

const NewDevice = Type.Object(
  {
    id: DeviceId,
    model: Type.String({ minLength: 1, maxLength: 100 }),
    firmware: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    reportIntervalS: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400, description: "The tag's plan interval, seconds; default 60" })),
    reason: Reason,
  },
  { additionalProperties: false },
);
const DeviceView = Type.Object({
  id: Type.String(),
  model: Type.Union([Type.String(), Type.Null()]),
  firmware: Type.Union([Type.String(), Type.Null()]),
  status: Type.Enum(STATUSES),
  clientId: Type.Union([Type.String(), Type.Null()]),
  clientName: Type.Union([Type.String(), Type.Null()]),
  reportIntervalS: Type.Integer(),
  lastSeenAt: Type.Union([EpochMs, Type.Null()]),
  batteryLevel: Type.Union([Type.Integer(), Type.Null()]),
  credentials: Type.Enum(['provisioned', 'development', 'revoked'], { description: "provisioned: the tag's own secret; development: the derived password (refused in production); revoked" }),
  unassignedFixes: Type.Integer({ description: 'Fixes the tag sent while fitted on nobody (stored with no client)' }),
  unassignedFixAt: Type.Union([EpochMs, Type.Null()]),
  createdAt: EpochMs,
});
const DeviceDetail = Type.Intersect([DeviceView, Type.Object({ assignments: Type.Array(Assignment) })]);
const ListQuery = Type.Object(
  { status: Type.Optional(Type.Enum(STATUSES)), q: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'device id prefix' })) },
  { additionalProperties: false },
);

interface DeviceRow {
  id: string; model: string | null; firmware: string | null; status: (typeof STATUSES)[number]; client_id: string | null; full_name: string | null; report_interval_s: number;
  last_seen_at: Date | null; battery_level: number | null; broker_secret_hash: string | null; credentials_revoked_at: Date | null;
  unassigned_fixes: string; unassigned_fix_at: Date | null; created_at: Date;
}
const COLUMNS = `d.id, d.model, d.firmware, d.status, d.client_id, c.full_name, d.report_interval_s, d.last_seen_at, d.battery_level, d.broker_secret_hash,
                 d.credentials_revoked_at, d.unassigned_fixes, d.unassigned_fix_at, d.created_at`;
const ms = (d: Date | null) => (d ? d.getTime() : null);
const toView = (r: DeviceRow): Static<typeof DeviceView> => ({
  id: r.id, model: r.model, firmware: r.firmware, status: r.status, clientId: r.client_id, clientName: r.full_name, reportIntervalS: r.report_interval_s,
  lastSeenAt: ms(r.last_seen_at), batteryLevel: r.battery_level,
  credentials: r.credentials_revoked_at ? 'revoked' : r.broker_secret_hash ? 'provisioned' : 'development',
  unassignedFixes: Number(r.unassigned_fixes), unassignedFixAt: ms(r.unassigned_fix_at), createdAt: r.created_at.getTime(),
});

/**
 * The device registry (issue 19): enrol a tag and hand out its broker secret once, rotate it,
 * mark a tag lost (its account is revoked at once; the broker sync agent reloads the broker, see
 * infra/broker/broker-account-sync.ts). Officers see the tags in stock and those on their
 * district's clients; the monitoring centre sees all. Fitting, removal and swaps are case actions
 * (clients.ts, device-swap.ts).
 */
const deviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/devices',
    {
      preHandler: app.requireUser(),
      schema: { tags: ['devices'], summary: 'The device registry', querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(DeviceView) }), ...errors } },
    },
    async (request) => {
      const q = request.query as Static<typeof ListQuery>;
      const scope = districtScope(request.user!);
      const { rows } = await app.pg.query<DeviceRow>(
        `select ${COLUMNS} from devices d left join clients c on c.id = d.client_id
          where ($1::text is null or d.status = $1) and ($2::text is null or starts_with(d.id, $2))
            and ($3::text is null or d.client_id is null or c.district_id = $3)
          order by d.id limit 5000`,
        [q.status ?? null, q.q ?? null, scope],
      );
      return { items: rows.map(toView) };
    },
  );

  app.get(
    '/devices/:deviceId',
    {
      preHandler: app.requireUser(),
      schema: { tags: ['devices'], summary: 'A tag and its assignments, newest first', params: DeviceParams, response: { 200: DeviceDetail, ...errors } },
    },
    async (request) => {
      const { deviceId } = request.params as Static<typeof DeviceParams>;
      const device = await readDevice(deviceId, districtScope(request.user!));
      const { rows } = await app.pg.query<{ id: string; client_id: string; fitted_at: Date; removed_at: Date | null; removal_code: string | null }>(
        'select id, client_id, fitted_at, removed_at, removal_code from device_assignments where device_id = $1 order by fitted_at desc limit 200',
        [deviceId],
      );
      return { ...device, assignments: rows.map((r) => assignmentView(r, deviceId, r.client_id)) };
    },
  );

  app.post(
    '/devices',
    {
      preHandler: app.requireUser('operator', 'admin'),
      schema: {
        tags: ['devices'],
        summary: 'Enrol a tag: it goes into stock with its own broker secret, returned here once and never again',
        body: NewDevice,
        response: { 201: Type.Object({ device: DeviceView, secret: Type.String({ description: 'Load it into the tag now: only its hash is kept' }) }), ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body as Static<typeof NewDevice>;
      const user = request.user!;
      const secret = await inTransaction(app.pg, async (db) => {
        const inserted = await db.query(
          `insert into devices (id, model, firmware, report_interval_s, enrolled_by) values ($1, $2, $3, $4, $5) on conflict (id) do nothing`,
          [b.id, b.model, b.firmware ?? null, b.reportIntervalS ?? 60, user.id],
        );
        if (!inserted.rowCount) throw new Errors.CONFLICT(`body/id: device ${b.id} is already enrolled`);
        await appendAudit(db, { actor: actorOf(user), action: 'device.enrol', subjectType: 'device', subjectId: b.id, reason: b.reason, details: { model: b.model, firmware: b.firmware ?? null } });
        return provisionDeviceSecretIn(db, b.id, actorOf(user), `enrolled: ${b.reason}`);
      });
      return reply.status(201).send({ device: await readDevice(b.id, null), secret });
    },
  );

  app.post(
    '/devices/:deviceId/credentials',
    {
      preHandler: app.requireUser('operator', 'admin'),
      schema: {
        tags: ['devices'],
        summary: "Issue the tag a new broker secret (rotation, or a tag found again); the old one stops working at the broker's reload",
        params: DeviceParams,
        body: Type.Object({ reason: Reason }, { additionalProperties: false }),
        response: { 200: Type.Object({ device: DeviceView, secret: Type.String() }), ...errors },
      },
    },
    async (request) => {
      const { deviceId } = request.params as Static<typeof DeviceParams>;
      const { reason } = request.body as { reason: string };
      await readDevice(deviceId, null);
      const secret = await inTransaction(app.pg, async (db) => {
        const lost = await db.query(`update devices set status = 'in_stock' where id = $1 and status = 'lost'`, [deviceId]);
        if (lost.rowCount) await appendAudit(db, { actor: actorOf(request.user!), action: 'device.found', subjectType: 'device', subjectId: deviceId, reason });
        return provisionDeviceSecretIn(db, deviceId, actorOf(request.user!), reason);
      });
      return { device: await readDevice(deviceId, null), secret };
    },
  );

  app.post(
    '/devices/:deviceId/lost',
    {
      preHandler: app.requireUser('operator', 'officer', 'admin'),
      schema: {
        tags: ['devices'],
        summary: 'Mark a tag lost: its broker account is revoked at once; a fitted tag comes off its client (removal code lost)',
        params: DeviceParams,
        body: Type.Object({ reason: Reason, at: Type.Optional(Type.Integer({ minimum: 0, description: 'When it was lost (epoch ms); defaults to now' })) }, { additionalProperties: false }),
        response: { 200: DeviceView, ...errors },
      },
    },
    async (request) => {
      const { deviceId } = request.params as Static<typeof DeviceParams>;
      const b = request.body as { reason: string; at?: number };
      const user = request.user!;
      const at = b.at ?? Date.now();
      if (at > Date.now() + 60_000) throw new Errors.VALIDATION('body/at cannot be in the future');
      const device = await readDevice(deviceId, districtScope(user));
      if (device.status === 'lost' || device.status === 'retired') throw new Errors.CONFLICT(`device ${deviceId} is already ${device.status}`);
      await inTransaction(app.pg, async (db) => {
        if (device.clientId) {
          await requireClient(db, device.clientId, user, true);
          await removeDevice(db, device.clientId, deviceId, at, user, b.reason, 'lost');
        } else {
          await db.query(`update devices set status = 'lost' where id = $1`, [deviceId]);
          await revokeDeviceSecretIn(db, deviceId, actorOf(user), `lost: ${b.reason}`);
        }
        await appendAudit(db, { actor: actorOf(user), action: 'device.lost', subjectType: 'device', subjectId: deviceId, reason: b.reason, details: { at, clientId: device.clientId } });
      });
      return readDevice(deviceId, null);
    },
  );

  /** A device the user may see: an officer sees tags in stock and those on their district's clients. */
  async function readDevice(deviceId: string, scope: string | null): Promise<Static<typeof DeviceView>> {
    const { rows } = await app.pg.query<DeviceRow & { district_id: string | null }>(
      `select ${COLUMNS}, c.district_id from devices d left join clients c on c.id = d.client_id where d.id = $1`,
      [deviceId],
    );
    const r = rows[0];
    if (!r) throw new Errors.NOT_FOUND(`device ${deviceId}`);
    if (scope && r.district_id && r.district_id !== scope) throw outOfScope(`device ${deviceId}`, `on a client of district ${r.district_id}, not the user's ${scope}`);
    return toView(r);
  }
};

export default deviceRoutes;
