import { describe, expect, it } from 'vitest';
import { ProductionConfigError, loadConfig } from './config.ts';
import { productionProblems } from './production-checks.ts';

const strong = (c: string) => c.repeat(32);
const safe = {
  NODE_ENV: 'production',
  MQTT_INGEST_PASSWORD: strong('a'),
  MQTT_COMMANDER_PASSWORD: strong('b'),
  DEVICE_PASSWORD_SEED: strong('c'),
  METRICS_TOKEN: strong('d'),
  COOKIE_SECURE: 'true',
  MQTT_URL: 'mqtts://broker.example.kg:8883',
};

describe('production mode refuses development settings', () => {
  it('starts with generated secrets, a Secure cookie and a TLS broker', () => {
    expect(loadConfig(safe).NODE_ENV).toBe('production');
  });
  it('refuses the default broker passwords and device seed published in the repository, one message each', () => {
    let err: unknown;
    try {
      loadConfig({ NODE_ENV: 'production', COOKIE_SECURE: 'true', METRICS_TOKEN: strong('d') });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProductionConfigError);
    const problems = (err as ProductionConfigError).problems;
    expect(problems).toHaveLength(3);
    for (const key of ['MQTT_INGEST_PASSWORD', 'MQTT_COMMANDER_PASSWORD', 'DEVICE_PASSWORD_SEED']) {
      expect(problems.find((p) => p.startsWith(`${key} is the development default`))).toBeDefined();
    }
    expect((err as Error).message).toContain('npm run secrets');
  });
  it('refuses a short secret, a cookie without Secure, an open /metrics, and a clear-text broker off loopback', () => {
    const problems = productionProblems(loadConfig({ ...safe, NODE_ENV: 'development', MQTT_INGEST_PASSWORD: 'short-one', COOKIE_SECURE: 'false', METRICS_TOKEN: '', MQTT_URL: 'mqtt://10.1.2.3:1883' }));
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['MQTT_INGEST_PASSWORD', 'COOKIE_SECURE', 'METRICS_TOKEN', 'MQTT_URL']);
  });
  it('allows a clear-text broker on loopback only', () => {
    for (const url of ['mqtt://127.0.0.1:1884', 'mqtt://localhost:1884', 'mqtt://[::1]:1884']) {
      expect(productionProblems(loadConfig({ ...safe, NODE_ENV: 'development', MQTT_URL: url }))).toEqual([]);
    }
  });
  it('development keeps working with no set-up at all', () => {
    expect(loadConfig({}).MQTT_INGEST_PASSWORD).toBe('dev-ingest-password');
  });
});
