// TRUST_PROXY as a hop count or the proxies' addresses (issue 12, finding 7). Behind one proxy that
// appends the peer's address to X-Forwarded-For, a client that sends a fresh X-Forwarded-For per attempt
// must still be one address to the per-IP login limit (20 a minute). With the old TRUST_PROXY=true (trust
// every hop) the leftmost, client-written entry was the address, and the limit never bit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startTestApp, type TestApp } from '../helpers/app';

/** What one proxy in front of us forwards for a client at `real` that wrote its own X-Forwarded-For. */
const throughProxy = (spoofed: string, real: string) => `${spoofed}, ${real}`;

describe.each([
  ['a hop count', '1'],
  ["the proxy's address", '127.0.0.1'],
  ['true (now one hop, with a warning)', 'true'],
])('TRUST_PROXY as %s', (_name, trustProxy) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { TRUST_PROXY: trustProxy } });
  });
  afterAll(async () => t.close());

  it('a fresh X-Forwarded-For per attempt does not escape the per-IP login limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const res = await client(t.app)
        .post('/api/auth/login')
        .set('X-Forwarded-For', throughProxy(`198.51.100.${i}`, '203.0.113.7'))
        .send({ email: `nobody-${i}@juxta.test`, password: 'wrong password' });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401), statuses.join(' ')).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    // The proxy's other clients are other addresses.
    await client(t.app).post('/api/auth/login').set('X-Forwarded-For', '203.0.113.8').send({ email: 'x@juxta.test', password: 'wrong password' }).expect(401);
  });
});

describe('TRUST_PROXY unset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('X-Forwarded-For is not believed at all: the peer address is the address', async () => {
    for (let i = 0; i < 20; i++) {
      await client(t.app).post('/api/auth/login').set('X-Forwarded-For', `198.51.100.${i}`).send({ email: `n${i}@juxta.test`, password: 'wrong password' }).expect(401);
    }
    await client(t.app).post('/api/auth/login').set('X-Forwarded-For', '198.51.100.200').send({ email: 'n@juxta.test', password: 'wrong password' }).expect(429);
  });
});
