import { ApiError } from '../api/http.ts';

/**
 * The request field a 400 names ("body/districtId is required for an officer ..."): the API's
 * messages lead with it, so a form can mark that input and say which of its labels is meant.
 */
export function apiErrorField(e: unknown): string | null {
  if (!(e instanceof ApiError) || e.status !== 400) return null;
  return /^body\/(\w+)/.exec(e.message)?.[1] ?? null;
}
