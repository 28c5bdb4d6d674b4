/**
 * `npm run bench:track:timescale`: the track read of bench:track on the TimescaleDB path, smaller.
 *
 * Debian has no TimescaleDB package, so this runs the project's migrations on PGlite with the
 * extension (the same build the storage test uses), in process and single-threaded: a hypertable
 * with daily chunks, compression segmented by device. BENCH_TS_TAGS tags x 1 fix a minute x
 * BENCH_TS_DAYS days, interleaved by time; all days but the last two are then compressed, as the
 * compression policy would. 24-hour reads of random clients through the statement of
 * dashboard/cases/track-repository.ts, on compressed and on uncompressed days, against a
 * primary-key lookup in the same run. The last line is one JSON object.
 */
import { timescalePglite } from '../../tests/support/pglite.ts';
import { configureStorage, migrate } from '../../infra/db/migrate.ts';
import { fixesQuery } from '../cases/track-repository.ts';

const TAGS = Number(process.env.BENCH_TS_TAGS ?? 200);
const DAYS = Number(process.env.BENCH_TS_DAYS ?? 5);
const ROUNDS = Number(process.env.BENCH_TS_ROUNDS ?? 100);
const DAY_MS = 86_400_000;
const log = (s: string) => console.log(`[bench:track:timescale] ${s}`);

async function main() {
  const { db: pgl, sql } = await timescalePglite();
  await migrate(sql);
  const { engine } = await configureStorage(sql, { retentionDays: 400, compressAfterDays: 400, aheadDays: 7 });
  if (engine !== 'timescaledb') throw new Error(`expected the TimescaleDB path, got ${engine}`);
  // The track statement reads the client's tags from devices; clients need no row of their own here.
  // (a throwaway database: its foreign keys to clients and admin units are dropped, not filled)
  await pgl.exec(`do $$ declare r record; begin
    for r in select conname from pg_constraint where conrelid = 'devices'::regclass and contype = 'f' loop
      execute format('alter table devices drop constraint %I', r.conname);
    end loop; end $$`);
  await pgl.query(
    `insert into devices (id, client_id, status) select 'TS' || lpad(k::text, 6, '0'), gen_random_uuid(), 'assigned' from generate_series(1, $1::int) k`,
    [TAGS],
  );
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const start = today - DAYS * DAY_MS;
  const t0 = performance.now();
  for (let d = 0; d < DAYS; d++) {
    await pgl.query(
      `insert into positions (device_id, device_time, seq, client_id, lon, lat, accuracy_m, source)
       select t.id, to_timestamp(($1::int8 + m * 60000) / 1000.0), ($1::int8 / 60000) + m, t.client_id,
              74.6 + 0.0004 * sin(m / 37.0), 42.87 + 0.0003 * cos(m / 23.0), 8, 'gps'
         from generate_series(0, 1439) m cross join (select id, client_id from devices order by id) t order by m, t.id`,
      [start + d * DAY_MS],
    );
  }
  const fillS = (performance.now() - t0) / 1000;
  const chunks = (await pgl.query<{ c: string; end: Date }>(
    `select format('%I.%I', chunk_schema, chunk_name) as c, range_end as end from timescaledb_information.chunks where hypertable_name = 'positions' order by range_start`,
  )).rows;
  const compressBefore = today - 2 * DAY_MS;
  let compressed = 0;
  for (const ch of chunks) {
    if (ch.end.getTime() <= compressBefore) {
      await pgl.query(`select compress_chunk($1::regclass)`, [ch.c]);
      compressed++;
    }
  }
  await pgl.exec('analyze');
  const total = Number((await pgl.query<{ n: string }>('select count(*) as n from positions')).rows[0]!.n);
  log(`${total.toLocaleString('en')} positions in ${chunks.length} chunks (${compressed} compressed), filled in ${fillS.toFixed(0)} s`);
  const clients = (await pgl.query<{ id: string; client_id: string }>('select id, client_id from devices')).rows;

  let seed = 4242;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = () => clients[Math.floor(rand() * clients.length)]!;
  async function measure(one: () => Promise<number>) {
    for (let i = 0; i < 5; i++) await one();
    const ms: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const a = performance.now();
      await one();
      ms.push(performance.now() - a);
    }
    ms.sort((x, y) => x - y);
    const q = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]! * 100) / 100;
    return { p50: q(0.5), p95: q(0.95), max: q(1) };
  }
  const day = async (first: number, last: number) => {
    const from = start + Math.floor(first + rand() * (last - first)) * DAY_MS;
    const q = fixesQuery(pick().client_id, from, from + DAY_MS);
    const r = await pgl.query(`${q.text} limit 20001`, q.values);
    if (r.rows.length !== 1440) throw new Error(`${r.rows.length} fixes in a day, expected 1440`);
    return r.rows.length;
  };
  const baseline = await measure(async () => {
    const f = pick();
    const t = start + Math.floor(rand() * DAYS * 1440) * 60_000;
    const r = await pgl.query(`select lon from positions where device_id = $1 and device_time = to_timestamp($2 / 1000.0) and seq = $3`, [f.id, t, t / 60_000]);
    if (r.rows.length !== 1) throw new Error('baseline: fix not found');
    return 1;
  });
  const compressedDay = await measure(() => day(0, DAYS - 2));
  const recentDay = await measure(() => day(DAYS - 2, DAYS));
  await pgl.close();
  const ratio = (f: { p50: number }) => Math.round((f.p50 / baseline.p50) * 10) / 10;
  log(`baseline (primary-key lookup): p50 ${baseline.p50} ms`);
  log(`24 h on a compressed chunk: p50 ${compressedDay.p50} ms, p95 ${compressedDay.p95} ms (${ratio(compressedDay)}x baseline)`);
  log(`24 h on uncompressed chunks: p50 ${recentDay.p50} ms, p95 ${recentDay.p95} ms (${ratio(recentDay)}x baseline)`);
  console.log(JSON.stringify({
    engine: 'timescaledb (PGlite, single-threaded WASM)', positions: total, tags: TAGS, days: DAYS, chunks: chunks.length, compressed, fillS: Math.round(fillS),
    baseline, compressedDay: { ...compressedDay, ratio: ratio(compressedDay) }, recentDay: { ...recentDay, ratio: ratio(recentDay) },
  }));
}

void main();
