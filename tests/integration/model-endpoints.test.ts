// Model endpoints through the API against a chat completions server on loopback: the key is write-only
// and encrypted, "test connection" shows the answer or the server's error, metadata addresses are refused.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressBlocker } from '../../server/domain/generation/metadata-address';
import { createGuardedFetch } from '../../server/services/model-endpoints/guarded-fetch';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { startFakeChatServer, type FakeChatServer } from '../../testkit/fake-chat-server';

const SECRET = Buffer.alloc(32, 7).toString('base64');
const API_KEY = 'sk-test-0123456789abcdefSECRET';

let t: TestApp;
let admin: TestUser;
let fake: FakeChatServer;
beforeAll(async () => {
  fake = await startFakeChatServer();
  t = await startTestApp({ env: { JUXTA_SECRET_KEY: SECRET } });
  admin = await createUser(t.app, 'ADMIN');
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

const api = () => client(t.app, admin);
const register = (body: Record<string, unknown>) => api().post('/api/model-endpoints').send({ baseUrl: fake.url, ...body });

describe('model endpoints', () => {
  it('stores the key encrypted and never returns it; the audit trail records the change without it', async () => {
    const res = await register({ name: 'Policy v1', model: 'echo', apiKey: API_KEY, params: { temperature: 0.7, maxTokens: 64, seed: 3, stop: ['\n\n'] } }).expect(201);
    expect(res.body).toMatchObject({ name: 'Policy v1', model: 'echo', apiKeySet: true, maxConcurrency: 4, params: { temperature: 0.7 } });
    const { id } = res.body;
    const bodies = [
      JSON.stringify(res.body),
      (await api().get('/api/model-endpoints').expect(200)).text,
      (await api().get(`/api/model-endpoints/${id}`).expect(200)).text,
      (await api().patch(`/api/model-endpoints/${id}`).send({ maxConcurrency: 2 }).expect(200)).text,
      (await api().get('/api/audit?targetType=model-endpoint').expect(200)).text,
    ];
    for (const body of bodies) expect(body).not.toContain(API_KEY);
    const row = await t.app.ctx.db.prisma.modelEndpoint.findUniqueOrThrow({ where: { id } });
    expect(row.apiKeyCipher).toMatch(/^v1:/);
    expect(row.apiKeyCipher).not.toContain(API_KEY);
    expect(Buffer.from(row.apiKeyCipher!.slice(3), 'base64').toString('latin1')).not.toContain(API_KEY);
    const audit = JSON.parse(bodies[4]!);
    expect(audit.items.map((i: { action: string }) => i.action)).toEqual(expect.arrayContaining(['model-endpoint.create', 'model-endpoint.update']));

    // Test connection sends the key to the endpoint, and only there.
    const test = await api().post(`/api/model-endpoints/${id}/test`).send({}).expect(200);
    expect(test.body).toMatchObject({ ok: true, finishReason: 'stop' });
    expect(test.body.answer).toContain('Reply with the single word');
    expect(fake.received.at(-1)!.authorization).toBe(`Bearer ${API_KEY}`);

    // A key can be removed; then no Authorization header is sent at all.
    await api().patch(`/api/model-endpoints/${id}`).send({ apiKey: null }).expect(200);
    expect((await api().get(`/api/model-endpoints/${id}`).expect(200)).body.apiKeySet).toBe(false);
    await api().post(`/api/model-endpoints/${id}/test`).send({}).expect(200);
    expect(fake.received.at(-1)!.authorization).toBeUndefined();
  });

  it('test connection shows the server error, a wrong content type, a stream', async () => {
    const probe = async (model: string, extra: Record<string, unknown> = {}) => {
      const { id } = (await register({ name: `probe ${model} ${Math.random()}`, model, ...extra }).expect(201)).body;
      return (await api().post(`/api/model-endpoints/${id}/test`).send({}).expect(200)).body;
    };
    // The status is given once: in `status`, not again at the start of the message ("Failed (400): 400 This…").
    expect(await probe('reject')).toMatchObject({ ok: false, error: { status: 400, message: expect.stringMatching(/^This model does not exist/) } });
    expect(await probe('html')).toMatchObject({ ok: false, error: { message: expect.stringContaining('text/html, not application/json') } });
    expect(await probe('echo', { stream: true })).toMatchObject({ ok: true, finishReason: 'stop', answer: expect.stringContaining('single word') });
    expect(fake.received.at(-1)!.stream).toBe(true);
    expect(await probe('drop', { stream: true })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/connection broke|stream ended/) } });
  });

  it('refuses metadata addresses, non-http schemes, credentials in the URL and a duplicate name', async () => {
    for (const baseUrl of ['http://169.254.169.254/latest', 'http://[::ffff:169.254.169.254]/v1', 'http://[fd00:ec2::254]/v1', 'http://100.100.100.200/v1']) {
      const res = await register({ name: 'meta', model: 'x', baseUrl }).expect(400);
      expect(res.body.error.code, baseUrl).toBe('ENDPOINT_ADDRESS_BLOCKED');
    }
    for (const baseUrl of ['file:///etc/passwd', 'ftp://host/v1', 'gopher://x', 'javascript:alert(1)']) {
      expect((await register({ name: 'scheme', model: 'x', baseUrl }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await register({ name: 'creds', model: 'x', baseUrl: 'http://user:pw@127.0.0.1/v1' }).expect(400)).body.error.message).toContain('apiKey field');
    await register({ name: 'twice', model: 'x' }).expect(201);
    expect((await register({ name: 'twice', model: 'x' }).expect(409)).body.error.code).toBe('NAME_TAKEN');
    expect(await t.app.ctx.db.prisma.modelEndpoint.count({ where: { name: { in: ['meta', 'scheme', 'creds'] } } })).toBe(0);
  });

  it('lists endpoints by name with numbers in order: step-2000 before step-10000', async () => {
    const tag = Math.random().toString(36).slice(2);
    for (const step of ['10000', '2000', '900']) await register({ name: `ckpt ${tag} step-${step}`, model: 'echo' }).expect(201);
    const names = ((await api().get('/api/model-endpoints').expect(200)).body.endpoints as { name: string }[]).map((e) => e.name).filter((n) => n.includes(tag));
    expect(names).toEqual([`ckpt ${tag} step-900`, `ckpt ${tag} step-2000`, `ckpt ${tag} step-10000`]);
  });

  it('deleting erases the key and frees the name; the endpoint is gone from the list', async () => {
    const { id } = (await register({ name: 'gone', model: 'echo', apiKey: API_KEY }).expect(201)).body;
    await api().delete(`/api/model-endpoints/${id}`).expect(204);
    await api().get(`/api/model-endpoints/${id}`).expect(404);
    expect((await api().get('/api/model-endpoints').expect(200)).body.endpoints.map((e: { id: string }) => e.id)).not.toContain(id);
    expect((await t.app.ctx.db.prisma.modelEndpoint.findUniqueOrThrow({ where: { id } })).apiKeyCipher).toBeNull();
    await register({ name: 'gone', model: 'echo' }).expect(201);
  });

  it('raters cannot see or touch endpoints', async () => {
    const rater = await createUser(t.app, 'RATER');
    await client(t.app, rater).get('/api/model-endpoints').expect(403);
    await client(t.app, rater).post('/api/model-endpoints').send({ name: 'x', baseUrl: fake.url, model: 'echo' }).expect(403);
  });
});

describe('the guarded fetch checks the address actually dialled', () => {
  // 127.0.0.2 stands in for a metadata address here: tests send traffic to loopback only.
  const blockedFetch = createGuardedFetch(addressBlocker(['127.0.0.2/32']));
  const refused = async (url: string) => {
    const err = await blockedFetch(url).then(() => null, (e: unknown) => e);
    expect(err, url).not.toBeNull();
    let text = '';
    for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) text += ` ${(e as Error).message}`;
    expect(text, url).toContain('cloud metadata address');
  };

  it('refuses an IP literal, its IPv4-mapped IPv6 form, and a redirect that leads there', async () => {
    await refused(`http://127.0.0.2:${fake.port}/v1/chat/completions`);
    await refused(`http://[::ffff:127.0.0.2]:${fake.port}/v1/chat/completions`);
    const redirector = createServer((_req, res) => res.writeHead(302, { location: `http://127.0.0.2:${fake.port}/v1/models` }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      await refused(`http://127.0.0.1:${(redirector.address() as AddressInfo).port}/`);
    } finally {
      redirector.close();
    }
  });

  it('refuses a host name whose DNS answers are all blocked (checked at connect time, so rebinding gains nothing)', async () => {
    const loopbackBlocked = createGuardedFetch(addressBlocker(['127.0.0.0/8']));
    const err = await loopbackBlocked(`http://localhost:${fake.port}/v1/chat/completions`).then(() => null, (e: unknown) => e);
    let text = '';
    for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) text += ` ${(e as Error).message}`;
    // localhost may also resolve to ::1, which this check allows: then the connection is made to ::1 (loopback) or refused.
    expect(text === '' || /cloud metadata address|ECONNREFUSED|fetch failed/.test(text)).toBe(true);
  });
});

