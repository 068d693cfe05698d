// Generation jobs across real server processes: SIGKILL mid-job and a restart finish every item exactly
// once (both databases); two processes on one Postgres share a job; the API key appears in no log line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { startFakeChatServer, type FakeChatServer } from '../../testkit/fake-chat-server';
import { loginCookie, startServerProcess, stopServerProcess, type ServerProcess } from '../helpers/server-process';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db';

const API_KEY = 'sk-live-DO-NOT-LOG-7f3a9c2e41b84d0f';
const SECRET = Buffer.alloc(32, 3).toString('base64');
const ADMIN = { email: 'gen-admin@juxta.test', password: 'a long enough password' };

interface Server extends ServerProcess {
  cookie: string;
}

async function startServer(env: Record<string, string>, allLogs: string[], extra: Record<string, string> = {}): Promise<Server> {
  const server = await startServerProcess(
    {
      ...env,
      ...extra,
      LOG_LEVEL: 'debug',
      JUXTA_SECRET_KEY: SECRET,
      JUXTA_ADMIN_EMAIL: ADMIN.email,
      JUXTA_ADMIN_PASSWORD: ADMIN.password,
      GENERATION_LEASE_SECONDS: '6',
      // A lease lapsed under a loaded machine is claimed again and counts as an attempt: room for that.
      GENERATION_MAX_ATTEMPTS: '8',
      GENERATION_POLL_MS: '100',
      GENERATION_RETRY_BASE_MS: '50',
    },
    { allLogs },
  );
  return { ...server, cookie: await loginCookie(server, ADMIN) };
}

