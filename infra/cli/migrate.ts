import { loadConfig } from '../config/config.ts';
import { ensureDatabase } from '../db/ensure-database.ts';
import { configureStorage, migrate } from '../db/migrate.ts';
import { createPool, poolExecutor } from '../db/sql.ts';
import { createLogger } from '../logging/logger.ts';

/** `npm run migrate`: creates the database if needed, applies migrations, applies storage settings. */
const config = loadConfig();
const log = createLogger('migrate', config.LOG_LEVEL);
const created = await ensureDatabase(config.DATABASE_URL);
if (created) log.info({ database: new URL(config.DATABASE_URL).pathname }, 'database created');
const pool = createPool(config.DATABASE_URL, 1);
const client = await pool.connect();
try {
  const db = poolExecutor(client);
  const result = await migrate(db);
  log.info(result, 'migrations done');
  const storage = await configureStorage(db, {
    retentionDays: config.POSITION_RETENTION_DAYS,
    compressAfterDays: config.POSITION_COMPRESS_AFTER_DAYS,
    aheadDays: config.POSITION_PARTITIONS_AHEAD_DAYS,
  });
  log.info(storage, 'position storage configured');
} finally {
  client.release();
  await pool.end();
}
