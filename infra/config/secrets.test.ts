import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { writeSecretsFile } from './secrets.ts';

describe('npm run secrets', () => {
  it('writes strong, distinct secrets into a file only its owner can read, which production mode accepts', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'em-secrets-'));
    try {
      const file = path.join(dir, '.env.production');
      await writeSecretsFile(file);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const env = Object.fromEntries((await readFile(file, 'utf8')).split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/=(.*)/s).slice(0, 2)));
      const secrets = ['MQTT_INGEST_PASSWORD', 'MQTT_COMMANDER_PASSWORD', 'DEVICE_PASSWORD_SEED', 'METRICS_TOKEN'].map((k) => env[k] as string);
      expect(new Set(secrets).size).toBe(4);
      for (const s of secrets) expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // A loopback broker needs no TLS; with the file, production mode has nothing left to refuse.
      expect(loadConfig({ ...env, MQTT_URL: 'mqtt://127.0.0.1:1884' }).NODE_ENV).toBe('production');
      // Never overwritten by accident.
      await expect(writeSecretsFile(file)).rejects.toMatchObject({ code: 'EEXIST' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
