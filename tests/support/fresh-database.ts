import pg from 'pg';
import { inject } from 'vitest';

/**
 * A brand-new, empty database on the real server, for tests that must see migrations from zero.
 * Returns its URL and a drop function.
 */
export async function freshDatabase(tag: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(inject('databaseUrl'));
  const name = `${base.pathname.slice(1)}_${tag}`.replace(/[^A-Za-z0-9_]/g, '_');
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
  await run(`drop database if exists "${name}" with (force)`);
  await run(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists "${name}" with (force)`) };
}
