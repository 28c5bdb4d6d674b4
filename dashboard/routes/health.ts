import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Errors } from '../errors.ts';

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['ops'],
        summary: 'Liveness and database reachability',
        response: { 200: Type.Object({ status: Type.Literal('ok'), storage: Type.String() }) },
      },
    },
    async () => {
      try {
        const { rows } = await app.pg.query<{ value: string }>(`select value from storage_settings where key = 'positions_engine'`);
        return { status: 'ok' as const, storage: rows[0]?.value ?? 'unknown' };
      } catch (err) {
        throw new Errors.UNAVAILABLE(`database: ${(err as Error).message}`);
      }
    },
  );
};

export default healthRoutes;
