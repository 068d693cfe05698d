// The request log: one JSON line per request under the id the reply echoes (X-Request-Id, and in every
// error body), and no secret in it. Every route that takes or returns a secret (a password, a session
// cookie, an API token, an invite or setup token, the metrics token, a model endpoint's API key) is
// driven here, found from the route registry, and the captured log is searched for each secret.
import { randomBytes, randomUUID } from 'node:crypto';
import type { RouteOptions } from 'fastify';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../server/plugins/auth';
import { client, startTestApp, type TestApp } from '../helpers/app';
import { createCampaign, createUserWithPassword, sessionCookieOf } from '../helpers/auth';

const METRICS_TOKEN = `metrics-${randomUUID()}`;
const SECRET_KEY = randomBytes(32).toString('base64');
/** Field names that hold a secret (not `apiKeySet` or `maxTokens`, which only speak of one). */
const SECRET_FIELD = /(password|token|secret|apikey)$/i;

/** Routes whose path, body or reply carries a secret, as "METHOD /url". */
function routesWithSecrets(routes: RouteOptions[]): string[] {
  const keysOf = (schema: unknown) => Object.keys((schema as { shape?: object } | undefined)?.shape ?? {});
  return routes
    .filter((r) => {
      const s = r.schema as { body?: unknown; response?: Record<string, unknown> } | undefined;
      const fields = [...keysOf(s?.body), ...Object.values(s?.response ?? {}).flatMap(keysOf)];
      return r.url.includes(':token') || r.config?.access === 'metrics' || fields.some((f) => SECRET_FIELD.test(f));
    })
    .flatMap((r) => [r.method].flat().filter((m) => m !== 'HEAD').map((m) => `${m} ${r.url}`));
}

