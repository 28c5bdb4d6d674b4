import pg from 'pg';
import { upsertAdminUnits } from '../../infra/db/admin-unit-repository.ts';
import { migrate } from '../../infra/db/migrate.ts';
import { poolExecutor } from '../../infra/db/sql.ts';
import { readAdminUnits } from '../../infra/geo/kgz-data.ts';

/**
 * A database of the runner's own next to DATABASE_URL's (`<name>_scenario_<run>`): migrated, with
 * the shipped boundaries, dropped afterwards. The in-process services sweep every fitted tag and
 * relay every outbox row of their database, so sharing the demo's would raise alerts for its tags.
 */
export async function createScenarioDatabase(baseUrl: string, runId: string): Promise<{ url: string; drop(): Promise<void> }> {
  const base = new URL(baseUrl);
  const name = `${base.pathname.slice(1)}_scenario_${runId}`.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 63);
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    const db = poolExecutor(c as unknown as pg.PoolClient);
    await migrate(db);
    await upsertAdminUnits(db, await readAdminUnits(), 'scenario runner import of infra/data/kgz');
    await c.query('select configure_position_storage(400, 7, 7), maintain_position_storage()');
  } finally {
    await c.end();
  }
  return { url: url.toString(), drop: () => run(`drop database if exists "${name}" with (force)`) };
}
