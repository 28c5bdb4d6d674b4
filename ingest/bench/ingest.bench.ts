/**
 * `npm run bench:ingest`: broker pass-through versus the full ingest pipeline, in one run, with the
 * same payloads from 10,000 simulated tags.
 *
 *   raw:      publisher → project Mosquitto → plain QoS 1 subscriber (acknowledges at once)
 *   pipeline: publisher → project Mosquitto → ingest (validate, batch, store, geofence, outbox,
 *             PUBACK after commit) → PostgreSQL; timed until the last row is committed
 *
 * Lost and duplicated rows are counted in the database against what was published. Memory per
 * device is ingest's heap growth while it learns the fleet (registry cache, geofence state)
 * divided by the number of devices. The last line is one JSON object.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { topics } from '../../infra/broker/topics.ts';
import { spawnIngest } from '../../tests/support/ingest-process.ts';
import { Inspector } from '../../tests/support/inspector.ts';
import {
  BENCH_INGEST as INGEST,
  BENCH_PUBLISHER as BENCH,
  BENCH_SEED as SEED,
  benchDeviceId as deviceId,
  benchHome,
  freshBenchDatabase,
  registerBenchFleet,
  startBenchBroker,
} from '../../tests/support/bench-env.ts';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 10_000);
const PER_DEVICE = Number(process.env.BENCH_MESSAGES_PER_DEVICE ?? 10);
const PUBLISHERS = Number(process.env.BENCH_PUBLISHERS ?? 8);
// BENCH_MEMORY_ONLY=1: only teach ingest the fleet and measure its memory (for 100k-250k devices,
// where the raw and timed phases would take long and say nothing new).
const MEMORY_ONLY = process.env.BENCH_MEMORY_ONLY === '1';
// BENCH_HEAP_SNAPSHOT=<file>: a heap snapshot of ingest once it knows the fleet (open in DevTools).
const SNAPSHOT = process.env.BENCH_HEAP_SNAPSHOT;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const log = (s: string) => console.log(`[bench:ingest] ${s}`);

/** The same payloads for both phases: one fix per message, near each tag's home, device time in order. */
function payloads(round: number): { topic: string; body: string }[] {
  const t0 = Date.now() - 3_600_000;
  const t = topics();
  const out: { topic: string; body: string }[] = [];
  for (let k = 0; k < PER_DEVICE; k++) {
    for (let i = 0; i < DEVICES; i++) {
      const id = deviceId(i);
      const home = benchHome(i);
      const seq = round * 1000 + k;
      const fix = { seq, t: t0 + round * 600_000 + k * 30_000, lon: +(home[0] + (k % 5) * 1e-5).toFixed(7), lat: +(home[1] + (k % 3) * 1e-5).toFixed(7), acc: 6, src: 'gps' };
      out.push({ topic: t.fixes(id), body: JSON.stringify({ v: 1, device: id, fixes: [fix] }) });
    }
  }
  return out;
}

async function publishAll(url: string, msgs: { topic: string; body: string }[]): Promise<number> {
  const clients: MqttClient[] = await Promise.all(
    Array.from({ length: PUBLISHERS }, (_, k) =>
      mqtt.connectAsync(url, { protocolVersion: 5, username: BENCH.username, password: BENCH.password, clientId: `bench-pub-${k}`, clean: true }),
    ),
  );
  const started = performance.now();
  // Each tag always goes through the same connection, so its messages keep their order.
  const byClient = clients.map(() => [] as { topic: string; body: string }[]);
  for (const m of msgs) byClient[Number(m.topic.split('/')[3]!.slice(5)) % PUBLISHERS]!.push(m);
  await Promise.all(
    byClient.map(async (list, k) => {
      const c = clients[k]!;
      const window = 500;
      for (let i = 0; i < list.length; i += window) {
        await Promise.all(list.slice(i, i + window).map((m) => c.publishAsync(m.topic, m.body, { qos: 1 })));
      }
    }),
  );
  const ms = performance.now() - started;
  await Promise.all(clients.map((c) => c.endAsync()));
  return ms;
}

