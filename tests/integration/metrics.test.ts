// GET /metrics: Prometheus text for the holder of METRICS_TOKEN only, with what an operator watches:
// request durations per route, judgments stored, open leases, running imports, unfinished generation jobs,
// the pool, the process.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAssignmentQueue } from '../../server/contract/rater';
import { hashSecret, newSecret } from '../../server/services/auth/secrets';
import { client, createUser, startTestApp, type TestApp } from '../helpers/app';
import { seedComparisons } from '../../testkit/factory';

const METRICS_TOKEN = `metrics-${randomUUID()}`;

/** The value of the sample `name{...}` whose labels include all of `labels`, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[4]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN } });
  });
  afterAll(async () => t.close());

  const scrape = async () => {
    const res = await client(t.app, null, METRICS_TOKEN).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text;
  };

  it('refuses anyone without the metrics token: no header, a wrong token, an admin session, an admin API token', async () => {
    const admin = await createUser(t.app, 'ADMIN');
    const apiToken = newSecret(t.app.ctx.random, 'jxt');
    await t.app.ctx.db.prisma.apiToken.create({ data: { name: 'not for metrics', tokenHash: hashSecret(apiToken), prefix: apiToken.slice(0, 12), userId: admin.id } });
    for (const res of [
      await client(t.app).get('/metrics'),
      await client(t.app, null, `${METRICS_TOKEN}x`).get('/metrics'),
      await client(t.app, admin).get('/metrics'),
      await client(t.app, null, apiToken).get('/metrics'),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('METRICS_TOKEN') });
      expect(res.text).not.toContain('juxta_');
    }
  });

  it('the metrics token opens /metrics and nothing else', async () => {
    expect((await client(t.app, null, METRICS_TOKEN).get('/api/me')).status).toBe(401);
  });

  it('reports request durations per route template, and the process: event-loop lag, memory', async () => {
    await client(t.app).get('/api/health').expect(200);
    const text = await scrape();
    expect(sample(text, 'juxta_http_request_duration_seconds_count', { route: '/api/health', method: 'GET', status_code: '200' })).toBeGreaterThanOrEqual(1);
    expect(text).toContain('juxta_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/health",status_code="200"}');
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('counts stored judgments (a retried one once) and open leases per campaign', async () => {
    const s = await seedComparisons(t.app.ctx.db.prisma);
    const rater = await createUser(t.app, 'RATER', [s.campaignId]);
    const before = sample(await scrape(), 'juxta_judgments_total') ?? 0;
    const queue = (await client(t.app, rater).get(`/api/campaigns/${s.campaignId}/assignments/next`).expect(200)).body as TAssignmentQueue;
    expect(sample(await scrape(), 'juxta_open_leases', { campaign_id: s.campaignId })).toBe(2);
    const body = { choice: 'left', timeMs: 900, idempotencyKey: randomUUID() };
    await client(t.app, rater).post(`/api/assignments/${queue.assignment.id}/judgment`).send(body).expect(200);
    await client(t.app, rater).post(`/api/assignments/${queue.assignment.id}/judgment`).send(body).expect(200);
    const after = await scrape();
    expect(sample(after, 'juxta_judgments_total')).toBe(before + 1);
    // One judged, the prefetched one still out, and the reply's new prefetch.
    expect(sample(after, 'juxta_open_leases', { campaign_id: s.campaignId })).toBe(2);
  });

  it('reports the progress of running imports, and only running ones', async () => {
    const s = await seedComparisons(t.app.ctx.db.prisma);
    const running = await t.app.ctx.db.prisma.import.create({ data: { id: randomUUID(), campaignId: s.campaignId, format: 'native', phase: 'staging', records: 4200, bytes: 1_234_567 } });
    const text = await scrape();
    expect(sample(text, 'juxta_import_progress', { import_id: running.id, phase: 'staging', unit: 'records' })).toBe(4200);
    expect(sample(text, 'juxta_import_progress', { import_id: running.id, unit: 'bytes' })).toBe(1_234_567);
    await t.app.ctx.db.prisma.import.update({ where: { id: running.id }, data: { status: 'PUBLISHED' } });
    expect(sample(await scrape(), 'juxta_import_progress', { import_id: running.id })).toBeUndefined();
  });

  it('reports the items per status of generation jobs not finished, and only those', async () => {
    const { prisma } = t.app.ctx.db;
    const s = await seedComparisons(prisma, { prompts: 3 });
    const endpoint = await prisma.modelEndpoint.create({ data: { name: `metrics-${randomUUID()}`, baseUrl: 'http://127.0.0.1:9/v1', model: 'm' } });
    const job = await prisma.generationJob.create({ data: { campaignId: s.campaignId, samples: 2, options: {}, status: 'RUNNING' } });
    const statuses = ['DONE', 'DONE', 'DONE', 'FAILED', 'LEASED', 'PENDING'] as const;
    await prisma.generationItem.createMany({
      data: statuses.map((status, i) => ({ jobId: job.id, promptId: s.promptIds[i % 3]!, endpointId: endpoint.id, sample: Math.floor(i / 3), importId: s.importId, status })),
    });
    const text = await scrape();
    const items = (status: string) => sample(text, 'juxta_generation_job_items', { job_id: job.id, campaign_id: s.campaignId, job_status: 'RUNNING', item_status: status });
    expect(['DONE', 'FAILED', 'LEASED', 'PENDING', 'CANCELLED'].map(items)).toEqual([3, 1, 1, 1, undefined]);
    await prisma.generationJob.update({ where: { id: job.id }, data: { status: 'DONE' } });
    expect(sample(await scrape(), 'juxta_generation_job_items', { job_id: job.id })).toBeUndefined();
  });

  it.runIf(!!process.env.DATABASE_URL)('reports the Postgres pool: connections in use, idle and waiting', async () => {
    const text = await scrape();
    for (const state of ['in_use', 'idle', 'waiting']) expect(sample(text, 'juxta_db_pool_connections', { state })).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'juxta_db_pool_connections', { state: 'idle' })! + sample(text, 'juxta_db_pool_connections', { state: 'in_use' })!).toBeGreaterThan(0);
  });

  it('is off without METRICS_TOKEN: 404 that says how to turn it on', async () => {
    const off = await startTestApp();
    try {
      const res = await client(off.app, null, METRICS_TOKEN).get('/metrics').expect(404);
      expect(res.body.error.message).toContain('METRICS_TOKEN');
    } finally {
      await off.close();
    }
  });
});
