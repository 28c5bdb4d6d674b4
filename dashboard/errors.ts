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
  UNAVAILABLE: createError('EM_UNAVAILABLE', 'A backing service is unavailable: %s', 503),
  INTERNAL: createError('EM_INTERNAL', 'Internal error', 500),
} as const;

export type ErrorCode = 'EM_VALIDATION' | 'EM_BAD_CURSOR' | 'EM_NOT_FOUND' | 'EM_ROUTE_NOT_FOUND' | 'EM_UNAVAILABLE' | 'EM_INTERNAL';
