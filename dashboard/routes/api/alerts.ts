import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ALERT_COLUMNS, rowToAlert, type AlertRecord } from '../../../alerts/alert-record.ts';
import { ALERT_STATUSES, ALERT_TYPES, SEVERITIES } from '../../../infra/domain/types.ts';
import { Errors, outOfScope } from '../../errors.ts';
import type { LiveMessage } from '../../../alerts/alert-record.ts';
import { districtScope } from '../../plugins/application/auth.ts';
import { districtListFilter } from '../../cases/list-filter.ts';


export const AlertSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  episodeKey: Type.String(),
  clientId: Type.String({ format: 'uuid' }),
  deviceId: Type.Union([Type.String(), Type.Null()]),
  type: Type.Enum(ALERT_TYPES),
  severity: Type.Enum(SEVERITIES),
  status: Type.Enum(ALERT_STATUSES),
  openedAt: Type.Integer({ description: 'Device time the episode opened, epoch ms' }),
  closedAt: Type.Union([Type.Integer(), Type.Null()]),
  lon: Type.Union([Type.Number(), Type.Null()]),
  lat: Type.Union([Type.Number(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.Integer(),
  acknowledgedAt: Type.Union([Type.Integer(), Type.Null()]),
  resolvedAt: Type.Union([Type.Integer(), Type.Null()]),
  outcome: Type.Union([Type.String(), Type.Null()]),
  escalatedAt: Type.Union([Type.Integer(), Type.Null()]),
});

const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(ALERT_STATUSES)),
    active: Type.Optional(Type.Boolean({ description: 'Only alerts still being worked (open or acknowledged)' })),
    severity: Type.Optional(Type.Enum(SEVERITIES)),
    type: Type.Optional(Type.Enum(ALERT_TYPES)),
    clientId: Type.Optional(Type.String({ format: 'uuid' })),
    districtId: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Opened at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Opened before' })),
    sort: Type.Enum(['newest', 'severity'], { default: 'newest', description: 'newest first, or most severe first (then newest); cursors belong to their sort' }),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
  },
  { additionalProperties: false },
);

export const ErrorBody = Type.Object({ statusCode: Type.Integer(), code: Type.String(), error: Type.String(), message: Type.String() });

