import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Who did something, as the audit log records it. */
export interface Actor {
  id: string | null;
  username: string;
}

export interface AuditEntry {
  actor: Actor;
  /** What was done: 'track.read', 'alert.acknowledge', 'alert.resolve', 'auth.login', ... */
  action: string;
  subjectType: string;
  subjectId: string;
  /** Why, in the user's words, where the action needs a reason. */
  reason?: string | null;
  details?: Record<string, unknown>;
}

export const GENESIS_HASH = '0'.repeat(64);

interface Row {
  seq: number;
  at: string;
  actorId: string | null;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  reason: string | null;
  details: Record<string, unknown>;
}

/** Deterministic JSON (sorted keys) so that a row hashes the same when read back. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).sort().filter((k) => obj[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`).join(',')}}`;
}

export function entryHash(prevHash: string, row: Row): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(row)).digest('hex');
}

/**
 * Appends to the hash-chained audit log inside the caller's transaction, so that the entry exists
 * if and only if the action it records was committed. Appends are serialised by a transaction-level
 * advisory lock: each entry's hash covers the previous one.
 */
export async function appendAudit(client: pg.PoolClient | pg.Client, e: AuditEntry): Promise<{ seq: number; hash: string }> {
  await client.query(`select pg_advisory_xact_lock(hashtext('audit_log'))`);
  const last = await client.query<{ seq: string; hash: string }>('select seq, hash from audit_log order by seq desc limit 1');
  // A prune keeps the newest entry, but should the table ever be empty after one, the chain goes on from the anchor.
  const from = last.rows[0] ?? (await latestAnchor(client));
  const seq = from ? Number(from.seq) + 1 : 1;
  const prevHash = from?.hash ?? GENESIS_HASH;
  const row: Row = {
    seq,
    at: new Date().toISOString(),
    actorId: e.actor.id,
    actor: e.actor.username,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    reason: e.reason ?? null,
    details: e.details ?? {},
  };
  const hash = entryHash(prevHash, row);
  await client.query(
    `insert into audit_log (seq, at, actor_id, actor, action, subject_type, subject_id, reason, details, prev_hash, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [seq, row.at, row.actorId, row.actor, row.action, row.subjectType, row.subjectId, row.reason, row.details, prevHash, hash],
  );
  return { seq, hash };
}

export type ChainVerdict =
  | { ok: true; entries: number; head: string; /** Seq of the last pruned entry the chain starts after (0: none pruned). */ prunedThrough: number }
  | { ok: false; entries: number; brokenAt: number; problem: string };

/** The action of the entry a prune appends (infra/audit/audit-retention.ts). */
export const PRUNE_ACTION = 'audit.prune';

/** The newest anchor left by a prune (migration 0010): the chain continues from its seq and hash. */
export async function latestAnchor(db: pg.Pool | pg.PoolClient | pg.Client): Promise<{ seq: string; hash: string; prunedBy: string } | undefined> {
  const { rows } = await db.query<{ seq: string; hash: string; prunedBy: string }>(
    'select through_seq as seq, through_hash as hash, pruned_by as "prunedBy" from audit_log_anchors order by through_seq desc limit 1',
  );
  return rows[0];
}

/**
 * Recomputes the chain: any edited, inserted, reordered or deleted entry breaks it. After a prune
 * it starts from the newest anchor, and the prune that left the anchor must itself be an entry of
 * the chain with the same seq and hash, so an anchor forged to hide a deletion is caught too.
 */
export async function verifyAuditChain(db: pg.Pool | pg.PoolClient): Promise<ChainVerdict> {
  const anchor = await latestAnchor(db);
  const { rows } = await db.query<{
    seq: string; at: Date; actor_id: string | null; actor: string; action: string; subject_type: string; subject_id: string;
    reason: string | null; details: Record<string, unknown>; prev_hash: string; hash: string;
  }>('select * from audit_log order by seq');
  const prunedThrough = anchor ? Number(anchor.seq) : 0;
  let prev = anchor?.hash ?? GENESIS_HASH;
  let expectedSeq = prunedThrough + 1;
  let anchorRecorded = !anchor;
  for (const r of rows) {
    const seq = Number(r.seq);
    if (seq !== expectedSeq) return { ok: false, entries: rows.length, brokenAt: seq, problem: `expected entry ${expectedSeq}, found ${seq}` };
    if (r.prev_hash !== prev) return { ok: false, entries: rows.length, brokenAt: seq, problem: 'previous-hash link does not match' };
    const hash = entryHash(prev, {
      seq, at: r.at.toISOString(), actorId: r.actor_id, actor: r.actor, action: r.action, subjectType: r.subject_type,
      subjectId: r.subject_id, reason: r.reason, details: r.details,
    });
    if (hash !== r.hash) return { ok: false, entries: rows.length, brokenAt: seq, problem: 'entry content does not match its hash' };
    if (anchor && r.action === PRUNE_ACTION && r.actor === anchor.prunedBy && String(r.details.throughSeq) === String(anchor.seq) && r.details.throughHash === anchor.hash) {
      anchorRecorded = true;
    }
    prev = hash;
    expectedSeq++;
  }
  if (!anchorRecorded) return { ok: false, entries: rows.length, brokenAt: prunedThrough, problem: 'the newest prune anchor is not recorded in the chain' };
  return { ok: true, entries: rows.length, head: prev, prunedThrough };
}
