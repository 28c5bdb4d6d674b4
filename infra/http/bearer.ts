import { timingSafeEqual } from 'node:crypto';

/** Constant-time check of an `Authorization: Bearer <token>` header (METRICS_TOKEN on /metrics). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
