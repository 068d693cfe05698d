// OIDC settings: all three or none, https issuers only (plain http for loopback), and the defaults.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';
import { isEmailDomainAllowed } from '../../server/domain/email-domain';

const sso = (env: Record<string, string>) => loadConfig({ PUBLIC_URL: 'https://juxta.example.com', ...env }).sso;
const base = { OIDC_ISSUER_URL: 'https://id.example.com/realms/lab', OIDC_CLIENT_ID: 'juxta', OIDC_CLIENT_SECRET: 's3cret' };

describe('single sign-on settings', () => {
  it('is off without an issuer, and on with defaults when the three are set', () => {
    expect(sso({})).toBeNull();
    expect(sso(base)).toEqual({
      issuer: base.OIDC_ISSUER_URL,
      clientId: 'juxta',
      clientSecret: 's3cret',
      displayName: 'SSO',
      allowedEmailDomains: null,
      newUsers: 'invite-only',
      passwordLoginAdminsOnly: false,
      redirectUri: 'https://juxta.example.com/login',
      allowHttp: false,
    });
  });

  it('reads the name, the domains (case and @ ignored), the new-user rule and the password switch', () => {
    const config = sso({ ...base, OIDC_DISPLAY_NAME: 'Acme ID', OIDC_ALLOWED_EMAIL_DOMAINS: ' Acme.com, @lab.acme.com ,', OIDC_NEW_USERS: 'rater', OIDC_PASSWORD_LOGIN_ADMINS_ONLY: 'true' });
    expect(config).toMatchObject({ displayName: 'Acme ID', allowedEmailDomains: ['acme.com', 'lab.acme.com'], newUsers: 'rater', passwordLoginAdminsOnly: true });
    expect(() => sso({ ...base, OIDC_NEW_USERS: 'admin' })).toThrow(/OIDC_NEW_USERS/);
  });

  it('wants the three together', () => {
    expect(() => sso({ OIDC_ISSUER_URL: base.OIDC_ISSUER_URL })).toThrow(ConfigError);
    expect(() => sso({ OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y' })).toThrow(/together/);
  });

  it('allows plain http only for a provider on this machine', () => {
    expect(() => sso({ ...base, OIDC_ISSUER_URL: 'http://id.example.com' })).toThrow(/https/);
    expect(() => sso({ ...base, OIDC_ISSUER_URL: 'http://10.0.0.5:8080' })).toThrow(/https/);
    for (const issuer of ['http://127.0.0.1:9000', 'http://localhost:8080/realms/x', 'http://[::1]:9000']) {
      expect(sso({ ...base, OIDC_ISSUER_URL: issuer })?.allowHttp).toBe(true);
    }
  });
});

describe('allowed email domains', () => {
  it('matches whole domains only, case-insensitively', () => {
    expect(isEmailDomainAllowed('a@x.org', null)).toBe(true);
    expect(isEmailDomainAllowed('a@Acme.COM', ['acme.com'])).toBe(true);
    expect(isEmailDomainAllowed('a@lab.acme.com', ['acme.com'])).toBe(false);
    expect(isEmailDomainAllowed('a@evilacme.com', ['acme.com'])).toBe(false);
    expect(isEmailDomainAllowed('a@acme.com@evil.org', ['acme.com'])).toBe(false);
  });
});
