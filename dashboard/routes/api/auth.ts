import bcrypt from 'bcryptjs';
import rateLimit from '@fastify/rate-limit';
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import { Errors } from '../../errors.ts';
import { ROLES } from '../../plugins/application/auth.ts';

const UserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.Enum(ROLES),
  districtId: Type.Union([Type.String(), Type.Null()]),
});
const ErrorBody = Type.Object({ statusCode: Type.Integer(), code: Type.String(), error: Type.String(), message: Type.String() });

// Compared against when the username does not exist, so both failures take the same time.
const DUMMY_HASH = bcrypt.hashSync('no such user', 10);

const authRoutes: FastifyPluginAsyncTypebox<{ attemptsPerMinute: number }> = async (app, opts) => {
  await app.register(rateLimit, {
    global: false,
    // Thrown as it is, so the central error handler renders it like every other error.
    errorResponseBuilder: (_req, ctx) => new Errors.RATE_LIMITED(ctx.after),
  });

  app.post(
    '/auth/login',
    {
      config: {
        rateLimit: {
          // After body parsing, so that the key can include the username being tried.
          hook: 'preHandler',
          max: opts.attemptsPerMinute,
          timeWindow: '1 minute',
          keyGenerator: (req) => `${req.ip}|${String((req.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
        },
      },
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
      const { rows } = await app.pg.query<{ id: string; username: string; display_name: string; role: (typeof ROLES)[number]; district_id: string | null; password_hash: string | null }>(
        `select id, username, display_name, role, district_id, password_hash from users where lower(username) = lower($1) and disabled_at is null`,
        [username],
      );
      const u = rows[0];
      const ok = await bcrypt.compare(password, u?.password_hash ?? DUMMY_HASH);
      await inTransaction(app.pg, (client) =>
        appendAudit(client, {
          actor: { id: u?.id ?? null, username: u?.username ?? username },
          action: ok && u ? 'auth.login' : 'auth.login_failed',
          subjectType: 'user',
          subjectId: u?.id ?? username,
          details: { ip: request.ip },
        }),
      );
      if (!ok || !u) throw new Errors.BAD_CREDENTIALS();
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