async function call<T = Record<string, unknown>>(server: Server, method: string, route: string, body?: unknown, contentType = 'application/json'): Promise<T> {
  const res = await fetch(`${server.url}${route}`, {
    method,
    headers: { cookie: server.cookie, origin: server.url, ...(body === undefined ? {} : { 'content-type': contentType }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** Results a process stored, by its own log lines. */
const stored = (server: Server) =>
  server.log
    .join('')
    .split('\n')
    .filter((line) => line.includes('generation results stored'))
    .reduce((sum, line) => sum + (JSON.parse(line) as { stored: number }).stored, 0);

const stop = (server: Server, signal: NodeJS.Signals = 'SIGTERM') => stopServerProcess(server, signal);

/** A campaign of prompts awaiting responses, endpoints holding the key (two by default), and a job of prompts x endpoints x samples. */
async function startJob(
  server: Server,
  prompts: number,
  samples: number,
  endpoint: { names: string[]; limits: Record<string, number> } = { names: ['Policy A', 'Policy B'], limits: { maxConcurrency: 3 } },
): Promise<{ jobId: string; campaignId: string; endpointIds: string[] }> {
  const campaign = await call<{ id: string }>(server, 'POST', '/api/campaigns', { name: `Generation ${Date.now()}` });
  const file = Array.from({ length: prompts }, (_, i) => JSON.stringify({ id: `q${i}`, prompt: `Question ${i}: why?` })).join('\n');
  await call(server, 'POST', `/api/campaigns/${campaign.id}/imports`, file, 'application/x-ndjson');
  const endpoints = [];
  for (const name of endpoint.names) {
    endpoints.push((await call<{ id: string }>(server, 'POST', '/api/model-endpoints', { name: `${name} ${campaign.id}`, baseUrl: fake.url, model: 'slow', apiKey: API_KEY, ...endpoint.limits })).id);
  }
  const job = await call<{ id: string }>(server, 'POST', `/api/campaigns/${campaign.id}/generation-jobs`, { endpointIds: endpoints, samples });
  return { jobId: job.id, campaignId: campaign.id, endpointIds: endpoints };
}

async function waitForJob(server: Server, jobId: string, until: (job: { status: string; done: number; failed: number; total: number }) => boolean) {
  for (;;) {
    const job = await call<{ status: string; done: number; failed: number; total: number }>(server, 'GET', `/api/generation-jobs/${jobId}`);
    if (until(job)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** In the database: every item DONE once, one response per item, keys unique. */
async function expectExactlyOnce(env: Record<string, string>, jobId: string, total: number) {
  const db = await openDatabase(loadConfig({ ...env, JUXTA_SECRET_KEY: SECRET }));
  try {
    const items = await db.prisma.generationItem.findMany({ where: { jobId } });
    expect(items).toHaveLength(total);
    expect(items.every((i) => i.status === 'DONE' && i.responseId !== null)).toBe(true);
    const responses = await db.prisma.response.findMany({ where: { key: { in: items.map((i) => `gen:${i.id}`) } } });
    expect(responses).toHaveLength(total);
    expect(new Set(items.map((i) => i.responseId)).size).toBe(total);
    return items;
  } finally {
    await db.close();
  }
}

let fake: FakeChatServer;
const logs: string[] = [];
const databases: TestDatabase[] = [];
beforeAll(async () => {
  fake = await startFakeChatServer({ slowMs: 150 });
});
afterAll(async () => {
  await fake.close();
  for (const db of databases) await db.drop().catch(() => {});
  // Whatever ran in this file: the key was in no log line of any process.
  const all = logs.join('');
  expect(all.length).toBeGreaterThan(0);
  expect(all).not.toContain(API_KEY);
  expect(all).not.toContain(API_KEY.slice(8, 24));
});

describe('generation across processes', () => {
  it('a SIGKILL mid-job and a restart finish every item exactly once; requests in flight are sent again', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const first = await startServer(db.env, logs);
    // Slow answers (6 at a time, 32 items): the kill lands while most items are still unsent, however loaded the machine.
    fake.slowMs = 800;
    const { jobId, campaignId } = await startJob(first, 8, 2);
    const atKill = await waitForJob(first, jobId, (j) => j.done >= 2);
    await stop(first, 'SIGKILL');
    fake.slowMs = 150;
    // Mid-job: items were left unstored (requests may run ahead of stores, and a lease lapsed under load is sent again).
    expect(atKill.done).toBeLessThan(32);

    const second = await startServer(db.env, logs);
    const job = await waitForJob(second, jobId, (j) => j.status === 'DONE');
    expect(job).toMatchObject({ total: 32, done: 32, failed: 0 });
    const campaign = await call<{ counts: Record<string, number> }>(second, 'GET', `/api/campaigns/${campaignId}`);
    expect(campaign.counts).toMatchObject({ prompts: 8, awaitingResponses: 0, responses: 32, comparisons: 8 * 6 });
    await stop(second);
    await expectExactlyOnce(db.env, jobId, 32);
    // Every item was asked at least once; those in flight at the kill were asked again.
    expect(fake.received.filter((r) => r.prompt.startsWith('Question')).length).toBeGreaterThanOrEqual(32);
    expect(fake.received.every((r) => r.authorization === `Bearer ${API_KEY}`)).toBe(true);
  }, 180_000);

  it.runIf(process.env.DATABASE_URL)('two processes on one Postgres share one job and hold the endpoint limit together', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    // 4 requests per process at most: one process alone cannot fill both endpoints (3 + 3), so the other
    // always finds free slots and takes part however the processes are scheduled (with 64, the process
    // that created the job could take every slot as each one freed, before the other's next poll), while
    // both together (8) could still exceed the endpoints' 6, which is what the limit check needs.
    const share = { GENERATION_MAX_IN_FLIGHT: '4' };
    const [a, b] = [await startServer(db.env, logs, share), await startServer(db.env, logs, share)];
    let jobId = '';
    try {
      const before = fake.received.length;
      fake.maxInFlight.clear();
      jobId = (await startJob(a, 12, 2)).jobId;
      const job = await waitForJob(b, jobId, (j) => j.status === 'DONE');
      expect(job).toMatchObject({ total: 48, done: 48, failed: 0 });
      // Each endpoint allows 3 at once; both endpoints use the model id "slow": at most 6 together, across both processes.
      expect(fake.maxInFlight.get('slow')).toBeLessThanOrEqual(6);
      expect(fake.received.length - before).toBeGreaterThanOrEqual(48);
      expect(stored(a) + stored(b)).toBe(48);
      expect(stored(a)).toBeGreaterThan(0);
      expect(stored(b)).toBeGreaterThan(0);
    } finally {
      await Promise.all([stop(a), stop(b)]);
    }
    await expectExactlyOnce(db.env, jobId, 48);
  }, 180_000);

  it.runIf(process.env.DATABASE_URL)("two processes on one Postgres hold an endpoint's requests per minute together", async () => {
    const db = await createTestDatabase();
    databases.push(db);
    // Each process may send 3 at once, both together 6, over the endpoint's 5 a minute; answers take 1.5 s,
    // so the first process's requests are still out when the second looks for work and takes part.
    const share = { GENERATION_MAX_IN_FLIGHT: '3' };
    const [a, b] = [await startServer(db.env, logs, share), await startServer(db.env, logs, share)];
    let jobId = '';
    try {
      fake.slowMs = 1500;
      const before = fake.received.length;
      const started = await startJob(a, 12, 2, { names: ['Paced'], limits: { maxConcurrency: 10, requestsPerMinute: 5 } });
      jobId = started.jobId;
      await waitForJob(b, jobId, (j) => j.done >= 5);
      // Both processes poll every 100 ms: a second more of polls, and still five requests this minute.
      await new Promise((r) => setTimeout(r, 1000));
      expect(fake.received.length - before).toBe(5);
      expect(stored(a) + stored(b)).toBe(5);
      expect(stored(a)).toBeGreaterThan(0);
      expect(stored(b)).toBeGreaterThan(0);
      const job = await call<{ status: string; done: number; total: number }>(b, 'POST', `/api/generation-jobs/${jobId}/cancel`, {});
      expect(job).toMatchObject({ status: 'CANCELLED', done: 5, total: 24 });
    } finally {
      fake.slowMs = 150;
      await Promise.all([stop(a), stop(b)]);
    }
    const check = await openDatabase(loadConfig({ ...db.env, JUXTA_SECRET_KEY: SECRET }));
    try {
      const items = await check.prisma.generationItem.groupBy({ by: ['status'], where: { jobId }, _count: true });
      expect(Object.fromEntries(items.map((i) => [i.status, i._count]))).toEqual({ DONE: 5, CANCELLED: 19 });
    } finally {
      await check.close();
    }
  }, 180_000);
});
