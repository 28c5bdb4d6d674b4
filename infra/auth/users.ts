import { SCRYPT_LOG2_N, hashPassword } from './password-hash.ts';
import type pg from 'pg';
import { DEMO_PASSWORD } from '../config/production-checks.ts';

export interface NewUser {
  username: string;
  displayName: string;
  role: 'operator' | 'officer' | 'supervisor' | 'admin';
  /** Required for officers and supervisors: the district office whose clients they may see. */
  districtId: string | null;
  password: string;
  /** A demo account of `npm start` (infra/cli/seed-demo-users.ts): production refuses to serve while one is enabled. */
  demo?: boolean;
}


/** Creates the user, or resets role, district and password of an existing one. Returns its id. */
/** `log2N`: the scrypt cost (password-hash.ts); tests and the demo pass a cheaper one. */
export async function upsertUser(db: pg.Pool | pg.PoolClient, u: NewUser, log2N = SCRYPT_LOG2_N): Promise<string> {
  if ((u.role === 'officer' || u.role === 'supervisor') && !u.districtId) throw new Error(`${u.role} ${u.username} needs a district`);
  if (u.password.length < 10) throw new Error(`password of ${u.username} must have at least 10 characters`);
  if (process.env.NODE_ENV === 'production' && (u.demo || u.password === DEMO_PASSWORD)) {
    throw new Error(`refusing in production: ${u.demo ? 'a demo account' : 'the demo password, published in the repository,'} for ${u.username}`);
  }
  const hash = await hashPassword(u.password, log2N);
  const { rows } = await db.query<{ id: string }>(
    `insert into users (username, display_name, role, district_id, password_hash, demo) values ($1, $2, $3, $4, $5, $6)
     on conflict (username) do update set display_name = excluded.display_name, role = excluded.role,
       district_id = excluded.district_id, password_hash = excluded.password_hash, disabled_at = null, demo = excluded.demo
     returning id`,
    [u.username, u.displayName, u.role, u.districtId, hash, u.demo ?? false],
  );
  return rows[0]!.id;
}
