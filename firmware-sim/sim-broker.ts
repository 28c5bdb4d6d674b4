import { randomBytes } from 'node:crypto';
import { startLocalBroker } from '../infra/broker/local-broker.ts';
import { demoDeviceId } from './demo-fleet.ts';

/**
 * `node --import tsx firmware-sim/sim-broker.ts [count]`: a throwaway Mosquitto with the project's
 * config and credentials for demo devices 1..count, for running the simulator at scale without the
 * platform's broker or database. Prints the environment to give `npm run sim -- --no-seed`, and
 * runs until Ctrl-C (the broker is stopped and its files removed).
 */
const count = Number(process.argv[2] ?? 10_000);
const secret = () => randomBytes(12).toString('base64url');
const seed = secret();
const broker = await startLocalBroker({
  deviceIds: Array.from({ length: count }, (_, i) => demoDeviceId(i + 1)),
  ingest: { username: 'svc-ingest', password: secret() },
  commander: { username: 'svc-commander', password: secret() },
  seed,
  dirPrefix: 'em-sim-broker-',
});
console.log(`throwaway broker for ${count} demo tags:\n  MQTT_URL=${broker.url} DEVICE_PASSWORD_SEED=${seed} npm run sim -- --no-seed --tags ${count}`);
const stop = async () => {
  await broker.stop();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
