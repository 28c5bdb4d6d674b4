import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BISHKEK, registerClient } from '../support/fixtures.ts';
import { connectTag, eventually, startTestPlatform, type TestPlatform } from '../support/platform.ts';

// Issue 18: the whole platform over a TLS broker (mqtts://), trusting a private CA
// (MQTT_TLS_CA_FILE), as production requires off loopback.
describe('the platform over MQTT TLS', () => {
  const TAG = 'TLS-TAG-1';
  let p: TestPlatform;
  let dir: string;
  let cert: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'em-tls-platform-'));
    const key = path.join(dir, 'server.key');
    cert = path.join(dir, 'server.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    p = await startTestPlatform({ devices: [TAG], tls: { certfile: cert, keyfile: key, cafile: cert } });
    await registerClient(p.pool, TAG, { unitId: BISHKEK });
  });
  afterAll(async () => {
    await p?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ingest subscribes over TLS and stores the fix a tag publishes over TLS', async () => {
    expect(p.config.MQTT_URL).toMatch(/^mqtts:\/\/127\.0\.0\.1:/);
    const tag = await connectTag(p, TAG, { ca: readFileSync(cert), reconnectPeriod: 0 });
    try {
      const seq = await tag.sendFix([74.59, 42.87], Date.now() - 1000);
      const stored = await eventually(async () => {
        const { rows } = await p.pool.query<{ n: string }>('select count(*) as n from positions where device_id = $1 and seq = $2', [TAG, seq]);
        return Number(rows[0]!.n) === 1 ? 1 : undefined;
      });
      expect(stored).toBe(1);
    } finally {
      await tag.client.endAsync();
    }
  });
});
