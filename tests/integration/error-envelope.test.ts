// Refusals that Fastify or Node make before any route runs keep the error envelope
// {error: {code, message, requestId}} with the X-Request-Id header, and never echo the URL (which may
// carry an invite token) in the reply or the log.
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';

const SECRET = `jxi_${'s3cr3t'.repeat(60)}`;

describe("Fastify's and Node's own refusals", () => {
  let t: TestApp;
  let admin: TestUser;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: { LOG_LEVEL: 'info' }, overrides: { logger: true, logStream: { write: (line) => lines.push(line) } } });
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => t.close());

  const expectEnvelope = (res: request.Response, status: number, code: string, mustNotContain: string[] = []) => {
    expect(res.status, res.text).toBe(status);
    expect(res.type).toBe('application/json');
    expect(res.body).toEqual({ error: { code, message: expect.any(String), requestId: res.headers['x-request-id'] } });
    expect(res.headers['x-request-id']).toMatch(/^[\w.:-]{8,128}$/);
    for (const text of mustNotContain) expect(res.text).not.toContain(text);
  };

  it('a malformed %-escape in the path (FST_ERR_BAD_URL) answers 400 in the envelope, without the URL', async () => {
    const res = await request(t.app.server).get(`/api/invites/${SECRET}%E0%A4%A/accept`);
    expectEnvelope(res, 400, 'VALIDATION_FAILED', [SECRET, '%E0', 'FST_ERR']);
    expect(res.body.error.message).toMatch(/URL is not valid/);
  });

  it('a path parameter over 100 characters answers 414 URL_TOO_LONG in the envelope, without the URL', async () => {
    const res = await request(t.app.server).get(`/api/invites/${SECRET}`);
    expectEnvelope(res, 414, 'URL_TOO_LONG', [SECRET, 'FST_ERR']);
  });

  it('both are logged once each under their request id, the token redacted', async () => {
    const bad = await request(t.app.server).get(`/api/invites/${SECRET}%E0%A4%A/accept`);
    const long = await request(t.app.server).post(`/api/invites/${SECRET}/accept`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const log = lines.join('');
    expect(log).not.toContain('s3cr3t');
    for (const res of [bad, long]) {
      const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.requestId === res.headers['x-request-id'] && l.msg === 'request');
      expect(entries).toEqual([expect.objectContaining({ status: res.status, url: expect.stringContaining('[redacted]') })]);
    }
  });

  it("a body Fastify cannot take (type, size, JSON) answers in the envelope with our words", async () => {
    const asAdmin = client(t.app, admin);
    expectEnvelope(await asAdmin.post('/api/campaigns').set('Content-Type', 'application/x-secret-type').send('<a/>'), 415, 'UNSUPPORTED_MEDIA_TYPE', ['x-secret-type']);
    const big = await asAdmin.post('/api/campaigns').set('Content-Type', 'application/json').send(JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expectEnvelope(big, 413, 'PAYLOAD_TOO_LARGE');
    expect(big.body.error.message).toMatch(/1048576 bytes/);
    expectEnvelope(await asAdmin.post('/api/campaigns').set('Content-Type', 'application/json').send('{"name": '), 400, 'VALIDATION_FAILED');
    expectEnvelope(await asAdmin.post('/api/campaigns').set('Content-Type', 'application/json').send(''), 400, 'VALIDATION_FAILED');
    const deep = `{"name": "x", "design": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const nested = await asAdmin.post('/api/campaigns').set('Content-Type', 'application/json').send(deep);
    expect(nested.status).toBe(400);
    expect(nested.body.error).toMatchObject({ code: 'VALIDATION_FAILED', requestId: nested.headers['x-request-id'] });
  });

  it('an unknown route answers 404 without echoing its path', async () => {
    const res = await request(t.app.server).get(`/api/nope/${SECRET}?token=${SECRET}`);
    expectEnvelope(res, 404, 'NOT_FOUND', [SECRET]);
  });

  describe('over a raw socket (Node refuses these before Fastify sees a request)', () => {
    let port: number;
    beforeAll(async () => {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      port = (t.app.server.address() as AddressInfo).port;
    });

    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString()));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
        socket.write(text);
      });
    const parse = (answer: string) => {
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      return { status: Number(head.split(' ')[1]), head, body: JSON.parse(body) as { error: { code: string; message: string; requestId: string } } };
    };

    it('a request head over 16 KiB answers 431 in the envelope, without the URL', async () => {
      const { status, head, body } = parse(await raw(`GET /api/invites/${SECRET.repeat(60)} HTTP/1.1\r\nHost: x\r\n\r\n`));
      expect(status).toBe(431);
      expect(body.error).toMatchObject({ code: 'HEADERS_TOO_LARGE', requestId: expect.any(String) });
      expect(head.toLowerCase()).toContain(`x-request-id: ${body.error.requestId}`);
      expect(JSON.stringify(body)).not.toContain('s3cr3t');
    });

    it('malformed HTTP answers 400 in the envelope', async () => {
      const { status, body } = parse(await raw('THIS IS NOT HTTP\r\n\r\n'));
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ code: 'VALIDATION_FAILED', requestId: expect.any(String) });
    });
  });
});
