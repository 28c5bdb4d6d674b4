import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { BrokerAccountSync } from '../../infra/broker/broker-account-sync.ts';
import { freePort } from '../../infra/broker/mosquitto.ts';
import { syncProjectBroker } from '../../infra/broker/project-broker.ts';
import { loadConfig, type Config } from '../../infra/config/config.ts';
import { createLogger } from '../../infra/logging/logger.ts';
import { BISHKEK, expectJson, registerClient, signedInUser, TOKMOK_CITY, type Session } from '../support/fixtures.ts';
import { eventually, startTestPlatform, type TestPlatform } from '../support/platform.ts';

// Issue 19: the device registry in the product. Tags are enrolled from the dashboard with a secret
// shown once; marking one lost revokes it, and the sync agent next to the broker (not the
// dashboard) reloads the broker, as `npm start` runs it.
describe('device registry API', () => {
  let p: TestPlatform;
  let operator: Session & { id: string };
  let officer: Session & { id: string };
  let config: Config;
  let dir: string;
  let brokerPid: number | null = null;
  let sync: BrokerAccountSync;

  const accepts = (username: string, password: string) =>
    new Promise<boolean>((resolve) => {
      const c = mqtt.connect(config.MQTT_URL, { protocolVersion: 5, username, password, reconnectPeriod: 0, connectTimeout: 5000 });
      c.once('connect', () => (c.end(true), resolve(true)));
      c.once('error', () => (c.end(true), resolve(false)));
    });

  beforeAll(async () => {
    p = await startTestPlatform({ devices: [] });
    operator = await signedInUser(p.pool, p.dashboardUrl, 'reg-operator', 'operator');
    officer = await signedInUser(p.pool, p.dashboardUrl, 'reg-officer', 'officer', BISHKEK);
    dir = await mkdtemp(path.join(os.tmpdir(), 'em-registry-'));
    config = loadConfig({ ...process.env, DATABASE_URL: inject('databaseUrl'), MQTT_URL: `mqtt://127.0.0.1:${await freePort()}`, DEVICE_PASSWORD_SEED: 'registry-test-seed' });
    brokerPid = (await syncProjectBroker(config, p.pool, dir, createLogger('test', 'warn'))).pid;
    sync = new BrokerAccountSync(config, p.pool, dir, createLogger('test', 'warn'), { debounceMs: 50 });
    await sync.start();
  });
  afterAll(async () => {
    await sync?.stop();
    if (brokerPid) process.kill(brokerPid, 'SIGTERM');
    await p?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('enrols a tag with its secret shown once; the broker lets it in without anyone touching the broker; lost revokes it', async () => {
    const enrolled = await expectJson<{ device: { id: string; status: string; credentials: string; model: string }; secret: string }>(
      operator.fetch('/api/devices', { method: 'POST', body: JSON.stringify({ id: 'REG-TAG-1', model: 'GT-300', firmware: '2.1.0', reason: 'delivery 2026-12' }) }),
      201,
    );
    expect(enrolled.device).toMatchObject({ id: 'REG-TAG-1', status: 'in_stock', credentials: 'provisioned', model: 'GT-300' });
    expect(enrolled.secret.length).toBeGreaterThanOrEqual(32);
    const detail = await expectJson<Record<string, unknown>>(operator.fetch('/api/devices/REG-TAG-1'));
    expect(JSON.stringify(detail)).not.toContain(enrolled.secret);
    expect(await eventually(async () => ((await accepts('REG-TAG-1', enrolled.secret)) ? true : undefined), 100, 100)).toBe(true);

    const again = await operator.fetch('/api/devices', { method: 'POST', body: JSON.stringify({ id: 'REG-TAG-1', model: 'GT-300', reason: 'typed twice' }) });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('body/id');
    const bad = await operator.fetch('/api/devices', { method: 'POST', body: JSON.stringify({ id: 'a b', model: 'GT-300', reason: 'bad id' }) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('body/id');
    const byOfficer = await officer.fetch('/api/devices', { method: 'POST', body: JSON.stringify({ id: 'REG-TAG-9', model: 'GT-300', reason: 'not my job' }) });
    expect(byOfficer.status).toBe(403);

    const lost = await expectJson<{ status: string; credentials: string }>(
      officer.fetch('/api/devices/REG-TAG-1/lost', { method: 'POST', body: JSON.stringify({ reason: 'dropped in the river, reported by the client' }) }),
    );
    expect(lost).toMatchObject({ status: 'lost', credentials: 'revoked' });
    expect(await eventually(async () => ((await accepts('REG-TAG-1', enrolled.secret)) ? undefined : true), 100, 100)).toBe(true);
    // Found again: a new secret, the old one stays refused.
    const found = await expectJson<{ device: { status: string }; secret: string }>(
      operator.fetch('/api/devices/REG-TAG-1/credentials', { method: 'POST', body: JSON.stringify({ reason: 'found and returned to the office' }) }),
    );
    expect(found.device.status).toBe('in_stock');
    expect(await eventually(async () => ((await accepts('REG-TAG-1', found.secret)) ? true : undefined), 100, 100)).toBe(true);
    expect(await accepts('REG-TAG-1', enrolled.secret)).toBe(false);
    const audit = await p.pool.query<{ action: string }>(`select action from audit_log where subject_id = 'REG-TAG-1' order by seq`);
    expect(audit.rows.map((r) => r.action)).toEqual(['device.enrol', 'device.credentials_issued', 'device.credentials_revoked', 'device.lost', 'device.found', 'device.credentials_issued']);
  });

  it('an officer sees the tags in stock and those of their district only', async () => {
    await registerClient(p.pool, 'REG-BISHKEK', { unitId: BISHKEK });
    await registerClient(p.pool, 'REG-TOKMOK', { unitId: TOKMOK_CITY });
    const list = await expectJson<{ items: { id: string }[] }>(officer.fetch('/api/devices'));
    const ids = list.items.map((d) => d.id);
    expect(ids).toContain('REG-BISHKEK');
    expect(ids).toContain('REG-TAG-1');
    expect(ids).not.toContain('REG-TOKMOK');
    expect((await officer.fetch('/api/devices/REG-TOKMOK')).status).toBe(404);
    expect((await officer.fetch('/api/devices/REG-TOKMOK/lost', { method: 'POST', body: JSON.stringify({ reason: 'not mine to mark' }) })).status).toBe(404);
    const all = await expectJson<{ items: { id: string }[] }>(operator.fetch('/api/devices?q=REG-'));
    expect(all.items.map((d) => d.id).sort()).toEqual(['REG-BISHKEK', 'REG-TAG-1', 'REG-TOKMOK']);
  });
});
