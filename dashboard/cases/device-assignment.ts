import type pg from 'pg';
import { appendAudit } from '../../infra/audit/audit-log.ts';
import { Errors } from '../errors.ts';
import type { SessionUser } from '../plugins/application/auth.ts';
import { actorOf } from './client-record.ts';

type AssignmentRow = { id: string; fitted_at: Date; removed_at: Date | null };
const view = (r: AssignmentRow, deviceId: string, clientId: string) => ({ id: r.id, deviceId, clientId, fittedAt: r.fitted_at.getTime(), removedAt: r.removed_at ? r.removed_at.getTime() : null });

async function lockDevice(db: pg.PoolClient, deviceId: string, field: string) {
  const dev = await db.query<{ client_id: string | null; status: string; created_at: Date }>('select client_id, status, created_at from devices where id = $1 for update', [deviceId]);
  if (!dev.rows[0]) throw new Errors.VALIDATION(`${field} ${deviceId} is not a registered device`);
  return dev.rows[0];
}

/**
 * Fits a tag in stock on a client who wears none: the evidence chain records who and when.
 * Called inside the caller's transaction, with the client row locked.
 */
export async function fitDevice(db: pg.PoolClient, clientId: string, deviceId: string, at: number, user: SessionUser, reason: string, field = 'body/deviceId') {
  const device = await lockDevice(db, deviceId, field);
  if (device.client_id) throw new Errors.CONFLICT(`device ${deviceId} is on ${device.client_id === clientId ? 'this' : 'another'} client; remove it first`);
  if (device.status !== 'in_stock') throw new Errors.CONFLICT(`device ${deviceId} is ${device.status}, not in stock`);
  const current = await db.query('select id from devices where client_id = $1', [clientId]);
  if (current.rows.length) throw new Errors.CONFLICT('the client already wears a tag; remove it first');
  await db.query(`update devices set client_id = $2, status = 'assigned' where id = $1`, [deviceId, clientId]);
  const row = (await db.query<AssignmentRow>(
    `insert into device_assignments (device_id, client_id, fitted_at, fitted_by, reason) values ($1, $2, to_timestamp($3 / 1000.0), $4, $5)
     returning id, fitted_at, removed_at`,
    [deviceId, clientId, at, user.id, reason],
  )).rows[0]!;
  await appendAudit(db, { actor: actorOf(user), action: 'device.fit', subjectType: 'client', subjectId: clientId, reason, details: { deviceId, at, assignmentId: row.id } });
  return view(row, deviceId, clientId);
}

/** Removes the tag a client wears; it goes back to stock or is marked faulty. */
export async function removeDevice(db: pg.PoolClient, clientId: string, deviceId: string, at: number, user: SessionUser, reason: string, status: 'in_stock' | 'faulty', field = 'body/deviceId') {
  const device = await lockDevice(db, deviceId, field);
  if (device.client_id !== clientId) throw new Errors.CONFLICT(`device ${deviceId} is not on this client`);
  await db.query('update devices set client_id = null, status = $2 where id = $1', [deviceId, status]);
  const open = await db.query<AssignmentRow>(
    `update device_assignments set removed_at = greatest(fitted_at, to_timestamp($3 / 1000.0)), removed_by = $4, removal_reason = $5
      where device_id = $1 and client_id = $2 and removed_at is null returning id, fitted_at, removed_at`,
    [deviceId, clientId, at, user.id, reason],
  );
  // A tag fitted before the evidence chain was recorded: close it with an honest, unattributed fitting.
  const row = open.rows[0] ?? (await db.query<AssignmentRow>(
    `insert into device_assignments (device_id, client_id, fitted_at, fitted_by, reason, removed_at, removed_by, removal_reason)
     values ($1, $2, least($3::timestamptz, to_timestamp($4 / 1000.0)), null, 'fitted before the evidence chain was recorded', to_timestamp($4 / 1000.0), $5, $6)
     returning id, fitted_at, removed_at`,
    [deviceId, clientId, device.created_at, at, user.id, reason],
  )).rows[0]!;
  await appendAudit(db, { actor: actorOf(user), action: 'device.remove', subjectType: 'client', subjectId: clientId, reason, details: { deviceId, at, assignmentId: row.id } });
  return view(row, deviceId, clientId);
}
