import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { CONTROL_CHARACTER } from '../../../infra/text/control-characters.ts';
import { Errors } from '../../errors.ts';

/**
 * Control characters have no place in anything the API accepts: PostgreSQL text refuses U+0000
 * outright (a 500 before this guard), and the others hide content from the people who read notes,
 * names and documents. Tab, line feed and carriage return stay allowed (multi-line notes). Checked
 * for every route before schema validation, so a new route cannot forget it; the error names the
 * field, as schema errors do.
 */

function findControl(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') {
    const m = CONTROL_CHARACTER.exec(value);
    return m ? `${path} must not contain control characters (U+${m[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} at ${m.index})` : null;
  }
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    if (CONTROL_CHARACTER.test(k)) return `${path} has a key with control characters`;
    const found = findControl(v, `${path}/${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * "1e309" is a valid number literal, in a query string and in JSON alike, and becomes Infinity. ajv
 * lets it through an integer schema with a maximum and a default (its coercion path skips the
 * bound), so the value reached PostgreSQL, which refused it: a 500. Checked after validation, on
 * the values the handlers will see.
 */
function findNonFinite(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${path} must be a finite number`;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    const found = findNonFinite(v, `${path}/${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

export default fp(async function inputGuard(app: FastifyInstance) {
  app.addHook('preHandler', async (request) => {
    const problem = findNonFinite(request.params, 'params') ?? findNonFinite(request.query, 'querystring') ?? findNonFinite(request.body, 'body');
    if (problem) throw new Errors.VALIDATION(problem);
  });
  app.addHook('preValidation', async (request) => {
    const problem =
      findControl(request.params, 'params') ?? findControl(request.query, 'querystring') ?? findControl(request.body, 'body');
    if (problem) throw new Errors.VALIDATION(problem);
  });
});
