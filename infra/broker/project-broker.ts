import { spawnSync } from 'node:child_process';
import type pg from 'pg';
import type { Config } from '../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import { derivedDevicePassword } from './credentials.ts';
import { readPid, renderBrokerFiles, waitForPort, type BrokerLayout } from './mosquitto.ts';
import { topics } from './topics.ts';

interface DeviceRow { id: string; broker_secret_hash: string | null; credentials_revoked_at: Date | null }

/**
 * The broker's accounts from the device registry: a provisioned device by the hash of its own
 * secret; a revoked one not at all; one never provisioned by the password derived from
 * DEVICE_PASSWORD_SEED, outside production only (there it has no account until it is provisioned).
 */
export async function brokerDevices(db: pg.Pool, production: boolean, seed: string) {
  const { rows } = await db.query<DeviceRow>('select id, broker_secret_hash, credentials_revoked_at from devices order by id');
  const devices = rows.flatMap((r): BrokerLayout['devices'] => {
    if (r.credentials_revoked_at) return [];
    if (r.broker_secret_hash) return [{ id: r.id, passwordHash: r.broker_secret_hash }];
    return production ? [] : [{ id: r.id, password: derivedDevicePassword(seed, r.id) }];
  });
  return { devices, revoked: rows.filter((r) => r.credentials_revoked_at).length, unprovisioned: rows.filter((r) => !r.broker_secret_hash && !r.credentials_revoked_at).length };
}

/**
 * Renders the project broker's files from the registry and starts the broker, or makes a running
 * one reload its passwords and ACL (SIGHUP): after provisioning, rotating or revoking a device.
 */
export async function syncProjectBroker(config: Config, db: pg.Pool, dir: string, log: Logger): Promise<{ pid: number | null; started: boolean }> {
  const url = new URL(config.MQTT_URL);
  const port = Number(url.port || 1883);
  const { devices, revoked, unprovisioned } = await brokerDevices(db, config.NODE_ENV === 'production', config.DEVICE_PASSWORD_SEED);
  if (config.NODE_ENV === 'production' && unprovisioned) log.warn({ unprovisioned }, 'devices without a provisioned secret have no broker account (npm run device:credentials -- provision <id>)');
  const conf = await renderBrokerFiles({
    runDir: dir,
    port,
    bind: url.hostname,
    topics: topics(config.MQTT_TOPIC_ROOT),
    ingest: { username: config.MQTT_INGEST_USERNAME, password: config.MQTT_INGEST_PASSWORD },
    commander: { username: config.MQTT_COMMANDER_USERNAME, password: config.MQTT_COMMANDER_PASSWORD },
    devices,
    ...(config.MQTT_TLS_CERT_FILE && config.MQTT_TLS_KEY_FILE ? { tls: { certfile: config.MQTT_TLS_CERT_FILE, keyfile: config.MQTT_TLS_KEY_FILE } } : {}),
  });
  const pid = await readPid(dir);
  if (pid) {
    process.kill(pid, 'SIGHUP');
    log.info({ pid, devices: devices.length, revoked }, 'broker reloaded credentials and ACL');
    return { pid, started: false };
  }
  const res = spawnSync('mosquitto', ['-d', '-c', conf], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`mosquitto failed to start: ${res.stderr}`);
  await waitForPort(port, url.hostname);
  log.info({ port, conf, devices: devices.length, revoked }, 'broker started');
  return { pid: await readPid(dir), started: true };
}
