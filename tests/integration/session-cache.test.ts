// The per-instance session cache (server/db/session-cache.ts): a cached session dies at once after
// logout, revocation or deactivation, on this instance and (Postgres) on another one on the same
// database; with the LISTEN connection down the cache is bypassed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import type { SessionCache } from '../../server/db/session-cache';
import { hashSecret } from '../../server/services/auth/secrets';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';

const cacheOf = (t: TestApp) => t.app.ctx.db.sessions as SessionCache;
const cached = (t: TestApp, user: TestUser) => cacheOf(t).get(hashSecret(user.session));

/** Resolves when the cache hears that the user's sessions changed (a NOTIFY, or this instance's own eviction). */
function heard(cache: SessionCache, userId: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = cache.onEvict((id) => {
      if (id !== userId) return;
      stop();
      resolve();
    });
  });
}

describe('session cache', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
    await cacheOf(t).whenListening();
  });
  afterAll(async () => t.close());

  it('serves a session it has seen from the cache', async () => {
    const rater = await createUser(t.app);
    expect(cached(t, rater)).toBeUndefined();
    await client(t.app, rater).get('/api/me').expect(200);
    expect(cached(t, rater)).toMatchObject({ user: { id: rater.id, active: true } });
  });

  it('refuses a cached session at once after logout', async () => {
    const rater = await createUser(t.app);
    await client(t.app, rater).get('/api/me').expect(200);
    expect(cached(t, rater)).toBeDefined();
    await client(t.app, rater).post('/api/auth/logout').expect(204);
    await client(t.app, rater).get('/api/me').expect(401);
  });

  it('refuses a cached session at once after the user is deactivated', async () => {
    const rater = await createUser(t.app);
    await client(t.app, rater).get('/api/me').expect(200);
    expect(cached(t, rater)).toBeDefined();
    await client(t.app, admin).post(`/api/users/${rater.id}/deactivate`).expect(200);
    await client(t.app, rater).get('/api/me').expect(401);
  });

  it('drops a cached session revoked by anything else that writes the database (the trigger notifies)', async () => {
    const rater = await createUser(t.app);
    await client(t.app, rater).get('/api/me').expect(200);
    expect(cached(t, rater)).toBeDefined();
    const notice = heard(cacheOf(t), rater.id);
    // Straight to the database, not through the services: only the NOTIFY can tell the cache.
    await t.app.ctx.db.prisma.session.updateMany({ where: { userId: rater.id }, data: { revokedAt: new Date() } });
    await notice;
    expect(cached(t, rater)).toBeUndefined();
    await client(t.app, rater).get('/api/me').expect(401);
  });

  it('sees a role change at once', async () => {
    const user = await createUser(t.app, 'ADMIN');
    await client(t.app, user).get('/api/users').expect(200);
    const notice = heard(cacheOf(t), user.id);
    await t.app.ctx.db.prisma.user.update({ where: { id: user.id }, data: { role: 'RATER' } });
    await notice;
    await client(t.app, user).get('/api/users').expect(403);
  });

  it.runIf(process.env.DATABASE_URL)('bypasses the cache while the LISTEN connection is down (Postgres)', async () => {
    const rater = await createUser(t.app);
    await client(t.app, rater).get('/api/me').expect(200);
    expect(cached(t, rater)).toBeDefined();
    t.app.ctx.db.sessionListener!.breakConnection!();
    expect(cacheOf(t).active).toBe(false);
    expect(cached(t, rater)).toBeUndefined();
    await client(t.app, rater).get('/api/me').expect(200);
    // Nothing is cached while down, so a change whose notice nobody heard still counts at once.
    await t.app.ctx.db.prisma.session.updateMany({ where: { userId: rater.id }, data: { revokedAt: new Date() } });
    await client(t.app, rater).get('/api/me').expect(401);
    await cacheOf(t).whenListening();
    const again = await createUser(t.app);
    await client(t.app, again).get('/api/me').expect(200);
    expect(cached(t, again)).toBeDefined();
  });

  it.runIf(process.env.DATABASE_URL)('a logout on instance A refuses the cookie on instance B (Postgres, two apps, one database)', async () => {
    const b = await buildApp(t.app.ctx.config, { logger: false });
    try {
      const cacheB = b.ctx.db.sessions as SessionCache;
      await cacheB.whenListening();
      const rater = await createUser(t.app);
      await client(b, rater).get('/api/me').expect(200);
      expect(cacheB.get(hashSecret(rater.session))).toBeDefined();
      const notice = heard(cacheB, rater.id);
      await client(t.app, rater).post('/api/auth/logout').expect(204);
      await notice; // B hears A's NOTIFY (sent on commit; milliseconds)
      await client(b, rater).get('/api/me').expect(401);
    } finally {
      await b.close();
    }
  });
});
