import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type pg from 'pg';
import { createPool, inTransaction } from '../../infra/db/sql.ts';

// Found by the PostgreSQL-crash fault test: a backend that dies while its client is checked out
// between two statements made pg emit an 'error' nobody listened to, which killed ingest.
describe('inTransaction when the database connection dies mid-transaction', () => {
  let pool: pg.Pool;
  let admin: pg.Pool;
  beforeAll(() => {
    pool = createPool(inject('databaseUrl'), 2);
    admin = createPool(inject('databaseUrl'), 1);
  });
  afterAll(async () => {
    await pool.end();
    await admin.end();
  });

  it('rejects the transaction instead of crashing the process, and the pool recovers', async () => {
    const work = inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
      // The termination arrives while no statement is running: the moment that used to crash.
      await new Promise((r) => setTimeout(r, 300));
      await client.query('select 1');
    });
    await expect(work).rejects.toThrow();
    const { rows } = await pool.query<{ ok: number }>('select 1 as ok');
    expect(rows[0]!.ok).toBe(1);
  });
});
