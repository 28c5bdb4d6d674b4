import createError from '@fastify/error';

/**
 * The catalogue of API errors: every error the API returns has a stable code from this list, so
 * clients branch on `code`, never on message text. Never reuse or rename a code.
 */
export const Errors = {
  VALIDATION: createError('EM_VALIDATION', '%s', 400),
  BAD_CURSOR: createError('EM_BAD_CURSOR', 'querystring/cursor is not a cursor this API issued', 400),
  NOT_FOUND: createError('EM_NOT_FOUND', '%s not found', 404),
  ROUTE_NOT_FOUND: createError('EM_ROUTE_NOT_FOUND', 'Route %s %s not found', 404),
  UNAUTHENTICATED: createError('EM_UNAUTHENTICATED', 'Sign in first', 401),
  BAD_CREDENTIALS: createError('EM_BAD_CREDENTIALS', 'Wrong username or password', 401),
  FORBIDDEN: createError('EM_FORBIDDEN', 'Your role (%s) may not do this', 403),
  CSRF: createError('EM_CSRF', 'header/x-csrf-token is missing or does not match your session', 403),
  CONFLICT: createError('EM_CONFLICT', '%s', 409),
  RATE_LIMITED: createError('EM_RATE_LIMITED', 'Too many attempts; try again in %s', 429),
  UNAVAILABLE: createError('EM_UNAVAILABLE', 'A backing service is unavailable: %s', 503),
  INTERNAL: createError('EM_INTERNAL', 'Internal error', 500),
  /** A decision on something the platform does not propose now (the platform proposes, an officer decides). */
  NOT_PROPOSED: createError('EM_NOT_PROPOSED', '%s', 409),
  /** The case file lacks something the action needs (e.g. the court a submission is addressed to). */
  CASE_INCOMPLETE: createError('EM_CASE_INCOMPLETE', '%s', 409),
} as const;

export type ErrorCode = `EM_${string}`;

/**
 * Something that exists but belongs to another district: answered as not found (ids cannot be
 * probed), and audited by the error handler as a denied access, with who and why.
 */
export function outOfScope(what: string, why: string): Error & { accessDenied: string } {
  return Object.assign(new Errors.NOT_FOUND(what), { accessDenied: why });
}
