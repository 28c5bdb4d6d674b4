import pg from 'pg';

/**
 * Creates the database named in `connectionString` if it does not exist, by connecting to the
 * server's `postgres` maintenance database. Lets `migrate` work on a fresh machine in one step.
 */
export async function ensureDatabase(connectionString: string): Promise<boolean> {
  const name = databaseName(connectionString);
  const url = new URL(connectionString);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return false;
    try {
      await client.query(`create database "${name}"`);
    } catch (err) {
      // Another process created it between our check and our create.
      if ((err as { code?: string }).code !== '42P04') throw err;
      return false;
    }
    return true;
  } finally {
    await client.end();
  }
}

/** Runs one statement on the server's `postgres` maintenance database (create or drop database). */
async function onMaintenanceDatabase(connectionString: string, sql: string): Promise<void> {
  const url = new URL(connectionString);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Drops the database named in `connectionString` (closing its sessions) and creates it empty: for
 * throwaway databases only (tests, benches, screenshots, scenario runs).
 */
export async function recreateDatabase(connectionString: string): Promise<void> {
  await dropDatabase(connectionString);
  await onMaintenanceDatabase(connectionString, `create database "${databaseName(connectionString)}"`);
}

/** Drops the database named in `connectionString` if it exists, closing its sessions. */
function dropDatabase(connectionString: string): Promise<void> {
  return onMaintenanceDatabase(connectionString, `drop database if exists "${databaseName(connectionString)}" with (force)`);
}

function databaseName(connectionString: string): string {
  const name = decodeURIComponent(new URL(connectionString).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name "${name}" must be [A-Za-z0-9_]+`);
  return name;
}

export interface SideDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A new, empty database on the same server as `baseUrl`, named `<base name>_<suffix>` (for test
 * runs and the scenario runner, which must not share the developer's database). One left behind
 * by a crashed run under the same name is dropped first.
 */
export async function createSideDatabase(baseUrl: string, suffix: string): Promise<SideDatabase> {
  const url = new URL(baseUrl);
  // PostgreSQL cuts names at 63 bytes: cut the base, so that the suffix (a run id) stays unique
  const tail = `_${suffix}`.replace(/[^A-Za-z0-9_]/g, '_');
  if (tail.length > 32) throw new Error(`side database suffix "${suffix}" is longer than 31 characters`);
  url.pathname = '/' + url.pathname.slice(1).replace(/[^A-Za-z0-9_]/g, '_').slice(0, 63 - tail.length) + tail;
  const side = url.toString();
  await recreateDatabase(side);
  return { url: side, drop: () => dropDatabase(side) };
}
