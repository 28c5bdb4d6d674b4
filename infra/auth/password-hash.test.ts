import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password-hash.ts';

describe('password hashing', () => {
  it('scrypt: the right password verifies, a wrong one does not, and salts differ', async () => {
    const a = await hashPassword('correct horse battery', 10);
    const b = await hashPassword('correct horse battery', 10);
    expect(a).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toEqual({ ok: true, rehash: false });
    expect(await verifyPassword('correct horse batterY', a)).toEqual({ ok: false, rehash: false });
  });
  it('hashes at the production cost by default', async () => {
    expect(await hashPassword('pw-at-full-cost')).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
  });
  it('an older bcrypt hash still verifies and asks to be rehashed; garbage never verifies', async () => {
    const old = bcrypt.hashSync('legacy password', 4);
    expect(await verifyPassword('legacy password', old)).toEqual({ ok: true, rehash: true });
    expect(await verifyPassword('other', old)).toEqual({ ok: false, rehash: false });
    expect(await verifyPassword('x', 'not a hash')).toEqual({ ok: false, rehash: false });
  });
});
