import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type pg from 'pg';
import { hashPassword, verifyPassword } from '../../../infra/auth/password-hash.ts';
import { appendAudit } from '../../../infra/audit/audit-log.ts';
import { DEMO_PASSWORD } from '../../../infra/config/production-checks.ts';
import { inTransaction } from '../../../infra/db/sql.ts';
import { Errors } from '../../errors.ts';
import { ROLES, SESSION_COOKIE, sessionTokenHash, type Role } from '../../plugins/application/auth.ts';
import { actorOf } from '../../cases/client-record.ts';
import { IdParams, errors } from '../../cases/schemas.ts';

/** Long enough to resist guessing once the sign-in limiter has spent an attacker's tries. */
export const MIN_PASSWORD_LENGTH = 12;
const Password = Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 200 });
const Reason = Type.String({ minLength: 3, maxLength: 2000, description: 'Why (audited)' });
const District = Type.String({ pattern: '^KG[0-9]{11}$', description: 'The district office (a level 2 unit); required for officers and supervisors, absent for operators and admins' });

const NewUser = Type.Object(
  {
    username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{2,63}$', description: 'lower case letters, digits, . _ -' }),
    displayName: Type.String({ minLength: 1, maxLength: 200 }),
    role: Type.Enum(ROLES),
    districtId: Type.Optional(District),
    password: Password,
    reason: Reason,
  },
  { additionalProperties: false },
);
const UserUpdate = Type.Object(
  { displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), role: Type.Optional(Type.Enum(ROLES)), districtId: Type.Optional(Type.Union([District, Type.Null()])), reason: Reason },
  { additionalProperties: false },
);
const UserView = Type.Object({
  id: Type.String(), username: Type.String(), displayName: Type.String(), role: Type.Enum(ROLES), districtId: Type.Union([Type.String(), Type.Null()]),
  disabledAt: Type.Union([Type.Integer(), Type.Null()]), demo: Type.Boolean(), createdAt: Type.Integer(),
});

interface UserRow { id: string; username: string; display_name: string; role: Role; district_id: string | null; disabled_at: Date | null; demo: boolean; created_at: Date; password_hash?: string | null }
const COLUMNS = 'id, username, display_name, role, district_id, disabled_at, demo, created_at';
const view = (r: UserRow) => ({
  id: r.id, username: r.username, displayName: r.display_name, role: r.role, districtId: r.district_id, disabledAt: r.disabled_at?.getTime() ?? null, demo: r.demo, createdAt: r.created_at.getTime(),
});
const needsDistrict = (role: Role) => role === 'officer' || role === 'supervisor';

/** A role's district rule, and that the district is a real district office (level 2). */
async function checkDistrict(db: pg.PoolClient, role: Role, districtId: string | null): Promise<void> {
  if (needsDistrict(role) && !districtId) throw new Errors.VALIDATION(`body/districtId is required for an ${role}: the district office whose clients they see`);
  if (!needsDistrict(role) && districtId) throw new Errors.VALIDATION(`body/districtId must be absent for an ${role}: they work across districts`);
  if (districtId) {
    const { rows } = await db.query<{ level: number }>('select level from admin_units where id = $1', [districtId]);
    if (rows[0]?.level !== 2) throw new Errors.VALIDATION(`body/districtId ${districtId} is not a district or city (level 2 unit)`);
  }
}

function checkPassword(password: string, field: string): void {
  if (password === DEMO_PASSWORD) throw new Errors.VALIDATION(`${field} is the demo password, published in the README`);
}

async function requireUserRow(db: pg.PoolClient, id: string): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(`select ${COLUMNS} from users where id = $1 for update`, [id]);
  if (!rows[0]) throw new Errors.NOT_FOUND(`user ${id}`);
  return rows[0];
}

/**
 * User administration (issue 19): administrators create users and set their roles and districts,
 * reset passwords and disable accounts (which ends their sessions at once); everyone changes their
 * own password. Every change is audited, never with a password in it.
 */
