import type pg from 'pg';
import { appendAudit, type Actor } from '../audit/audit-log.ts';
import { inTransaction } from '../db/sql.ts';
import { mosquittoPasswordHash, newDeviceSecret } from './credentials.ts';

/**
 * A device's own broker secret: provisioned (or rotated) as 32 random bytes returned once, of
 * which the registry keeps only the broker's hash; revoked (a lost or stolen tag) by removing it.
 * Each change is audited. The broker picks it up at its next sync (project-broker.ts).
 */
export async function provisionDeviceSecret(db: pg.Pool, deviceId: string, actor: Actor, reason: string): Promise<string> {
  const secret = newDeviceSecret();
  await inTransaction(db, async (tx) => {
    const { rowCount } = await tx.query(
      'update devices set broker_secret_hash = $2, credentials_rotated_at = now(), credentials_revoked_at = null where id = $1',
      [deviceId, mosquittoPasswordHash(secret)],
    );
    if (!rowCount) throw new Error(`no device ${deviceId}`);
    await appendAudit(tx, { actor, action: 'device.credentials_issued', subjectType: 'device', subjectId: deviceId, reason });
  });
  return secret;
}

export async function revokeDeviceSecret(db: pg.Pool, deviceId: string, actor: Actor, reason: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const { rowCount } = await tx.query(`update devices set broker_secret_hash = null, credentials_revoked_at = now() where id = $1`, [deviceId]);
    if (!rowCount) throw new Error(`no device ${deviceId}`);
    await appendAudit(tx, { actor, action: 'device.credentials_revoked', subjectType: 'device', subjectId: deviceId, reason });
  });
}
