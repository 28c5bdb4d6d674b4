import { hashPassword, verifyPassword } from '../../../infra/auth/password-hash.ts';
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import { Errors } from '../../errors.ts';
import { ROLES } from '../../plugins/application/auth.ts';
import { SignInLimiter, type SignInLimits, type SignInLock } from '../../plugins/application/sign-in-limiter.ts';

const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.Enum(ROLES),
  districtId: Type.Union([Type.String(), Type.Null()]),
});
const ErrorBody = Type.Object({ statusCode: Type.Integer(), code: Type.String(), error: Type.String(), message: Type.String() });

// Compared against when the username does not exist, so both failures take the same time.
const DUMMY_HASH = await hashPassword('no such user');

const authRoutes: FastifyPluginAsyncTypebox<{ limits: SignInLimits }> = async (app, opts) => {
  const limiter = new SignInLimiter(app.livePublisher, app.queuePrefix, opts.limits);
  const limited = (lock: SignInLock) => new Errors.RATE_LIMITED(`${lock.retryAfterS} s`);
  // The limiter's store is Redis: without it sign-in is refused (503), never unlimited.
  const guarded = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      app.log.error({ err }, 'sign-in limiter unavailable');
      throw new Errors.UNAVAILABLE('redis (sign-in limiting)');
    }
  };

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets the session cookie and returns the CSRF token for mutating requests',
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ user: UserSchema, csrfToken: Type.String() }), 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body as { username: string; password: string };
      const lock = await guarded(() => limiter.lockFor(request.ip, username));
      if (lock) {
        reply.header('retry-after', String(lock.retryAfterS));
        throw limited(lock);
      }
      const { rows } = await app.pg.query<{ id: string; username: string; display_name: string; role: (typeof ROLES)[number]; district_id: string | null; password_hash: string | null }>(
        `select id, username, display_name, role, district_id, password_hash from users where lower(username) = lower($1) and disabled_at is null`,
        [username],
      );
      const u = rows[0];
      const verified = await verifyPassword(password, u?.password_hash ?? DUMMY_HASH);
      const ok = verified.ok;
      // An older scheme or cost is replaced now that the password is known to be right.
      if (ok && u && verified.rehash) await app.pg.query('update users set password_hash = $2 where id = $1', [u.id, await hashPassword(password)]);
      await inTransaction(app.pg, (client) =>
        appendAudit(client, {
          actor: { id: u?.id ?? null, username: u?.username ?? username },
          action: ok && u ? 'auth.login' : 'auth.login_failed',
          subjectType: 'user',
          subjectId: u?.id ?? username,
          details: { ip: request.ip },
        }),
      );
      if (!ok || !u) {
        const lockouts = await guarded(() => limiter.failed(request.ip, username));
        if (lockouts.length) {
          await inTransaction(app.pg, async (client) => {
            for (const l of lockouts) {
              await appendAudit(client, {
                actor: { id: null, username: 'system:sign-in-limiter' },
                action: 'auth.lockout',
                subjectType: l.scope === 'account' ? 'user' : 'sign_in',
                subjectId: l.scope === 'account' ? (u?.id ?? l.key) : `${l.scope}:${l.key}`,
                reason: `${l.scope} locked for ${l.retryAfterS} s after repeated failed sign-ins (lock-out ${l.count} in 24 h)`,
                details: { scope: l.scope, key: l.key, seconds: l.retryAfterS, count: l.count, ip: request.ip },
              });
            }
          });
        }
        // The attempt that reaches the limit is still answered as what it was; the lock stops the next ones.
        throw new Errors.BAD_CREDENTIALS();
      }
      await guarded(() => limiter.succeeded(username));
      const { csrfToken } = await app.startSession(reply, u.id);
      return { user: { id: u.id, username: u.username, displayName: u.display_name, role: u.role, districtId: u.district_id }, csrfToken };
    },
  );

  app.post(
    '/auth/logout',
    { preHandler: app.requireUser(), schema: { tags: ['auth'], summary: 'Sign out', response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody } } },
    async (request, reply) => {
      await app.endSession(request, reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    { preHandler: app.requireUser(), schema: { tags: ['auth'], summary: 'The signed-in user and the CSRF token', response: { 200: Type.Object({ user: UserSchema, csrfToken: Type.String() }), 401: ErrorBody } } },
    async (request) => ({ user: request.user!, csrfToken: request.csrfToken! }),
  );
};

export default authRoutes;
