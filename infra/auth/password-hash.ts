import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import bcrypt from 'bcryptjs';

/**
 * Password hashing: scrypt (memory-hard, in Node's own crypto: no native module to build), stored as
 * `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<key>` (base64). N = 2^15, r = 8 takes 32 MiB and about
 * 150 ms per hash on this 2-core machine (measured with crypto.scryptSync: 2^14 75 ms, 2^15 153 ms,
 * 2^16 312 ms; bcrypt cost 12, the previous scheme, 277 ms without the memory cost). Hashes from the
 * earlier bcrypt scheme still verify and are replaced at the next successful sign-in.
 */
export const SCRYPT_LOG2_N = 15;
const R = 8;
const P = 1;
const KEY_BYTES = 64;

const derive = (password: string, salt: Buffer, ln: number, r: number, p: number) =>
  new Promise<Buffer>((resolve, reject) => {
    const options: ScryptOptions = { N: 2 ** ln, r, p, maxmem: 256 * 2 ** ln * r + 1024 * 1024 };
    scrypt(password, salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });

export async function hashPassword(password: string, log2N = SCRYPT_LOG2_N): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, log2N, R, P);
  return `$scrypt$ln=${log2N},r=${R},p=${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether the password matches; `rehash` when the stored hash is of the older bcrypt scheme. */
export async function verifyPassword(password: string, stored: string): Promise<{ ok: boolean; rehash: boolean }> {
  const m = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (m) {
    const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const want = Buffer.from(m[5]!, 'base64');
    const key = await derive(password, Buffer.from(m[4]!, 'base64'), ln, r, p);
    const ok = key.length === want.length && timingSafeEqual(key, want);
    // A lower scrypt cost is a deliberate choice (tests, the demo), not an old scheme: it is kept.
    return { ok, rehash: false };
  }
  if (/^\$2[aby]\$/.test(stored)) {
    const ok = await bcrypt.compare(password, stored);
    return { ok, rehash: ok };
  }
  return { ok: false, rehash: false };
}
