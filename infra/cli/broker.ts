import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../config/config.ts';
import { derivedDevicePassword } from '../broker/credentials.ts';
import { readPid, renderBrokerFiles, waitForPort } from '../broker/mosquitto.ts';
import { topics } from '../broker/topics.ts';
import { createPool } from '../db/sql.ts';
import { createLogger } from '../logging/logger.ts';
import { runDir } from './run-dir.ts';

/**
 * `tsx infra/cli/broker.ts`: renders the project's broker files from the device registry and
 * starts the broker, or makes a running one reload its passwords and ACL (SIGHUP).
 */
const config = loadConfig();
const log = createLogger('broker', config.LOG_LEVEL);
const url = new URL(config.MQTT_URL);
const port = Number(url.port || 1883);
const dir = path.join(runDir(), 'mosquitto');

const pool = createPool(config.DATABASE_URL, 1);
const { rows } = await pool.query<{ id: string }>('select id from devices order by id');
await pool.end();

const conf = await renderBrokerFiles({
  runDir: dir,
  port,
  bind: url.hostname,
  topics: topics(config.MQTT_TOPIC_ROOT),
  ingest: { username: config.MQTT_INGEST_USERNAME, password: config.MQTT_INGEST_PASSWORD },
  commander: { username: config.MQTT_COMMANDER_USERNAME, password: config.MQTT_COMMANDER_PASSWORD },
  devices: rows.map((r) => ({ id: r.id, password: derivedDevicePassword(config.DEVICE_PASSWORD_SEED, r.id) })),
  ...(config.MQTT_TLS_CERT_FILE && config.MQTT_TLS_KEY_FILE ? { tls: { certfile: config.MQTT_TLS_CERT_FILE, keyfile: config.MQTT_TLS_KEY_FILE } } : {}),
});

const pid = await readPid(dir);
if (pid) {
  process.kill(pid, 'SIGHUP');
  log.info({ pid, devices: rows.length }, 'broker reloaded credentials and ACL');
} else {
  const res = spawnSync('mosquitto', ['-d', '-c', conf], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`mosquitto failed to start: ${res.stderr}`);
  await waitForPort(port, url.hostname);
  log.info({ port, conf, devices: rows.length }, 'broker started');
}
