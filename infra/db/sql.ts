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
  // JIT off: every query here is short (index probes, batch inserts), and PostgreSQL's cost-based
  // JIT switched on for the live map's 10,000 lateral probes spent 475 ms compiling a 150 ms query.
  const pool = new pg.Pool({ connectionString, max, application_name: 'kgz-em', options: '-c jit=off' });
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

/**
 * Runs `fn` in a transaction on one pooled client: commits on success, rolls back on any error.
 * A client that failed may hold a dead connection (a database restart), so it is destroyed rather
 * than returned to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let failed = false;
  // pg-pool removes its own error listener from a client while it is checked out: a backend that
  // dies between two statements (a database crash) would then emit an unhandled 'error' and take
  // the whole process down. The failure reaches us through the next query instead.
  const onError = () => {
    failed = true;
  };
  client.on('error', onError);
  try {
    await client.query('begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    failed = true;
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.removeListener('error', onError);
    client.release(failed);
  }
}

/**
 * PostgreSQL array literals for the `unnest($n::type[])` parameters of batch writes. node-postgres
 * serialises a JS array element by element through its generic value preparation; for the
 * thousands of numbers and ids of an ingest batch building the literal directly costs a fraction.
 * Numbers must be finite (validated upstream).
 */
export function numberArrayLiteral(values: readonly (number | null)[]): string {
  let s = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    s += (i ? ',' : '') + (v === null || v === undefined ? 'NULL' : String(v));
  }
  return s + '}';
}

export function textArrayLiteral(values: readonly (string | null)[]): string {
  let s = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i) s += ',';
    if (v === null || v === undefined) s += 'NULL';
    else if (v.includes('"') || v.includes('\\')) s += `"${v.replace(/[\\"]/g, '\\$&')}"`;
    else s += `"${v}"`;
  }
  return s + '}';
}
