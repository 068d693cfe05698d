// Your sessions: the live ones of your account with device, address and last use; ending any of them
// (audited), never another account's; API tokens are refused.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDevice } from '../../server/services/auth/own-sessions';
import { client, createUser, startTestApp, type TestApp } from '../helpers/app';
import { createUserWithPassword, sessionCookieOf } from '../helpers/auth';

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe('your sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());
  const prisma = () => t.app.ctx.db.prisma;

  async function logInFrom(person: { id: string; email: string; password: string }, userAgent: string) {
    const res = await client(t.app).post('/api/auth/login').set('User-Agent', userAgent).send({ email: person.email, password: person.password }).expect(200);
    return { id: person.id, email: person.email, role: 'RATER' as const, session: sessionCookieOf(res)! };
  }

  it('lists your live sessions with device, address and last seen, this one marked; not revoked or other accounts\' ones', async () => {
    const person = await createUserWithPassword(t.app);
    const laptop = await logInFrom(person, FIREFOX_LINUX);
    const phone = await logInFrom(person, SAFARI_IPHONE);
    const gone = await logInFrom(person, FIREFOX_LINUX);
    await client(t.app, gone).post('/api/auth/logout').expect(204);
    await createUser(t.app); // someone else's session
    const res = await client(t.app, laptop).get('/api/me/sessions').expect(200);
    expect(res.body.sessions).toHaveLength(2);
    const byDevice = Object.fromEntries(res.body.sessions.map((s: { device: string }) => [s.device, s]));
    expect(byDevice['Firefox 133 on Linux']).toMatchObject({ current: true, ip: expect.any(String), lastSeenAt: expect.any(String), createdAt: expect.any(String) });
    expect(byDevice['Safari 17 on iOS']).toMatchObject({ current: false });
    await client(t.app, phone).get('/api/me').expect(200);
  });

  it('ends another of your sessions at once, audited; this one stays', async () => {
    const person = await createUserWithPassword(t.app);
    const laptop = await logInFrom(person, FIREFOX_LINUX);
    const phone = await logInFrom(person, SAFARI_IPHONE);
    const phoneId = (await client(t.app, phone).get('/api/me/sessions').expect(200)).body.sessions.find((s: { current: boolean }) => s.current).id;
    await client(t.app, laptop).delete(`/api/me/sessions/${phoneId}`).expect(204);
    await client(t.app, phone).get('/api/me').expect(401);
    await client(t.app, laptop).get('/api/me').expect(200);
    const rows = await prisma().auditEvent.findMany({ where: { action: 'session.end', targetId: phoneId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: person.id, via: 'session', targetType: 'session' });
    // Ending it again: it is no longer live.
    await client(t.app, laptop).delete(`/api/me/sessions/${phoneId}`).expect(404);
  });

  it("never ends another account's session (not found, nothing changes); refuses tokens and bad ids", async () => {
    const person = await createUserWithPassword(t.app);
    const mine = await logInFrom(person, FIREFOX_LINUX);
    const other = await createUser(t.app, 'ADMIN');
    const otherSession = await prisma().session.findFirstOrThrow({ where: { userId: other.id } });
    const res = await client(t.app, mine).delete(`/api/me/sessions/${otherSession.id}`).expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    await client(t.app, other).get('/api/me').expect(200);
    await client(t.app, mine).delete(`/api/me/sessions/${randomUUID()}`).expect(404);
    await client(t.app, mine).delete('/api/me/sessions/not-a-uuid').expect(400);
    const { token } = (await client(t.app, other).post('/api/tokens').send({ name: 'script' }).expect(201)).body;
    expect((await client(t.app, null, token).get('/api/me/sessions').expect(403)).body.error.code).toBe('FORBIDDEN');
    expect(await prisma().auditEvent.count({ where: { action: 'session.end', actor: person.id } })).toBe(0);
  });

  it('ending this session logs you out', async () => {
    const person = await createUserWithPassword(t.app);
    const laptop = await logInFrom(person, FIREFOX_LINUX);
    const id = (await client(t.app, laptop).get('/api/me/sessions').expect(200)).body.sessions[0].id;
    await client(t.app, laptop).delete(`/api/me/sessions/${id}`).expect(204);
    await client(t.app, laptop).get('/api/me').expect(401);
  });
});

describe('describeDevice', () => {
  it('names browser and system, and says so when there is no User-Agent', () => {
    expect(describeDevice(FIREFOX_LINUX)).toBe('Firefox 133 on Linux');
    expect(describeDevice(SAFARI_IPHONE)).toBe('Safari 17 on iOS');
    expect(describeDevice(null)).toBe('Unknown device');
    expect(describeDevice('curl/8.5.0')).toMatch(/curl/i);
  });
});
