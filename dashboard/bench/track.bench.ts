/**
 * `npm run bench:track`: one client's track read at national scale, native partitions.
 *
 * Fills a database (the project's own migrations) to BENCH_TRACK_TAGS tags x 1 fix a minute x
 * BENCH_TRACK_DAYS days (3,900 x 9 = 50.5M positions), written as ingest writes them: every tag's
 * fix of one minute, then the next minute (tags interleaved by time), with generate_series, one
 * day per statement. BENCH_TRACK_LONG clients also get a 30-day history before that window, for
 * the long evidence read. Then, for random clients and random 24-hour windows:
 *   - baseline: a primary-key lookup of one stored fix (the cheapest read of the table);
 *   - sql: the track statement of dashboard/cases/track-repository.ts (readTrack's fixes query);
 *   - readTrack: fixes, device events and downlink commands, as the API runs it;
 *   - api: GET /api/clients/:id/track over HTTP (schema, audit row, JSON), signed in;
 *   - before: the statement as it was before migration 0028 (by client_id, no covering key),
 *     a few rounds only: it scans each day's partition;
 *   - export30d: a 30-day read of one client streamed through a cursor (pg-query-stream),
 *     with the process's peak RSS growth while it runs (it must not grow with the range).
 * p50/p95/max in ms and rows per second, and each median against the baseline's. The filled
 * database is kept: a second run with the same sizes skips the fill (BENCH_TRACK_REFILL=1 forces
 * one). The last line is one JSON object.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import QueryStream from 'pg-query-stream';
import { buildApp } from '../app.ts';
import { loadConfig } from '../../infra/config/config.ts';
import { upsertUser } from '../../infra/auth/users.ts';
import { fixesQuery, readTrack } from '../cases/track-repository.ts';
import { benchHome, freshBenchDatabase, registerBenchFleet } from '../../tests/support/bench-env.ts';

const TAGS = Number(process.env.BENCH_TRACK_TAGS ?? 3_900);
const DAYS = Number(process.env.BENCH_TRACK_DAYS ?? 9);
const LONG = Number(process.env.BENCH_TRACK_LONG ?? 20);
const LONG_DAYS = 30;
const ROUNDS = Number(process.env.BENCH_TRACK_ROUNDS ?? 200);
const BEFORE_ROUNDS = Number(process.env.BENCH_TRACK_BEFORE_ROUNDS ?? 10);
const DB_NAME = process.env.BENCH_TRACK_DB ?? 'kgz_em_bench_track';
const DAY_MS = 86_400_000;
const log = (s: string) => console.log(`[bench:track] ${s}`);

const fill = { tags: TAGS, days: DAYS, long: LONG, longDays: LONG_DAYS, version: 1 };
const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kgz_em');
const url = new URL(base);
url.pathname = `/${DB_NAME}`;

/** The filled database of an earlier run with the same sizes, if there is one. */
async function reusable(): Promise<{ pool: pg.Pool; windowStart: number } | null> {
  if (process.env.BENCH_TRACK_REFILL === '1') return null;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  try {
    const { rows } = await pool.query<{ value: string }>(`select value from storage_settings where key = 'bench_track_fill'`);
    const stored = rows[0] ? (JSON.parse(rows[0].value) as typeof fill & { windowStart: number }) : null;
    if (stored && JSON.stringify({ ...stored, windowStart: undefined }) === JSON.stringify({ ...fill, windowStart: undefined })) return { pool, windowStart: stored.windowStart };
  } catch {
    // no such database yet
  }
  await pool.end();
  return null;
}

