import type { AdminUnit } from '../../infra/domain/types.ts';
import { upsertAdminUnits } from '../../infra/db/admin-unit-repository.ts';
import type { SqlExecutor } from '../../infra/db/sql.ts';
import { readAdminUnits } from '../../infra/geo/kgz-data.ts';

let cached: Promise<AdminUnit[]> | null = null;
/** The shipped Kyrgyz units, parsed once per test process. */
export function kgzUnits(): Promise<AdminUnit[]> {
  cached ??= readAdminUnits();
  return cached;
}

export async function importKgzUnits(db: SqlExecutor): Promise<number> {
  return upsertAdminUnits(db, await kgzUnits(), 'test import of infra/data/kgz');
}
