import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import { actorOf } from '../../cases/client-record.ts';
import { districtScope } from '../../plugins/application/auth.ts';
import { ErrorBody } from './alerts.ts';

export const LIVE_TAG_STATES = ['ok', 'alert', 'offline'] as const;

export const LiveTagSchema = Type.Object({
  deviceId: Type.String(),
  clientId: Type.String({ format: 'uuid' }),
  lon: Type.Number(),
  lat: Type.Number(),
  accuracyM: Type.Number(),
  at: Type.Integer({ description: 'Device time of the latest fix, epoch ms' }),
  state: Type.Enum(LIVE_TAG_STATES),
});
export const LiveTagsSchema = Type.Object({ items: Type.Array(LiveTagSchema) });
export type LiveTag = Static<typeof LiveTagSchema>;

/**
 * The live map's data: the latest fix of every assigned tag and its state. "alert" wins over
 * "offline": an unresolved alert is what an operator must act on. A tag is offline when it said so
 * (last will) or has been silent for three reporting intervals.
 */
/**
 * The live map shows where every visible client is now: personal data, so its use is audited. The
 * map refreshes every few seconds; one entry per user per AUDIT_EVERY_MS says who watched which
 * district's map and when, without an entry per refresh.
 */
const AUDIT_EVERY_MS = 15 * 60_000;

const liveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const lastAudited = new Map<string, number>();
  app.get(
    '/live/tags',
    {
      preHandler: app.requireUser(),
      schema: { tags: ['live'], summary: 'Latest fix and state of every assigned tag (district-scoped), for the live map', response: { 200: LiveTagsSchema, 401: ErrorBody } },
    },
    async (request) => {
      const scope = districtScope(request.user!);
      // One index probe per tag on the positions primary key (device_id, device_time, seq).
      const { rows } = await app.pg.query<{ device_id: string; client_id: string; lon: number; lat: number; accuracy_m: number; at: Date; state: LiveTag['state'] }>(
        `select d.id as device_id, d.client_id, p.lon, p.lat, p.accuracy_m, p.device_time as at,
                case when exists (select 1 from alerts a where a.client_id = d.client_id and a.status <> 'resolved') then 'alert'
                     when d.online is false or d.last_seen_at is null
                       or d.last_seen_at < now() - make_interval(secs => 3 * d.report_interval_s) then 'offline'
                     else 'ok' end as state
           from devices d
           join clients c on c.id = d.client_id
           cross join lateral (
             select lon, lat, accuracy_m, device_time from positions
              where device_id = d.id order by device_time desc, seq desc limit 1
           ) p
          where d.status = 'assigned' ${scope ? 'and c.district_id = $1' : ''}`,
        scope ? [scope] : [],
      );
      const user = request.user!;
      const now = Date.now();
      if (now - (lastAudited.get(user.id) ?? 0) >= AUDIT_EVERY_MS) {
        lastAudited.set(user.id, now);
        await inTransaction(app.pg, (db) =>
          appendAudit(db, {
            actor: actorOf(user), action: 'live.read', subjectType: 'district', subjectId: scope ?? '*',
            details: { tags: rows.length, auditedEveryMinutes: AUDIT_EVERY_MS / 60_000 },
          }),
        );
      }
      return {
        items: rows.map((r) => ({ deviceId: r.device_id, clientId: r.client_id, lon: r.lon, lat: r.lat, accuracyM: r.accuracy_m, at: r.at.getTime(), state: r.state })),
      };
    },
  );
};

export default liveRoutes;
