import path from 'node:path';
import { provisionDeviceSecret, revokeDeviceSecret } from '../broker/device-credentials.ts';
import { syncProjectBroker } from '../broker/project-broker.ts';
import { loadConfig } from '../config/config.ts';
import { createPool } from '../db/sql.ts';
import { createLogger } from '../logging/logger.ts';
import { runDir } from './run-dir.ts';

// npm run device:credentials -- provision|rotate|revoke <device id> "<reason>"
// Prints a provisioned secret once (it is not stored), then makes the project broker reload.
const [action, deviceId, reason] = process.argv.slice(2);
if (!['provision', 'rotate', 'revoke'].includes(action ?? '') || !deviceId || !reason || reason.length < 3) {
  console.error('usage: npm run device:credentials -- provision|rotate|revoke <device id> "<reason, audited>"');
  process.exit(2);
}
const config = loadConfig();
const log = createLogger('device-credentials', config.LOG_LEVEL);
const pool = createPool(config.DATABASE_URL, 2);
const actor = { id: null, username: `cli:${process.env.SUDO_USER ?? process.env.USER ?? 'unknown'}` };
try {
  if (action === 'revoke') {
    await revokeDeviceSecret(pool, deviceId, actor, reason);
    console.log(`revoked the broker credentials of ${deviceId}`);
  } else {
    const secret = await provisionDeviceSecret(pool, deviceId, actor, reason);
    console.log(`${deviceId} secret (shown once, load it into the tag): ${secret}`);
  }
  await syncProjectBroker(config, pool, path.join(runDir(), 'mosquitto'), log);
} finally {
  await pool.end();
}
