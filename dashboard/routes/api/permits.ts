import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { clientListFilter } from '../../cases/list-filter.ts';
import { ErrorBody, PermitSchema, Uuid } from '../../cases/schemas.ts';

const ListQuery = Type.Object(
  { clientId: Type.Optional(Uuid), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }) },
  { additionalProperties: false },
);
/** Without a client, the map shows permits valid now or ending at most this long ago. */
const RECENT_DAYS = 7;

const permitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/permits',
    {
      preHandler: app.requireUser(),
      schema: {
        tags: ['travel'],
        summary: 'Permits with destination units and validity, for the map (all of a client, or current ones of the visible clients)',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(PermitSchema) }), 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof ListQuery>;
      const f = await clientListFilter(app.pg, request.user!, q.clientId, 'p.client_id');
      if (!q.clientId) f.where(`p.valid_until > now() - interval '${RECENT_DAYS} days' and p.revoked_at is null`);
      const { rows } = await app.pg.query<{
        id: string; client_id: string; category: 'exceptional_circumstances'; destination_unit_ids: string[]; valid_from: Date; valid_until: Date; revoked_at: Date | null; travel_request_id: string | null; corridor: { path: [number, number][]; halfWidthM: number } | null;
      }>(
        `select p.id, p.client_id, p.category, p.destination_unit_ids, p.valid_from, p.valid_until, p.revoked_at, p.travel_request_id, p.corridor
           from permits p join clients c on c.id = p.client_id ${f.clause()}
          order by p.valid_from desc, p.id limit ${f.param(q.limit)}`,
        f.params,
      );
      return {
        items: rows.map((r) => ({
          id: r.id, clientId: r.client_id, category: r.category, destinationUnitIds: r.destination_unit_ids, validFrom: r.valid_from.getTime(),
          validUntil: r.valid_until.getTime(), revokedAt: r.revoked_at ? r.revoked_at.getTime() : null, travelRequestId: r.travel_request_id, route: r.corridor,
        })),
      };
    },
  );
};

export default permitRoutes;
