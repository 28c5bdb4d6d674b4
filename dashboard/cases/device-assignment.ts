import type pg from 'pg';
import { appendAudit } from '../../infra/audit/audit-log.ts';
import { revokeDeviceSecretIn } from '../../infra/broker/device-credentials.ts';
import type { AlertIntent } from '../../alerts/alert-intent.ts';
import { enqueueAlertIntents } from '../../alerts/alert-outbox.ts';
import { pastRulePrefix } from '../../ingest/assignment-at.ts';
import { Errors } from '../errors.ts';
import type { SessionUser } from '../plugins/application/auth.ts';
import { actorOf } from './client-record.ts';

/** Why a tag came off a client (device_assignments.removal_code), and what becomes of the tag. */
export const REMOVAL_CODES = ['removed', 'broken', 'lost', 'sentence_ended'] as const;
export type RemovalCode = (typeof REMOVAL_CODES)[number];
const STATUS_AFTER: Record<RemovalCode, 'in_stock' | 'faulty' | 'lost'> = { removed: 'in_stock', broken: 'faulty', lost: 'lost', sentence_ended: 'in_stock' };

type AssignmentRow = { id: string; fitted_at: Date; removed_at: Date | null; removal_code: string | null };
/** A device_assignments row as the API shows it (schemas.ts Assignment). */
export const assignmentView = (r: AssignmentRow, deviceId: string, clientId: string) => ({
  id: r.id, deviceId, clientId, fittedAt: r.fitted_at.getTime(), removedAt: r.removed_at ? r.removed_at.getTime() : null, removalCode: r.removal_code,
});
const iso = (d: Date) => d.toISOString();

async function lockDevice(db: pg.PoolClient, deviceId: string, field: string) {
  const dev = await db.query<{ client_id: string | null; status: string; created_at: Date }>('select client_id, status, created_at from devices where id = $1 for update', [deviceId]);
  if (!dev.rows[0]) throw new Errors.VALIDATION(`${field} ${deviceId} is not a registered device`);
  return dev.rows[0];
}

/**
 * Fits a tag in stock on a client who wears none: the evidence chain records who and when.
 * Called inside the caller's transaction, with the client row locked. A fitting may be recorded
 * after the fact (`at` in the past), but never so that two fittings of the tag, or two tags on the
 * client, overlap in time: every fix must belong to exactly one assignment.
 */
export async function fitDevice(db: pg.PoolClient, clientId: string, deviceId: string, at: number, user: SessionUser, reason: string, field = 'body/deviceId') {
  const device = await lockDevice(db, deviceId, field);
  if (device.client_id) throw new Errors.CONFLICT(`device ${deviceId} is on ${device.client_id === clientId ? 'this' : 'another'} client; remove it first`);
  if (device.status !== 'in_stock') throw new Errors.CONFLICT(`device ${deviceId} is ${device.status}, not in stock`);
  const current = await db.query('select id from devices where client_id = $1', [clientId]);
  if (current.rows.length) throw new Errors.CONFLICT('the client already wears a tag; remove it first');
  const overlap = await db.query<{ device_id: string; client_id: string; removed_at: Date }>(
    `select device_id, client_id, removed_at from device_assignments
      where (device_id = $1 or client_id = $2) and removed_at > to_timestamp($3 / 1000.0) order by removed_at desc limit 1`,
    [deviceId, clientId, at],
  );
  const o = overlap.rows[0];
  if (o) {
    throw new Errors.VALIDATION(
      o.device_id === deviceId
        ? `body/at overlaps an earlier fitting of ${deviceId}, which ended at ${iso(o.removed_at)}; a fitting cannot begin before it`
        : `body/at overlaps the client's earlier tag ${o.device_id}, removed at ${iso(o.removed_at)}; a fitting cannot begin before it`,
    );
  }
  await db.query(`update devices set client_id = $2, status = 'assigned' where id = $1`, [deviceId, clientId]);
  const row = (await db.query<AssignmentRow>(
    `insert into device_assignments (device_id, client_id, fitted_at, fitted_by, reason) values ($1, $2, to_timestamp($3 / 1000.0), $4, $5)
     returning id, fitted_at, removed_at, removal_code`,
    [deviceId, clientId, at, user.id, reason],
  )).rows[0]!;
  // Fixes the tag sent from the fitting on, stored while it was on nobody (the fitting recorded
  // late), are this client's track; and the tag's next evaluation starts from a clean state.
  const moved = await db.query(
    `update positions set client_id = $2 where device_id = $1 and device_time >= to_timestamp($3 / 1000.0) and client_id is null`,
    [deviceId, clientId, at],
  );
  await db.query(`delete from rule_state where device_id = $1 and not starts_with(rule_id, 'a:')`, [deviceId]);
  await appendAudit(db, {
    actor: actorOf(user), action: 'device.fit', subjectType: 'client', subjectId: clientId, reason,
    details: { deviceId, at, assignmentId: row.id, fixesAttributed: moved.rowCount ?? 0 },
  });
  return assignmentView(row, deviceId, clientId);
}

