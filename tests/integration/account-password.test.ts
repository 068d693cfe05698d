// Passwords people can recover: changing your own (current one required, other sessions end), admin-made
// one-time reset links (shown once, expire, audited), and self-service reset by email when SMTP_URL is set,
// sent through a real SMTP server this test starts (smtp-server) and followed from the received message.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESET_REQUESTED_MESSAGE } from '../../server/services/auth/password-resets';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { createUserWithPassword, logIn, PASSWORD, sessionCookieOf } from '../helpers/auth';
import { startMailbox, type Mailbox } from '../helpers/mailbox';

const NEW_PASSWORD = 'a brand new long password';

describe('account passwords', () => {
  let t: TestApp;
  let mailbox: Mailbox;
  let admin: TestUser;
  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await startTestApp({ env: { SMTP_URL: mailbox.url, SMTP_FROM: 'Juxta <juxta@juxta.test>' } });
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => {
    await t.close();
    await mailbox.close();
  });
  const prisma = () => t.app.ctx.db.prisma;
  const audit = (action: string, targetId: string) => prisma().auditEvent.findMany({ where: { action, targetId }, orderBy: { id: 'asc' } });

  it('changes your own password with the current one; your other sessions end, this one stays; audited', async () => {
    const person = await createUserWithPassword(t.app);
    const here = await logIn(t.app, person);
    const elsewhere = await logIn(t.app, person);
    const res = await client(t.app, here).post('/api/me/password').send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(200);
    expect(res.body).toEqual({ sessionsEnded: 1 });
    await client(t.app, here).get('/api/me').expect(200);
    await client(t.app, elsewhere).get('/api/me').expect(401);
    await client(t.app).post('/api/auth/login').send({ email: person.email, password: PASSWORD }).expect(401);
    await logIn(t.app, { ...person, password: NEW_PASSWORD });
    const [row] = await audit('user.password.change', person.id);
    expect(row).toMatchObject({ actor: person.id, via: 'session', after: { sessionsEnded: 1 } });
  });

  it('refuses a wrong current password, a short new one and API tokens; nothing changes', async () => {
    const person = await createUserWithPassword(t.app, 'ADMIN');
    const here = await logIn(t.app, person);
    const other = await logIn(t.app, person);
    const wrong = await client(t.app, here).post('/api/me/password').send({ currentPassword: 'not my password at all', newPassword: NEW_PASSWORD }).expect(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const short = await client(t.app, here).post('/api/me/password').send({ currentPassword: PASSWORD, newPassword: 'short' }).expect(400);
    expect(short.body.error.code).toBe('VALIDATION_FAILED');
    const { token } = (await client(t.app, here).post('/api/tokens').send({ name: 'script' }).expect(201)).body;
    const viaToken = await client(t.app, null, token).post('/api/me/password').send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(403);
    expect(viaToken.body.error.code).toBe('FORBIDDEN');
    await client(t.app).post('/api/me/password').send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(401);
    await client(t.app, other).get('/api/me').expect(200);
    await logIn(t.app, person);
    expect(await audit('user.password.change', person.id)).toEqual([]);
  });

  it('an admin makes a one-time reset link: shown once, it sets the password, ends every session, logs in; audited', async () => {
    const person = await createUserWithPassword(t.app);
    const old = await logIn(t.app, person);
    const made = await client(t.app, admin).post(`/api/users/${person.id}/password-reset`).expect(201);
    expect(made.body.url).toBe(`http://juxta.test/reset/${made.body.token}`);
    expect(Date.parse(made.body.expiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    // Only the hash is stored, and no audit row carries the token.
    expect(JSON.stringify(await prisma().passwordReset.findMany({ where: { userId: person.id } }))).not.toContain(made.body.token);
    const info = await client(t.app).get(`/api/password-resets/${made.body.token}`).expect(200);
    expect(info.body).toEqual({ email: person.email, expiresAt: made.body.expiresAt });
    const done = await client(t.app).post(`/api/password-resets/${made.body.token}`).send({ newPassword: NEW_PASSWORD }).expect(200);
    expect(done.body.user.id).toBe(person.id);
    expect(sessionCookieOf(done)).toBeTruthy();
    await client(t.app, old).get('/api/me').expect(401);
    await logIn(t.app, { ...person, password: NEW_PASSWORD });
    const used = await client(t.app).post(`/api/password-resets/${made.body.token}`).send({ newPassword: 'yet another long password' }).expect(410);
    expect(used.body.error.code).toBe('RESET_LINK_USED');
    expect((await client(t.app).get(`/api/password-resets/${made.body.token}`).expect(410)).body.error.code).toBe('RESET_LINK_USED');
    const [made1] = await audit('user.password.reset-link', person.id);
    expect(made1).toMatchObject({ actor: admin.id, after: { email: person.email, via: 'admin' } });
    const [usedRow] = await audit('user.password.reset', person.id);
    expect(usedRow).toMatchObject({ actor: person.id, via: 'reset-link', after: { sessionsEnded: 1 } });
    const rows = await prisma().auditEvent.findMany({ where: { targetId: person.id } });
    expect(JSON.stringify(rows.map((r) => [r.before, r.after]))).not.toContain(made.body.token);
  });

  it('a reset link expires; an unknown one is not found; raters, tokens and unknown users are refused', async () => {
    const person = await createUserWithPassword(t.app);
    const made = (await client(t.app, admin).post(`/api/users/${person.id}/password-reset`).expect(201)).body;
    await prisma().passwordReset.updateMany({ where: { userId: person.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await client(t.app).post(`/api/password-resets/${made.token}`).send({ newPassword: NEW_PASSWORD }).expect(410);
    expect(expired.body.error.code).toBe('RESET_LINK_EXPIRED');
    await client(t.app).get(`/api/password-resets/jxr_${randomUUID()}`).expect(404);
    const rater = await createUser(t.app);
    await client(t.app, rater).post(`/api/users/${person.id}/password-reset`).expect(403);
    const { token } = (await client(t.app, admin).post('/api/tokens').send({ name: 'script' }).expect(201)).body;
    await client(t.app, null, token).post(`/api/users/${person.id}/password-reset`).expect(403);
    await client(t.app, admin).post(`/api/users/${randomUUID()}/password-reset`).expect(404);
    await logIn(t.app, person);
    expect((await audit('user.password.reset-link', person.id)).length).toBe(1);
  });

  it('sends a reset link by email through the SMTP server; the link from the message sets the password', async () => {
    const person = await createUserWithPassword(t.app);
    const old = await logIn(t.app, person);
    const res = await client(t.app).post('/api/auth/password-reset').send({ email: person.email.toUpperCase() }).expect(202);
    expect(res.body).toEqual({ message: RESET_REQUESTED_MESSAGE });
    const message = await mailbox.nextTo(person.email);
    expect(message.subject).toMatch(/new Juxta password/);
    const url = message.text.match(/http:\/\/juxta\.test\/reset\/(\S+)/);
    expect(url).not.toBeNull();
    await client(t.app).post(`/api/password-resets/${url![1]}`).send({ newPassword: NEW_PASSWORD }).expect(200);
    await client(t.app, old).get('/api/me').expect(401);
    await logIn(t.app, { ...person, password: NEW_PASSWORD });
    const [row] = await audit('user.password.reset-link', person.id);
    expect(row).toMatchObject({ actor: 'system', after: { via: 'email' } });
  });

  it('answers the same for an unknown email, and sends nothing', async () => {
    const unknown = `nobody-${randomUUID()}@juxta.test`;
    const known = await createUserWithPassword(t.app);
    const a = await client(t.app).post('/api/auth/password-reset').send({ email: unknown }).expect(202);
    const b = await client(t.app).post('/api/auth/password-reset').send({ email: known.email }).expect(202);
    expect(a.body).toEqual(b.body);
    expect(Object.keys(a.headers).sort()).toEqual(Object.keys(b.headers).sort());
    // The known one's message arrives; by then the unknown one's lookup (made first) is long done.
    await mailbox.nextTo(known.email);
    expect(mailbox.messages.filter((m) => m.to === unknown)).toEqual([]);
  });
});

describe('account passwords without SMTP_URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('refuses a reset by email, saying to ask an admin', async () => {
    const res = await client(t.app).post('/api/auth/password-reset').send({ email: 'someone@juxta.test' }).expect(404);
    expect(res.body.error).toMatchObject({ code: 'RESET_BY_EMAIL_OFF', message: expect.stringMatching(/ask an admin/) });
  });
});
