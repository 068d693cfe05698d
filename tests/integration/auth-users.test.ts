import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { createUserWithPassword, logIn, PASSWORD } from '../helpers/auth';

describe('users: list, deactivate, activate', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => t.close());

  it('lists users to admins only', async () => {
    const rater = await createUser(t.app);
    const res = await client(t.app, admin).get('/api/users').expect(200);
    const listed = res.body.users.find((u: { id: string }) => u.id === rater.id);
    expect(listed).toMatchObject({ email: rater.email, role: 'RATER', active: true });
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|scrypt/);
    await client(t.app, rater).get('/api/users').expect(403);
  });

  it('deactivation kills every session and token of the user at once, and reactivation does not revive them', async () => {
    const otherAdmin = await createUserWithPassword(t.app, 'ADMIN');
    const s1 = await logIn(t.app, otherAdmin);
    const s2 = await logIn(t.app, otherAdmin);
    const { token } = (await client(t.app, s1).post('/api/tokens').send({ name: 'their script' }).expect(201)).body;
    await client(t.app, null, token).get('/api/me').expect(200);

    const res = await client(t.app, admin).post(`/api/users/${otherAdmin.id}/deactivate`).expect(200);
    expect(res.body.active).toBe(false);
    for (const s of [s1, s2]) await client(t.app, s).get('/api/me').expect(401);
    await client(t.app, null, token).get('/api/me').expect(401);
    const { prisma } = t.app.ctx.db;
    expect(await prisma.session.count({ where: { userId: otherAdmin.id, revokedAt: null } })).toBe(0);
    expect(await prisma.apiToken.count({ where: { userId: otherAdmin.id, revokedAt: null } })).toBe(0);
    await client(t.app).post('/api/auth/login').send({ email: otherAdmin.email, password: PASSWORD }).expect(403);

    const back = await client(t.app, admin).post(`/api/users/${otherAdmin.id}/activate`).expect(200);
    expect(back.body.active).toBe(true);
    await client(t.app, s1).get('/api/me').expect(401);
    await client(t.app, null, token).get('/api/me').expect(401);
    await logIn(t.app, otherAdmin);
  });

  it('an admin cannot deactivate themselves, nor the last active admin', async () => {
    const self = await client(t.app, admin).post(`/api/users/${admin.id}/deactivate`).expect(409);
    expect(self.body.error).toMatchObject({ code: 'CANNOT_DEACTIVATE_SELF', message: expect.stringMatching(/own account/) });
    // Deactivate every other admin; then the remaining one is the last, even for another caller's request.
    const { prisma } = t.app.ctx.db;
    await prisma.user.updateMany({ where: { role: 'ADMIN', id: { not: admin.id } }, data: { active: false } });
    const helper = await createUser(t.app, 'ADMIN');
    await client(t.app, helper).post(`/api/users/${admin.id}/deactivate`).expect(200);
    const last = await client(t.app, admin).post(`/api/users/${helper.id}/deactivate`).expect(401); // admin is deactivated now
    expect(last.body.error.code).toBe('UNAUTHENTICATED');
    const stillLast = await client(t.app, helper).post(`/api/users/${helper.id}/deactivate`).expect(409);
    expect(stillLast.body.error.code).toBe('CANNOT_DEACTIVATE_SELF');
    await prisma.user.update({ where: { id: admin.id }, data: { active: true } });
    admin = await createUser(t.app, 'ADMIN');
  });

  it('two admins deactivating each other at the same moment leave one admin active', async () => {
    const { prisma } = t.app.ctx.db;
    await prisma.user.updateMany({ where: { role: 'ADMIN' }, data: { active: false } });
    const a = await createUser(t.app, 'ADMIN');
    const b = await createUser(t.app, 'ADMIN');
    const [ra, rb] = await Promise.all([
      client(t.app, a).post(`/api/users/${b.id}/deactivate`),
      client(t.app, b).post(`/api/users/${a.id}/deactivate`),
    ]);
    // The loser is refused as the last admin, or (if the winner committed first) finds its own session dead.
    const statuses = [ra.status, rb.status];
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.find((s) => s !== 200)).toBeOneOf([401, 409]);
    expect(await prisma.user.count({ where: { role: 'ADMIN', active: true } })).toBe(1);
    admin = await createUser(t.app, 'ADMIN');
  });

  it('answers 404 for an unknown user and 400 for a malformed id', async () => {
    await client(t.app, admin).post(`/api/users/${crypto.randomUUID()}/deactivate`).expect(404);
    await client(t.app, admin).post(`/api/users/${crypto.randomUUID()}/activate`).expect(404);
    await client(t.app, admin).post('/api/users/not-a-uuid/deactivate').expect(400);
  });
});
