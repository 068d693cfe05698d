import { describe, expect, it } from 'vitest';
import { hashPassword, verifyDummyPassword, verifyPassword } from '../../server/services/auth/password';

describe('scrypt password hashes', () => {
  it('stores scheme, cost, salt and key, and verifies only the right password', async () => {
    const stored = await hashPassword('a long enough password');
    const [scheme, N, r, p, salt, key] = stored.split('$');
    expect([scheme, N, r, p]).toEqual(['scrypt', String(2 ** 15), '8', '1']);
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64url')).toHaveLength(32);
    expect(stored).not.toContain('a long enough password');
    expect(await verifyPassword('a long enough password', stored)).toBe(true);
    expect(await verifyPassword('a long enough passwore', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password here'), hashPassword('same password here')]);
    expect(a).not.toBe(b);
  });

  it('verifies with the parameters stored in the hash, so the cost can change later', async () => {
    const stored = await hashPassword('pässword, composed');
    // The same password typed in decomposed Unicode form still matches (NFC before hashing).
    expect(await verifyPassword('pa\u0308ssword, composed', stored)).toBe(true);
    const [, , r, p, salt] = stored.split('$');
    const { scryptSync } = await import('node:crypto');
    const cheap = ['scrypt', 1024, r, p, salt, scryptSync('pässword, composed', Buffer.from(salt!, 'base64url'), 32, { N: 1024, r: 8, p: 1 }).toString('base64url')].join('$');
    expect(await verifyPassword('pässword, composed', cheap)).toBe(true);
  });

  it('rejects hashes it does not understand instead of throwing', async () => {
    const stored = await hashPassword('some password 123');
    const parts = stored.split('$');
    for (const bad of ['', 'bcrypt$x', parts.with(0, 'argon2').join('$'), parts.with(1, String(2 ** 30)).join('$'), parts.with(1, 'abc').join('$'), parts.slice(0, 5).join('$')]) {
      expect(await verifyPassword('some password 123', bad)).toBe(false);
    }
  });

  it('the dummy check always fails', async () => {
    expect(await verifyDummyPassword('anything')).toBe(false);
  });
});
