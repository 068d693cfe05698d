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

  it('reads TRUST_PROXY as a hop count or proxy addresses; true means one hop with a warning; anything else stops start-up', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,fd00::/8' }).trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16', 'fd00::/8']);
    const legacy = loadConfig({ TRUST_PROXY: 'true' });
    expect(legacy.trustProxy).toBe(1);
    expect(legacy.warnings).toEqual([expect.stringMatching(/^TRUST_PROXY=true now means one proxy hop/)]);
    expect(loadConfig({ TRUST_PROXY: '1' }).warnings).toEqual([]);
    for (const bad of ['everything', '10.0.0.300', '10.0.0.0/33', '-1']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY: must be a hop count/);
    }
  });

  it('treats empty strings as unset, as .env files do', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).database.kind).toBe('pglite');
  });
});
