import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startTestApp, type TestApp } from '../helpers/app';

describe('GET /api/health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('answers 200 with the database up', async () => {
    const res = await client(t.app).get('/api/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'up' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('sets security headers', async () => {
    const res = await client(t.app).get('/api/health');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends COOP and Origin-Agent-Cluster only where browsers honour them: https or a loopback host', async () => {
    const headers = async (app: TestApp, set: Record<string, string>) => {
      let req = client(app.app).get('/api/health');
      for (const [name, value] of Object.entries(set)) req = req.set(name, value);
      return (await req.expect(200)).headers;
    };
    const secure = ['cross-origin-opener-policy', 'origin-agent-cluster'];
    for (const host of ['localhost:3000', '127.0.0.1:3000', '127.0.0.2', '[::1]:3000', 'juxta.localhost']) {
      const h = await headers(t, { Host: host });
      for (const name of secure) expect(h[name], `${host} ${name}`).toBeDefined();
    }
    // Plain http on a LAN address: not sent (Chromium would log each as ignored on every page); X-Forwarded-Proto
    // from an untrusted peer changes nothing. Every other header stays.
    for (const set of [{ Host: '192.168.1.20:3000' }, { Host: 'juxta.lan', 'X-Forwarded-Proto': 'https' }] as Record<string, string>[]) {
      const h = await headers(t, set);
      for (const name of secure) expect(h[name], `${set.Host} ${name}`).toBeUndefined();
      expect(h['content-security-policy']).toContain("default-src 'self'");
      expect(h['x-content-type-options']).toBe('nosniff');
      expect(h['cross-origin-resource-policy']).toBe('same-origin');
      expect(h['x-frame-options']).toBe('SAMEORIGIN');
    }
    // Behind a trusted proxy that terminated TLS: https, so both are sent.
    const proxied = await startTestApp({ env: { TRUST_PROXY: '1' } });
    try {
      const h = await headers(proxied, { Host: 'juxta.lan', 'X-Forwarded-Proto': 'https' });
      for (const name of secure) expect(h[name], name).toBeDefined();
      for (const name of secure) expect((await headers(proxied, { Host: 'juxta.lan', 'X-Forwarded-Proto': 'http' }))[name], name).toBeUndefined();
    } finally {
      await proxied.close();
    }
  });

  it('answers unknown API paths with a coded JSON 404', async () => {
    const res = await client(t.app).get('/api/does-not-exist').expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('serves the OpenAPI document generated from the route schemas, under Juxta\'s name', async () => {
    const res = await client(t.app).get('/docs/json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.info.title).toBe('Juxta API');
    const page = await client(t.app).get('/docs/').redirects(1).expect(200);
    expect(page.text).toContain('<title>Juxta API docs</title>');
    expect(Object.keys(res.body.paths)).toContain('/api/health');
  });

  it('answers live and ready while the database is up and migrated', async () => {
    expect((await client(t.app).get('/api/health/live').expect(200)).body).toEqual({ status: 'ok' });
    const ready = await client(t.app).get('/api/health/ready').expect(200);
    expect(ready.body).toEqual({ status: 'ready', database: 'up', pendingMigrations: [] });
    expect(ready.headers['cache-control']).toBe('no-store');
  });

  it('is not ready while a migration this build carries is not applied', async () => {
    const other = await startTestApp();
    try {
      const [latest] = await other.app.ctx.db.prisma.$queryRaw<{ name: string }[]>`
        DELETE FROM "_prisma_migrations" WHERE migration_name = (SELECT max(migration_name) FROM "_prisma_migrations") RETURNING migration_name AS name`;
      const res = await client(other.app).get('/api/health/ready').expect(503);
      expect(res.body).toEqual({ status: 'not_ready', database: 'up', pendingMigrations: [latest!.name] });
      await client(other.app).get('/api/health/live').expect(200);
    } finally {
      await other.close();
    }
  });

  it('answers 503 when the database is down, on health and ready; live still answers', async () => {
    const other = await startTestApp();
    await other.app.ctx.db.close();
    const res = await client(other.app).get('/api/health').expect(503);
    expect(res.body.database).toBe('down');
    expect((await client(other.app).get('/api/health/ready').expect(503)).body).toEqual({ status: 'not_ready', database: 'down', pendingMigrations: null });
    await client(other.app).get('/api/health/live').expect(200);
    await other.database.drop();
  });
});
