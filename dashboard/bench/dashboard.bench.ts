/**
 * `npm run bench:dashboard`: what the web UI asks of the API at monitoring-centre scale.
 *
 * A fresh database with 10,000 fitted tags (one fix each) and 100,000 alerts, the dashboard
 * started on it, an operator signed in; then, over HTTP as the browser does:
 *   - the alert queue's first page, most severe first (what the queue view loads),
 *   - a page 1,000 alerts deep through the keyset cursor (scrolling far),
 *   - the live map's data: the latest fix and state of all 10,000 tags,
 * each against a baseline measured in the same run: GET /api/health (a round trip with one trivial
 * query), so the ratios say what the data costs on top of that on this machine. Each
 * figure is the median of ROUNDS requests. The last line is one JSON object.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../../infra/config/config.ts';
import { upsertUser } from '../../infra/auth/users.ts';
import { benchHome, freshBenchDatabase, registerBenchFleet } from '../../tests/support/bench-env.ts';

const TAGS = Number(process.env.BENCH_TAGS ?? 10_000);
const ALERTS = Number(process.env.BENCH_ALERTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const log = (s: string) => console.log(`[bench:dashboard] ${s}`);

const { url, pool } = await freshBenchDatabase('kgz_em_bench_dashboard');
const devices = await registerBenchFleet(pool, TAGS);
const { rows: fleet } = await pool.query<{ id: string; client_id: string }>('select id, client_id from devices where id = any($1)', [devices]);
const now = Date.now();
await pool.query(
  `insert into positions (device_id, device_time, seq, client_id, lon, lat, accuracy_m, source)
   select d, to_timestamp($3 / 1000.0), 1, c, lo, la, 8, 'gps' from unnest($1::text[], $2::uuid[], $4::float8[], $5::float8[]) as u(d, c, lo, la)`,
  [fleet.map((f) => f.id), fleet.map((f) => f.client_id), now - 30_000, fleet.map((_, i) => benchHome(i)[0]), fleet.map((_, i) => benchHome(i)[1])],
);
await pool.query(`update devices set last_seen_at = now(), online = true`);
// 100,000 alerts over the last 30 days, every type and severity, 5 % still open.
await pool.query(
  `insert into alerts (episode_key, client_id, device_id, type, severity, status, opened_at, closed_at)
   select 'bench:' || g, f.client_id, f.id,
          (array['residence_exit','country_exit','strap_tamper','battery_low','no_communication','curfew_breach'])[1 + g % 6],
          (array['high','critical','critical','low','high','medium'])[1 + g % 6],
          case when g % 20 = 0 then 'open' when g % 20 = 1 then 'acknowledged' else 'resolved' end,
          now() - make_interval(secs => (g * 26)::float8), case when g % 20 < 2 then null else now() - make_interval(secs => (g * 26 - 600)::float8) end
     from generate_series(1, $1::int) as g
     join (select id, client_id, row_number() over (order by id) - 1 as k from devices where id = any($2)) f on f.k = g % $3`,
  [ALERTS, devices, TAGS],
);
await pool.query('analyze');
await upsertUser(pool, { username: 'bench-operator', displayName: 'Bench operator', role: 'operator', districtId: null, password: 'bench-password' }, 4);
log(`seeded ${TAGS.toLocaleString('en')} tags with a fix each and ${ALERTS.toLocaleString('en')} alerts`);

const config = loadConfig({ ...process.env, DATABASE_URL: url, HTTP_PORT: '0', LOG_LEVEL: 'warn', QUEUE_PREFIX: `em-bench-${randomUUID().slice(0, 8)}` });
const app: FastifyInstance = await buildApp(config);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench-operator', password: 'bench-password' }) });
const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

async function timed(path: string): Promise<{ ms: number; body: unknown }> {
  const t0 = performance.now();
  const res = await fetch(`${base}${path}`, { headers: { cookie } });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - t0, body };
}
async function median(path: string | (() => Promise<string>)): Promise<{ ms: number; body: unknown }> {
  const runs: { ms: number; body: unknown }[] = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await timed(typeof path === 'string' ? path : await path()));
  runs.sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(runs.length / 2)]!;
}

// Warm-up: JIT, connection pool, plan caches.
for (let i = 0; i < 5; i++) {
  await timed('/api/health');
  await timed('/api/alerts?sort=severity&active=true&limit=50');
  await timed('/api/live/tags');
}
const baseline = await median('/api/health');
const first = await median('/api/alerts?sort=severity&limit=50');
// A cursor 1,000 alerts deep (20 pages of 50), then its next page, timed.
let cursor = '';
for (let p = 0; p < 20; p++) {
  const r = (await timed(`/api/alerts?sort=severity&limit=50${cursor ? `&cursor=${cursor}` : ''}`)).body as { nextCursor: string };
  cursor = r.nextCursor;
}
const deep = await median(`/api/alerts?sort=severity&limit=50&cursor=${cursor}`);
const live = await median('/api/live/tags');
const liveCount = (live.body as { items: unknown[] }).items.length;
const firstItems = (first.body as { items: { severity: string }[] }).items;

log(`baseline GET /api/health: median ${baseline.ms.toFixed(1)} ms over ${ROUNDS} requests`);
log(`alert queue, first page of 50, most severe first (${firstItems[0]?.severity} first) over ${ALERTS.toLocaleString('en')} alerts: median ${first.ms.toFixed(1)} ms`);
log(`alert queue, a page 1,000 alerts deep via the keyset cursor: median ${deep.ms.toFixed(1)} ms`);
log(`live map, latest fix and state of ${liveCount.toLocaleString('en')} tags: median ${live.ms.toFixed(1)} ms`);
await app.close();
await pool.end();
console.log(
  JSON.stringify({
    alerts: ALERTS,
    tags: liveCount,
    baseline_ms: Number(baseline.ms.toFixed(1)),
    queue_first_page_ms: Number(first.ms.toFixed(1)),
    queue_deep_page_ms: Number(deep.ms.toFixed(1)),
    live_tags_ms: Number(live.ms.toFixed(1)),
    queue_ratio: Number((first.ms / baseline.ms).toFixed(1)),
    live_ratio: Number((live.ms / baseline.ms).toFixed(1)),
  }),
);
