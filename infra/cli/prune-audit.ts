import { verifyAuditChain } from '../audit/audit-log.ts';
import { pruneAuditLog } from '../audit/audit-retention.ts';
import { loadConfig } from '../config/config.ts';
import { createPool } from '../db/sql.ts';
import { createLogger } from '../logging/logger.ts';

/**
 * `npm run audit:prune`: applies AUDIT_RETENTION_DAYS to the audit log (run it daily, e.g. from a
 * systemd timer or cron), then verifies the chain from the new anchor. Prints one JSON line; exits
 * non-zero if the chain does not verify.
 */
const config = loadConfig();
const log = createLogger('audit-prune', config.LOG_LEVEL);
const pool = createPool(config.DATABASE_URL, 1);
try {
  const pruned = await pruneAuditLog(pool, { retentionDays: config.AUDIT_RETENTION_DAYS, actor: { id: null, username: 'system:audit-prune' } });
  log.info({ retentionDays: config.AUDIT_RETENTION_DAYS, pruned }, pruned ? 'audit log pruned' : 'nothing older than the retention');
  const verdict = await verifyAuditChain(pool);
  console.log(JSON.stringify({ retentionDays: config.AUDIT_RETENTION_DAYS, pruned, verdict }));
  if (!verdict.ok) {
    log.error(verdict, 'audit chain does not verify');
    process.exitCode = 1;
  }
} finally {
  await pool.end();
}
