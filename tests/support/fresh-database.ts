import { inject } from 'vitest';
import { createSideDatabase, type SideDatabase } from '../../infra/db/ensure-database.ts';

/** A brand-new, empty database on the real server, for tests that must see migrations from zero. */
export const freshDatabase = (tag: string): Promise<SideDatabase> => createSideDatabase(inject('databaseUrl'), tag);
