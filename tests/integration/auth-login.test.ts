import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../server/services/auth/secrets';
import { sweepDeadSessions } from '../../server/services/auth/sweep-sessions';
import { client, createUser, startTestApp, type TestApp } from '../helpers/app';
import { createCampaign, createUserWithPassword, logIn, ManualClock, PASSWORD, sessionCookieOf } from '../helpers/auth';

describe('login, sessions and logout', () => {
  let t: TestApp;
  const clock = new ManualClock();
  // Every test logs in from its own address, so the per-address limit only bites where a test wants it.
  let ipCounter = 0;
  const anon = () => {
    const ip = `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;
    const c = client(t.app);
    return { post: (url: string) => c.post(url).set('X-Forwarded-For', ip) };
  };
  beforeAll(async () => {
    t = await startTestApp({
      env: { TRUST_PROXY: 'true', SESSION_IDLE_MINUTES: '30', SESSION_MAX_DAYS: '2', LOGIN_MAX_FAILURES: '3', LOGIN_WINDOW_MINUTES: '15', LOGIN_ACCOUNT_CAP: '8' },
      overrides: { clock },
    });
  });
  afterAll(async () => t.close());

  it('logs in, sets a hardened cookie, stores only its hash, and lists the ratable campaigns', async () => {
    const user = await createUserWithPassword(t.app);
    const [active, paused, excluded, other] = await Promise.all([createCampaign(t.app), createCampaign(t.app, 'PAUSED'), createCampaign(t.app), createCampaign(t.app)]);
    const { prisma } = t.app.ctx.db;
    await prisma.campaignMember.createMany({
      data: [
        { campaignId: active.id, userId: user.id },
        { campaignId: paused.id, userId: user.id },
        { campaignId: excluded.id, userId: user.id, excluded: true },
      ],
    });
    const res = await anon().post('/api/auth/login').send({ email: user.email.toUpperCase(), password: PASSWORD }).expect(200);
    expect(res.body.user).toEqual({ id: user.id, email: user.email, name: 'Test rater', role: 'RATER' });
    expect(res.body.campaigns).toEqual([{ id: active.id, name: active.name }]);
    expect(res.body.campaigns.map((c: { id: string }) => c.id)).not.toContain(other.id);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('juxta_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // PUBLIC_URL is http:// in tests
    const token = sessionCookieOf(res)!;
    const sessions = await prisma.session.findMany({ where: { userId: user.id } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.tokenHash).toBe(hashSecret(token));
    expect(JSON.stringify(sessions)).not.toContain(token);
    expect(sessions[0]!.expiresAt.getTime() - clock.now().getTime()).toBe(2 * 86_400_000);

    const me = await client(t.app, { ...user, session: token }).get('/api/me').expect(200);
    expect(me.body).toEqual(res.body);
  });

  it('answers an unknown email and a wrong password with the same error', async () => {
    const user = await createUserWithPassword(t.app);
    const wrong = await anon().post('/api/auth/login').send({ email: user.email, password: 'not the password' }).expect(401);
    const unknown = await anon().post('/api/auth/login').send({ email: `nobody-${user.id}@juxta.test`, password: 'not the password' }).expect(401);
    // The same but for the request id each reply carries.
    const answer = (body: { error: object }) => ({ ...body.error, requestId: undefined });
    expect(answer(unknown.body)).toEqual(answer(wrong.body));
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    // A user who never set a password (invite pending) fails the same way.
    const noPassword = await createUser(t.app);
    const none = await anon().post('/api/auth/login').send({ email: noPassword.email, password: 'anything at all' }).expect(401);
    expect(answer(none.body)).toEqual(answer(wrong.body));
  });

  it('rotates the session at every login and revokes the one the browser still carried', async () => {
    const user = await createUserWithPassword(t.app);
    const first = await logIn(t.app, user);
    const res = await client(t.app, first).post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
    const second = sessionCookieOf(res)!;
    expect(second).not.toBe(first.session);
    await client(t.app, first).get('/api/me').expect(401);
    await client(t.app, { ...first, session: second }).get('/api/me').expect(200);
  });

  it('logout revokes the session in the database and clears the cookie', async () => {
    const user = await createUserWithPassword(t.app);
    const session = await logIn(t.app, user);
    const res = await client(t.app, session).post('/api/auth/logout').expect(204);
    expect((res.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^juxta_session=;.*Expires=Thu, 01 Jan 1970/);
    const row = await t.app.ctx.db.prisma.session.findUnique({ where: { tokenHash: hashSecret(session.session) } });
    expect(row?.revokedAt).toBeInstanceOf(Date);
    // A copy of the cookie is dead too.
    await client(t.app, session).get('/api/me').expect(401);
  });

  it('expires a session left idle, and one past its absolute lifetime even when in use', async () => {
    const user = await createUserWithPassword(t.app);
    const idle = await logIn(t.app, user);
    const busy = await logIn(t.app, user);
    clock.advanceMinutes(29);
    await client(t.app, idle).get('/api/me').expect(200); // within the idle limit: refreshes lastSeenAt
    clock.advanceMinutes(29);
    await client(t.app, idle).get('/api/me').expect(200);
    clock.advanceMinutes(31);
    const expired = await client(t.app, idle).get('/api/me').expect(401);
    expect(expired.body.error.code).toBe('UNAUTHENTICATED');
    expect((expired.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^juxta_session=;/);

    // Two days (SESSION_MAX_DAYS) of steady use, one request every 20 minutes, then it ends anyway.
    const fresh = await logIn(t.app, user);
    for (let minutes = 0; minutes < 2 * 24 * 60 - 20; minutes += 20) {
      clock.advanceMinutes(20);
      if (minutes % 600 === 0) await client(t.app, fresh).get('/api/me').expect(200);
      else await t.app.ctx.db.prisma.session.update({ where: { tokenHash: hashSecret(fresh.session) }, data: { lastSeenAt: clock.now() } });
    }
    await client(t.app, fresh).get('/api/me').expect(200);
    clock.advanceMinutes(21);
    await client(t.app, fresh).get('/api/me').expect(401);
    await client(t.app, busy).get('/api/me').expect(401);
  });

  it('deletes dead sessions (expired, revoked, idle past the limit) and keeps the live ones', async () => {
    const user = await createUserWithPassword(t.app);
    const [live, idle, revoked] = [await logIn(t.app, user), await logIn(t.app, user), await logIn(t.app, user)];
    await client(t.app, revoked).post('/api/auth/logout').expect(204);
    clock.advanceMinutes(20);
    await client(t.app, live).get('/api/me').expect(200);
    clock.advanceMinutes(20); // idle: 40 minutes without a request, over the 30-minute limit; live: 20
    const hashes = [live, idle, revoked].map((s) => hashSecret(s.session));
    const before = await t.app.ctx.db.prisma.session.count({ where: { tokenHash: { in: hashes } } });
    expect(before).toBe(3);
    expect(await sweepDeadSessions(t.app.ctx)).toBeGreaterThanOrEqual(2);
    const left = await t.app.ctx.db.prisma.session.findMany({ where: { tokenHash: { in: hashes } }, select: { tokenHash: true } });
    expect(left.map((s) => s.tokenHash)).toEqual([hashes[0]]);
    await client(t.app, live).get('/api/me').expect(200);
  });

  // The login back-off (finding 8 of the hardening issue): per email and address, with a cap per email.
  const from = (ip: string) => {
    const c = client(t.app);
    return { post: (url: string) => c.post(url).set('X-Forwarded-For', ip) };
  };
  const failures = (email: string, ip: string) => t.app.ctx.db.prisma.loginFailure.findUnique({ where: { email_ip: { email, ip } } });

  it('slows the address that guesses without locking the owner out: the right password from another address logs in', async () => {
    const user = await createUserWithPassword(t.app);
    for (let i = 0; i < 3; i++) await from('198.51.100.1').post('/api/auth/login').send({ email: user.email, password: `wrong ${i}` }).expect(401);
    const slowed = await from('198.51.100.1').post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(429);
    expect(slowed.body.error.code).toBe('RATE_LIMITED');
    expect(slowed.body.error.details.retryAfterSeconds).toBe(1);
    await from('198.51.100.2').post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
  });

  it('doubles the wait after each further failure, counts nothing while waiting, and clears on the right password', async () => {
    const user = await createUserWithPassword(t.app);
    const ip = '198.51.100.3';
    for (let i = 0; i < 3; i++) await from(ip).post('/api/auth/login').send({ email: user.email, password: 'wrong' }).expect(401);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const refused = await from(ip).post('/api/auth/login').send({ email: user.email, password: 'wrong' }).expect(429);
      waits.push(refused.body.error.details.retryAfterSeconds);
      clock.advanceMs(refused.body.error.details.retryAfterSeconds * 1000);
      await from(ip).post('/api/auth/login').send({ email: user.email, password: 'wrong' }).expect(401);
    }
    expect(waits).toEqual([1, 2, 4, 8]);
    expect((await failures(user.email, ip))!.failures).toBe(7); // refused attempts are not counted
    clock.advanceMs(16_000);
    await from(ip).post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
    expect(await failures(user.email, ip)).toBeNull();
  });

  it('answers an unknown email exactly like a known one, throttled or not', async () => {
    const user = await createUserWithPassword(t.app);
    const unknown = `nobody-${Date.now()}@juxta.test`;
    const answers = async (email: string, ip: string) => {
      const out = [];
      for (let i = 0; i < 4; i++) {
        const res = await from(ip).post('/api/auth/login').send({ email, password: 'wrong' });
        out.push({ status: res.status, code: res.body.error.code, message: res.body.error.message, retry: res.body.error.details?.retryAfterSeconds });
      }
      return out;
    };
    const known = await answers(user.email, '198.51.100.4');
    expect(known.map((a) => a.status)).toEqual([401, 401, 401, 429]);
    expect(await answers(unknown, '198.51.100.5')).toEqual(known);
  });

  it('caps failures per email across addresses: those that failed wait out the window, a clean address still gets in', async () => {
    const user = await createUserWithPassword(t.app);
    // LOGIN_ACCOUNT_CAP is 8 here: eight addresses fail once each (each under its own free three).
    for (let i = 0; i < 8; i++) await from(`203.0.113.${i}`).post('/api/auth/login').send({ email: user.email, password: 'wrong' }).expect(401);
    const capped = await from('203.0.113.0').post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(429);
    expect(capped.body.error.details.retryAfterSeconds).toBe(15 * 60);
    await from('203.0.113.200').post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
    clock.advanceMinutes(16);
    await from('203.0.113.0').post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
  });

  it('counts failures within the window only', async () => {
    const user = await createUserWithPassword(t.app);
    const ip = '198.51.100.6';
    for (let i = 0; i < 2; i++) await from(ip).post('/api/auth/login').send({ email: user.email, password: 'wrong' }).expect(401);
    clock.advanceMinutes(16); // the window passes: the next failure starts a new one
    for (let i = 0; i < 2; i++) await from(ip).post('/api/auth/login').send({ email: user.email, password: 'wrong' }).expect(401);
    expect((await failures(user.email, ip))!.failures).toBe(2);
    await from(ip).post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
  });

  it('slows the address under concurrent failures too (one counting statement per failure)', async () => {
    const user = await createUserWithPassword(t.app);
    const ip = '198.51.100.7';
    await Promise.all(Array.from({ length: 8 }, () => from(ip).post('/api/auth/login').send({ email: user.email, password: 'wrong' })));
    // Requests arriving after the third failure are refused before the password check and not counted.
    expect((await failures(user.email, ip))!.failures).toBeGreaterThanOrEqual(3);
    await from(ip).post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(429);
  });

  it('limits login attempts per client address', async () => {
    const ip = '192.0.2.77';
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await client(t.app).post('/api/auth/login').set('X-Forwarded-For', ip).send({ email: `x${i}@juxta.test`, password: 'whatever' });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    const res = await client(t.app).post('/api/auth/login').set('X-Forwarded-For', ip).send({ email: 'y@juxta.test', password: 'whatever' }).expect(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    await client(t.app).post('/api/auth/login').set('X-Forwarded-For', '192.0.2.78').send({ email: 'y@juxta.test', password: 'whatever' }).expect(401);
  });

  it('refuses deactivated users', async () => {
    const user = await createUserWithPassword(t.app);
    await t.app.ctx.db.prisma.user.update({ where: { id: user.id }, data: { active: false } });
    const res = await anon().post('/api/auth/login').send({ email: user.email, password: PASSWORD }).expect(403);
    expect(res.body.error.message).toMatch(/deactivated/);
    expect(await t.app.ctx.db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it('refuses a cross-site login form post, and a cookie write from another origin', async () => {
    const user = await createUserWithPassword(t.app);
    const session = await logIn(t.app, user);
    const cross = await client(t.app, session).post('/api/auth/logout').set('Origin', 'https://evil.example').expect(403);
    expect(cross.body.error.code).toBe('CROSS_ORIGIN');
    await client(t.app, session).post('/api/auth/logout').set('Sec-Fetch-Site', 'cross-site').expect(403);
    await client(t.app, session).get('/api/me').expect(200); // still logged in
    await client(t.app).post('/api/auth/login').set('Origin', 'https://evil.example').send({ email: user.email, password: PASSWORD }).expect(403);
    await client(t.app, session).post('/api/auth/logout').set('Sec-Fetch-Site', 'same-origin').expect(204);
  });
});
