import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { SqlExecutor } from './sql.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

/** Migrations are files `NNNN_name.sql`, applied in version order, each exactly once. */
export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(path.join(dir, file), 'utf8');
      const [version, ...rest] = file.replace(/\.sql$/, '').split('_');
      return { version: version!, name: rest.join('_'), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

/**
 * Applies pending migrations, each in its own transaction, under an advisory lock so that several
 * services starting together cannot race. An applied migration whose file changed afterwards is an
 * error: history is never rewritten silently.
 */
export async function migrate(db: SqlExecutor, migrations?: Migration[]): Promise<MigrateResult> {
  const all = migrations ?? (await loadMigrations());
  await db.exec(`create table if not exists schema_migrations (
    version text primary key, name text not null, checksum text not null, applied_at timestamptz not null default now())`);
  await db.query('select pg_advisory_lock(hashtext($1))', ['kgz-em-migrate']);
  try {
    const { rows } = await db.query<{ version: string; checksum: string }>('select version, checksum from schema_migrations');
    const done = new Map(rows.map((r) => [r.version, r.checksum]));
    const result: MigrateResult = { applied: [], alreadyApplied: [] };
    for (const m of all) {
      const checksum = done.get(m.version);
      if (checksum !== undefined) {
        if (checksum !== m.checksum) {
          throw new Error(`migration ${m.version}_${m.name} was changed after it was applied (checksum mismatch)`);
        }
        result.alreadyApplied.push(m.version);
        continue;
      }
      await db.exec('begin');
      try {
        await db.exec(m.sql);
        await db.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [m.version, m.name, m.checksum]);
        await db.exec('commit');
      } catch (err) {
        await db.exec('rollback');
        throw new Error(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      result.applied.push(m.version);
    }
    return result;
  } finally {
    await db.query('select pg_advisory_unlock(hashtext($1))', ['kgz-em-migrate']);
  }
}

export interface StorageSettings {
  retentionDays: number;
  compressAfterDays: number;
  aheadDays: number;
}

/** Applies retention/compression settings and runs partition upkeep; returns the engine in use. */
export async function configureStorage(db: SqlExecutor, s: StorageSettings): Promise<{ engine: string; report: string }> {
  const { rows } = await db.query<{ engine: string }>('select configure_position_storage($1, $2, $3) as engine', [
    s.retentionDays,
    s.compressAfterDays,
    s.aheadDays,
  ]);
  const maint = await db.query<{ report: string }>('select maintain_position_storage() as report');
  return { engine: rows[0]!.engine, report: maint.rows[0]!.report };
}
