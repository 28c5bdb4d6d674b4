import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appendAudit, verifyAuditChain, type Actor } from '../../infra/audit/audit-log.ts';
import { pruneAuditLog } from '../../infra/audit/audit-retention.ts';
import { migrate } from '../../infra/db/migrate.ts';
import { createPool, inTransaction, poolExecutor } from '../../infra/db/sql.ts';
import { freshDatabase } from '../support/fresh-database.ts';

const DAY = 86_400_000;
const YEAR = 365 * DAY;
const PRUNER: Actor = { id: null, username: 'test:audit-prune' };
const OFFICER: Actor = { id: null, username: 'officer.bishkek' };

/** A database of its own: pruning must see a chain that starts at entry 1, not the shared one. */
async function freshLog(tag: string): Promise<{ pool: pg.Pool; url: string; drop: () => Promise<void> }> {
  const fresh = await freshDatabase(tag);
  const pool = createPool(fresh.url, 2);
  const client = await pool.connect();
  try {
    await migrate(poolExecutor(client));
  } finally {
    client.release();
  }
  return { pool, url: fresh.url, drop: async () => { await pool.end(); await fresh.drop(); } };
}

/** Appends through the real appendAudit, with the clock set back: an entry written `age` ms ago. */
async function appendAged(pool: pg.Pool, ageMs: number, subjectId: string): Promise<number> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() - ageMs);
  try {
    return (await inTransaction(pool, (c) => appendAudit(c, { actor: OFFICER, action: 'track.read', subjectType: 'client', subjectId, reason: 'check' }))).seq;
  } finally {
    vi.useRealTimers();
  }
}

