import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../server/services/auth/bootstrap-admin';
import { runStartupTasks } from '../../server/services/startup';
import { client, startTestApp, type TestApp } from '../helpers/app';
import { PASSWORD } from '../helpers/auth';

describe('first admin from a one-time setup link', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('prints a setup link; the link makes the first admin once; later starts print the login URL', async () => {
    const [line] = await runStartupTasks(t.app.ctx);
    const match = /^Open http:\/\/juxta\.test\/setup\/(jxi_[A-Za-z0-9_-]+) to create the first admin account \(one-time link/.exec(line ?? '');
    expect(match, line).not.toBeNull();
    const token = match![1]!;
    // A second instance starting at the same time prints its own link.
    const other = /\/setup\/(\S+)/.exec(await bootstrapAdmin(t.app.ctx))![1]!;
    expect(other).not.toBe(token);

    const info = await client(t.app).get(`/api/invites/${token}`).expect(200);
    expect(info.body).toMatchObject({ role: 'ADMIN', email: null, campaignName: null, setup: true });
    const res = await client(t.app).post(`/api/invites/${token}/accept`).send({ name: 'First Admin', email: 'First@Juxta.test', password: PASSWORD }).expect(200);
    expect(res.body.user).toMatchObject({ email: 'first@juxta.test', role: 'ADMIN' });

    // Once an admin exists, every other setup link is dead and start-up only says where to log in.
    const dead = await client(t.app).post(`/api/invites/${other}/accept`).send({ name: 'Intruder', email: 'late@juxta.test', password: PASSWORD }).expect(410);
    expect(dead.body.error.code).toBe('INVITE_USED');
    await client(t.app).get(`/api/invites/${other}`).expect(410);
    expect(await bootstrapAdmin(t.app.ctx)).toBe('Log in at http://juxta.test/login');
    expect(await t.app.ctx.db.prisma.user.count({ where: { role: 'ADMIN' } })).toBe(1);
  });
});

describe('first admin from JUXTA_ADMIN_EMAIL and JUXTA_ADMIN_PASSWORD', () => {
  let t: TestApp;
  const email = 'boss@juxta.test';
  beforeAll(async () => {
    t = await startTestApp({ env: { JUXTA_ADMIN_EMAIL: 'Boss@juxta.test', JUXTA_ADMIN_PASSWORD: PASSWORD } });
  });
  afterAll(async () => t.close());

  it('creates that admin once, who can log in; two instances starting together make one', async () => {
    const lines = await Promise.all([bootstrapAdmin(t.app.ctx), bootstrapAdmin(t.app.ctx)]);
    for (const line of lines) expect(line).toMatch(/^(Log in as boss@juxta\.test with JUXTA_ADMIN_PASSWORD|Log in at http:\/\/juxta\.test\/login)/);
    const admins = await t.app.ctx.db.prisma.user.findMany({ where: { role: 'ADMIN' } });
    expect(admins.map((a) => a.email)).toEqual([email]);
    expect(admins[0]!.passwordHash).toMatch(/^scrypt\$/);
    const res = await client(t.app).post('/api/auth/login').send({ email, password: PASSWORD }).expect(200);
    expect(res.body.user.role).toBe('ADMIN');
    expect(await bootstrapAdmin(t.app.ctx)).toBe('Log in at http://juxta.test/login');
  });
});
