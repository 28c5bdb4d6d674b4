import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { createPool } from '../../../infra/db/sql.ts';

declare module 'fastify' {
  interface FastifyInstance {
    pg: pg.Pool;
  }
}

export default fp(
  async function postgres(app: FastifyInstance, opts: { connectionString: string; max: number }) {
    const pool = createPool(opts.connectionString, opts.max);
    app.decorate('pg', pool);
    app.addHook('onClose', async () => pool.end());
  },
  { name: 'postgres' },
);