const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = app.requireUser('admin');

  app.get('/users', { preHandler: admin, schema: { tags: ['admin'], summary: 'All users (administrators)', response: { 200: Type.Object({ items: Type.Array(UserView) }), ...errors } } }, async () => {
    const { rows } = await app.pg.query<UserRow>(`select ${COLUMNS} from users order by username`);
    return { items: rows.map(view) };
  });

  app.post(
    '/users',
    { preHandler: admin, schema: { tags: ['admin'], summary: 'Create a user with a role (and district for officers and supervisors); audited as user.create', body: NewUser, response: { 201: UserView, ...errors } } },
    async (request, reply) => {
      const b = request.body as Static<typeof NewUser>;
      checkPassword(b.password, 'body/password');
      const hash = await hashPassword(b.password);
      const row = await inTransaction(app.pg, async (db) => {
        await checkDistrict(db, b.role, b.districtId ?? null);
        const { rows } = await db.query<UserRow>(
          `insert into users (username, display_name, role, district_id, password_hash) values ($1, $2, $3, $4, $5)
           on conflict (username) do nothing returning ${COLUMNS}`,
          [b.username, b.displayName, b.role, b.districtId ?? null, hash],
        );
        if (!rows[0]) throw new Errors.CONFLICT(`username ${b.username} is taken`);
        await appendAudit(db, { actor: actorOf(request.user!), action: 'user.create', subjectType: 'user', subjectId: rows[0].id, reason: b.reason, details: { username: b.username, role: b.role, districtId: b.districtId ?? null } });
        return rows[0];
      });
      return reply.status(201).send(view(row));
    },
  );

  app.patch(
    '/users/:id',
    { preHandler: admin, schema: { tags: ['admin'], summary: "Change a user's name, role or district; audited as user.update with before and after", params: IdParams, body: UserUpdate, response: { 200: UserView, ...errors } } },
    async (request) => {
      const { id } = request.params as { id: string };
      const b = request.body as Static<typeof UserUpdate>;
      return inTransaction(app.pg, async (db) => {
        const before = await requireUserRow(db, id);
        const role = b.role ?? before.role;
        const districtId = b.districtId !== undefined ? b.districtId : needsDistrict(role) ? before.district_id : null;
        await checkDistrict(db, role, districtId);
        const { rows } = await db.query<UserRow>(`update users set display_name = $2, role = $3, district_id = $4 where id = $1 returning ${COLUMNS}`, [id, b.displayName ?? before.display_name, role, districtId]);
        // A changed role or district takes effect at once: the sessions carry no copy of either, but end them anyway so nobody keeps a screen of data they may no longer see.
        if (role !== before.role || districtId !== before.district_id) await db.query('delete from sessions where user_id = $1', [id]);
        await appendAudit(db, { actor: actorOf(request.user!), action: 'user.update', subjectType: 'user', subjectId: id, reason: b.reason, details: { before: view(before), after: view(rows[0]!) } });
        return view(rows[0]!);
      });
    },
  );

  app.post(
    '/users/:id/password',
    {
      preHandler: admin,
      schema: { tags: ['admin'], summary: "Reset a user's password; ends their sessions; audited as user.password_reset", params: IdParams, body: Type.Object({ password: Password, reason: Reason }, { additionalProperties: false }), response: { 204: Type.Null(), ...errors } },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const b = request.body as { password: string; reason: string };
      checkPassword(b.password, 'body/password');
      const hash = await hashPassword(b.password);
      await inTransaction(app.pg, async (db) => {
        await requireUserRow(db, id);
        await db.query('update users set password_hash = $2 where id = $1', [id, hash]);
        await db.query('delete from sessions where user_id = $1', [id]);
        await appendAudit(db, { actor: actorOf(request.user!), action: 'user.password_reset', subjectType: 'user', subjectId: id, reason: b.reason });
      });
      return reply.status(204).send(null);
    },
  );

  for (const [path, disable] of [['disable', true], ['enable', false]] as const) {
    app.post(
      `/users/:id/${path}`,
      {
        preHandler: admin,
        schema: {
          tags: ['admin'], summary: disable ? 'Disable an account: it can no longer sign in and its sessions end now; audited as user.disable' : 'Enable a disabled account again; audited as user.enable',
          params: IdParams, body: Type.Object({ reason: Reason }, { additionalProperties: false }), response: { 200: UserView, ...errors },
        },
      },
      async (request) => {
        const { id } = request.params as { id: string };
        const { reason } = request.body as { reason: string };
        if (disable && id === request.user!.id) throw new Errors.CONFLICT('you cannot disable your own account: another administrator must');
        return inTransaction(app.pg, async (db) => {
          await requireUserRow(db, id);
          const { rows } = await db.query<UserRow>(`update users set disabled_at = ${disable ? 'coalesce(disabled_at, now())' : 'null'} where id = $1 returning ${COLUMNS}`, [id]);
          if (disable) await db.query('delete from sessions where user_id = $1', [id]);
          await appendAudit(db, { actor: actorOf(request.user!), action: disable ? 'user.disable' : 'user.enable', subjectType: 'user', subjectId: id, reason });
          return view(rows[0]!);
        });
      },
    );
  }

  app.post(
    '/auth/password',
    {
      preHandler: app.requireUser(),
      schema: {
        tags: ['auth'], summary: 'Change your own password; your other sessions end; audited as user.password_changed',
        body: Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Password }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body as { currentPassword: string; newPassword: string };
      const user = request.user!;
      checkPassword(b.newPassword, 'body/newPassword');
      if (b.newPassword === b.currentPassword) throw new Errors.VALIDATION('body/newPassword must differ from the current one');
      const { rows } = await app.pg.query<{ password_hash: string | null }>('select password_hash from users where id = $1', [user.id]);
      if (!(await verifyPassword(b.currentPassword, rows[0]?.password_hash ?? '')).ok) throw new Errors.VALIDATION('body/currentPassword is wrong');
      const hash = await hashPassword(b.newPassword);
      const current = sessionTokenHash(request.cookies[SESSION_COOKIE] ?? '');
      await inTransaction(app.pg, async (db) => {
        await db.query('update users set password_hash = $2 where id = $1', [user.id, hash]);
        await db.query('delete from sessions where user_id = $1 and token_hash <> $2', [user.id, current]);
        await appendAudit(db, { actor: actorOf(user), action: 'user.password_changed', subjectType: 'user', subjectId: user.id });
      });
      return reply.status(204).send(null);
    },
  );
};

export default userRoutes;
