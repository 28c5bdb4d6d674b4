import { STATUS_CODES } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import { Errors } from '../../errors.ts';

/**
 * One place turns every failure into `{ statusCode, code, error, message }`. Schema validation
 * failures name the field ("querystring/limit must be <= 500"); unexpected errors are logged with
 * their stack and shown to the client only as EM_INTERNAL.
 */
export default fp(async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    if (err.validation) {
      const e = new Errors.VALIDATION(`${err.validationContext ?? 'request'}${err.validation[0]?.instancePath ?? ''} ${err.validation[0]?.message ?? 'is invalid'}`);
      return reply.status(400).send({ statusCode: 400, code: e.code, error: 'Bad Request', message: e.message });
    }
    const status = err.statusCode ?? 500;
    const denied = (err as { accessDenied?: string }).accessDenied ?? (err.code === 'EM_FORBIDDEN' || err.code === 'EM_CSRF' ? err.message : null);
    if (denied && request.user) await auditDenied(app, request, err.code ?? 'EM_ERROR', denied);
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      const code = err.code?.startsWith('EM_') ? err.code : 'EM_INTERNAL';
      const message = code === 'EM_INTERNAL' ? 'Internal error' : err.message;
      return reply.status(status).send({ statusCode: status, code, error: 'Internal Server Error', message });
    }
    return reply.status(status).send({ statusCode: status, code: err.code ?? 'EM_ERROR', error: STATUS_CODES[status] ?? 'Error', message: err.message });
  });
  app.setNotFoundHandler((request, reply) => {
    const e = new Errors.ROUTE_NOT_FOUND(request.method, request.url.split('?')[0]);
    return reply.status(404).send({ statusCode: 404, code: e.code, error: 'Not Found', message: e.message });
  });
});

/**
 * A signed-in user refused something (another district's record, a role's limit, a bad CSRF token):
 * the audit log keeps who, what and why, as it does for what users were allowed to do. A failure to
 * write it is logged and does not change the answer.
 */
async function auditDenied(app: FastifyInstance, request: FastifyRequest, code: string, why: string): Promise<void> {
  const user = request.user!;
  try {
    await inTransaction(app.pg, (db) =>
      appendAudit(db, {
        actor: { id: user.id, username: user.username },
        action: 'access.denied',
        subjectType: 'request',
        subjectId: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
        reason: why,
        details: { code, url: request.url.slice(0, 500), role: user.role, districtId: user.districtId, ip: request.ip },
      }),
    );
  } catch (auditErr) {
    request.log.error({ err: auditErr }, 'could not audit a denied access');
  }
}
