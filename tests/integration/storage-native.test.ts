import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureStorage, loadMigrations, migrate } from '../../infra/db/migrate.ts';
import { numberArrayLiteral, poolExecutor, textArrayLiteral, type SqlExecutor } from '../../infra/db/sql.ts';
import { freshDatabase } from '../support/fresh-database.ts';

// The native path: this machine's PostgreSQL has no TimescaleDB, so migrations must choose daily
// range partitions, keep them ahead of time, move late rows out of the default partition and drop
// partitions past retention.
describe('position storage without TimescaleDB (native partitions)', () => {
  let client: pg.Client;
  let db: SqlExecutor;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase('native');
    drop = fresh.drop;
    client = new pg.Client({ connectionString: fresh.url });
    await client.connect();
    db = poolExecutor(client as unknown as pg.PoolClient);
    await migrate(db);
  });
  afterAll(async () => {
    await client.end();
    await drop();
  });

  const partitions = async () =>
    (
      await db.query<{ name: string }>(
        `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'positions'::regclass order by 1`,
      )
    ).rows.map((r) => r.name);

  const insert = (deviceTime: string, seq = 1) =>
    db.query(
      `insert into positions (device_id, device_time, seq, lon, lat, accuracy_m, source) values ('T1', $1, $2, 74.6, 42.87, 5, 'gps')
       on conflict do nothing returning seq`,
      [deviceTime, seq],
    );

  it('chooses the native engine and creates daily partitions ahead of time', async () => {
    const { engine, report } = await configureStorage(db, { retentionDays: 30, compressAfterDays: 7, aheadDays: 3 });
    expect(engine).toBe('native');
    expect(report).toMatch(/^native: \d+ partitions created/);
    const today = new Date();
    const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    const names = await partitions();
    for (const offset of [-1, 0, 1, 2, 3]) expect(names).toContain(`positions_p${day(offset)}`);
    expect(names).toContain('positions_default');
  });

  it('reads the batch array literals of ingest back exactly (numbers, ids, NULLs, quotes)', async () => {
    const nums = [74.6123456789, -0.5, 1795324214222, 1e-7, 123456789.123456, null];
    const texts = ['KG-TAG-000001', null, 'a"b', 'c\\d', 'NULL', '', 'Бишкек'];
    const { rows } = await db.query<{ n: (number | null)[]; t: (string | null)[] }>('select $1::float8[] as n, $2::text[] as t', [
      numberArrayLiteral(nums),
      textArrayLiteral(texts),
    ]);
    expect(rows[0]!.n).toEqual(nums);
    expect(rows[0]!.t).toEqual(texts);
  });

  it('stores a fix delivered twice exactly once', async () => {
    const t = new Date().toISOString();
    expect((await insert(t, 7)).rows).toHaveLength(1);
    expect((await insert(t, 7)).rows).toHaveLength(0);
    const { rows } = await db.query<{ n: string }>(`select count(*) as n from positions where device_id = 'T1' and seq = 7`);
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('keeps a very late fix in the default partition, then moves it into its own day', async () => {
    const late = new Date(Date.now() - 10 * 86_400_000);
    await insert(late.toISOString(), 99);
    const inDefault = await db.query(`select 1 from positions_default where seq = 99`);
    expect(inDefault.rows).toHaveLength(1);
    const { rows } = await db.query<{ report: string }>('select maintain_position_storage() as report');
    expect(rows[0]!.report).toMatch(/1 rows moved from default/);
    const part = `positions_p${late.toISOString().slice(0, 10).replaceAll('-', '')}`;
    expect(await partitions()).toContain(part);
    expect((await db.query(`select 1 from ${part} where seq = 99`)).rows).toHaveLength(1);
    expect((await db.query(`select 1 from positions_default`)).rows).toHaveLength(0);
    // Still exactly once after the move, and still deduplicated.
    expect((await insert(late.toISOString(), 99)).rows).toHaveLength(0);
  });

  it("reads a client's day from the primary key alone: every partition's key carries the track columns, and the track is an index-only scan", async () => {
    // Partitions made by the migration's function, and the one made above for the late fix.
    const keys = await db.query<{ rel: string; def: string }>(
      `select c.relname as rel, pg_get_indexdef(i.indexrelid) as def from pg_index i join pg_class c on c.oid = i.indrelid
        where i.indisprimary and c.relname like 'positions%'`,
    );
    expect(keys.rows.length).toBeGreaterThan(3);
    for (const k of keys.rows) expect(k.def, k.rel).toMatch(/\(device_id, device_time, seq\) INCLUDE \(client_id, lon, lat, accuracy_m, source\)/);
    // A day of one tag among many (interleaved by time, as ingest writes them), then vacuumed as
    // autovacuum does to a closed partition.
    const day = new Date(Date.now() - 86_400_000);
    day.setUTCHours(0, 0, 0, 0);
    const client = '00000000-0000-4000-8000-000000000021'; // positions.client_id has no foreign key
    await db.query(
      `insert into positions (device_id, device_time, seq, client_id, lon, lat, accuracy_m, source)
       select 'TAG' || t, $1::timestamptz + m * interval '1 minute', 100000 + m, case when t = 3 then $2::uuid end, 74.6, 42.87, 8, 'gps'
         from generate_series(0, 1439) m cross join generate_series(1, 40) t order by m, t`,
      [day.toISOString(), client],
    );
    await db.query(`vacuum analyze positions`);
    const plan = (
      await db.query<{ 'QUERY PLAN': string }>(
        `explain (analyze, costs off) select device_id, seq, device_time, lon, lat, accuracy_m, source from positions
          where device_id = any(array['TAG3']) and client_id = $1 and device_time >= $2 and device_time < $2::timestamptz + interval '1 day'
          order by device_time, device_id, seq`,
        [client, day.toISOString()],
      )
    ).rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Only Scan using positions_p\d{8}_pkey/);
    expect(plan).toMatch(/Heap Fetches: 0/);
    expect(plan).toMatch(/actual time=[\d.]+\.\.[\d.]+ rows=1440 /);
  });

  it('drops partitions older than the retention window', async () => {
    await configureStorage(db, { retentionDays: 5, compressAfterDays: 7, aheadDays: 3 });
    const old = `positions_p${new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '')}`;
    expect(await partitions()).not.toContain(old);
    expect((await db.query(`select 1 from positions where seq = 99`)).rows).toHaveLength(0);
    // Recent data is untouched.
    expect((await db.query(`select 1 from positions where seq = 7`)).rows).toHaveLength(1);
  });

  it('running the migrations again applies nothing and refuses an edited migration', async () => {
    const again = await migrate(db);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual((await loadMigrations()).map((m) => m.version));
    await expect(
      migrate(db, [{ version: '0001', name: 'core', sql: 'select 1', checksum: 'edited' }]),
    ).rejects.toThrow(/changed after it was applied/);
  });
});
