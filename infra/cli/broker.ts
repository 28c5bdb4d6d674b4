import path from 'node:path';
import { BrokerAccountSync } from '../broker/broker-account-sync.ts';
import { syncProjectBroker } from '../broker/project-broker.ts';
import { loadConfig } from '../config/config.ts';
import { createPool } from '../db/sql.ts';
import { createLogger } from '../logging/logger.ts';
import { runDir } from './run-dir.ts';

/**
 * `tsx infra/cli/broker.ts`: renders the project's broker files from the device registry and
 * starts the broker, or makes a running one reload its passwords and ACL (SIGHUP). With `--watch`
 * it stays up and reloads at every change of the registry's accounts (broker-account-sync.ts).
 */
const config = loadConfig();
const log = createLogger('broker', config.LOG_LEVEL);
const dir = path.join(runDir(), 'mosquitto');
if (process.argv.includes('--watch')) {
  const pool = createPool(config.DATABASE_URL, 2);
  const sync = new BrokerAccountSync(config, pool, dir, log);
  await sync.start();
  log.info('watching the device registry for broker account changes');
  const stop = async () => {
    await sync.stop();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
} else {
  const pool = createPool(config.DATABASE_URL, 1);
  try {
    await syncProjectBroker(config, pool, dir, log);
  } finally {
    await pool.end();
  }
}
