import type pg from 'pg';
import { appendAudit, type Actor } from '../audit/audit-log.ts';
import { inTransaction } from '../db/sql.ts';
import { mosquittoPasswordHash, newDeviceSecret } from './credentials.ts';

/**
 * A device's own broker secret: provisioned (or rotated) as 32 random bytes returned once, of
 * which the registry keeps only the broker's hash; revoked (a lost or stolen tag) by removing it.
 * Each change is audited. The broker picks it up at its next sync (project-broker.ts).
 */
export function provisionDeviceSecret(db: pg.Pool, deviceId: string, actor: Actor, reason: string): Promise<string> {
  return inTransaction(db, (tx) => provisionDeviceSecretIn(tx, deviceId, actor, reason));
}

export function revokeDeviceSecret(db: pg.Pool, deviceId: string, actor: Actor, reason: string): Promise<void> {
  return inTransaction(db, (tx) => revokeDeviceSecretIn(tx, deviceId, actor, reason));
}

/** provisionDeviceSecret inside the caller's transaction (enrolment in the dashboard). */
export async function provisionDeviceSecretIn(tx: pg.PoolClient, deviceId: string, actor: Actor, reason: string): Promise<string> {
  const secret = newDeviceSecret();
  const { rowCount } = await tx.query(
    'update devices set broker_secret_hash = $2, credentials_rotated_at = now(), credentials_revoked_at = null where id = $1',
    [deviceId, mosquittoPasswordHash(secret)],
  );
  if (!rowCount) throw new Error(`no device ${deviceId}`);
  await appendAudit(tx, { actor, action: 'device.credentials_issued', subjectType: 'device', subjectId: deviceId, reason });
  return secret;
}

/** revokeDeviceSecret inside the caller's transaction (a tag marked lost). */
export async function revokeDeviceSecretIn(tx: pg.PoolClient, deviceId: string, actor: Actor, reason: string): Promise<void> {
  const { rowCount } = await tx.query(`update devices set broker_secret_hash = null, credentials_revoked_at = now() where id = $1`, [deviceId]);
  if (!rowCount) throw new Error(`no device ${deviceId}`);
  await appendAudit(tx, { actor, action: 'device.credentials_revoked', subjectType: 'device', subjectId: deviceId, reason });
}
