import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildApp } from '../../dashboard/app.ts';
import { loadConfig } from '../../infra/config/config.ts';
import { createPool } from '../../infra/db/sql.ts';
import { BISHKEK, createUser, registerClient, TEST_PASSWORD } from '../support/fixtures.ts';

const OSH = 'KG21000000000';

// Issue 19: administrators manage users; an officer they create signs in and sees only their district.
describe('user administration', () => {
  let app: FastifyInstance;
  let pool: pg.Pool;
  const run = randomUUID().slice(0, 6);
  type S = { cookie: string; csrf: string };
  let admin: S;

  const signIn = async (username: string, password = TEST_PASSWORD): Promise<S | number> => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) return res.statusCode;
    return { cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '), csrf: (res.json() as { csrfToken: string }).csrfToken };
  };
  const as = (s: S, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object): Promise<LightMyRequestResponse> =>
    app.inject({ method, url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    pool = createPool(inject('databaseUrl'), 2);
    app = await buildApp(loadConfig({ ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'fatal', QUEUE_PREFIX: `em-users-${run}` }));
    await app.ready();
    await createUser(pool, `ua-admin-${run}`, 'admin');
    admin = (await signIn(`ua-admin-${run}`)) as S;
    await registerClient(pool, `UA-OSH-${run}`, { unitId: OSH, name: `UA client Osh ${run}` });
    await registerClient(pool, `UA-BSK-${run}`, { unitId: BISHKEK, name: `UA client Bishkek ${run}` });
  });
  afterAll(async () => {
    await app?.close();
    await pool?.end();
  });

  it('an administrator creates an officer, who signs in and sees only the clients of their district; every change is audited', async () => {
    const username = `officer.osh.${run}`;
    const created = await as(admin, 'POST', '/api/users', { username, displayName: 'Officer, Osh', role: 'officer', districtId: OSH, password: 'a-long-new-password-1', reason: 'new officer of the Osh office' });
    expect(created.statusCode).toBe(201);
    const user = created.json() as { id: string; role: string; districtId: string };
    expect(user).toMatchObject({ role: 'officer', districtId: OSH });
    const officer = await signIn(username, 'a-long-new-password-1');
    expect(typeof officer).toBe('object');
    const list = await as(officer as S, 'GET', `/api/clients?q=${encodeURIComponent(`UA client`)}&limit=200`);
    const names = (list.json() as { items: { fullName: string }[] }).items.map((c) => c.fullName).filter((n) => n.endsWith(run));
    expect(names).toEqual([`UA client Osh ${run}`]);
    // Not an administrator: the user list is refused (and audited as a denial).
    expect((await as(officer as S, 'GET', '/api/users')).statusCode).toBe(403);

    // Moving the officer to Bishkek ends their session; the new one sees Bishkek's client only.
    expect((await as(admin, 'PATCH', `/api/users/${user.id}`, { districtId: BISHKEK, reason: 'transferred to Bishkek' })).statusCode).toBe(200);
    expect((await as(officer as S, 'GET', '/api/clients?limit=1')).statusCode).toBe(401);
    const moved = (await signIn(username, 'a-long-new-password-1')) as S;
    const again = await as(moved, 'GET', `/api/clients?q=${encodeURIComponent(`UA client`)}&limit=200`);
    expect((again.json() as { items: { fullName: string }[] }).items.map((c) => c.fullName).filter((n) => n.endsWith(run))).toEqual([`UA client Bishkek ${run}`]);

    // The officer changes their own password; the old one stops working.
    expect((await as(moved, 'POST', '/api/auth/password', { currentPassword: 'wrong', newPassword: 'another-long-password-2' })).statusCode).toBe(400);
    expect((await as(moved, 'POST', '/api/auth/password', { currentPassword: 'a-long-new-password-1', newPassword: 'another-long-password-2' })).statusCode).toBe(204);
    expect(await signIn(username, 'a-long-new-password-1')).toBe(401);
    expect(typeof (await signIn(username, 'another-long-password-2'))).toBe('object');

    // Disabled: the sessions end at once and sign-in is refused.
    expect((await as(admin, 'POST', `/api/users/${user.id}/disable`, { reason: 'left the service' })).statusCode).toBe(200);
    expect((await as(moved, 'GET', '/api/clients?limit=1')).statusCode).toBe(401);
    expect(await signIn(username, 'another-long-password-2')).toBe(401);
    const audit = await pool.query<{ action: string; details: unknown }>(`select action, details from audit_log where subject_id = $1 and action like 'user.%' order by seq`, [user.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['user.create', 'user.update', 'user.password_changed', 'user.disable']);
    expect(JSON.stringify(audit.rows)).not.toContain('password-1');
  });

  it('refuses an officer without a district, an operator with one, a unit that is not a district, the demo password, a taken name, and disabling oneself', async () => {
    const base = { displayName: 'X', password: 'a-long-new-password-1', reason: 'test' };
    const cases: [object, number, string][] = [
      [{ ...base, username: `u1-${run}`, role: 'officer' }, 400, 'body/districtId is required'],
      [{ ...base, username: `u2-${run}`, role: 'operator', districtId: OSH }, 400, 'body/districtId must be absent'],
      [{ ...base, username: `u3-${run}`, role: 'officer', districtId: 'KG00000000000' }, 400, 'not a district'],
      [{ ...base, username: `u4-${run}`, role: 'operator', password: 'demo-password' }, 400, 'body/password'],
      [{ ...base, username: `u5-${run}`, role: 'operator', password: 'short' }, 400, 'body/password'],
      [{ ...base, username: `ua-admin-${run}`, role: 'operator' }, 409, 'taken'],
    ];
    for (const [body, status, message] of cases) {
      const res = await as(admin, 'POST', '/api/users', body);
      expect({ message, status: res.statusCode }).toEqual({ message, status });
      expect(res.body).toContain(message);
    }
    const me = (await pool.query<{ id: string }>('select id from users where username = $1', [`ua-admin-${run}`])).rows[0]!.id;
    expect((await as(admin, 'POST', `/api/users/${me}/disable`, { reason: 'oops' })).statusCode).toBe(409);
  });
});
