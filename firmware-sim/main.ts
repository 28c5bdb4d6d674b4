import { parseArgs } from 'node:util';
import { derivedDevicePassword } from '../infra/broker/credentials.ts';
import { topics } from '../infra/broker/topics.ts';
import { loadConfig } from '../infra/config/config.ts';
import { createPool } from '../infra/db/sql.ts';
import { parseRate } from './rate.ts';
import { cityFor, demoDeviceId, movementFor, seedDemoFleet } from './demo-fleet.ts';
import { SimulatedTag } from './simulated-tag.ts';

/**
 * `npm run sim -- --tags 300 --rate 1/10s [--seed-only]`: registers the demo fleet if needed and
 * drives it against the project's broker, printing progress every few seconds.
 */
const { values } = parseArgs({
  options: {
    tags: { type: 'string', default: '300' },
    rate: { type: 'string', default: '1/10s' },
    'seed-only': { type: 'boolean', default: false },
    noise: { type: 'string', default: '5' },
  },
});

const count = Number(values.tags);
if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new Error(`--tags must be an integer 1..100000, got "${values.tags}"`);
const intervalMs = parseRate(values.rate);
const config = loadConfig();
const pool = createPool(config.DATABASE_URL, 2);
const created = await seedDemoFleet(pool, count);
await pool.end();
console.log(`demo fleet: ${count} tags (${created} newly registered)`);
if (values['seed-only']) process.exit(0);

const t = topics(config.MQTT_TOPIC_ROOT);
const tags = Array.from({ length: count }, (_, k) => {
  const id = demoDeviceId(k + 1);
  return new SimulatedTag({ id, password: derivedDevicePassword(config.DEVICE_PASSWORD_SEED, id), movement: movementFor(id, cityFor(k + 1)), noiseM: Number(values.noise) }, t);
});
for (let i = 0; i < tags.length; i += 200) await Promise.all(tags.slice(i, i + 200).map((tag) => tag.connect(config.MQTT_URL)));
console.log(`connected ${tags.length} tags to ${config.MQTT_URL}; each reports every ${intervalMs} ms`);

// Tags are spread evenly over the interval so the broker sees a steady stream, not bursts.
const tick = Math.max(10, Math.floor(intervalMs / tags.length));
let next = 0;
let failures = 0;
const perTick = Math.max(1, Math.round((tags.length * tick) / intervalMs));
const timer = setInterval(() => {
  for (let k = 0; k < perTick; k++) {
    const tag = tags[next++ % tags.length]!;
    tag.report().catch(() => failures++);
  }
}, tick);
let last = 0;
const started = Date.now();
const progress = setInterval(() => {
  const sent = tags.reduce((s, x) => s + x.published, 0);
  console.log(`[sim] ${((Date.now() - started) / 1000).toFixed(0)}s tags=${tags.length} fixes=${sent} rate=${((sent - last) / 5).toFixed(1)}/s failures=${failures}`);
  last = sent;
}, 5000);
const stop = async () => {
  clearInterval(timer);
  clearInterval(progress);
  await Promise.all(tags.map((x) => x.close()));
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