/** Runs SQL as a superuser would to get past the triggers, then puts them back. */
async function behindTheTriggers(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<void> {
  await inTransaction(pool, async (c) => {
    await c.query('alter table audit_log disable trigger user');
    await c.query('alter table audit_log_anchors disable trigger user');
    await c.query(sql, params);
    await c.query('alter table audit_log enable trigger user');
    await c.query('alter table audit_log_anchors enable trigger user');
  });
}

const seqs = async (pool: pg.Pool) => (await pool.query<{ seq: string }>('select seq from audit_log order by seq')).rows.map((r) => Number(r.seq));

describe('audit log retention: pruning the oldest prefix keeps the chain verifiable', () => {
  let log: Awaited<ReturnType<typeof freshLog>>;
  let hashOf8: string;

  beforeAll(async () => {
    log = await freshLog('audit_retention');
  });
  afterAll(async () => {
    await log?.drop();
  });

  it('does nothing on an empty log', async () => {
    expect(await pruneAuditLog(log.pool, { retentionDays: 1825, actor: PRUNER })).toBeNull();
    expect(await verifyAuditChain(log.pool)).toMatchObject({ ok: true, entries: 0, prunedThrough: 0 });
  });

  it('removes only the prefix older than the retention, records the anchor and appends the prune to the chain', async () => {
    for (let i = 1; i <= 5; i++) await appendAged(log.pool, 7 * YEAR, `c${i}`);
    for (let i = 6; i <= 8; i++) await appendAged(log.pool, 6 * YEAR, `c${i}`);
    await appendAged(log.pool, 4 * YEAR, 'c9');
    // Older than the retention but after a recent entry (a clock step back): not part of the prefix.
    await appendAged(log.pool, 6 * YEAR, 'c10');
    await appendAged(log.pool, 4 * YEAR, 'c11');
    await appendAged(log.pool, DAY, 'c12');
    hashOf8 = (await log.pool.query<{ hash: string }>('select hash from audit_log where seq = 8')).rows[0]!.hash;
    expect(await verifyAuditChain(log.pool)).toMatchObject({ ok: true, entries: 12 });

    const pruned = await pruneAuditLog(log.pool, { retentionDays: 1825, actor: PRUNER });
    expect(pruned).toMatchObject({ throughSeq: 8, throughHash: hashOf8, rows: 8, entrySeq: 13 });
    expect(await seqs(log.pool)).toEqual([9, 10, 11, 12, 13]);

    const anchors = await log.pool.query('select through_seq, through_hash, pruned_rows, retention_days, pruned_by from audit_log_anchors');
    expect(anchors.rows).toEqual([{ through_seq: '8', through_hash: hashOf8, pruned_rows: '8', retention_days: 1825, pruned_by: PRUNER.username }]);
    const entry = await log.pool.query<{ action: string; actor: string; prev_hash: string; details: Record<string, unknown> }>(
      'select action, actor, prev_hash, details from audit_log where seq = 13',
    );
    expect(entry.rows[0]).toMatchObject({ action: 'audit.prune', actor: PRUNER.username, details: { throughSeq: 8, throughHash: hashOf8, rows: 8, retentionDays: 1825 } });
    // The first kept entry still links to the last removed one.
    expect((await log.pool.query<{ prev_hash: string }>('select prev_hash from audit_log where seq = 9')).rows[0]!.prev_hash).toBe(hashOf8);

    expect(await verifyAuditChain(log.pool)).toMatchObject({ ok: true, entries: 5, prunedThrough: 8 });
  });

  it('prunes nothing when the oldest kept entry is within the retention, and appends after a prune as before', async () => {
    expect(await pruneAuditLog(log.pool, { retentionDays: 1825, actor: PRUNER })).toBeNull();
    expect(await seqs(log.pool)).toEqual([9, 10, 11, 12, 13]);
    await appendAged(log.pool, 0, 'c14');
    expect(await verifyAuditChain(log.pool)).toMatchObject({ ok: true, entries: 6, prunedThrough: 8 });
  });

  it('refuses an ordinary DELETE, UPDATE or TRUNCATE, even of entries older than the retention', async () => {
    await expect(log.pool.query('delete from audit_log where seq = 10')).rejects.toThrow(/append-only/);
    await expect(log.pool.query(`update audit_log set reason = 'edited' where seq = 9`)).rejects.toThrow(/append-only/);
    await expect(log.pool.query('truncate audit_log')).rejects.toThrow(/append-only/);
    // Setting the prune's guard by hand is not enough: a delete needs an anchor of its own transaction.
    await expect(
      inTransaction(log.pool, async (c) => {
        await c.query(`select set_config('kgz_em.audit_prune_through', '100', true)`);
        await c.query('delete from audit_log where seq <= 10');
      }),
    ).rejects.toThrow(/append-only/);
    await expect(log.pool.query('delete from audit_log_anchors')).rejects.toThrow(/append-only/);
    await expect(log.pool.query('update audit_log_anchors set through_seq = 9')).rejects.toThrow(/append-only/);
    expect(await seqs(log.pool)).toEqual([9, 10, 11, 12, 13, 14]);
    expect(await verifyAuditChain(log.pool)).toMatchObject({ ok: true });
  });

  it('detects an entry edited behind the triggers after a prune', async () => {
    const before = (await log.pool.query<{ reason: string }>('select reason from audit_log where seq = 11')).rows[0]!.reason;
    await behindTheTriggers(log.pool, `update audit_log set reason = 'nothing to see' where seq = 11`);
    expect(await verifyAuditChain(log.pool)).toMatchObject({ ok: false, brokenAt: 11, problem: 'entry content does not match its hash' });
    await behindTheTriggers(log.pool, 'update audit_log set reason = $1 where seq = 11', [before]);
    expect(await verifyAuditChain(log.pool)).toMatchObject({ ok: true });
  });

  it('detects a kept entry deleted behind the triggers, and one deleted and covered by a forged anchor', async () => {
    const row9 = (await log.pool.query('select * from audit_log where seq = 9')).rows[0] as Record<string, unknown>;
    await behindTheTriggers(log.pool, 'delete from audit_log where seq = 9');
    expect(await verifyAuditChain(log.pool)).toMatchObject({ ok: false, brokenAt: 10, problem: 'expected entry 9, found 10' });

    // A superuser who also writes an anchor for the deletion: no prune in the chain vouches for it.
    await behindTheTriggers(
      log.pool,
      `insert into audit_log_anchors (through_seq, through_hash, pruned_rows, cutoff, retention_days, pruned_by) values (9, $1, 1, now(), 1825, $2)`,
      [row9.hash, PRUNER.username],
    );
    expect(await verifyAuditChain(log.pool)).toMatchObject({ ok: false, brokenAt: 9, problem: 'the newest prune anchor is not recorded in the chain' });

    await behindTheTriggers(log.pool, 'delete from audit_log_anchors where through_seq = 9');
    await log.pool.query(
      `insert into audit_log (seq, at, actor_id, actor, action, subject_type, subject_id, reason, details, prev_hash, hash)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [row9.seq, row9.at, row9.actor_id, row9.actor, row9.action, row9.subject_type, row9.subject_id, row9.reason, row9.details, row9.prev_hash, row9.hash],
    );
    expect(await verifyAuditChain(log.pool)).toMatchObject({ ok: true, prunedThrough: 8 });
  });

  it('detects a forged entry appended after a prune', async () => {
    const head = (await log.pool.query<{ seq: string; hash: string }>('select seq, hash from audit_log order by seq desc limit 1')).rows[0]!;
    const forged = Number(head.seq) + 1;
    await log.pool.query(
      `insert into audit_log (seq, at, actor, action, subject_type, subject_id, reason, details, prev_hash, hash)
       values ($1, now(), 'officer.bishkek', 'alert.resolve', 'alert', 'a1', 'false alarm', '{}', $2, $3)`,
      [forged, head.hash, 'f'.repeat(64)],
    );
    expect(await verifyAuditChain(log.pool)).toMatchObject({ ok: false, brokenAt: forged, problem: 'entry content does not match its hash' });
    await behindTheTriggers(log.pool, 'delete from audit_log where seq = $1', [forged]);
    expect(await verifyAuditChain(log.pool)).toMatchObject({ ok: true });
  });
});

describe('npm run audit:prune (AUDIT_RETENTION_DAYS)', () => {
  let log: Awaited<ReturnType<typeof freshLog>>;

  beforeAll(async () => {
    log = await freshLog('audit_prune_cli');
  });
  afterAll(async () => {
    await log?.drop();
  });

  it('applies the configured retention and never removes the newest entry, even when every entry is older', async () => {
    for (let i = 1; i <= 4; i++) await appendAged(log.pool, 6 * YEAR, `c${i}`);
    await appendAged(log.pool, 3 * YEAR, 'c5');
    const run = (retention: string) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/cli/prune-audit.ts'], {
        env: { ...process.env, DATABASE_URL: log.url, AUDIT_RETENTION_DAYS: retention, LOG_LEVEL: 'warn' },
      });
    // Below the legal minimum of a year (the art. 168(2) window): refused by the config, and by
    // the database function itself for whoever calls it directly.
    await expect(run('30')).rejects.toThrow(/AUDIT_RETENTION_DAYS/);
    await expect(log.pool.query(`select * from prune_audit_log(30, 'test:direct')`)).rejects.toThrow(/at least 365 days/);

    // Every entry is older than a year, but the newest stays: the chain goes on from it.
    const first = JSON.parse((await run('365')).stdout.trim().split('\n').at(-1)!);
    expect(first).toMatchObject({ retentionDays: 365, pruned: { throughSeq: 4, rows: 4, entrySeq: 6 }, verdict: { ok: true, prunedThrough: 4 } });
    expect(await seqs(log.pool)).toEqual([5, 6]);

    // Entry 5 is three years old: within the default five years, so nothing goes.
    const second = JSON.parse((await run('1825')).stdout.trim().split('\n').at(-1)!);
    expect(second).toMatchObject({ retentionDays: 1825, pruned: null, verdict: { ok: true, prunedThrough: 4 } });
    expect(await seqs(log.pool)).toEqual([5, 6]);
  });
});
