import type pg from 'pg';
import type { RegimeKind } from '../../infra/domain/types.ts';
import { DEFAULT_EPISODE_SETTINGS, type EpisodeSettings, type RuleKind } from '../../geofence/index.ts';

/**
 * Episode settings that open and close on one fix, so that a test's single beacon raises its
 * alert. Tests jump between cities a minute apart, so no jump is too fast to be real here.
 */
export const ONE_FIX: Record<RuleKind, EpisodeSettings> = Object.fromEntries(
  Object.entries(DEFAULT_EPISODE_SETTINGS).map(([k, s]) => [k, { ...s, dwellMs: 0, minFixes: 1, closeDwellMs: 0, closeMinFixes: 1, maxSpeedMps: Infinity }]),
) as Record<RuleKind, EpisodeSettings>;

export const BISHKEK = 'KG11000000000';
export const TOKMOK_CITY = 'KG08400000010';

/** Registers a client living in `unitId` wearing tag `deviceId`; returns the client id. */
export async function registerClient(
  pool: pg.Pool,
  deviceId: string,
  opts: { unitId?: string; regime?: RegimeKind; name?: string } = {},
): Promise<string> {
  const unit = opts.unitId ?? BISHKEK;
  const { rows } = await pool.query<{ id: string }>(
    `insert into clients (full_name, regime, court_decision_date, effective_date, term_months, term_start, residence_unit_id, district_id)
     values ($1, $2, '2026-01-10', '2026-01-20', 24, '2026-01-25', $3, $3) returning id`,
    [opts.name ?? `Client of ${deviceId}`, opts.regime ?? 'probation_supervision', unit],
  );
  await pool.query(`insert into devices (id, client_id, status) values ($1, $2, 'assigned')`, [deviceId, rows[0]!.id]);
  return rows[0]!.id;
}

export const TEST_PASSWORD = 'integration-test-password';

/** Creates (or resets) a user with TEST_PASSWORD; cost 4 keeps the tests fast. */
export async function createUser(
  pool: pg.Pool,
  username: string,
  role: 'operator' | 'officer' | 'supervisor' | 'admin',
  districtId: string | null = null,
): Promise<string> {
  const { upsertUser } = await import('../../infra/auth/users.ts');
  return upsertUser(pool, { username, displayName: username, role, districtId, password: TEST_PASSWORD }, 4);
}

export interface Session {
  headers: Record<string, string>;
  csrf: string;
  /** fetch with the session cookie (and the CSRF header on mutating requests). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** Signs in through the API, as the web UI does. */
export async function signIn(baseUrl: string, username: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const headers = { cookie };
  return {
    headers,
    csrf: csrfToken,
    fetch: (path, init = {}) => {
      const mutating = init.method && init.method !== 'GET';
      return fetch(`${baseUrl}${path}`, {
        ...init,
        headers: { ...headers, ...(mutating ? { 'x-csrf-token': csrfToken, 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) },
      });
    },
  };
}

/** The body of a response with the expected status, or an error that shows what came back instead. */
export async function expectJson<T = Record<string, unknown>>(res: Response | Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const text = await r.text();
  if (r.status !== status) throw new Error(`expected HTTP ${status}, got ${r.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** Creates a user and signs them in (one call per user and test file keeps clear of the sign-in rate limit). */
export async function signedInUser(pool: pg.Pool, baseUrl: string, username: string, role: 'operator' | 'officer' | 'supervisor' | 'admin', districtId: string | null = null): Promise<Session & { id: string }> {
  const id = await createUser(pool, username, role, districtId);
  return { ...(await signIn(baseUrl, username)), id };
}

/** A case file body for POST /api/clients: probation supervision in `unitId`, registered on `registeredOn`. */
export function newCaseBody(unitId: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    fullName: `Test Client ${Math.random().toString(36).slice(2, 8)}`,
    regime: 'probation_supervision',
    courtDecisionDate: '2026-01-10',
    effectiveDate: '2026-01-20',
    registeredOn: '2026-01-26',
    termMonths: 24,
    residenceUnitId: unitId,
    courtName: 'Первомайский районный суд г. Бишкек',
    ...over,
  };
}
