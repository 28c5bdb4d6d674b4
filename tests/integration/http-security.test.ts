import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { buildApp } from '../../dashboard/app.ts';
import { SignInLimiter } from '../../dashboard/plugins/application/sign-in-limiter.ts';
import { loadConfig } from '../../infra/config/config.ts';
import { createPool } from '../../infra/db/sql.ts';
import { createRedis } from '../../infra/redis/connection.ts';
import { BISHKEK, TEST_PASSWORD, createUser, newCaseBody } from '../support/fixtures.ts';
import { spawnService, type ServiceProcess } from '../support/ingest-process.ts';

// Issue 18: the findings of the attack review, each shown failing before the change and passing now.
describe('HTTP security: bad input, headers, metrics, sign-in limiting', () => {
  let app: FastifyInstance;
  let pool: pg.Pool;
  let admin: { cookie: string; csrf: string };
  let alertId: string;
  const prefix = `em-sec-${randomUUID().slice(0, 8)}`;
  const metricsToken = 'metrics-token-for-the-test-0123456789';

  const login = async (a: FastifyInstance, username: string, password = TEST_PASSWORD) => a.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

  beforeAll(async () => {
    pool = createPool(inject('databaseUrl'), 2);
    app = await buildApp(loadConfig({ ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'fatal', QUEUE_PREFIX: prefix, METRICS_TOKEN: metricsToken }));
    await app.ready();
    await createUser(pool, 'sec-admin', 'admin');
    await createUser(pool, 'sec-officer', 'officer', BISHKEK);
    await createUser(pool, 'sec-operator', 'operator');
    const res = await login(app, 'sec-admin');
    admin = { cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '), csrf: (res.json() as { csrfToken: string }).csrfToken };
    const officer = await login(app, 'sec-officer');
    const client = await app.inject({
      method: 'POST', url: '/api/clients', payload: newCaseBody(BISHKEK),
      headers: { cookie: officer.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'x-csrf-token': (officer.json() as { csrfToken: string }).csrfToken },
    });
    const clientId = (client.json() as { client: { id: string } }).client.id;
    alertId = (await pool.query<{ id: string }>(`insert into alerts (episode_key, client_id, type, severity, opened_at) values ($1, $2, 'residence_exit', 'high', now()) returning id`, [`sec:${randomUUID()}`, clientId])).rows[0]!.id;
  });
  afterAll(async () => {
    await app?.close();
    await pool?.end();
  });

  const asAdmin = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf }, ...(payload ? { payload: payload as object } : {}) });

  it('limit=1e309 on the five list routes is a 400 naming querystring/limit, not a 500', async () => {
    for (const route of ['/api/alerts', '/api/clients', '/api/permits', '/api/travel-requests', '/api/violations']) {
      const res = await asAdmin('GET', `${route}?limit=1e309`);
      expect({ route, status: res.statusCode }).toEqual({ route, status: 400 });
      expect(res.json()).toMatchObject({ code: 'EM_VALIDATION', message: expect.stringContaining('querystring/limit') });
    }
  });

  it('a NUL byte in the sign-in username, the clients search and an alert note is a 400 naming the field', async () => {
    const signIn = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'sec-admin\u0000', password: 'x' } });
    expect(signIn.statusCode).toBe(400);
    expect(signIn.json()).toMatchObject({ code: 'EM_VALIDATION', message: 'body/username must not contain control characters (U+0000 at 9)' });
    const search = await asAdmin('GET', `/api/clients?q=${encodeURIComponent('ab\u0000c')}`);
    expect(search.statusCode).toBe(400);
    expect(search.json()).toMatchObject({ message: expect.stringContaining('querystring/q') });
    const note = await asAdmin('POST', `/api/alerts/${alertId}/notes`, { text: 'called\u0000 the client' });
    expect(note.statusCode).toBe(400);
    expect(note.json()).toMatchObject({ message: expect.stringContaining('body/text') });
    // Line breaks in a note are text, not control characters.
    const operatorLogin = await login(app, 'sec-operator');
    const operator = { cookie: operatorLogin.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'x-csrf-token': (operatorLogin.json() as { csrfToken: string }).csrfToken };
    const multiLine = await app.inject({ method: 'POST', url: `/api/alerts/${alertId}/notes`, headers: operator, payload: { text: 'called the client\nno answer' } });
    expect(multiLine.statusCode).toBe(200);
  });

  it('security headers on every page, a CSP that forbids framing, and no-store on personal data', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const file = await asAdmin('GET', '/api/clients');
    expect(file.statusCode).toBe(200);
    expect(file.headers['cache-control']).toBe('no-store');
  });

  it('/metrics needs the bearer token when one is set; /docs can be switched off', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    const ok = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${metricsToken}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('em_dashboard_');
    const noDocs = await buildApp(loadConfig({ ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'fatal', QUEUE_PREFIX: prefix, API_DOCS: 'false' }));
    try {
      expect((await noDocs.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(404);
      expect((await noDocs.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(404);
    } finally {
      await noDocs.close();
    }
    expect((await app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
  });

  it('serves HTTPS when given a certificate, with a Secure session cookie', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'em-https-'));
    const key = path.join(dir, 'server.key');
    const cert = path.join(dir, 'server.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const secure = await buildApp(loadConfig({ ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'fatal', QUEUE_PREFIX: prefix, HTTPS_CERT_FILE: cert, HTTPS_KEY_FILE: key, COOKIE_SECURE: 'true' }));
    try {
      await secure.listen({ host: '127.0.0.1', port: 0 });
      const port = (secure.server.address() as { port: number }).port;
      const res = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
        const body = JSON.stringify({ username: 'sec-admin', password: TEST_PASSWORD });
        const req = httpsRequest({ host: '127.0.0.1', port, path: '/api/auth/login', method: 'POST', ca: readFileSync(cert), headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (r) => {
          r.resume();
          r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers }));
        });
        req.on('error', reject);
        req.end(body);
      });
      expect(res.status).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/em_session=[^;]+;.*Secure/);
      expect(res.headers['strict-transport-security']).toContain('max-age=');
    } finally {
      await secure.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a password spray across 50 accounts is limited across two dashboard processes, and the lock-out is audited', async () => {
    const sprayPrefix = `em-spray-${randomUUID().slice(0, 8)}`;
    const names = Array.from({ length: 50 }, (_, i) => `spray-${sprayPrefix.slice(-8)}-${i}`);
    for (const n of names) await createUser(pool, n, 'operator');
    const env = { DATABASE_URL: inject('databaseUrl'), QUEUE_PREFIX: sprayPrefix, HTTP_PORT: '0', LOGIN_FAILURES_PER_IP: '20', LOGIN_FAILURES_PER_ACCOUNT: '5' };
    const ready = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/;
    const procs: ServiceProcess[] = [];
    try {
      procs.push(await spawnService('dashboard/main.ts', ready, env), await spawnService('dashboard/main.ts', ready, env));
      const statuses: number[] = [];
      for (const [i, n] of names.entries()) {
        const port = procs[i % 2]!.metricsPort;
        const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: n, password: 'Summer2026!' }) });
        statuses.push(res.status);
      }
      // One count for both processes: the 20th failure locks the address, and the other 30 attempts are refused unheard.
      expect(statuses.filter((s) => s === 401)).toHaveLength(20);
      expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
      // Locked, the address cannot sign in even with a right password, on either process.
      for (const p of procs) {
        const res = await fetch(`http://127.0.0.1:${p.metricsPort}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: names[0], password: TEST_PASSWORD }) });
        expect(res.status).toBe(429);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      const audit = await pool.query<{ details: { scope: string; key: string } }>(`select details from audit_log where action = 'auth.lockout' and details ->> 'key' = '127.0.0.1' and at > now() - interval '5 minutes' order by seq desc limit 1`);
      expect(audit.rows[0]?.details).toMatchObject({ scope: 'ip', key: '127.0.0.1' });
    } finally {
      for (const p of procs) await p.kill('SIGTERM');
    }
  });

  it('passwords are scrypt; an account still on the old bcrypt hash is moved to scrypt at its next sign-in', async () => {
    const name = `legacy-${randomUUID().slice(0, 8)}`;
    await pool.query(`insert into users (username, display_name, role, password_hash) values ($1, $1, 'operator', $2)`, [name, bcrypt.hashSync(TEST_PASSWORD, 4)]);
    expect((await login(app, name, 'wrong password')).statusCode).toBe(401);
    expect((await pool.query<{ h: string }>('select password_hash as h from users where username = $1', [name])).rows[0]!.h).toMatch(/^\$2[aby]\$/);
    expect((await login(app, name)).statusCode).toBe(200);
    expect((await pool.query<{ h: string }>('select password_hash as h from users where username = $1', [name])).rows[0]!.h).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    expect((await login(app, name)).statusCode).toBe(200);
    expect((await pool.query<{ h: string }>(`select password_hash as h from users where username = 'sec-admin'`)).rows[0]!.h).toMatch(/^\$scrypt\$/);
  });

  it('lock-outs back off: each repeat within a day doubles, and unknown accounts lock exactly like known ones', async () => {
    const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0');
    try {
      const limiter = new SignInLimiter(redis, `em-backoff-${randomUUID().slice(0, 8)}`, { perAccount: 3, perIp: 1000, globalPerMinute: 100_000, windowMinutes: 15, lockoutMinutes: 1 });
      const failTimes = async (account: string, n: number) => {
        let last: Awaited<ReturnType<SignInLimiter['failed']>> = [];
        for (let i = 0; i < n; i++) last = await limiter.failed('10.0.0.1', account);
        return last;
      };
      expect(await failTimes('ghost-account', 2)).toEqual([]);
      expect(await failTimes('ghost-account', 1)).toEqual([{ scope: 'account', key: 'ghost-account', count: 1, retryAfterS: 60 }]);
      expect(await limiter.lockFor('10.0.0.2', 'Ghost-Account')).toMatchObject({ scope: 'account' });
      expect(await failTimes('ghost-account', 3)).toEqual([{ scope: 'account', key: 'ghost-account', count: 2, retryAfterS: 120 }]);
      expect(await failTimes('ghost-account', 3)).toEqual([{ scope: 'account', key: 'ghost-account', count: 3, retryAfterS: 240 }]);
      expect(await limiter.lockFor('10.0.0.2', 'someone-else')).toBeNull();
    } finally {
      redis.disconnect();
    }
  });
});
