/**
 * `npm run bench:alerts`: latency from a beacon's publish to its alert arriving on the dashboard's
 * live stream (SSE), while a background fleet keeps ingest busy with at least 5,000 fixes/s.
 *
 * Every service runs as its own process on the project's broker config: ingest, alerts and the
 * dashboard. Each probe is a tag in one city that uploads a store-and-forward batch showing it
 * outside its district for longer than the default dwell (5 min, 3 fixes), so the batch's last fix
 * opens the episode; latency = SSE arrival - publish time. The last line is one JSON object.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { upsertUser } from '../../infra/auth/users.ts';
import { freePort } from '../../infra/broker/mosquitto.ts';
import { signIn } from '../../tests/support/fixtures.ts';
import { openEventStream } from '../../tests/support/platform.ts';
import { spawnAlerts, spawnService, spawnIngest, type ServiceProcess } from '../../tests/support/ingest-process.ts';
import {
  BENCH_COMMANDER,
  BENCH_INGEST,
  BENCH_PUBLISHER,
  BENCH_SEED,
  benchHome,
  freshBenchDatabase,
  registerBenchFleet,
  startBenchBroker,
} from '../../tests/support/bench-env.ts';

const FLEET = Number(process.env.BENCH_FLEET ?? 10_000);
// A little above 5,000 so that the measured rate, which includes the last partial tick, stays at least 5,000.
const LOAD_PER_S = Number(process.env.BENCH_LOAD_PER_S ?? 5_250);
const PROBES = Number(process.env.BENCH_PROBES ?? 200);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const TOKMOK: [number, number] = [75.29, 42.84];
const log = (s: string) => console.log(`[bench:alerts] ${s}`);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main() {
  log(`fleet=${FLEET} background=${LOAD_PER_S} fixes/s probes=${PROBES} over ${DURATION_S}s`);
  const { url: dbUrl, pool } = await freshBenchDatabase('kgz_em_bench_alerts');
  const fleet = await registerBenchFleet(pool, FLEET);
  // Probe clients all live in Bishkek, so a batch from Tokmok is outside their district.
  const probes = await registerBenchFleet(pool, PROBES, FLEET);
  await pool.query(`update clients set residence_unit_id = 'KG11000000000', district_id = 'KG11000000000' where id in (select client_id from devices where id = any($1))`, [probes]);
  const broker = await startBenchBroker([...fleet, ...probes]);
  const httpPort = await freePort();
  const prefix = `bench-${Date.now()}`;
  const common = {
    DATABASE_URL: dbUrl, MQTT_URL: broker.url, QUEUE_PREFIX: prefix, DEVICE_PASSWORD_SEED: BENCH_SEED,
    MQTT_INGEST_USERNAME: BENCH_INGEST.username, MQTT_INGEST_PASSWORD: BENCH_INGEST.password,
    MQTT_COMMANDER_USERNAME: BENCH_COMMANDER.username, MQTT_COMMANDER_PASSWORD: BENCH_COMMANDER.password,
    WATCHDOG_SWEEP_MS: '3600000',
  };
  const procs: ServiceProcess[] = [];
  const publishers: MqttClient[] = [];
  try {
    procs.push(await spawnIngest({ ...common, INGEST_INSTANCE_ID: 'bench-alerts-ingest', INGEST_CONTEXT_TTL_MS: '600000' }));
    procs.push(await spawnAlerts(common));
    procs.push(await spawnService('dashboard/main.ts', /Server listening/, { ...common, HTTP_PORT: String(httpPort) }));

    // The live stream, as an operator's dashboard opens it.
    await upsertUser(pool, { username: 'bench-operator', displayName: 'Bench operator', role: 'operator', districtId: null, password: 'bench-operator-password' }, 4);
    const session = await signIn(`http://127.0.0.1:${httpPort}`, 'bench-operator', 'bench-operator-password');
    const stream = openEventStream(`http://127.0.0.1:${httpPort}/api/alerts/stream`, session.headers);
    await stream.ready;
    const raisedAt = (id: string) => stream.events.filter((e) => e.event === 'alert.raised' && e.data.deviceId === id).map((e) => e.at);

    for (let k = 0; k < 8; k++) {
      publishers.push(await mqtt.connectAsync(broker.url, { protocolVersion: 5, username: BENCH_PUBLISHER.username, password: BENCH_PUBLISHER.password, clientId: `bench-load-${k}` }));
    }
    // Warm-up: one fix per tag, so ingest knows the fleet (as a running platform would).
    const t0 = Date.now() - 3_600_000;
    const fixMsg = (i: number, seq: number, t: number) => {
      const [lon, lat] = benchHome(i);
      return JSON.stringify({ v: 1, device: fleet[i], fixes: [{ seq, t, lon, lat, acc: 6, src: 'gps' }] });
    };
    await Promise.all(fleet.map((id, i) => publishers[i % 8]!.publishAsync(broker.topics.fixes(id), fixMsg(i, 0, t0), { qos: 1 })));
    while (Number((await pool.query<{ n: string }>('select count(*) as n from positions')).rows[0]!.n) < FLEET) await new Promise((r) => setTimeout(r, 100));
    log('fleet warmed up; starting background load and probes');

    // Background load, paced in 50 ms ticks.
    let seq = 1;
    let sent = 0;
    let next = 0;
    const loadStarted = Date.now();
    const storedBefore = Number((await pool.query<{ n: string }>('select count(*) as n from positions')).rows[0]!.n);
    // Catch up to the target by elapsed time each tick, so timer drift cannot lower the load.
    const load = setInterval(() => {
      const due = Math.floor(((Date.now() - loadStarted) / 1000) * LOAD_PER_S) - sent;
      for (let k = 0; k < due; k++) {
        const i = next++ % FLEET;
        if (i === 0) seq++;
        void publishers[i % 8]!.publishAsync(broker.topics.fixes(fleet[i]!), fixMsg(i, seq, Date.now() - 1000), { qos: 1 });
        sent++;
      }
    }, 50);

    // Probes, spread over the run.
    const publishedAt = new Map<string, number>();
    const probeClient = publishers[0]!;
    for (let p = 0; p < PROBES; p++) {
      await new Promise((r) => setTimeout(r, (DURATION_S * 1000) / PROBES));
      const id = probes[p]!;
      const now = Date.now();
      const fixes = [-360_000, -180_000, -1000].map((dt, k) => ({ seq: k, t: now + dt, lon: TOKMOK[0] + k * 1e-4, lat: TOKMOK[1], acc: 8, src: 'gps' }));
      publishedAt.set(id, Date.now());
      await probeClient.publishAsync(broker.topics.fixes(id), JSON.stringify({ v: 1, device: id, fixes }), { qos: 1 });
    }
    clearInterval(load);
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    const loadPerS = sent / loadSeconds;
    const storedPerS = (Number((await pool.query<{ n: string }>('select count(*) as n from positions')).rows[0]!.n) - storedBefore) / loadSeconds;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && probes.some((id) => raisedAt(id).length === 0)) await new Promise((r) => setTimeout(r, 200));
    stream.close();

    const latencies: number[] = [];
    let lost = 0;
    let duplicates = 0;
    for (const [id, at] of publishedAt) {
      const got = raisedAt(id);
      if (got.length === 0) lost++;
      else {
        latencies.push(got[0]! - at);
        duplicates += got.length - 1;
      }
    }
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    log(`background load: ${Math.round(loadPerS)} fixes/s published, ${Math.round(storedPerS)} fixes/s stored, over ${loadSeconds.toFixed(0)} s`);
    log(`alerts received: ${latencies.length}/${PROBES}; latency p50 ${p50} ms, p90 ${percentile(latencies, 90)} ms, p99 ${p99} ms, max ${latencies[latencies.length - 1]} ms`);
    log(`duplicates ${duplicates}, lost ${lost}`);
    console.log(JSON.stringify({ load_fixes_per_s: Math.round(loadPerS), p50_ms: p50, p99_ms: p99, duplicates, lost }));
  } finally {
    for (const c of publishers) await c.endAsync().catch(() => {});
    for (const p of procs) await p.kill('SIGTERM');
    await broker.stop();
    await pool.end();
  }
}

await main();
process.exit(0);
