/**
 * What `NODE_ENV=production` refuses to start with (issue 18, docs/security.md): every known
 * default or derivable secret, an HTTP session cookie without `Secure`, an open /metrics, and a
 * broker reached without TLS over anything but loopback. Pure: one message per problem, naming the
 * variable and what to do, so an operator fixes them all in one pass.
 */
import type { Config } from './config.ts';

/** The development defaults of the secrets (config.ts): published in the repository, so never secret. */
export const DEVELOPMENT_SECRETS: Readonly<Partial<Record<keyof Config, string>>> = {
  MQTT_INGEST_PASSWORD: 'dev-ingest-password',
  MQTT_COMMANDER_PASSWORD: 'dev-commander-password',
  DEVICE_PASSWORD_SEED: 'dev-device-seed',
};
/** The demo accounts' password (infra/cli/seed-demo-users.ts), refused for any account in production. */
export const DEMO_PASSWORD = 'demo-password';
/** Shorter secrets than this are refused in production (`npm run secrets` generates 32 random bytes). */
export const MIN_SECRET_LENGTH = 24;

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);
const hostOf = (url: string) => {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
};

export function productionProblems(c: Config): string[] {
  const problems: string[] = [];
  for (const [key, dev] of Object.entries(DEVELOPMENT_SECRETS) as [keyof Config, string][]) {
    const value = String(c[key]);
    if (value === dev) problems.push(`${key} is the development default published in the repository; run \`npm run secrets\` and load the env file it writes`);
    else if (value.length < MIN_SECRET_LENGTH) problems.push(`${key} is shorter than ${MIN_SECRET_LENGTH} characters; run \`npm run secrets\``);
  }
  if (!c.COOKIE_SECURE) problems.push('COOKIE_SECURE is false: the session cookie would be sent over plain HTTP; serve the dashboard over HTTPS and set COOKIE_SECURE=true');
  if (c.METRICS_TOKEN.length < MIN_SECRET_LENGTH) problems.push(`METRICS_TOKEN is empty or shorter than ${MIN_SECRET_LENGTH} characters: /metrics would be open to anyone; run \`npm run secrets\``);
  const mqttTls = /^(mqtts|wss):/.test(c.MQTT_URL);
  if (!mqttTls && !LOOPBACK.has(hostOf(c.MQTT_URL))) problems.push(`MQTT_URL ${c.MQTT_URL} is neither TLS (mqtts://, wss://) nor loopback: broker passwords and positions would cross the network in clear`);
  if (Boolean(c.HTTPS_CERT_FILE) !== Boolean(c.HTTPS_KEY_FILE)) problems.push('HTTPS_CERT_FILE and HTTPS_KEY_FILE go together: set both, or neither (behind a TLS proxy)');
  if (Boolean(c.MQTT_TLS_CERT_FILE) !== Boolean(c.MQTT_TLS_KEY_FILE)) problems.push('MQTT_TLS_CERT_FILE and MQTT_TLS_KEY_FILE go together: set both, or neither');
  return problems;
}
