import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../../../infra/config/config.ts';
import { outOfScope } from '../../errors.ts';
import { districtScope } from '../../plugins/application/auth.ts';
import { ErrorBody } from './alerts.ts';

const StatsQuery = Type.Object(
  {
    districtId: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: "Admins: one district (default: all). Supervisors: only their own" })),
    days: Type.Integer({ minimum: 1, maximum: 366, default: 30 }),
  },
  { additionalProperties: false },
);

export const DistrictStatsSchema = Type.Object({
  districtId: Type.Union([Type.String(), Type.Null()]),
  days: Type.Integer(),
  alertsPerDay: Type.Array(Type.Object({ day: Type.String({ description: 'YYYY-MM-DD, Asia/Bishkek' }), total: Type.Integer(), critical: Type.Integer() })),
  /** Median minutes from raise to acknowledgement over the window; null when nothing was acknowledged. */
  medianAckMinutes: Type.Union([Type.Number(), Type.Null()]),
  acknowledged: Type.Integer(),
  /** Alerts acknowledged after their severity's target, or still unacknowledged past it. */
  slaBreaches: Type.Integer(),
  escalated: Type.Integer(),
  /** Travel requests awaiting a decision; null while the case schema has no travel requests. */
  pendingRequests: Type.Union([Type.Integer(), Type.Null()]),
  clientsPerOfficer: Type.Array(Type.Object({ officerId: Type.Union([Type.String(), Type.Null()]), officer: Type.Union([Type.String(), Type.Null()]), clients: Type.Integer() })),
});
export type DistrictStats = Static<typeof DistrictStatsSchema>;

/** A supervisor's district figures over the last `days` days (calendar days in Asia/Bishkek). */
const statsRoutes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  app.get(
    '/stats/district',
    {
      preHandler: app.requireUser('supervisor', 'admin'),
      schema: {
        tags: ['stats'],
        summary: 'District figures: alerts per day, median time to acknowledge, SLA breaches, pending requests, clients per officer',
        querystring: StatsQuery,
        response: { 200: DistrictStatsSchema, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof StatsQuery>;
      const scope = districtScope(request.user!);
      // Another district is "not found" for a supervisor, as everywhere else.
      if (scope && q.districtId && q.districtId !== scope) throw outOfScope(`district ${q.districtId}`, `statistics of district ${q.districtId}, not the user's ${scope}`);
      const district = scope ?? q.districtId ?? null;
      const sla = [config.SLA_CRITICAL_ACK_MINUTES, config.SLA_HIGH_ACK_MINUTES, config.SLA_MEDIUM_ACK_MINUTES, config.SLA_LOW_ACK_MINUTES];
      const inWindow = `a.created_at >= date_trunc('day', now() at time zone 'Asia/Bishkek') at time zone 'Asia/Bishkek' - make_interval(days => $2 - 1)
                        and ($1::text is null or c.district_id = $1)`;
      const perDay = await app.pg.query<{ day: string; total: number; critical: number }>(
        `select to_char(a.created_at at time zone 'Asia/Bishkek', 'YYYY-MM-DD') as day, count(*)::int as total,
                count(*) filter (where a.severity = 'critical')::int as critical
           from alerts a join clients c on c.id = a.client_id where ${inWindow} group by 1 order by 1`,
        [district, q.days],
      );
      const ack = await app.pg.query<{ median_min: number | null; acknowledged: number; breaches: number; escalated: number }>(
        `select percentile_cont(0.5) within group (order by extract(epoch from a.acknowledged_at - a.created_at) / 60.0)
                  filter (where a.acknowledged_at is not null) as median_min,
                count(a.acknowledged_at)::int as acknowledged,
                count(*) filter (where coalesce(a.acknowledged_at, now()) > a.created_at + make_interval(secs => 60 *
                  (array[$3, $4, $5, $6]::float8[])[array_position(array['critical','high','medium','low'], a.severity)]))::int as breaches,
                count(a.escalated_at)::int as escalated
           from alerts a join clients c on c.id = a.client_id where ${inWindow}`,
        [district, q.days, ...sla],
      );
      const officers = await app.pg.query<{ officer_id: string | null; officer: string | null; clients: number }>(
        `select c.officer_id, u.display_name as officer, count(*)::int as clients
           from clients c left join users u on u.id = c.officer_id
          where ($1::text is null or c.district_id = $1) group by 1, 2 order by 3 desc, 2`,
        [district],
      );
      const a = ack.rows[0]!;
      return {
        districtId: district,
        days: q.days,
        alertsPerDay: perDay.rows,
        medianAckMinutes: a.median_min === null ? null : Number(a.median_min),
        acknowledged: a.acknowledged,
        slaBreaches: a.breaches,
        escalated: a.escalated,
        pendingRequests: await pendingRequests(app, district),
        clientsPerOfficer: officers.rows.map((r) => ({ officerId: r.officer_id, officer: r.officer, clients: r.clients })),
      };
    },
  );
};

async function pendingRequests(app: Parameters<FastifyPluginAsyncTypebox>[0], district: string | null): Promise<number | null> {
  const { rows } = await app.pg.query<{ t: string | null }>(`select to_regclass('travel_requests')::text as t`);
  if (!rows[0]?.t) return null;
  const r = await app.pg.query<{ n: number }>(
    `select count(*)::int as n from travel_requests t join clients c on c.id = t.client_id
      where t.status = 'pending' and ($1::text is null or c.district_id = $1)`,
    [district],
  );
  return r.rows[0]!.n;
}

export default statsRoutes;
