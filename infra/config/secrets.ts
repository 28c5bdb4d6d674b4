import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';

/** The secrets production needs (production-checks.ts), each 32 random bytes. */
export const GENERATED_SECRETS = ['MQTT_INGEST_PASSWORD', 'MQTT_COMMANDER_PASSWORD', 'DEVICE_PASSWORD_SEED', 'METRICS_TOKEN'] as const;

export function generateSecrets(): Record<(typeof GENERATED_SECRETS)[number], string> {
  return Object.fromEntries(GENERATED_SECRETS.map((k) => [k, randomBytes(32).toString('base64url')])) as Record<(typeof GENERATED_SECRETS)[number], string>;
}

/**
 * Writes a production env file readable by its owner only (0600, created with that mode so it is
 * never readable by others even for a moment), and refuses to overwrite one: rotating secrets is a
 * deliberate step (docs/security.md), not a side effect of running this twice.
 */
export async function writeSecretsFile(path: string, overwrite = false): Promise<string[]> {
  const secrets = generateSecrets();
  const lines = [
    '# Written by `npm run secrets`. Load it into the services\' environment (systemd EnvironmentFile=, or `set -a; . ./.env.production; set +a`).',
    '# Keep it out of version control; rotate as docs/security.md describes.',
    'NODE_ENV=production',
    'COOKIE_SECURE=true',
    ...Object.entries(secrets).map(([k, v]) => `${k}=${v}`),
  ];
  const file = await open(path, overwrite ? 'w' : 'wx', 0o600);
  try {
    await file.chmod(0o600);
    await file.writeFile(lines.join('\n') + '\n');
  } finally {
    await file.close();
  }
  return Object.keys(secrets);
}