async function filled(): Promise<{ pool: pg.Pool; windowStart: number; fillS: number | null; rowsPerS: number | null; vacuumS: number | null }> {
  const again = await reusable();
  if (again) {
    log(`reusing ${DB_NAME} (same sizes); BENCH_TRACK_REFILL=1 refills`);
    return { ...again, fillS: null, rowsPerS: null, vacuumS: null };
  }
  const { pool } = await freshBenchDatabase(DB_NAME);
  await registerBenchFleet(pool, TAGS);
  // The window ends at today's midnight (UTC): days in the past, as a running service's are.
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const windowStart = today - DAYS * DAY_MS;
  const longStart = windowStart - LONG_DAYS * DAY_MS;
  // Daily partitions for the whole range, as maintain_position_storage keeps them ahead in service.
  const firstDay = new Date(longStart + DAY_MS).toISOString().slice(0, 10);
  await pool.query(`select configure_position_storage(400, 7, $1)`, [LONG_DAYS + DAYS + 2]);
  log(await pool.query<{ r: string }>(`select maintain_position_storage($1::date) as r`, [firstDay]).then((r) => r.rows[0]!.r));
  const homes = Array.from({ length: TAGS }, (_, i) => benchHome(i));
  await pool.query(
    `create temporary table bench_tags as
       select d.id, d.client_id, u.k, u.lon, u.lat
         from unnest($1::float8[], $2::float8[]) with ordinality as u(lon, lat, k)
         join (select id, client_id, row_number() over (order by id) as k from devices) d on d.k = u.k`,
    [homes.map((h) => h[0]), homes.map((h) => h[1])],
  );
  const t0 = performance.now();
  let rows = 0;
  const day = async (start: number, where: string) => {
    const r = await pool.query(
      `insert into positions (device_id, device_time, seq, client_id, lon, lat, accuracy_m, source, received_at)
       select b.id, to_timestamp(($1::int8 + m * 60000) / 1000.0), ($1::int8 / 60000) + m, b.client_id,
              b.lon + 0.0004 * sin(m / 37.0 + b.k), b.lat + 0.0003 * cos(m / 23.0 + b.k), (5 + (m * 7 + b.k) % 40)::real, 'gps',
              to_timestamp(($1::int8 + m * 60000 + 2000) / 1000.0)
         from generate_series(0, 1439) as m cross join bench_tags b ${where}
        order by m, b.id`,
      [start],
    );
    rows += r.rowCount ?? 0;
  };
  for (let d = 0; d < LONG_DAYS; d++) await day(longStart + d * DAY_MS, `where b.k <= ${LONG}`);
  for (let d = 0; d < DAYS; d++) {
    await day(windowStart + d * DAY_MS, '');
    log(`day ${d + 1}/${DAYS}: ${rows.toLocaleString('en')} rows, ${Math.round(rows / ((performance.now() - t0) / 1000)).toLocaleString('en')} rows/s`);
  }
  const fillS = (performance.now() - t0) / 1000;
  // In service autovacuum does this to closed partitions (it is triggered by inserts); the
  // visibility map it sets is what lets the track read skip the heap.
  const v0 = performance.now();
  await pool.query('vacuum (analyze) positions');
  await pool.query('analyze');
  const vacuumS = (performance.now() - v0) / 1000;
  await pool.query(`insert into storage_settings values ('bench_track_fill', $1)`, [JSON.stringify({ ...fill, windowStart })]);
  return { pool, windowStart, fillS, rowsPerS: rows / fillS, vacuumS };
}

const { pool, windowStart, fillS, rowsPerS, vacuumS } = await filled();
const total = Number((await pool.query<{ n: string }>(`select count(*) as n from positions`)).rows[0]!.n);
const size = (await pool.query<{ heap: string; idx: string }>(
  `select sum(pg_table_size(c.oid)) as heap, sum(pg_indexes_size(c.oid)) as idx from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'positions'::regclass`,
)).rows[0]!;
log(`${total.toLocaleString('en')} positions; heap ${(Number(size.heap) / 2 ** 30).toFixed(2)} GiB, indexes ${(Number(size.idx) / 2 ** 30).toFixed(2)} GiB`);

const { rows: fleet } = await pool.query<{ id: string; client_id: string; k: string }>(`select id, client_id, row_number() over (order by id) as k from devices`);
let seed = 12345;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = () => fleet[Math.floor(rand() * fleet.length)]!;
const window = () => {
  const from = windowStart + Math.floor(rand() * (DAYS - 1) * 24) * 3_600_000;
  return { from, to: from + DAY_MS };
};

interface Figures {
  p50: number;
  p95: number;
  max: number;
  rowsPerS: number;
  rows: number;
}
async function measure(rounds: number, one: () => Promise<number>): Promise<Figures> {
  for (let i = 0; i < Math.min(5, rounds); i++) await one();
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    rows += await one();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const q = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]! * 100) / 100;
  return { p50: q(0.5), p95: q(0.95), max: q(1), rowsPerS: Math.round(rows / (ms.reduce((a, b) => a + b, 0) / 1000)), rows: Math.round(rows / rounds) };
}

// The statement readTrack and the exports run (dashboard/cases/track-repository.ts), with the read's limit.
const trackQuery = (clientId: string, from: number, to: number) => {
  const q = fixesQuery(clientId, from, to);
  return { text: `${q.text} limit 20001`, values: q.values };
};
const BEFORE_SQL = `select device_id, seq, device_time, lon, lat, accuracy_m, source from positions
  where client_id = $1 and device_time >= to_timestamp($2 / 1000.0) and device_time < to_timestamp($3 / 1000.0)
  order by device_time, device_id, seq limit 20001`;

