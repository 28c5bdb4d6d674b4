import type pg from 'pg';
import type { AlertIntent } from './alert-intent.ts';

/**
 * Writes alert intents to the transactional outbox in the caller's transaction and wakes the relay
 * at commit (instead of at its next poll): the relay and the alert worker do the rest exactly once.
 */
export async function enqueueAlertIntents(db: pg.Pool | pg.PoolClient, intents: readonly AlertIntent[]): Promise<void> {
  if (!intents.length) return;
  await db.query(`insert into outbox (kind, payload) select 'alert-intent', p from unnest($1::jsonb[]) as p`, [intents.map((i) => JSON.stringify(i))]);
  await db.query(`select pg_notify('outbox', '')`);
}
