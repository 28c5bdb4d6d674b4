import type pg from 'pg';
import { inTransaction } from '../db/sql.ts';
import { appendAudit, PRUNE_ACTION, type Actor } from './audit-log.ts';

export interface PruneResult {
  /** Seq and hash of the last entry removed: the anchor the chain is verified from. */
  throughSeq: number;
  throughHash: string;
  rows: number;
  /** Entries older than this were removed (now minus the retention). */
  cutoff: string;
  /** The audit entry recording the prune. */
  entrySeq: number;
}

/**
 * Applies the audit log's retention (AUDIT_RETENTION_DAYS): removes the oldest entries older than
 * `retentionDays` through prune_audit_log (migration 0010), which records the anchor, and appends
 * the prune to the log in the same transaction, so that entries disappear if and only if the log
 * says who removed which ones. Returns null when nothing was old enough (and appends nothing).
 */
export async function pruneAuditLog(pool: pg.Pool, opts: { retentionDays: number; actor: Actor }): Promise<PruneResult | null> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ pruned_through_seq: string; pruned_through_hash: string; pruned_count: string; pruned_cutoff: Date }>(
      'select * from prune_audit_log($1, $2)',
      [opts.retentionDays, opts.actor.username],
    );
    const pruned = rows[0];
    if (!pruned) return null;
    const result = {
      throughSeq: Number(pruned.pruned_through_seq),
      throughHash: pruned.pruned_through_hash,
      rows: Number(pruned.pruned_count),
      cutoff: pruned.pruned_cutoff.toISOString(),
    };
    const entry = await appendAudit(client, {
      actor: opts.actor,
      action: PRUNE_ACTION,
      subjectType: 'audit_log',
      subjectId: String(result.throughSeq),
      reason: `retention of ${opts.retentionDays} days`,
      details: { ...result, retentionDays: opts.retentionDays },
    });
    return { ...result, entrySeq: entry.seq };
  });
}