/** Keyset cursor over (opened_at desc, id desc): stable and index-friendly however deep the page. */
function encodeCursor(openedAt: number, id: string): string {
  return Buffer.from(`${openedAt}|${id}`).toString('base64url');
}
function decodeCursor(cursor: string): { openedAt: number; id: string } {
  const [t, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const openedAt = Number(t);
  if (!id || !Number.isSafeInteger(openedAt) || !/^[0-9a-f-]{36}$/.test(id)) throw new Errors.BAD_CURSOR();
  return { openedAt, id };
}

/** The severity-first order's cursor: (severity rank asc, opened_at desc, id desc), tagged so that it cannot be mixed up with the other. */
const SEVERITY_RANK = `array_position(array['critical','high','medium','low'], a.severity)`;
function encodeSeverityCursor(severity: string, openedAt: number, id: string): string {
  return Buffer.from(`s|${SEVERITIES.indexOf(severity as (typeof SEVERITIES)[number]) + 1}|${openedAt}|${id}`).toString('base64url');
}
function decodeSeverityCursor(cursor: string): { rank: number; openedAt: number; id: string } {
  const [tag, r, t, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const rank = Number(r);
  const openedAt = Number(t);
  if (tag !== 's' || !id || !Number.isInteger(rank) || rank < 1 || rank > SEVERITIES.length || !Number.isSafeInteger(openedAt) || !/^[0-9a-f-]{36}$/.test(id)) throw new Errors.BAD_CURSOR();
  return { rank, openedAt, id };
}

const alertsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/alerts',
    {
      preHandler: app.requireUser(),
      schema: {
        tags: ['alerts'],
        summary: 'List alerts, newest first, with filters and keyset pagination',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(AlertSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), 400: ErrorBody },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof ListQuery>;
      // The alert queue filters by client without the not-found check of clientListFilter.
      const f = districtListFilter(request.user!);
      if (q.status) f.where('a.status = ?', q.status);
      if (q.active) f.where(`a.status <> 'resolved'`);
      if (q.severity) f.where('a.severity = ?', q.severity);
      if (q.type) f.where('a.type = ?', q.type);
      if (q.clientId) f.where('a.client_id = ?', q.clientId);
      if (q.districtId) f.where('c.district_id = ?', q.districtId);
      if (q.from) f.where('a.opened_at >= ?', q.from);
      if (q.to) f.where('a.opened_at < ?', q.to);
      const bySeverity = q.sort === 'severity';
      if (q.cursor && bySeverity) {
        const c = decodeSeverityCursor(q.cursor);
        const [r, t, i] = [f.param(c.rank), f.param(c.openedAt), f.param(c.id)];
        f.where(`(${SEVERITY_RANK} > ${r} or (${SEVERITY_RANK} = ${r} and (a.opened_at, a.id) < (to_timestamp(${t} / 1000.0), ${i}::uuid)))`);
      } else if (q.cursor) {
        const c = decodeCursor(q.cursor);
        f.where('(a.opened_at, a.id) < (to_timestamp(? / 1000.0), ?::uuid)', c.openedAt, c.id);
      }
      const sql = `select ${ALERT_COLUMNS.split(',').map((c) => `a.${c.trim()}`).join(', ')}
                     from alerts a join clients c on c.id = a.client_id
                    ${f.clause()}
                    order by ${bySeverity ? `${SEVERITY_RANK}, ` : ''}a.opened_at desc, a.id desc
                    limit ${f.param(q.limit + 1)}`;
      const { rows } = await app.pg.query(sql, f.params);
      const items = rows.slice(0, q.limit).map(rowToAlert);
      const last = items[items.length - 1];
      const next = !(rows.length > q.limit && last) ? null : bySeverity ? encodeSeverityCursor(last.severity, last.openedAt, last.id) : encodeCursor(last.openedAt, last.id);
      return { items, nextCursor: next };
    },
  );

  app.get(
    '/alerts/:id',
    {
      preHandler: app.requireUser(),
      schema: {
        tags: ['alerts'],
        summary: 'One alert',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: AlertSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const alert = await findAlert(app, id, districtScope(request.user!));
      if (!alert) throw new Errors.NOT_FOUND(`alert ${id}`);
      return alert;
    },
  );

  app.get(
    '/alerts/stream',
    {
      preHandler: app.requireUser(),
      schema: {
        tags: ['alerts'],
        summary: 'Server-sent events: `alert.raised`, `alert.updated`, `alert.escalated`, `travel_request.deadline_near` and `travel_request.deadline_breached` as they happen',
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');
      const scope = districtScope(request.user!);
      const onEvent = (e: LiveMessage) => {
        if (scope && e.districtId !== scope) return;
        const body = 'alert' in e ? e.alert : e.travelRequest;
        res.write(`event: ${e.event}\nid: ${body.id}\ndata: ${JSON.stringify(body)}\n\n`);
      };
      // Proxies drop idle connections; a comment every 15 s keeps the stream open.
      const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
      app.liveAlerts.on('event', onEvent);
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        app.liveAlerts.off('event', onEvent);
      });
    },
  );
};

/**
 * An alert the user may see, or null: another district's alert is "not found" for an officer, so
 * that the API does not even confirm that it exists.
 */
export async function findAlert(app: FastifyInstance, id: string, scope: string | null): Promise<(AlertRecord & { districtId: string }) | null> {
  const { rows } = await app.pg.query(
    `select ${ALERT_COLUMNS.split(',').map((c) => `a.${c.trim()}`).join(', ')}, c.district_id
       from alerts a join clients c on c.id = a.client_id where a.id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  if (scope && r.district_id !== scope) throw outOfScope(`alert ${id}`, `alert of district ${String(r.district_id)}, not the user's ${scope}`);
  return { ...rowToAlert(r), districtId: r.district_id as string };
}

export default alertsRoutes;
