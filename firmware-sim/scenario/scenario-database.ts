import { createSideDatabase, type SideDatabase } from '../../infra/db/ensure-database.ts';
import { provisionDatabase } from '../../infra/db/provision.ts';

/**
 * A database of the runner's own next to DATABASE_URL's (`<name>_scenario_<run>`): migrated, with
 * the shipped boundaries, dropped afterwards. The in-process services sweep every fitted tag and
 * relay every outbox row of their database, so sharing the demo's would raise alerts for its tags.
 */
export async function createScenarioDatabase(baseUrl: string, runId: string): Promise<SideDatabase> {
  const db = await createSideDatabase(baseUrl, `scenario_${runId}`);
  try {
    await provisionDatabase(db.url, { importedBy: 'scenario runner import of infra/data/kgz' });
  } catch (err) {
    await db.drop().catch(() => {});
    throw err;
  }
  return db;
}