const baseline = await measure(ROUNDS, async () => {
  const f = pick();
  const w = window();
  const r = await pool.query(`select lon, lat from positions where device_id = $1 and device_time = to_timestamp($2 / 1000.0) and seq = $3`, [f.id, w.from, w.from / 60_000]);
  if (r.rowCount !== 1) throw new Error(`baseline: no fix of ${f.id} at ${new Date(w.from).toISOString()}`);
  return 1;
});
const sql = await measure(ROUNDS, async () => {
  const w = window();
  const r = await pool.query(trackQuery(pick().client_id, w.from, w.to));
  if (r.rowCount !== 1440) throw new Error(`sql: ${r.rowCount} fixes in 24 h, expected 1440`);
  return r.rowCount;
});
const explained = trackQuery(pick().client_id, windowStart + DAY_MS, windowStart + 2 * DAY_MS);
const plan = (await pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off) ${explained.text}`, explained.values)).rows
  .map((r) => r['QUERY PLAN']);
const heapFetches = plan.filter((l) => /Heap Fetches/.test(l)).map((l) => Number(/Heap Fetches: (\d+)/.exec(l)?.[1] ?? 0)).reduce((a, b) => a + b, 0);
log(`plan: ${plan.filter((l) => /Scan|Heap Fetches|Execution Time/.test(l)).map((l) => l.trim()).join(' | ')}`);
const repo = await measure(ROUNDS, async () => {
  const w = window();
  const t = await readTrack(pool, pick().client_id, w.from, w.to, 20_000);
  return t.fixes.length;
});

await upsertUser(pool, { username: 'bench-operator', displayName: 'Bench operator', role: 'operator', districtId: null, password: 'bench-password' }, 4);
const config = loadConfig({ ...process.env, DATABASE_URL: url.toString(), HTTP_PORT: '0', LOG_LEVEL: 'warn', QUEUE_PREFIX: `em-bench-${randomUUID().slice(0, 8)}` });
const app = await buildApp(config);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const http = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const login = await fetch(`${http}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-operator', password: 'bench-password' }) });
const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const api = await measure(ROUNDS, async () => {
  const w = window();
  const res = await fetch(`${http}/api/clients/${pick().client_id}/track?from=${w.from}&to=${w.to}&reason=${encodeURIComponent('bench: playback')}`, { headers: { cookie } });
  const body = (await res.json()) as { fixes?: unknown[] };
  if (res.status !== 200 || body.fixes?.length !== 1440) throw new Error(`api: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  return body.fixes.length;
});
await app.close();

const before = await measure(BEFORE_ROUNDS, async () => {
  const w = window();
  const r = await pool.query(BEFORE_SQL, [pick().client_id, w.from, w.to]);
  return r.rowCount ?? 0;
});

// 30 days of one long-history client, streamed: rows leave through a cursor 1,000 at a time.
const longClients = fleet.filter((f) => Number(f.k) <= LONG);
let peakRssGrowthMiB = 0;
const export30d = await measure(Math.min(10, ROUNDS), async () => {
  const c = longClients[Math.floor(rand() * longClients.length)]!;
  const from = windowStart - (LONG_DAYS - DAYS) * DAY_MS;
  const client = await pool.connect();
  const rss0 = process.memoryUsage().rss;
  let n = 0;
  try {
    const q = fixesQuery(c.client_id, from, from + LONG_DAYS * DAY_MS);
    const stream = client.query(new QueryStream(q.text, q.values, { batchSize: 1000 }));
    for await (const _row of stream) {
      n++;
      if (n % 5000 === 0) peakRssGrowthMiB = Math.max(peakRssGrowthMiB, (process.memoryUsage().rss - rss0) / 2 ** 20);
    }
  } finally {
    client.release();
  }
  if (n !== LONG_DAYS * 1440) throw new Error(`export30d: ${n} fixes, expected ${LONG_DAYS * 1440}`);
  return n;
});
await pool.end();

const ratio = (f: Figures) => Math.round((f.p50 / baseline.p50) * 10) / 10;
log(`baseline (primary-key lookup): p50 ${baseline.p50} ms, p95 ${baseline.p95} ms`);
log(`sql 24 h (1,440 fixes): p50 ${sql.p50} ms, p95 ${sql.p95} ms, max ${sql.max} ms, ${sql.rowsPerS.toLocaleString('en')} rows/s, ${ratio(sql)}x baseline; heap fetches in the plan: ${heapFetches}`);
log(`readTrack 24 h: p50 ${repo.p50} ms, p95 ${repo.p95} ms; api 24 h: p50 ${api.p50} ms, p95 ${api.p95} ms, max ${api.max} ms`);
log(`before migration 0028 (by client_id): p50 ${before.p50} ms, p95 ${before.p95} ms (${BEFORE_ROUNDS} rounds)`);
log(`30-day export (43,200 fixes, streamed): p50 ${export30d.p50} ms, ${export30d.rowsPerS.toLocaleString('en')} rows/s, peak RSS growth ${peakRssGrowthMiB.toFixed(1)} MiB`);
console.log(
  JSON.stringify({
    engine: 'native',
    positions: total,
    tags: TAGS,
    days: DAYS,
    fill: fillS === null ? 'reused' : { seconds: Math.round(fillS), rowsPerS: Math.round(rowsPerS!), vacuumS: Math.round(vacuumS!) },
    heapGiB: Math.round((Number(size.heap) / 2 ** 30) * 100) / 100,
    indexGiB: Math.round((Number(size.idx) / 2 ** 30) * 100) / 100,
    baseline,
    sql: { ...sql, ratio: ratio(sql), heapFetches },
    readTrack: { ...repo, ratio: ratio(repo) },
    api: { ...api, ratio: ratio(api) },
    before: { ...before, ratio: ratio(before) },
    export30d: { ...export30d, peakRssGrowthMiB: Math.round(peakRssGrowthMiB * 10) / 10 },
  }),
);
