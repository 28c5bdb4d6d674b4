import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { kgzPlaces } from '../../../infra/places/kgz-places.ts';
import { Nullable } from '../../cases/schemas.ts';

const Names = Type.Object({ ru: Nullable(Type.String()), ky: Nullable(Type.String()), en: Nullable(Type.String()) }, { description: 'A missing name is null: show another language' });
const PlaceHit = Type.Object({
  id: Type.String(),
  kind: Type.Enum(['place', 'unit'], { description: 'place: a settlement (GeoNames); unit: an administrative unit' }),
  level: Type.Optional(Type.Integer({ description: 'A unit: 1 (oblast) or 2 (district, city)' })),
  names: Names,
  lon: Type.Number(),
  lat: Type.Number(),
  unit: Nullable(Type.Object({ id: Type.String(), names: Names }, { description: 'The level-2 unit containing it' })),
});

/**
 * Address search over the offline Kyrgyz place list (infra/data/places: GeoNames settlements and
 * the administrative units' names). Nothing leaves the server: no geocoding service is asked.
 */
const placeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/places',
    {
      preHandler: app.requireUser(),
      schema: {
        tags: ['reference'],
        summary: 'Search Kyrgyz places and administrative units by name (Russian, Kyrgyz or English; prefix, any word, or 3+ letters inside), with the data attribution',
        querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 100 }), limit: Type.Integer({ minimum: 1, maximum: 50, default: 10 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ attribution: Type.String(), items: Type.Array(PlaceHit) }) },
      },
    },
    async (request, reply) => {
      const { q, limit } = request.query as { q: string; limit: number };
      const { file, index } = kgzPlaces();
      reply.header('cache-control', 'private, max-age=3600');
      return {
        attribution: file.attribution,
        items: index.search(q, limit).map(({ place: p }) => {
          const unit = p.unitId ? index.byId(`u-${p.unitId}`) : undefined;
          return {
            id: p.id, kind: p.kind, ...(p.level ? { level: p.level } : {}), names: p.names, lon: p.lon, lat: p.lat,
            unit: p.unitId ? { id: p.unitId, names: unit?.names ?? { ru: null, ky: null, en: p.unitId } } : null,
          };
        }),
      };
    },
  );
};

export default placeRoutes;
