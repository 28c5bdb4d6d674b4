import type { AdminUnit } from '../../infra/domain/types.ts';
import { readAdminUnits } from '../../infra/geo/kgz-data.ts';

let cached: Promise<AdminUnit[]> | null = null;
/** The shipped Kyrgyz units, parsed once per test process. */
export function kgzUnits(): Promise<AdminUnit[]> {
  cached ??= readAdminUnits();
  return cached;
}
