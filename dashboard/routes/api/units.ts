import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Attribution the boundary data's licence requires wherever it is shown (infra/data/kgz/SOURCE.md). */
export const BOUNDARY_ATTRIBUTION =
  'Administrative boundaries © Ministry of Emergency Situations of the Kyrgyz Republic (2018), via OCHA Common Operational Datasets (HDX: cod-ab-kgz), CC BY-IGO 3.0. Bishkek/Osh city, oblast and country outlines derived from that data.';

const unitsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/units',
    {
      schema: {
        tags: ['reference'],
        summary: 'Administrative units of one level as a GeoJSON FeatureCollection, with the data attribution',
        querystring: Type.Object({ level: Type.Integer({ minimum: 0, maximum: 2, default: 2 }) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const { level } = request.query as { level: number };
      const { rows } = await app.pg.query<{ id: string; name_en: string; name_ru: string; name_ky: string; parent_id: string | null; geometry: unknown }>(
        'select id, name_en, name_ru, name_ky, parent_id, geometry from admin_units where level = $1 order by id',
        [level],
      );
      reply.header('cache-control', 'public, max-age=3600');
      return {
        type: 'FeatureCollection',
        attribution: BOUNDARY_ATTRIBUTION,
        features: rows.map((r) => ({
          type: 'Feature',
          id: r.id,
          properties: { id: r.id, level, parentId: r.parent_id, nameEn: r.name_en, nameRu: r.name_ru, nameKy: r.name_ky },
          geometry: r.geometry,
        })),
      };
    },
  );
};

export default unitsRoutes;
