import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../infra/db/migrate.ts';
import { poolExecutor } from '../../infra/db/sql.ts';
import { importKgzUnits } from './kgz.ts';

/**
 * Integration tests get a database of their own, recreated on every run so no state leaks between
 * runs: `<test database>_it`, migrated, with the Kyrgyz boundary data imported.
 */
export default async function setup(project: TestProject) {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kgz_em_test');
  const name = `${base.pathname.slice(1)}_it`;
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`drop database if exists "${name}" with (force)`);
  await c.query(`create database "${name}"`);
  await c.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await migrate(poolExecutor(client as unknown as pg.PoolClient));
  await importKgzUnits(poolExecutor(client as unknown as pg.PoolClient));
  await client.query('select configure_position_storage(400, 7, 7), maintain_position_storage()');
  await client.end();
  project.provide('databaseUrl', url.toString());
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
