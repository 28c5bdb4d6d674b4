import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { derivedDevicePassword } from '../../infra/broker/credentials.ts';
import { provisionDeviceSecret, revokeDeviceSecret } from '../../infra/broker/device-credentials.ts';
import { freePort } from '../../infra/broker/mosquitto.ts';
import { brokerDevices, syncProjectBroker } from '../../infra/broker/project-broker.ts';
import { loadConfig, type Config } from '../../infra/config/config.ts';
import { createPool } from '../../infra/db/sql.ts';
import { createLogger } from '../../infra/logging/logger.ts';
import { eventually } from '../support/platform.ts';

// Issue 18: each tag's own random broker secret, kept only as a hash, rotated and revoked through
// the registry, on a real project broker started and reloaded the way `npm start` does it.
describe('per-device broker credentials', () => {
  const tag = randomUUID().slice(0, 6);
  const [A, B, C] = ['A', 'B', 'C'].map((x) => `DC-${x}-${tag}`) as [string, string, string];
  const actor = { id: null, username: 'test:device-credentials' };
  let pool: pg.Pool;
  let config: Config;
  let dir: string;
  let pid: number | null = null;

  const accepts = (username: string, password: string) =>
    new Promise<boolean>((resolve) => {
      const c = mqtt.connect(config.MQTT_URL, { protocolVersion: 5, username, password, reconnectPeriod: 0, connectTimeout: 5000 });
      c.once('connect', () => (c.end(true), resolve(true)));
      c.once('error', () => (c.end(true), resolve(false)));
    });
  const sync = async () => (pid = (await syncProjectBroker(config, pool, dir, createLogger('test', 'warn'))).pid);

  beforeAll(async () => {
    pool = createPool(inject('databaseUrl'), 2);
    dir = await mkdtemp(path.join(os.tmpdir(), 'em-devcred-'));
    config = loadConfig({ ...process.env, DATABASE_URL: inject('databaseUrl'), MQTT_URL: `mqtt://127.0.0.1:${await freePort()}`, DEVICE_PASSWORD_SEED: 'device-credentials-test-seed' });
    await pool.query(`insert into devices (id) values ($1), ($2), ($3)`, [A, B, C]);
  });
  afterAll(async () => {
    if (pid) process.kill(pid, 'SIGTERM');
    await pool?.end();
    await rm(dir, { recursive: true, force: true });
  });

  it('a provisioned tag signs in with its own secret only; a revoked one not at all; an unprovisioned one by the derived password outside production only', async () => {
    const secret = await provisionDeviceSecret(pool, A, actor, 'fitted on a new client');
    await revokeDeviceSecret(pool, B, actor, 'reported lost by the officer');
    const stored = await pool.query<{ id: string; broker_secret_hash: string | null }>('select id, broker_secret_hash from devices where id = any($1) order by id', [[A, B]]);
    expect(stored.rows[0]!.broker_secret_hash).toMatch(/^\$7\$101\$/);
    expect(stored.rows[0]!.broker_secret_hash).not.toContain(secret);
    expect(stored.rows[1]!.broker_secret_hash).toBeNull();
    await sync();
    expect(await accepts(A, secret)).toBe(true);
    expect(await accepts(A, derivedDevicePassword(config.DEVICE_PASSWORD_SEED, A))).toBe(false);
    expect(await accepts(B, derivedDevicePassword(config.DEVICE_PASSWORD_SEED, B))).toBe(false);
    expect(await accepts(C, derivedDevicePassword(config.DEVICE_PASSWORD_SEED, C))).toBe(true);
    // Production writes no account for a device that was never provisioned.
    const prod = await brokerDevices(pool, true, config.DEVICE_PASSWORD_SEED);
    expect(prod.devices.some((d) => d.id === C)).toBe(false);
    expect(prod.devices.find((d) => d.id === A)).toMatchObject({ passwordHash: expect.stringMatching(/^\$7\$/) });
  });

  it('rotating a secret takes effect at the reload: the old one is refused, the new one accepted; each change is audited', async () => {
    const old = await provisionDeviceSecret(pool, A, actor, 'scheduled rotation');
    await sync();
    expect(await accepts(A, old)).toBe(true);
    const fresh = await provisionDeviceSecret(pool, A, actor, 'rotation after a suspected leak');
    await sync();
    // SIGHUP reloads asynchronously: wait until the broker has the new file.
    expect(await eventually(async () => ((await accepts(A, fresh)) ? true : undefined), 100, 100)).toBe(true);
    expect(await accepts(A, old)).toBe(false);
    const audit = await pool.query<{ action: string; subject_id: string }>(`select action, subject_id from audit_log where subject_id = any($1) order by seq`, [[A, B]]);
    expect(audit.rows.map((r) => `${r.action} ${r.subject_id}`)).toEqual([
      `device.credentials_issued ${A}`, `device.credentials_revoked ${B}`, `device.credentials_issued ${A}`, `device.credentials_issued ${A}`,
    ]);
  });
});
