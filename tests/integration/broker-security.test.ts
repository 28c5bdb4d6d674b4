import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDER, INGEST, startThrowawayBroker, type ThrowawayBroker } from '../support/throwaway-broker.ts';

// The project's broker config: per-device credentials, an ACL that confines each device to its own
// topics, service accounts, and an optional TLS listener.
describe('broker security (project Mosquitto config)', () => {
  let broker: ThrowawayBroker;
  const open: MqttClient[] = [];
  const connect = async (username: string, password: string, url = broker.url, extra: mqtt.IClientOptions = {}) => {
    const c = await mqtt.connectAsync(url, { protocolVersion: 5, username, password, reconnectPeriod: 0, ...extra });
    open.push(c);
    return c;
  };
  const refusal = (username: string | undefined, password: string | undefined) =>
    new Promise<string>((resolve) => {
      const c = mqtt.connect(broker.url, { protocolVersion: 5, username, password, reconnectPeriod: 0 });
      c.once('connect', () => (c.end(true), resolve('connected')));
      c.once('error', (e) => (c.end(true), resolve(e.message)));
    });

  beforeAll(async () => {
    broker = await startThrowawayBroker(['SEC-A', 'SEC-B']);
  });
  afterAll(async () => {
    for (const c of open) c.end(true);
    await broker.stop();
  });

  it('refuses a wrong password, an unknown user and an anonymous client', async () => {
    expect(await refusal('SEC-A', 'not-the-password')).toMatch(/Not authorized|Bad User Name or Password/i);
    expect(await refusal('SEC-Z', broker.devicePassword('SEC-Z'))).toMatch(/Not authorized|Bad User Name or Password/i);
    expect(await refusal(undefined, undefined)).toMatch(/Not authorized/i);
  });

  it("refuses a device publishing to another device's topic, and nothing reaches ingest", async () => {
    const ingest = await connect(INGEST.username, INGEST.password);
    const seen: string[] = [];
    ingest.on('message', (topic) => seen.push(topic));
    await ingest.subscribeAsync(broker.topics.uplinkFilter, { qos: 1 });
    const a = await connect('SEC-A', broker.devicePassword('SEC-A'));
    await expect(a.publishAsync(broker.topics.fixes('SEC-B'), '{"spoof":true}', { qos: 1 })).rejects.toThrow(/Not authorized/i);
    await a.publishAsync(broker.topics.fixes('SEC-A'), '{"own":true}', { qos: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toEqual([broker.topics.fixes('SEC-A')]);
  });

  it("delivers a device only its own downlink, and never another device's uplink", async () => {
    const a = await connect('SEC-A', broker.devicePassword('SEC-A'));
    const got: string[] = [];
    a.on('message', (topic) => got.push(topic));
    await a.subscribeAsync([broker.topics.command('SEC-A'), broker.topics.command('SEC-B'), broker.topics.uplinkFilter], { qos: 1 });
    const commander = await connect(COMMANDER.username, COMMANDER.password);
    await commander.publishAsync(broker.topics.command('SEC-B'), '{"cmd":"locate_now"}', { qos: 1 });
    await commander.publishAsync(broker.topics.command('SEC-A'), '{"cmd":"locate_now"}', { qos: 1 });
    const b = await connect('SEC-B', broker.devicePassword('SEC-B'));
    await b.publishAsync(broker.topics.fixes('SEC-B'), '{}', { qos: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toEqual([broker.topics.command('SEC-A')]);
  });

  it('service accounts are confined too: ingest cannot command tags, the commander cannot forge uplink', async () => {
    const ingest = await connect(INGEST.username, INGEST.password);
    await expect(ingest.publishAsync(broker.topics.command('SEC-A'), '{}', { qos: 1 })).rejects.toThrow(/Not authorized/i);
    const commander = await connect(COMMANDER.username, COMMANDER.password);
    await expect(commander.publishAsync(broker.topics.fixes('SEC-A'), '{}', { qos: 1 })).rejects.toThrow(/Not authorized/i);
  });

  it('runs as an unprivileged user when root starts it (issue 18)', async () => {
    const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${broker.pid}/status`, 'utf8'))?.[1]);
    expect(uid).not.toBe(0);
    if (process.getuid?.() === 0) expect(uid).toBe(Number(execFileSync('id', ['-u', 'mosquitto'], { encoding: 'utf8' }).trim()));
  });

  it('serves TLS when configured, and the device authenticates over it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'em-tls-'));
    const key = path.join(dir, 'server.key');
    const cert = path.join(dir, 'server.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const tlsBroker = await startThrowawayBroker(['SEC-T'], { certfile: cert, keyfile: key });
    try {
      expect(tlsBroker.url).toMatch(/^mqtts:/);
      const c = await connect('SEC-T', tlsBroker.devicePassword('SEC-T'), tlsBroker.url, { ca: readFileSync(cert) });
      await c.publishAsync(tlsBroker.topics.fixes('SEC-T'), '{}', { qos: 1 });
      // Plain MQTT to the TLS listener does not get a session.
      const plain = await new Promise<string>((resolve) => {
        const p = mqtt.connect(tlsBroker.url.replace('mqtts', 'mqtt'), { username: 'SEC-T', password: tlsBroker.devicePassword('SEC-T'), reconnectPeriod: 0, connectTimeout: 2000 });
        p.once('connect', () => (p.end(true), resolve('connected')));
        p.once('error', () => (p.end(true), resolve('refused')));
        p.once('close', () => (p.end(true), resolve('refused')));
      });
      expect(plain).toBe('refused');
    } finally {
      await tlsBroker.stop();
    }
  });
});