describe('JUXTA_SECRET_KEY', () => {
  it('start-up refuses a missing or wrong key once a key is stored; rotation re-encrypts every key to the new one', async () => {
    const { checkSecretKey, rotateSecretKey } = await import('../../server/services/model-endpoints/secret-key-check');
    const { decryptApiKey } = await import('../../server/services/model-endpoints/api-key-cipher');
    await register({ name: `rotating ${Math.random()}`, model: 'echo', apiKey: API_KEY }).expect(201);
    const withSecrets = (key: Buffer | null, newKey: Buffer | null = null) => ({ ...t.app.ctx, config: { ...t.app.ctx.config, secrets: { key, newKey } } });
    await expect(checkSecretKey(withSecrets(null))).rejects.toThrow(/JUXTA_SECRET_KEY must be set/);
    await expect(checkSecretKey(withSecrets(Buffer.alloc(32, 9)))).rejects.toThrow(/does not open/);
    await checkSecretKey(t.app.ctx);

    const newKey = Buffer.alloc(32, 42);
    const rotated = await rotateSecretKey(withSecrets(Buffer.from(SECRET, 'base64'), newKey));
    const rows = await t.app.ctx.db.prisma.modelEndpoint.findMany({ where: { apiKeyCipher: { not: null } } });
    expect(rotated).toBe(rows.length);
    for (const row of rows) expect(decryptApiKey(newKey, row.apiKeyCipher!)).toBe(API_KEY);
    await checkSecretKey(withSecrets(newKey));
    await expect(checkSecretKey(t.app.ctx)).rejects.toThrow(/does not open/);
    // Back to the app's key for the other tests.
    await rotateSecretKey(withSecrets(newKey, Buffer.from(SECRET, 'base64')));
  });

  it('an API key without JUXTA_SECRET_KEY on the server is refused with what to do', async () => {
    const bare = await startTestApp();
    try {
      const a = await createUser(bare.app, 'ADMIN');
      const res = await client(bare.app, a).post('/api/model-endpoints').send({ name: 'k', baseUrl: fake.url, model: 'echo', apiKey: API_KEY }).expect(409);
      expect(res.body.error).toMatchObject({ code: 'SECRET_KEY_MISSING', message: expect.stringContaining('openssl rand -base64 32') });
      expect(res.text).not.toContain(API_KEY);
    } finally {
      await bare.close();
    }
  });
});
