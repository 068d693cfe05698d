// Single sign-on against a real OpenID provider in-process (testkit/oidc-provider.ts): the whole code flow
// over HTTP, account linking rules, and each refusal (state, nonce, expired or reused code, domain,
// unverified email, not invited, admin account), with the audit rows every sign-in and new account leaves.
import { randomUUID } from 'node:crypto';
import request, { type Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from '../../testkit/oidc-provider';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { hashSecret } from '../../server/services/auth/secrets';
import { createCampaign, createUserWithPassword, logIn, PASSWORD, sessionCookieOf } from '../helpers/auth';

const REDIRECT_URI = 'http://juxta.test/login';

function ssoEnv(idp: TestIdp, env: Record<string, string>): Record<string, string> {
  // Each sign-in comes from an address of its own (X-Forwarded-For): the sign-in routes are limited per address.
  return { OIDC_ISSUER_URL: idp.issuer, OIDC_CLIENT_ID: idp.clientId, OIDC_CLIENT_SECRET: idp.clientSecret, OIDC_DISPLAY_NAME: 'Test IdP', TRUST_PROXY: '1', ...env };
}

let addresses = 0;
/** A client address of its own, for one sign-in. */
const anotherAddress = () => `10.2.${Math.floor(++addresses / 250)}.${addresses % 250}`;

const flowCookieOf = (res: Response) => (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('juxta_sso_flow='))!.split(';')[0]!;

/** The browser's part before the provider: GET /api/auth/sso/start, keeping the flow cookie (`join`: a campaign join link's token). */
async function startFlow(t: TestApp, next = '/', join?: string) {
  const res = await request(t.app.server)
    .get(`/api/auth/sso/start?next=${encodeURIComponent(next)}${join ? `&join=${join}` : ''}`)
    .set('X-Forwarded-For', anotherAddress())
    .expect(302);
  return { authorizationUrl: res.headers.location as string, cookie: flowCookieOf(res) };
}

/** The login page's part after the provider: POST the query string it came back with (with the session cookie the browser holds, if any). */
const finish = (t: TestApp, cookie: string, back: URL, session?: string) =>
  client(t.app)
    .post('/api/auth/sso/callback')
    .set('Cookie', session ? `${cookie}; ${SESSION_COOKIE}=${session}` : cookie)
    .set('X-Forwarded-For', anotherAddress())
    .send({ search: back.search });

async function signIn(t: TestApp, idp: TestIdp, email: string, next = '/'): Promise<Response> {
  const { authorizationUrl, cookie } = await startFlow(t, next);
  return finish(t, cookie, await idp.signIn(authorizationUrl, email));
}

function expectStatus(res: Response, status: number): Response {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res;
}

const uniqueEmail = (domain = 'juxta.test') => `sso-${randomUUID()}@${domain}`;

describe('single sign-on, invite-only, one allowed domain, password login for admins only', () => {
  let idp: TestIdp;
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    idp = await startTestIdp({ redirectUri: REDIRECT_URI });
    t = await startTestApp({ env: ssoEnv(idp, { OIDC_ALLOWED_EMAIL_DOMAINS: 'juxta.test', OIDC_NEW_USERS: 'invite-only', OIDC_PASSWORD_LOGIN_ADMINS_ONLY: 'true' }) });
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  const prisma = () => t.app.ctx.db.prisma;
  const audit = (userId: string) => prisma().auditEvent.findMany({ where: { targetId: userId }, orderBy: { id: 'asc' } });
  const invite = async (email: string, campaignId?: string) =>
    (await client(t.app, admin).post('/api/invites').send({ role: 'RATER', email, campaignId }).expect(201)).body as { token: string };

  /** An email with an open rater invite and a verified account at the provider. */
  async function invitedAccount(): Promise<string> {
    const email = uniqueEmail();
    await invite(email);
    idp.addAccount({ email });
    return email;
  }

  it('tells the login page its name and that password login is for admins', async () => {
    const res = await request(t.app.server).get('/api/auth/sso').expect(200);
    expect(res.body).toEqual({ displayName: 'Test IdP', passwordLoginAdminsOnly: true });
  });

  it('sends the browser to the provider with PKCE (S256), state, nonce and response_mode=query', async () => {
    const { authorizationUrl } = await startFlow(t);
    const url = new URL(authorizationUrl);
    expect(url.origin).toBe(idp.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: idp.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      response_mode: 'query',
      code_challenge_method: 'S256',
      scope: 'openid email profile',
    });
    for (const p of ['state', 'nonce', 'code_challenge']) expect(url.searchParams.get(p)?.length).toBeGreaterThan(20);
  });

  it('an invited email signs in: account made, the invite taken up, its campaign joined, a session started, all in the audit trail', async () => {
    const campaign = await createCampaign(t.app);
    const email = uniqueEmail();
    await invite(email, campaign.id);
    idp.addAccount({ email, name: 'Ines Invited' });

    const res = expectStatus(await signIn(t, idp, email, '/rate/somewhere'), 200);
    expect(res.body.user).toMatchObject({ email, name: 'Ines Invited', role: 'RATER' });
    expect(res.body.campaigns).toEqual([{ id: campaign.id, name: campaign.name }]);
    expect(res.body.next).toBe('/rate/somewhere');
    const session = sessionCookieOf(res)!;
    const me = await client(t.app, { id: res.body.user.id, email, role: 'RATER', session }).get('/api/me').expect(200);
    expect(me.body.user.id).toBe(res.body.user.id);
    expect(await prisma().invite.count({ where: { email, acceptedById: res.body.user.id } })).toBe(1);
    expect((await audit(res.body.user.id)).map((e) => [e.action, e.actor])).toEqual([
      ['user.create', res.body.user.id],
      ['auth.sso-sign-in', res.body.user.id],
    ]);

    // The next sign-in finds the account by the provider identity and is recorded too.
    const again = expectStatus(await signIn(t, idp, email), 200);
    expect(again.body.user.id).toBe(res.body.user.id);
    const events = await audit(res.body.user.id);
    expect(events.map((e) => e.action)).toEqual(['user.create', 'auth.sso-sign-in', 'auth.sso-sign-in']);
    expect(events[2]!.after).toMatchObject({ account: 'linked', email });
  });

  it('links a rater account with the same verified email, and records the link', async () => {
    const rater = await createUserWithPassword(t.app, 'RATER');
    idp.addAccount({ email: rater.email });
    const res = expectStatus(await signIn(t, idp, rater.email), 200);
    expect(res.body.user.id).toBe(rater.id);
    expect(await prisma().ssoIdentity.count({ where: { userId: rater.id, issuer: idp.issuer } })).toBe(1);
    expect((await audit(rater.id)).map((e) => e.action)).toEqual(['user.sso-link', 'auth.sso-sign-in']);
  });

  it('never joins an admin account by email', async () => {
    const other = await createUserWithPassword(t.app, 'ADMIN');
    idp.addAccount({ email: other.email });
    const res = expectStatus(await signIn(t, idp, other.email), 403);
    expect(res.body.error).toMatchObject({ code: 'SSO_REFUSED', details: { reason: 'admin_account' } });
    expect(sessionCookieOf(res)).toBeNull();
    expect(await prisma().ssoIdentity.count({ where: { userId: other.id } })).toBe(0);
  });

  it('refuses someone with no account and no invite, and makes nothing', async () => {
    const email = uniqueEmail();
    idp.addAccount({ email });
    const res = expectStatus(await signIn(t, idp, email), 403);
    expect(res.body.error).toMatchObject({ code: 'SSO_REFUSED', details: { reason: 'not_invited' } });
    expect(res.body.error.message).toContain('invite');
    expect(await prisma().user.count({ where: { email } })).toBe(0);
  });

  it('refuses an email domain that is not allowed, even with an invite', async () => {
    const email = uniqueEmail('elsewhere.example');
    await invite(email);
    idp.addAccount({ email });
    const res = expectStatus(await signIn(t, idp, email), 403);
    expect(res.body.error).toMatchObject({ code: 'SSO_REFUSED', details: { reason: 'domain_not_allowed' } });
    expect(await prisma().user.count({ where: { email } })).toBe(0);
  });

  it('refuses an email the provider has not verified, even with an invite or an account', async () => {
    const email = uniqueEmail();
    await invite(email);
    idp.addAccount({ email, emailVerified: false });
    const res = expectStatus(await signIn(t, idp, email), 403);
    expect(res.body.error).toMatchObject({ code: 'SSO_REFUSED', details: { reason: 'email_unverified' } });
    expect(await prisma().user.count({ where: { email } })).toBe(0);

    const rater = await createUserWithPassword(t.app, 'RATER');
    idp.addAccount({ email: rater.email, emailVerified: false });
    expectStatus(await signIn(t, idp, rater.email), 403);
    expect(await prisma().ssoIdentity.count({ where: { userId: rater.id } })).toBe(0);
  });

  it('refuses an answer whose state is not the one this browser started with', async () => {
    const email = await invitedAccount();
    const { authorizationUrl, cookie } = await startFlow(t);
    const back = await idp.signIn(authorizationUrl, email);
    back.searchParams.set('state', 'forged-state-value');
    const res = await finish(t, cookie, back).expect(400);
    expect(res.body.error).toMatchObject({ code: 'SSO_FAILED', details: { reason: 'state' } });
    expect(await prisma().user.count({ where: { email } })).toBe(0);
  });

  it('refuses an ID token whose nonce belongs to another sign-in', async () => {
    const email = await invitedAccount();
    const { authorizationUrl, cookie } = await startFlow(t);
    // The provider is asked with another nonce than the one the flow cookie holds (a token minted for another sign-in).
    const tampered = new URL(authorizationUrl);
    tampered.searchParams.set('nonce', 'nonce-of-another-sign-in-0123456789');
    const res = await finish(t, cookie, await idp.signIn(tampered.href, email)).expect(400);
    expect(res.body.error).toMatchObject({ code: 'SSO_FAILED', details: { reason: 'nonce' } });
    expect(await prisma().user.count({ where: { email } })).toBe(0);
  });

  it('refuses an expired code, and a code used once already', async () => {
    const email = await invitedAccount();
    const first = await startFlow(t);
    const expired = await idp.signIn(first.authorizationUrl, email);
    idp.expireAuthorizationCodes();
    const res = await finish(t, first.cookie, expired).expect(400);
    expect(res.body.error).toMatchObject({ code: 'SSO_FAILED', details: { reason: 'code_rejected' } });
    expect(await prisma().user.count({ where: { email } })).toBe(0);

    const second = await startFlow(t);
    const back = await idp.signIn(second.authorizationUrl, email);
    await finish(t, second.cookie, back).expect(200);
    const replay = await finish(t, second.cookie, back).expect(400);
    expect(replay.body.error).toMatchObject({ code: 'SSO_FAILED', details: { reason: 'code_rejected' } });
  });

  it('refuses a deactivated account, linked or not', async () => {
    const email = await invitedAccount();
    const res = expectStatus(await signIn(t, idp, email), 200);
    await client(t.app, admin).post(`/api/users/${res.body.user.id}/deactivate`).expect(200);
    const refused = expectStatus(await signIn(t, idp, email), 403);
    expect(refused.body.error).toMatchObject({ code: 'SSO_REFUSED', details: { reason: 'deactivated' } });
    expect(sessionCookieOf(refused)).toBeNull();
  });

  it("passes on the provider's own refusal (the person turned it down there)", async () => {
    // The test provider answers access_denied for an email it has no account for.
    const res = expectStatus(await signIn(t, idp, uniqueEmail()), 400);
    expect(res.body.error).toMatchObject({ code: 'SSO_FAILED', details: { reason: 'provider_error' } });
    expect(res.body.error.message).toContain('no account');
  });

  it('refuses a callback without the flow cookie (started in another browser, or too long ago)', async () => {
    const res = await client(t.app).post('/api/auth/sso/callback').send({ search: '?code=x&state=y' }).expect(400);
    expect(res.body.error).toMatchObject({ code: 'SSO_FAILED', details: { reason: 'no_flow' } });
  });

  it('returns only to a path on this site', async () => {
    const email = await invitedAccount();
    const res = expectStatus(await signIn(t, idp, email, '//evil.example/steal'), 200);
    expect(res.body.next).toBe('/');
  });

  it('a sign-in ends the session the browser held before (rotation), as a password login does', async () => {
    const email = await invitedAccount();
    const before = await createUser(t.app);
    const { authorizationUrl, cookie } = await startFlow(t);
    const res = expectStatus(await finish(t, cookie, await idp.signIn(authorizationUrl, email), before.session), 200);
    const after = sessionCookieOf(res)!;
    expect(after).not.toBe(before.session);
    const old = await prisma().session.findUniqueOrThrow({ where: { tokenHash: hashSecret(before.session) } });
    expect(old.revokedAt).toBeInstanceOf(Date);
    await client(t.app, before).get('/api/me').expect(401);
    await client(t.app, { ...before, session: after }).get('/api/me').expect(200);
  });

  /** POST /api/me/sso/link as `user` (logged in): the provider's URL and the flow cookie. */
  async function startLink(user: TestUser) {
    const res = await client(t.app, user).post('/api/me/sso/link').set('X-Forwarded-For', anotherAddress()).expect(200);
    return { authorizationUrl: res.body.url as string, cookie: flowCookieOf(res) };
  }

  it('an admin links their account from the account page, and then signs in with the provider', async () => {
    const boss = await logIn(t.app, await createUserWithPassword(t.app, 'ADMIN'));
    idp.addAccount({ email: boss.email });
    // Before linking: never joined by email, an admin least of all.
    expect((await signIn(t, idp, boss.email)).body.error).toMatchObject({ code: 'SSO_REFUSED', details: { reason: 'admin_account' } });

    const { authorizationUrl, cookie } = await startLink(boss);
    expect(new URL(authorizationUrl).origin).toBe(idp.issuer);
    const linked = expectStatus(await finish(t, cookie, await idp.signIn(authorizationUrl, boss.email), boss.session), 200);
    expect(linked.body).toMatchObject({ user: { id: boss.id, role: 'ADMIN' }, next: '/account?sso=linked' });
    // Linking keeps the session it was started from: no new cookie, the old one still works.
    expect(sessionCookieOf(linked)).toBeNull();
    await client(t.app, boss).get('/api/me').expect(200);
    expect(await prisma().ssoIdentity.count({ where: { userId: boss.id, issuer: idp.issuer } })).toBe(1);
    const link = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'user.sso-link', targetId: boss.id } });
    expect(link).toMatchObject({ actor: boss.id, via: 'session' });
    expect(link.after).toMatchObject({ email: boss.email, via: 'account-page' });

    const res = expectStatus(await signIn(t, idp, boss.email), 200);
    expect(res.body.user).toMatchObject({ id: boss.id, role: 'ADMIN' });
  });

  it('links a provider account whose email differs from the Juxta one (both sides were proved)', async () => {
    const boss = await logIn(t.app, await createUserWithPassword(t.app, 'ADMIN'));
    const elsewhere = uniqueEmail();
    idp.addAccount({ email: elsewhere });
    const { authorizationUrl, cookie } = await startLink(boss);
    expectStatus(await finish(t, cookie, await idp.signIn(authorizationUrl, elsewhere), boss.session), 200);
    expect(expectStatus(await signIn(t, idp, elsewhere), 200).body.user.id).toBe(boss.id);
    expect(await prisma().user.count({ where: { email: elsewhere } })).toBe(0);
  });

  it('finishes a link only in the session that started it', async () => {
    const boss = await logIn(t.app, await createUserWithPassword(t.app, 'ADMIN'));
    const email = uniqueEmail();
    idp.addAccount({ email });
    const { authorizationUrl, cookie } = await startLink(boss);
    const back = await idp.signIn(authorizationUrl, email);
    const other = await createUser(t.app, 'ADMIN');
    const res = await finish(t, cookie, back, other.session).expect(400);
    expect(res.body.error).toMatchObject({ code: 'SSO_FAILED', details: { reason: 'link_session' } });
    const none = await finish(t, cookie, back).expect(400);
    expect(none.body.error).toMatchObject({ code: 'SSO_FAILED', details: { reason: 'link_session' } });
    expect(await prisma().ssoIdentity.count({ where: { email } })).toBe(0);
  });

  it('does not link a provider account that is linked to another user already', async () => {
    const email = await invitedAccount();
    const rater = expectStatus(await signIn(t, idp, email), 200).body.user;
    const boss = await logIn(t.app, await createUserWithPassword(t.app, 'ADMIN'));
    const { authorizationUrl, cookie } = await startLink(boss);
    const res = expectStatus(await finish(t, cookie, await idp.signIn(authorizationUrl, email), boss.session), 403);
    expect(res.body.error).toMatchObject({ code: 'SSO_REFUSED', details: { reason: 'linked_elsewhere' } });
    expect((await prisma().ssoIdentity.findMany({ where: { email } })).map((i) => i.userId)).toEqual([rater.id]);
  });

  it('makes no reset link for a rater while password login is for admins only, and refuses one made before', async () => {
    const rater = await createUserWithPassword(t.app, 'RATER');
    const refused = await client(t.app, admin).post(`/api/users/${rater.id}/password-reset`).expect(403);
    expect(refused.body.error.code).toBe('PASSWORD_LOGIN_OFF');
    expect(refused.body.error.message).toContain('Sign in with Test IdP');
    expect(await prisma().passwordReset.count({ where: { userId: rater.id } })).toBe(0);

    // A link made while the account was an admin, used after it became a rater.
    const demoted = await createUserWithPassword(t.app, 'ADMIN');
    const made = await client(t.app, admin).post(`/api/users/${demoted.id}/password-reset`).expect(201);
    await client(t.app, admin).post(`/api/users/${demoted.id}/role`).send({ role: 'RATER' }).expect(200);
    const info = await client(t.app).get(`/api/password-resets/${made.body.token}`).expect(403);
    expect(info.body.error.code).toBe('PASSWORD_LOGIN_OFF');
    const use = await client(t.app).post(`/api/password-resets/${made.body.token}`).send({ newPassword: 'a brand new password' }).expect(403);
    expect(use.body.error.code).toBe('PASSWORD_LOGIN_OFF');
    expect(sessionCookieOf(use)).toBeNull();
    const row = await prisma().passwordReset.findFirstOrThrow({ where: { userId: demoted.id } });
    expect(row.usedAt).toBeNull();
    // The password stayed as it was (and still does not log a rater in).
    const login = await client(t.app).post('/api/auth/login').send({ email: demoted.email, password: PASSWORD }).expect(403);
    expect(login.body.error.code).toBe('PASSWORD_LOGIN_OFF');
  });

  it('accepts no rater invite with a password while password login is for admins only; the invite stays open for SSO', async () => {
    const email = uniqueEmail();
    const { token } = await invite(email);
    const refused = await client(t.app).post(`/api/invites/${token}/accept`).send({ name: 'Pat', password: PASSWORD }).expect(403);
    expect(refused.body.error.code).toBe('PASSWORD_LOGIN_OFF');
    expect(refused.body.error.message).toContain('Sign in with Test IdP');
    expect(sessionCookieOf(refused)).toBeNull();
    expect(await prisma().user.count({ where: { email } })).toBe(0);
    expect((await prisma().invite.findFirstOrThrow({ where: { email } })).acceptedAt).toBeNull();
  });

  it('an admin still gets and uses reset links while password login is for admins only', async () => {
    const other = await createUserWithPassword(t.app, 'ADMIN');
    const made = await client(t.app, admin).post(`/api/users/${other.id}/password-reset`).expect(201);
    await client(t.app).post(`/api/password-resets/${made.body.token}`).send({ newPassword: 'a brand new password' }).expect(200);
  });

  describe('joining a campaign through its join link', () => {
    const makeLink = async (campaignId: string, maxUses: number) => {
      const url = (await client(t.app, admin).post(`/api/campaigns/${campaignId}/join-link`).send({ maxUses }).expect(201)).body.link.url as string;
      return url.slice(url.lastIndexOf('/') + 1);
    };
    const joinWithProvider = async (token: string, email: string) => {
      const { authorizationUrl, cookie } = await startFlow(t, `/join/${token}`, token);
      return finish(t, cookie, await idp.signIn(authorizationUrl, email));
    };

    it('signs someone with no account or invite in, joins them (the link is their invitation), up to the cap', async () => {
      const campaign = await createCampaign(t.app);
      const token = await makeLink(campaign.id, 1);
      const email = uniqueEmail();
      idp.addAccount({ email, name: 'Lin Linked' });
      const res = expectStatus(await joinWithProvider(token, email), 200);
      expect(res.body.user).toMatchObject({ email, role: 'RATER', name: 'Lin Linked' });
      expect(res.body.campaigns).toEqual([{ id: campaign.id, name: campaign.name }]);
      expect(res.body.next).toBe(`/rate/${campaign.id}`);
      const join = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'campaign.join-link.join', targetId: res.body.user.id } });
      expect(join).toMatchObject({ campaignId: campaign.id, actor: res.body.user.id });
      expect(join.after).toMatchObject({ account: 'created', uses: 1, maxUses: 1 });

      const late = uniqueEmail();
      idp.addAccount({ email: late });
      const full = expectStatus(await joinWithProvider(token, late), 410);
      expect(full.body.error.code).toBe('JOIN_LINK_USED_UP');
      expect(await prisma().user.count({ where: { email: late } })).toBe(0);
    });

    it('joins an existing rater by their verified email, never an admin, never an unverified email', async () => {
      const campaign = await createCampaign(t.app);
      const token = await makeLink(campaign.id, 10);
      const rater = await createUserWithPassword(t.app, 'RATER');
      idp.addAccount({ email: rater.email });
      expect(expectStatus(await joinWithProvider(token, rater.email), 200).body.user.id).toBe(rater.id);

      const boss = await createUserWithPassword(t.app, 'ADMIN');
      idp.addAccount({ email: boss.email });
      expect(expectStatus(await joinWithProvider(token, boss.email), 403).body.error.details.reason).toBe('admin_account');
      const unverified = await createUserWithPassword(t.app, 'RATER');
      idp.addAccount({ email: unverified.email, emailVerified: false });
      expect(expectStatus(await joinWithProvider(token, unverified.email), 403).body.error.details.reason).toBe('email_unverified');
      expect(await prisma().campaignMember.count({ where: { campaignId: campaign.id } })).toBe(1);
      expect((await prisma().campaignJoinLink.findFirstOrThrow({ where: { campaignId: campaign.id } })).uses).toBe(1);
    });

    it('refuses joining with a password for raters: they join with the provider', async () => {
      const campaign = await createCampaign(t.app);
      const token = await makeLink(campaign.id, 10);
      const fresh = await client(t.app).post(`/api/join/${token}`).send({ account: 'new', name: 'Pat', email: uniqueEmail(), password: PASSWORD }).expect(403);
      expect(fresh.body.error.code).toBe('PASSWORD_LOGIN_OFF');
      expect(fresh.body.error.message).toContain('Join with Test IdP');
      const rater = await createUserWithPassword(t.app, 'RATER');
      const existing = await client(t.app).post(`/api/join/${token}`).send({ account: 'existing', email: rater.email, password: PASSWORD }).expect(403);
      expect(existing.body.error.code).toBe('PASSWORD_LOGIN_OFF');
      expect(await prisma().campaignMember.count({ where: { campaignId: campaign.id } })).toBe(0);
    });
  });

  it('turns password login off for raters, not for admins', async () => {
    const rater = await createUserWithPassword(t.app, 'RATER');
    const refused = await client(t.app).post('/api/auth/login').send({ email: rater.email, password: rater.password }).expect(403);
    expect(refused.body.error.code).toBe('PASSWORD_LOGIN_OFF');
    expect(refused.body.error.message).toContain('Sign in with Test IdP');
    const boss = await createUserWithPassword(t.app, 'ADMIN');
    await client(t.app).post('/api/auth/login').send({ email: boss.email, password: boss.password }).expect(200);
  });
});

describe('single sign-on, new users join as raters of nothing', () => {
  let idp: TestIdp;
  let t: TestApp;
  beforeAll(async () => {
    idp = await startTestIdp({ redirectUri: REDIRECT_URI });
    t = await startTestApp({ env: ssoEnv(idp, { OIDC_NEW_USERS: 'rater' }) });
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  it('makes a rater account in no campaign, recorded as made through SSO; password login stays on', async () => {
    const email = uniqueEmail('anywhere.example');
    idp.addAccount({ email, name: 'Nora New' });
    const res = expectStatus(await signIn(t, idp, email), 200);
    expect(res.body.user).toMatchObject({ email, name: 'Nora New', role: 'RATER' });
    expect(res.body.campaigns).toEqual([]);
    const created = await t.app.ctx.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'user.create', targetId: res.body.user.id } });
    expect(created.after).toMatchObject({ via: 'sso', role: 'RATER', issuer: idp.issuer, email });
    expect((await request(t.app.server).get('/api/auth/sso').expect(200)).body.passwordLoginAdminsOnly).toBe(false);
  });
});
