import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

describe('loadConfig', () => {
  it('gives sensible defaults with an empty environment: embedded database in ./data', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.database.kind).toBe('pglite');
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.session.secureCookie).toBe(false);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('uses Postgres when DATABASE_URL is set, and secure cookies behind https', () => {
    const c = loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/juxta', PUBLIC_URL: 'https://juxta.example.com/' });
    expect(c.database).toMatchObject({ kind: 'postgres', url: 'postgresql://u:p@db:5432/juxta' });
    expect(c.publicUrl).toBe('https://juxta.example.com');
    expect(c.session.secureCookie).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ JUXTA_ADMIN_EMAIL: 'a@b.co', JUXTA_ADMIN_PASSWORD: 'short' }, 'JUXTA_ADMIN_PASSWORD'],
    [{ JUXTA_ADMIN_EMAIL: 'a@b.co' }, 'JUXTA_ADMIN_PASSWORD'],
  ])('names the bad variable in %o', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('treats empty strings as unset, as .env files do', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).database.kind).toBe('pglite');
  });
});
