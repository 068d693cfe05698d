// Changing roles: admin <-> rater, never your own, never leaving zero active admins (concurrent changes
// included: on Postgres the requests really run at once), audited; a demoted admin's tokens die.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';

describe('user roles', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => t.close());

  const prisma = () => t.app.ctx.db.prisma;
  const setRole = (actor: TestUser, userId: string, role: string) => client(t.app, actor).post(`/api/users/${userId}/role`).send({ role });
  const activeAdmins = () => prisma().user.count({ where: { role: 'ADMIN', active: true } });

  it('promotes a rater to admin and back, each change audited with before and after', async () => {
    const rater = await createUser(t.app);
    const up = await setRole(admin, rater.id, 'ADMIN').expect(200);
    expect(up.body).toMatchObject({ id: rater.id, role: 'ADMIN', active: true });
    // Their session is an admin's at once (no stale cached role).
    await client(t.app, rater).get('/api/users').expect(200);
    await setRole(admin, rater.id, 'RATER').expect(200);
    await client(t.app, rater).get('/api/users').expect(403);
    const rows = await prisma().auditEvent.findMany({ where: { action: 'user.role', targetId: rater.id }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.before, r.after])).toEqual([
      [{ email: rater.email, role: 'RATER' }, { role: 'ADMIN', scriptCredentialsRevoked: 0 }],
      [{ email: rater.email, role: 'ADMIN' }, { role: 'RATER', scriptCredentialsRevoked: 0 }],
    ]);
    expect(rows[0]!.actor).toBe(admin.id);
  });

  it("revokes a demoted admin's API tokens, so promoting them again does not revive them", async () => {
    const other = await createUser(t.app, 'ADMIN');
    const { token } = (await client(t.app, other).post('/api/tokens').send({ name: 'their script' }).expect(201)).body;
    await client(t.app, null, token).get('/api/me').expect(200);
    const res = await setRole(admin, other.id, 'RATER').expect(200);
    expect(res.body.role).toBe('RATER');
    await client(t.app, null, token).get('/api/me').expect(401);
    await setRole(admin, other.id, 'ADMIN').expect(200);
    await client(t.app, null, token).get('/api/me').expect(401);
  });

  it('refuses your own role, a bad role, an unknown user, raters and API tokens; nothing changes', async () => {
    const before = await prisma().auditEvent.count({ where: { action: 'user.role' } });
    const self = await setRole(admin, admin.id, 'RATER').expect(409);
    expect(self.body.error).toMatchObject({ code: 'CANNOT_CHANGE_OWN_ROLE', message: expect.stringMatching(/your own role/) });
    const rater = await createUser(t.app);
    const bad = await setRole(admin, rater.id, 'OWNER').expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    await setRole(admin, randomUUID(), 'ADMIN').expect(404);
    await client(t.app, admin).post('/api/users/not-a-uuid/role').send({ role: 'ADMIN' }).expect(400);
    await setRole(rater, rater.id, 'ADMIN').expect(403);
    const { token } = (await client(t.app, admin).post('/api/tokens').send({ name: 'full admin script' }).expect(201)).body;
    const viaToken = await client(t.app, null, token).post(`/api/users/${rater.id}/role`).send({ role: 'ADMIN' }).expect(403);
    expect(viaToken.body.error.code).toBe('FORBIDDEN');
    expect((await prisma().user.findUniqueOrThrow({ where: { id: rater.id } })).role).toBe('RATER');
    expect(await prisma().auditEvent.count({ where: { action: 'user.role' } })).toBe(before);
  });

  it('never demotes the last active admin: only another active admin may act, and never on themselves', async () => {
    await prisma().user.updateMany({ where: { role: 'ADMIN', id: { not: admin.id } }, data: { active: false } });
    const helper = await createUser(t.app, 'ADMIN');
    await setRole(helper, admin.id, 'RATER').expect(200);
    await setRole(admin, helper.id, 'RATER').expect(403); // admin is a rater now
    expect((await setRole(helper, helper.id, 'RATER').expect(409)).body.error.code).toBe('CANNOT_CHANGE_OWN_ROLE');
    expect(await activeAdmins()).toBe(1);
    await setRole(helper, admin.id, 'ADMIN').expect(200);
  });

  it('concurrent demotions and deactivations in a ring of admins leave at least one active admin', async () => {
    for (let round = 0; round < 5; round++) {
      await prisma().user.updateMany({ where: { role: 'ADMIN' }, data: { active: false } });
      const ring = [await createUser(t.app, 'ADMIN'), await createUser(t.app, 'ADMIN'), await createUser(t.app, 'ADMIN')];
      // Each admin acts on the next one at the same moment: a demotion, a demotion, a deactivation.
      const replies = await Promise.all(
        ring.map((actor, i) => {
          const target = ring[(i + 1) % ring.length]!;
          return i === 2 ? client(t.app, actor).post(`/api/users/${target.id}/deactivate`) : setRole(actor, target.id, 'RATER');
        }),
      );
      for (const r of replies) expect(r.status, JSON.stringify(r.body)).toBeOneOf([200, 401, 403, 409]);
      expect(replies.filter((r) => r.status === 200).length).toBeLessThan(3);
      expect(await activeAdmins(), `round ${round}: ${replies.map((r) => r.status).join(',')}`).toBeGreaterThanOrEqual(1);
      // Every 200 left its audit row; nothing else did.
      const ids = ring.map((u) => u.id);
      const audited = await prisma().auditEvent.count({ where: { action: { in: ['user.role', 'user.deactivate'] }, targetId: { in: ids } } });
      expect(audited).toBe(replies.filter((r) => r.status === 200).length);
    }
    await prisma().user.update({ where: { id: admin.id }, data: { active: true, role: 'ADMIN' } });
  });
});
