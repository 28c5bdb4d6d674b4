import { createHash, randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { Errors } from '../../errors.ts';

export const ROLES = ['operator', 'officer', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** The district office of officers and supervisors; null for operators and admins. */
  districtId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | null;
    csrfToken: string | null;
  }
  interface FastifyInstance {
    /** preHandler: the caller must be signed in with one of `roles`, and mutating requests must carry the CSRF token. */
    requireUser(...roles: Role[]): preHandlerHookHandler;
    startSession(reply: FastifyReply, userId: string): Promise<{ csrfToken: string }>;
    endSession(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

export const SESSION_COOKIE = 'em_session';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** What the sessions table keeps of a session cookie's token. */
export const sessionTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Server-side sessions: the cookie holds a random token (HttpOnly, SameSite=Strict), the database
 * holds its hash, the user and a CSRF token that every mutating request must echo in a header
 * (synchroniser token), so a forged cross-site form cannot act for a signed-in operator.
 */
export default fp(
  async function auth(app: FastifyInstance, opts: { ttlHours: number; secureCookie: boolean }) {
    await app.register(cookie);
    app.decorateRequest('user', null);
    app.decorateRequest('csrfToken', null);

    app.addHook('onRequest', async (request) => {
      const token = request.cookies[SESSION_COOKIE];
      if (!token) return;
      const { rows } = await app.pg.query<{ id: string; username: string; display_name: string; role: Role; district_id: string | null; csrf_token: string }>(
        `update sessions s set last_seen_at = now()
           from users u
          where s.token_hash = $1 and s.expires_at > now() and u.id = s.user_id and u.disabled_at is null
          returning u.id, u.username, u.display_name, u.role, u.district_id, s.csrf_token`,
        [sessionTokenHash(token)],
      );
      const r = rows[0];
      if (!r) return;
      request.user = { id: r.id, username: r.username, displayName: r.display_name, role: r.role, districtId: r.district_id };
      request.csrfToken = r.csrf_token;
    });

    app.decorate('requireUser', (...roles: Role[]): preHandlerHookHandler => async (request) => {
      if (!request.user) throw new Errors.UNAUTHENTICATED();
      if (roles.length && !roles.includes(request.user.role)) throw new Errors.FORBIDDEN(request.user.role);
      if (MUTATING.has(request.method) && request.headers['x-csrf-token'] !== request.csrfToken) throw new Errors.CSRF();
    });

    app.decorate('startSession', async (reply: FastifyReply, userId: string) => {
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(24).toString('base64url');
      await app.pg.query(
        `insert into sessions (token_hash, user_id, csrf_token, expires_at) values ($1, $2, $3, now() + make_interval(secs => $4))`,
        [sessionTokenHash(token), userId, csrfToken, opts.ttlHours * 3600],
      );
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true, sameSite: 'strict', secure: opts.secureCookie, path: '/', maxAge: Math.round(opts.ttlHours * 3600),
      });
      return { csrfToken };
    });

    app.decorate('endSession', async (request: FastifyRequest, reply: FastifyReply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await app.pg.query('delete from sessions where token_hash = $1', [sessionTokenHash(token)]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    });
  },
  { name: 'auth', dependencies: ['postgres'] },
);

/**
 * Which district's clients the user may see: officers and supervisors only their own office's;
 * operators (the monitoring centre) and admins all. Null means no restriction.
 */
export function districtScope(user: SessionUser): string | null {
  return user.role === 'officer' || user.role === 'supervisor' ? user.districtId ?? '__none__' : null;
}
