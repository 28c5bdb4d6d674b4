import { parseArgs } from 'node:util';
import { derivedDevicePassword } from '../infra/broker/credentials.ts';
import { topics } from '../infra/broker/topics.ts';
import { loadConfig } from '../infra/config/config.ts';
import { createPool } from '../infra/db/sql.ts';
import { cityFor, demoDeviceId, movementFor, seedDemoFleet } from './demo-fleet.ts';
import { dailyCharging, type Tamper } from './device-plans.ts';
import { dailyRoutine } from './environment-plan.ts';
import { progressLine, type FleetSnapshot } from './fleet-progress.ts';
import { DEFAULT_FLEET, FleetRunner } from './fleet-runner.ts';
import { hashSeed, prng } from '../infra/random/seeded-random.ts';
import { LinkSchedule } from './link-schedule.ts';
import { parseDuration, parseRate } from './rate.ts';
import { SimulatedTag } from './simulated-tag.ts';

/**
 * `npm run sim -- --tags 300 --rate 1/10s [--duration 10m] [--no-seed] [--seed-only]`
 *
 * Registers the demo fleet if needed (unless --no-seed) and runs it against MQTT_URL, one MQTT
 * connection per tag, printing progress every 5 s. Tags live a realistic day: indoors and out
 * (GNSS lost, Wi-Fi and cell fixes), charging in the evening, the odd cellular outage (buffered,
 * uploaded late) and the odd tamper. Ctrl-C closes every connection cleanly.
 */
const { values } = parseArgs({
  options: {
    tags: { type: 'string', default: '300' },
    rate: { type: 'string', default: '1/10s' },
    duration: { type: 'string' },
    'seed-only': { type: 'boolean', default: false },
    'no-seed': { type: 'boolean', default: false },
    noise: { type: 'string', default: '3' },
    outliers: { type: 'string', default: '1' },
    'outages-per-day': { type: 'string', default: '0.5' },
    'tamper-share': { type: 'string', default: '0.01' },
    concurrency: { type: 'string', default: String(DEFAULT_FLEET.connectConcurrency) },
  },
});

const number = (flag: string, text: string | undefined, min: number, max: number): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${flag} must be a number ${min}..${max}, got "${text}"`);
  return n;
};
const count = number('tags', values.tags, 1, 100_000);
if (!Number.isInteger(count)) throw new Error(`--tags must be an integer, got "${values.tags}"`);
const intervalMs = parseRate(values.rate);
// The protocol's interval is whole seconds; faster rates (benchmarks) are allowed here as fractions.
const intervalS = intervalMs / 1000;
const durationMs = values.duration ? parseDuration(values.duration) : null;
const noiseM = number('noise', values.noise, 0, 1000);
const outlierScale = number('outliers', values.outliers, 0, 100);
const outagesPerDay = number('outages-per-day', values['outages-per-day'], 0, 100);
const tamperShare = number('tamper-share', values['tamper-share'], 0, 1);
const concurrency = number('concurrency', values.concurrency, 1, 10_000);
const config = loadConfig();

if (!values['no-seed']) {
  const pool = createPool(config.DATABASE_URL, 2);
  const created = await seedDemoFleet(pool, count);
  await pool.end();
  console.log(`demo fleet: ${count} tags (${created} newly registered)`);
  if (created > 0) console.log('new devices need broker credentials: run `tsx infra/cli/broker.ts` to reload the broker');
}
if (values['seed-only']) process.exit(0);

const t = topics(config.MQTT_TOPIC_ROOT);
const start = Date.now();
const tags = Array.from({ length: count }, (_, k) => {
  const id = demoDeviceId(k + 1);
  const seed = hashSeed(id);
  const rand = prng(seed ^ 0x9e3779b9);
  const tamper: Tamper[] = rand() < tamperShare ? [{ at: start + rand() * 3_600_000, kind: rand() < 0.5 ? 'strap_opened' : 'case_opened', closedAfterS: 20 + rand() * 300 }] : [];
  return new SimulatedTag(
    {
      id,
      password: derivedDevicePassword(config.DEVICE_PASSWORD_SEED, id),
      movement: movementFor(id, cityFor(k + 1)),
      noiseM,
      intervalS,
      environment: dailyRoutine(seed),
      outlierScale,
      batteryPct: 30 + rand() * 70,
      charging: dailyCharging(seed, start, 7),
      outages: outagesPerDay > 0 ? LinkSchedule.random(seed, start, 7, outagesPerDay) : [],
      tamper,
      // First fixes spread over one interval, so that the broker sees a steady stream.
      firstFixAt: start + (k / count) * intervalMs,
    },
    t,
  );
});

const runner = new FleetRunner(tags, { ...DEFAULT_FLEET, url: config.MQTT_URL, connectConcurrency: concurrency });
console.log(`[sim] ${count} tags -> ${config.MQTT_URL}, a fix every ${intervalMs} ms each (${((count * 1000) / intervalMs).toFixed(1)} fixes/s), ramp-up ${concurrency} at a time${durationMs ? `, for ${durationMs / 1000}s` : ''}`);

let prev: FleetSnapshot | null = null;
const progress = setInterval(() => {
  const s = runner.snapshot();
  console.log(progressLine(s, prev));
  prev = s;
}, 5000);

let stopping = false;
async function stop(why: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(progress);
  console.log(`[sim] stopping (${why}): closing ${count} connections`);
  await runner.stop();
  console.log(progressLine(runner.snapshot(), prev));
  process.exit(0);
}
process.once('SIGINT', () => {
  // A second Ctrl-C leaves at once.
  process.once('SIGINT', () => process.exit(130));
  void stop('SIGINT');
});
process.once('SIGTERM', () => void stop('SIGTERM'));
if (durationMs) setTimeout(() => void stop('duration reached'), durationMs);

await runner.start();
const s = runner.snapshot();
console.log(`[sim] ramp-up done in ${((Date.now() - start) / 1000).toFixed(1)}s: ${s.connected}/${count} connected`);