/**
 * Removes the tag a client wears, saying why (`code`): it goes back to stock, or is faulty, or lost
 * (its broker account is revoked at once). The removal closes the tag's open geofence episodes at
 * that instant (the tag stopped supervising the client then) and keeps the rule states under the
 * assignment, so late store-and-forward data from the fitting is still judged for this client.
 */
export async function removeDevice(
  db: pg.PoolClient,
  clientId: string,
  deviceId: string,
  at: number,
  user: SessionUser,
  reason: string,
  code: RemovalCode,
  field = 'body/deviceId',
  statusOverride?: 'in_stock' | 'faulty',
) {
  const device = await lockDevice(db, deviceId, field);
  if (device.client_id !== clientId) throw new Errors.CONFLICT(`device ${deviceId} is not on this client`);
  const status = statusOverride ?? STATUS_AFTER[code];
  const open = await db.query<AssignmentRow>(`select id, fitted_at, removed_at, removal_code from device_assignments where device_id = $1 and client_id = $2 and removed_at is null for update`, [deviceId, clientId]);
  if (open.rows[0] && at < open.rows[0].fitted_at.getTime()) {
    throw new Errors.VALIDATION(`body/at is before the tag was fitted (${iso(open.rows[0].fitted_at)}); a removal cannot precede its fitting`);
  }
  await db.query('update devices set client_id = null, status = $2 where id = $1', [deviceId, status]);
  const row = open.rows[0]
    ? (await db.query<AssignmentRow>(
        `update device_assignments set removed_at = to_timestamp($2 / 1000.0), removed_by = $3, removal_reason = $4, removal_code = $5
          where id = $1 returning id, fitted_at, removed_at, removal_code`,
        [open.rows[0].id, at, user.id, reason, code],
      )).rows[0]!
    // A tag fitted before the evidence chain was recorded: close it with an honest, unattributed fitting.
    : (await db.query<AssignmentRow>(
        `insert into device_assignments (device_id, client_id, fitted_at, fitted_by, reason, removed_at, removed_by, removal_reason, removal_code)
         values ($1, $2, least($3::timestamptz, to_timestamp($4 / 1000.0)), null, 'fitted before the evidence chain was recorded', to_timestamp($4 / 1000.0), $5, $6, $7)
         returning id, fitted_at, removed_at, removal_code`,
        [deviceId, clientId, device.created_at, at, user.id, reason, code],
      )).rows[0]!;
  // A removal recorded after the fact: what the tag sent after it was not this client's.
  const detached = await db.query(
    `update positions set client_id = null where device_id = $1 and device_time >= to_timestamp($3 / 1000.0) and client_id = $2`,
    [deviceId, clientId, at],
  );
  const closed = await retireRuleStates(db, deviceId, row.id, at);
  if (code === 'lost') await revokeDeviceSecretIn(db, deviceId, actorOf(user), `lost: ${reason}`);
  await appendAudit(db, {
    actor: actorOf(user), action: 'device.remove', subjectType: 'client', subjectId: clientId, reason,
    details: { deviceId, at, assignmentId: row.id, code, status, episodesClosed: closed, fixesDetached: detached.rowCount ?? 0 },
  });
  return assignmentView(row, deviceId, clientId);
}

/**
 * Moves the tag's live rule states under the ended assignment and closes its open geofence
 * episodes at the removal (through the outbox, as ingest does). Returns how many it closed.
 */
async function retireRuleStates(db: pg.PoolClient, deviceId: string, assignmentId: string, at: number): Promise<number> {
  const prefix = pastRulePrefix(assignmentId);
  const { rows } = await db.query<{ rule_id: string; state: { openKey?: string | null; marks?: { key: string; at: number; end: number | null }[] } }>(
    `delete from rule_state where device_id = $1 and not starts_with(rule_id, 'a:') returning rule_id, state`,
    [deviceId],
  );
  if (!rows.length) return 0;
  const intents: AlertIntent[] = [];
  const kept = rows.map((r) => {
    const key = r.state.openKey;
    if (!key) return r;
    intents.push({ kind: 'close', episodeKey: key, at, ifExists: true });
    return { rule_id: r.rule_id, state: { ...r.state, openKey: null, marks: (r.state.marks ?? []).map((m) => (m.key === key ? { ...m, end: at } : m)) } };
  });
  await db.query(
    `insert into rule_state (device_id, rule_id, state) select $1, $2 || r, s from unnest($3::text[], $4::jsonb[]) as u(r, s)
     on conflict (device_id, rule_id) do update set state = excluded.state, updated_at = now()`,
    [deviceId, prefix, kept.map((r) => r.rule_id), kept.map((r) => JSON.stringify(r.state))],
  );
  await enqueueAlertIntents(db, intents);
  return intents.length;
}