describe('request log', () => {
  let t: TestApp;
  const routes: RouteOptions[] = [];
  const lines: string[] = [];
  const secrets = new Set<string>();
  const driven = new Set<string>();
  /** Request id -> status of every reply the test saw. */
  const replies = new Map<string, number>();

  const send = async (key: string, build: (agent: ReturnType<typeof request>) => request.Test) => {
    driven.add(key);
    const res = await build(request(t.app.server)).set('Origin', t.app.ctx.config.publicUrl);
    const id = res.headers['x-request-id'];
    expect(id, `${key} echoes a request id`).toMatch(/^[\w.:-]{8,128}$/);
    replies.set(id, res.status);
    if (res.status >= 400 && res.type === 'application/json') expect(res.body.error.requestId, `${key} ${res.status}`).toBe(id);
    return res;
  };
  const secret = <T extends string | null | undefined>(value: T): T => {
    if (value) secrets.add(value);
    return value;
  };
  const records = () => lines.flatMap((l) => l.split('\n')).filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    t = await startTestApp({
      env: { LOG_LEVEL: 'trace', METRICS_TOKEN: secret(METRICS_TOKEN), JUXTA_SECRET_KEY: secret(SECRET_KEY) },
      overrides: { logger: true, logStream: { write: (line) => lines.push(line) }, onRoute: (route) => routes.push(route) },
    });

    const password = secret(`admin password ${randomUUID()}`);
    const admin = await createUserWithPassword(t.app, 'ADMIN', password);
    await send('POST /api/auth/login', (a) => a.post('/api/auth/login').send({ email: admin.email, password: secret(`wrong ${randomUUID()}`) }));
    const login = await send('POST /api/auth/login', (a) => a.post('/api/auth/login').send({ email: admin.email, password }));
    const cookie = `${SESSION_COOKIE}=${secret(sessionCookieOf(login))}`;

    const token = secret((await send('POST /api/tokens', (a) => a.post('/api/tokens').set('Cookie', cookie).send({ name: 'log test' }))).body.token as string);
    await send('GET /api/tokens', (a) => a.get('/api/tokens').set('Cookie', cookie));
    await send('GET /api/campaigns', (a) => a.get('/api/campaigns').set('Authorization', `Bearer ${token}`));
    await send('GET /api/campaigns', (a) => a.get('/api/campaigns').set('Authorization', `Bearer ${secret(`jxt_${randomUUID()}`)}`));

    const invite = (await send('POST /api/invites', (a) => a.post('/api/invites').set('Cookie', cookie).send({ role: 'RATER' }))).body as { token: string; url: string };
    secret(invite.token);
    await send('GET /api/invites/:token', (a) => a.get(`/api/invites/${invite.token}`));
    await send('GET /invite page', (a) => a.get(new URL(invite.url).pathname));
    await send('GET /setup page', (a) => a.get(`/setup/${invite.token}?from=mail`));
    const raterPassword = secret(`rater password ${randomUUID()}`);
    const accepted = await send('POST /api/invites/:token/accept', (a) => a.post(`/api/invites/${invite.token}/accept`).send({ name: 'Rita', password: raterPassword }));
    secret(sessionCookieOf(accepted));
    await send('POST /api/invites/:token/accept', (a) => a.post(`/api/invites/${invite.token}/accept`).send({ name: 'Rita', password: raterPassword }));
    await send('POST /api/invites/:token/accept', (a) => a.post(`/api/invites/${secret(`mistyped-${randomUUID()}`)}/accept`).send({ name: 'R', password: 'short' }));

    // Password: your own change; an admin's reset link, read and used (also on its web page); a mistyped one.
    const newPassword = secret(`new password ${randomUUID()}`);
    await send('POST /api/me/password', (a) => a.post('/api/me/password').set('Cookie', cookie).send({ currentPassword: password, newPassword }));
    const resetFor = await createUserWithPassword(t.app);
    const reset = (await send('POST /api/users/:id/password-reset', (a) => a.post(`/api/users/${resetFor.id}/password-reset`).set('Cookie', cookie))).body as { token: string; url: string };
    secret(reset.token);
    await send('GET /api/password-resets/:token', (a) => a.get(`/api/password-resets/${reset.token}`));
    await send('GET /reset page', (a) => a.get(new URL(reset.url).pathname));
    secret(sessionCookieOf(await send('POST /api/password-resets/:token', (a) => a.post(`/api/password-resets/${reset.token}`).send({ newPassword: secret(`reset password ${randomUUID()}`) }))));
    await send('POST /api/password-resets/:token', (a) => a.post(`/api/password-resets/${secret(`mistyped-${randomUUID()}`)}`).send({ newPassword: 'short' }));

    const endpoint = { name: 'local vLLM', baseUrl: 'http://127.0.0.1:9/v1', model: 'llama' };
    const created = await send('POST /api/model-endpoints', (a) => a.post('/api/model-endpoints').set('Cookie', cookie).send({ ...endpoint, apiKey: secret(`sk-${randomUUID()}`) }));
    await send('POST /api/model-endpoints', (a) => a.post('/api/model-endpoints').set('Cookie', cookie).send({ ...endpoint, baseUrl: 'ftp://x', apiKey: secret(`sk-${randomUUID()}`) }));
    expect(created.status).toBe(201);
    const endpointId = created.body.id as string;
    await send('PATCH /api/model-endpoints/:id', (a) => a.patch(`/api/model-endpoints/${endpointId}`).set('Cookie', cookie).send({ apiKey: secret(`sk-${randomUUID()}`) }));
    await send('GET /api/model-endpoints/:id', (a) => a.get(`/api/model-endpoints/${endpointId}`).set('Cookie', cookie));

    // A campaign's join link: made, read, opened (API and web page), used by a new account, and mistyped.
    const campaign = await createCampaign(t.app);
    const joinUrl = (await send('POST /api/campaigns/:id/join-link', (a) => a.post(`/api/campaigns/${campaign.id}/join-link`).set('Cookie', cookie).send({ maxUses: 3 }))).body.link.url as string;
    const joinToken = secret(joinUrl.slice(joinUrl.lastIndexOf('/') + 1));
    await send('GET /api/campaigns/:id/join-link', (a) => a.get(`/api/campaigns/${campaign.id}/join-link`).set('Cookie', cookie));
    await send('GET /api/join/:token', (a) => a.get(`/api/join/${joinToken}`));
    await send('GET /join page', (a) => a.get(new URL(joinUrl).pathname));
    const joinPassword = secret(`joiner password ${randomUUID()}`);
    const joined = await send('POST /api/join/:token', (a) => a.post(`/api/join/${joinToken}`).send({ account: 'new', name: 'Jo', email: `join-${randomUUID()}@juxta.test`, password: joinPassword }));
    expect(joined.status).toBe(200);
    secret(sessionCookieOf(joined));
    await send('GET /api/join/:token', (a) => a.get(`/api/join/${secret(`mistyped-${randomUUID()}`)}`));

    await send('GET /metrics', (a) => a.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`));
    await send('GET /metrics', (a) => a.get('/metrics').set('Authorization', `Bearer ${secret(`${METRICS_TOKEN}-wrong`)}`));
    await send('POST /api/auth/logout', (a) => a.post('/api/auth/logout').set('Cookie', cookie));
    await send('GET /api/me', (a) => a.get('/api/me').set('Cookie', cookie));
  });
  afterAll(async () => t.close());

  it('drives every route that takes or returns a secret', () => {
    const withSecrets = routesWithSecrets(routes);
    expect(withSecrets.length).toBeGreaterThanOrEqual(5);
    expect(withSecrets.filter((key) => !driven.has(key)), 'drive these routes in tests/integration/request-log.test.ts').toEqual([]);
  });

  it('never writes a secret: not in a URL, a header, a body or an error', () => {
    const log = lines.join('');
    expect(secrets.size).toBeGreaterThanOrEqual(10);
    for (const s of secrets) {
      expect(log, 'a secret reached the log').not.toContain(s);
      expect(log).not.toContain(encodeURIComponent(s));
    }
    const invitePaths = records().filter((r) => typeof r.url === 'string' && /^\/(api\/invites|invite|setup|api\/password-resets|reset)\//.test(r.url as string));
    expect(invitePaths.length).toBeGreaterThanOrEqual(10);
    for (const r of invitePaths) expect(r.url).toMatch(/^\/(api\/invites|invite|setup|api\/password-resets|reset)\/\[redacted\]/);
  });

  it('writes one JSON line per request, under the id its reply carried', () => {
    const requestLines = records().filter((r) => r.msg === 'request');
    for (const [id, status] of replies) {
      const mine = requestLines.filter((r) => r.requestId === id);
      expect(mine, `request ${id}`).toHaveLength(1);
      expect(mine[0]).toMatchObject({ status, method: expect.any(String), url: expect.any(String), ms: expect.any(Number) });
    }
    expect(requestLines).toHaveLength(replies.size);
  });

  it("keeps a proxy's request id when it looks like one, and makes a new one when it does not", async () => {
    const proxied = await client(t.app).get('/api/health').set('X-Request-Id', 'nginx-4f1c2a9e0b7d');
    expect(proxied.headers['x-request-id']).toBe('nginx-4f1c2a9e0b7d');
    const odd = await client(t.app).get('/api/nope').set('X-Request-Id', 'has spaces "and quotes"');
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(odd.body.error).toMatchObject({ code: 'NOT_FOUND', requestId: odd.headers['x-request-id'] });
  });
});
