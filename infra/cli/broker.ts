import path from 'node:path';
import { syncProjectBroker } from '../broker/project-broker.ts';
import { loadConfig } from '../config/config.ts';
import { createPool } from '../db/sql.ts';
import { createLogger } from '../logging/logger.ts';
import { runDir } from './run-dir.ts';

/**
 * `tsx infra/cli/broker.ts`: renders the project's broker files from the device registry and
 * starts the broker, or makes a running one reload its passwords and ACL (SIGHUP).
 */
const config = loadConfig();
const log = createLogger('broker', config.LOG_LEVEL);
const pool = createPool(config.DATABASE_URL, 1);
try {
  await syncProjectBroker(config, pool, path.join(runDir(), 'mosquitto'), log);
} finally {
  await pool.end();
}
