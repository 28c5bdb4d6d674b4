import pg from 'pg';

/**
 * The few operations the migrator and the storage layer need. Both a node-postgres pool and PGlite
 * (used to test the TimescaleDB path) satisfy it, so the same migrations run on both.
 */
export interface SqlExecutor {
  query<R extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** Runs a script of several statements (no parameters). */
  exec(text: string): Promise<void>;
}

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: 'kgz-em' });
  // An idle client losing its connection (e.g. PostgreSQL restart) must not crash the process;
  // the pool discards it and the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

export function poolExecutor(pool: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    query: async <R extends object>(text: string, params?: unknown[]) => {
      const res = await pool.query(text, params as unknown[]);
      return { rows: res.rows as R[] };
    },
    exec: async (text: string) => {
      await pool.query(text);
    },
  };
}
