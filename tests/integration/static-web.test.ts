// The built web app is served with history-API fallback; unknown API paths stay JSON.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startTestApp, type TestApp } from '../helpers/app';

describe('static web app', () => {
  let t: TestApp;
  // A stand-in for Vite's output (index.html + hashed assets), so the test needs no web build.
  const dist = mkdtempSync(path.join(os.tmpdir(), 'juxta-dist-'));
  beforeAll(async () => {
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="app"></div><script type="module" src="/assets/index-abc123.js"></script>');
    writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    t = await startTestApp({ env: { WEB_DIST_DIR: dist } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html for app routes (SPA fallback) without caching it', async () => {
    for (const url of ['/', '/login', '/campaigns/123', '/rate/abc?x=1']) {
      const res = await client(t.app).get(url).expect(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toContain('<div id="app"');
    }
  });

  it('serves hashed assets as immutable', async () => {
    const html = (await client(t.app).get('/')).text;
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const res = await client(t.app).get(asset as string).expect(200);
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('answers HEAD on app pages as GET does, without a body', async () => {
    for (const url of ['/', '/login', '/rate/abc']) {
      const res = await request(t.app.server).head(url).expect(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text ?? '').toBe('');
    }
    await request(t.app.server).head('/api/nope').expect(404);
  });

  it('sends neither HSTS nor upgrade-insecure-requests when PUBLIC_URL is plain http', async () => {
    const res = await client(t.app).get('/').expect(200);
    expect(t.app.ctx.config.publicUrl).toMatch(/^http:/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('keeps unknown API paths and missing files as 404s', async () => {
    expect((await client(t.app).get('/api/nope').expect(404)).body.error.code).toBe('NOT_FOUND');
    await client(t.app).get('/assets/missing.js').expect(404);
  });
});

describe('static web app behind https', () => {
  it('sends HSTS and upgrade-insecure-requests when PUBLIC_URL is https', async () => {
    const t = await startTestApp({ env: { PUBLIC_URL: 'https://juxta.example.com' } });
    try {
      const res = await client(t.app).get('/api/health');
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    } finally {
      await t.close();
    }
  });
});
