import type { TestProject } from 'vitest/node';
import { createSideDatabase } from '../../infra/db/ensure-database.ts';
import { provisionDatabase } from '../../infra/db/provision.ts';

/**
 * Integration tests get a database of their own, recreated on every run so no state leaks between
 * runs: `<test database>_it`, migrated, with the Kyrgyz boundary data imported.
 */
export default async function setup(project: TestProject) {
  const { url } = await createSideDatabase(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kgz_em_test', 'it');
  await provisionDatabase(url, { importedBy: 'test import of infra/data/kgz' });
  project.provide('databaseUrl', url);
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