async function main() {
  log(`devices=${DEVICES} messages/device=${PER_DEVICE} publishers=${PUBLISHERS}`);
  const { url: dbUrl, pool } = await freshBenchDatabase('kgz_em_bench');
  const ids = await registerBenchFleet(pool, DEVICES);
  const broker = await startBenchBroker(ids);
  const url = broker.url;
  const t = broker.topics;
  try {
    // Phase 1: raw broker pass-through.
    const msgs = MEMORY_ONLY ? [] : payloads(1);
    let rawPerS = 0;
    if (!MEMORY_ONLY) {
      const raw = spawn(process.execPath, ['--import', 'tsx', 'ingest/bench/raw-subscriber.ts', url, INGEST.username, INGEST.password, t.uplinkFilter, String(msgs.length)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      let rawOut = '';
      const rawReady = new Promise<void>((resolve) => raw.stdout.on('data', (d: Buffer) => { rawOut += d.toString(); if (rawOut.includes('ready')) resolve(); }));
      const rawDone = new Promise<void>((resolve) => raw.once('exit', () => resolve()));
      await rawReady;
      const rawStart = performance.now();
      await publishAll(url, msgs);
      await rawDone;
      const rawMs = performance.now() - rawStart;
      rawPerS = msgs.length / (rawMs / 1000);
      log(`raw pass-through: ${msgs.length} messages in ${rawMs.toFixed(0)} ms = ${rawPerS.toFixed(0)} msg/s`);
    }

    // Phase 2: the pipeline. A warm-up round teaches ingest the fleet (registry, geofence indexes,
    // state rows), as a running platform would already know it; then the timed round.
    const ingest = await spawnIngest({
      DATABASE_URL: dbUrl, MQTT_URL: url, MQTT_INGEST_USERNAME: INGEST.username, MQTT_INGEST_PASSWORD: INGEST.password,
      DEVICE_PASSWORD_SEED: SEED, INGEST_INSTANCE_ID: 'bench-ingest', INGEST_CONTEXT_TTL_MS: '600000',
    // e.g. BENCH_INGEST_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile ingest; the
    // inspector measures the heap after a full collection (see tests/support/inspector.ts).
    }, ['--inspect=127.0.0.1:0', ...(process.env.BENCH_INGEST_NODE_ARGS?.split(' ').filter(Boolean) ?? [])]);
    const inspector = await Inspector.fromOutput(ingest.output());
    const heapAtStart = await inspector.heapUsedAfterGc();
    const count = async () => Number((await pool.query<{ n: string }>('select count(*) as n from positions')).rows[0]!.n);
    const waitFor = async (n: number) => {
      while ((await count()) < n) await new Promise((r) => setTimeout(r, 50));
    };
    const warm = payloads(0).slice(0, DEVICES);
    await publishAll(url, warm);
    await waitFor(warm.length);
    const heapWarm = await inspector.heapUsedAfterGc();
    if (SNAPSHOT) await inspector.writeHeapSnapshot(SNAPSHOT);
    inspector.close();
    const cpuBefore = await ingest.counter('em_ingest_process_cpu_seconds_total');
    const pipeStart = performance.now();
    await publishAll(url, msgs);
    await waitFor(warm.length + msgs.length);
    const pipeMs = performance.now() - pipeStart;
    const pipePerS = MEMORY_ONLY ? 0 : msgs.length / (pipeMs / 1000);
    const cpuUsed = (await ingest.counter('em_ingest_process_cpu_seconds_total')) - cpuBefore;
    log(`pipeline: ${msgs.length} messages stored and evaluated in ${pipeMs.toFixed(0)} ms = ${pipePerS.toFixed(0)} msg/s`);
    log(`ingest CPU during the timed phase: ${cpuUsed.toFixed(2)} s (${((cpuUsed * 1e6) / msgs.length).toFixed(0)} µs per message)`);
    await new Promise((r) => setTimeout(r, 500));
    const { rows } = await pool.query<{ rows: string; distinct: string }>(
      `select count(*) as rows, count(distinct (device_id, device_time, seq)) as distinct from positions`,
    );
    const published = warm.length + msgs.length;
    const lost = published - Number(rows[0]!.distinct);
    const duplicated = Number(rows[0]!.rows) - Number(rows[0]!.distinct);
    const bytesPerDevice = Math.max(0, heapWarm - heapAtStart) / DEVICES;
    const batchSum = await ingest.counter('em_ingest_batch_fixes_sum');
    const batchCount = await ingest.counter('em_ingest_batch_fixes_count');
    log(`mean batch ${(batchSum / Math.max(1, batchCount)).toFixed(0)} fixes; write errors ${await ingest.counter('em_ingest_write_errors_total')}`);
    log(`rows ${rows[0]!.rows}, published ${published}: lost ${lost}, duplicated ${duplicated}`);
    log(`ingest heap: ${(heapAtStart / 1e6).toFixed(1)} MB at start, ${(heapWarm / 1e6).toFixed(1)} MB after learning ${DEVICES} devices = ${bytesPerDevice.toFixed(0)} B/device`);
    await ingest.kill('SIGTERM');
    console.log(JSON.stringify({
      devices: DEVICES,
      raw_per_s: MEMORY_ONLY ? null : Math.round(rawPerS),
      pipeline_per_s: MEMORY_ONLY ? null : Math.round(pipePerS),
      ratio: MEMORY_ONLY ? null : +(pipePerS / rawPerS).toFixed(3),
      lost,
      duplicated,
      bytes_per_device: Math.round(bytesPerDevice),
      heap_mb: { start: +(heapAtStart / 1e6).toFixed(1), warm: +(heapWarm / 1e6).toFixed(1) },
    }));
  } finally {
    await broker.stop();
    await pool.end();
  }
}

await main();
