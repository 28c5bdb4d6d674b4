import pg from 'pg';
import type { AdminUnit } from '../domain/types.ts';
import { readAdminUnits } from '../geo/kgz-data.ts';
import { upsertAdminUnits } from './admin-unit-repository.ts';
import { configureStorage, migrate, type StorageSettings } from './migrate.ts';
import { poolExecutor } from './sql.ts';

export interface ProvisionOptions {
  /** Recorded as the import's source in admin_units. */
  importedBy: string;
  /** The boundaries to import; the shipped Kyrgyz data when omitted. */
  units?: AdminUnit[];
  /**
   * Long retention by default: throwaway databases are seeded with data weeks or months old
   * (case histories, screenshots), which a production-like retention would prune at once.
   */
  storage?: StorageSettings;
}

/**
 * Makes a database ready for the services: migrations, the boundary data, position storage. What
 * every database the project creates for itself (tests, benches, scenario runs, screenshots) needs
 * before a service starts on it.
 */
export async function provisionDatabase(connectionString: string, options: ProvisionOptions): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const db = poolExecutor(client as unknown as pg.PoolClient);
    await migrate(db);
    await upsertAdminUnits(db, options.units ?? (await readAdminUnits()), options.importedBy);
    await configureStorage(db, options.storage ?? { retentionDays: 400, compressAfterDays: 7, aheadDays: 7 });
  } finally {
    await client.end();
  }
}
