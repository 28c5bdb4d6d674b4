import { loadConfig } from '../config/config.ts';
import { upsertAdminUnits } from '../db/admin-unit-repository.ts';
import { createPool, poolExecutor } from '../db/sql.ts';
import { KGZ_FILES, KGZ_SOURCE, readAdminUnits } from '../geo/kgz-data.ts';
import { createLogger } from '../logging/logger.ts';

/**
 * `npm run import:units -- [FILE.geojson ...]`: loads administrative units (levels 0-2) into
 * admin_units. Without arguments it imports the Kyrgyz data the project ships in infra/data/kgz.
 */
const config = loadConfig();
const log = createLogger('import-units', config.LOG_LEVEL);
const args = process.argv.slice(2);
const files = args.length ? args : KGZ_FILES;
const units = await readAdminUnits(files);
const pool = createPool(config.DATABASE_URL, 1);
try {
  const n = await upsertAdminUnits(poolExecutor(pool), units, args.length ? files.join(', ') : KGZ_SOURCE);
  const byLevel = [0, 1, 2].map((l) => units.filter((u) => u.level === l).length);
  log.info({ files, units: n, byLevel }, 'administrative units imported');
} finally {
  await pool.end();
}
