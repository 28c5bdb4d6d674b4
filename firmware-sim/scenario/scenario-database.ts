import pg from 'pg';
import { upsertAdminUnits } from '../../infra/db/admin-unit-repository.ts';
import { createSideDatabase, type SideDatabase } from '../../infra/db/ensure-database.ts';
import { migrate } from '../../infra/db/migrate.ts';
import { poolExecutor } from '../../infra/db/sql.ts';
import { readAdminUnits } from '../../infra/geo/kgz-data.ts';

/**
 * A database of the runner's own next to DATABASE_URL's (`<name>_scenario_<run>`): migrated, with
 * the shipped boundaries, dropped afterwards. The in-process services sweep every fitted tag and
 * relay every outbox row of their database, so sharing the demo's would raise alerts for its tags.
 */
export async function createScenarioDatabase(baseUrl: string, runId: string): Promise<SideDatabase> {
  const db = await createSideDatabase(baseUrl, `scenario_${runId}`);
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const exec = poolExecutor(c as unknown as pg.PoolClient);
    await migrate(exec);
    await upsertAdminUnits(exec, await readAdminUnits(), 'scenario runner import of infra/data/kgz');
    await c.query('select configure_position_storage(400, 7, 7), maintain_position_storage()');
  } finally {
    await c.end();
  }
  return db;
}
