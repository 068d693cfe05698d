// A large import stages rows in committed batches: meanwhile the server keeps answering (latencies logged),
// the staged rows stay invisible, progress is readable; a failed or abandoned import leaves nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { newCampaign, rowCounts, upload } from './import-helpers';

const PROMPTS = 4_000;
const MODELS = ['m1', 'm2', 'm3', 'm4'];
const line = (i: number) =>
  JSON.stringify({ id: `q${i}`, prompt: `Question number ${i}?`, responses: MODELS.map((model) => ({ model, content: `${model} answers ${i}` })) });
const bigFile = Array.from({ length: PROMPTS }, (_, i) => line(i)).join('\n');

let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await startTestApp();
  admin = await createUser(t.app, 'ADMIN');
});
afterAll(async () => t.close());

interface Poll {
  healthMs: number;
  progressMs: number;
  health: number;
  status?: string;
  phase?: string;
  records?: number;
  visiblePrompts?: number;
  stagedPrompts: number;
}

/** Polls health, the import's progress and the campaign's counts until `done` settles; logs the latencies. */
async function pollWhile(done: Promise<unknown>, campaignId: string, importId: string): Promise<Poll[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const polls: Poll[] = [];
  while (!finished) {
    const started = performance.now();
    const health = await client(t.app).get('/api/health');
    const healthMs = performance.now() - started;
    // Counts first: when the import is still RUNNING after them, they were read while it ran.
    const campaign = await client(t.app, admin).get(`/api/campaigns/${campaignId}`);
    const stagedPrompts = await t.app.ctx.db.prisma.prompt.count({ where: { importId } });
    const progressStarted = performance.now();
    const progress = await client(t.app, admin).get(`/api/imports/${importId}`);
    const progressMs = performance.now() - progressStarted;
    polls.push({
      healthMs,
      progressMs,
      health: health.status,
      status: progress.body.status,
      phase: progress.body.phase,
      records: progress.body.records,
      visiblePrompts: campaign.body.counts?.prompts,
      stagedPrompts,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const stats = (ms: number[]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return `median ${sorted[sorted.length >> 1]?.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms`;
  };
  console.log(
    `${polls.length} polls during the import: GET /api/health ${stats(polls.map((p) => p.healthMs))}; ` +
      `GET /api/imports/:id ${stats(polls.map((p) => p.progressMs))}`,
  );
  return polls;
}

it('keeps answering during a large import, with progress, and shows nothing until it is published', { timeout: 300_000 }, async () => {
  const campaignId = await newCampaign(t.app, admin);
  const importId = randomUUID();
  const request = upload(t.app, admin, campaignId, bigFile, 'application/x-ndjson', `?importId=${importId}`).then((r) => r);
  const polls = await pollWhile(request, campaignId, importId);
  const res = await request;
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ importId, prompts: PROMPTS, responses: PROMPTS * 4, comparisons: PROMPTS * 6 });

  const running = polls.filter((p) => p.status === 'RUNNING');
  expect(running.length).toBeGreaterThan(2);
  expect(polls.every((p) => p.health === 200)).toBe(true);
  // Staged rows existed while nothing was visible; progress moved.
  expect(running.some((p) => p.stagedPrompts > 0 && p.visiblePrompts === 0)).toBe(true);
  expect(running.every((p) => p.visiblePrompts === 0)).toBe(true);
  expect(new Set(running.map((p) => p.records)).size).toBeGreaterThan(1);
  const final = await client(t.app, admin).get(`/api/imports/${importId}`).expect(200);
  expect(final.body).toMatchObject({ status: 'PUBLISHED', phase: 'published', records: PROMPTS, result: res.body });
});

it('a second import into the same campaign waits its turn (409), and an error on the last line removes every staged row', { timeout: 300_000 }, async () => {
  const campaignId = await newCampaign(t.app, admin);
  const before = await rowCounts(t.app);
  const importId = randomUUID();
  const request = upload(t.app, admin, campaignId, `${bigFile}\n{"prompt": "broken"`, 'application/x-ndjson', `?importId=${importId}`).then((r) => r);

  // Once it runs, another upload into the campaign is refused.
  let conflict: number | undefined;
  while (conflict === undefined) {
    const progress = await client(t.app, admin).get(`/api/imports/${importId}`);
    if (progress.status === 200 && progress.body.status === 'RUNNING') {
      const second = await upload(t.app, admin, campaignId, line(1), 'application/x-ndjson');
      conflict = second.status;
      expect(second.body.error.details.importId).toBe(importId);
    }
    if (progress.status === 200 && progress.body.status !== 'RUNNING') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(conflict).toBe(409);

  const polls = await pollWhile(request, campaignId, importId);
  const res = await request;
  expect(res.status).toBe(400);
  expect(res.body.error.details.errors).toMatchObject([{ line: PROMPTS + 1 }]);
  expect(polls.some((p) => p.stagedPrompts > 0)).toBe(true);
  expect(await rowCounts(t.app)).toEqual(before);
  const status = await client(t.app, admin).get(`/api/imports/${importId}`).expect(200);
  expect(status.body).toMatchObject({ status: 'FAILED', phase: 'failed', result: null, errors: { totalErrors: 1 } });
});

it('an abandoned import (no heartbeat) is cleaned up before the next one', async () => {
  const { prisma } = t.app.ctx.db;
  const campaignId = await newCampaign(t.app, admin);
  const stale = new Date(Date.now() - 60 * 60_000);
  const abandoned = await prisma.import.create({ data: { id: randomUUID(), campaignId, format: 'native', heartbeatAt: stale, phase: 'importing' } });
  const prompt = await prisma.prompt.create({ data: { campaignId, key: 'q1', context: [{ role: 'user', content: 'old' }], importId: abandoned.id } });
  await prisma.response.create({ data: { campaignId, promptId: prompt.id, key: 'model:m1#0', model: 'm1', content: 'old', importId: abandoned.id } });

  const res = await upload(t.app, admin, campaignId, line(1), 'application/x-ndjson').expect(201);
  // The abandoned prompt q1 was removed, so this import creates it afresh with its own text.
  expect(res.body).toMatchObject({ prompts: 1, responses: 4 });
  expect(await prisma.import.findUniqueOrThrow({ where: { id: abandoned.id } })).toMatchObject({ status: 'FAILED', phase: 'failed' });
  expect(await prisma.prompt.count({ where: { importId: abandoned.id } })).toBe(0);
  const stored = await prisma.prompt.findFirstOrThrow({ where: { campaignId, key: 'q1' } });
  expect(stored.context).toEqual([{ role: 'user', content: 'Question number 1?' }]);
});

it('compares no two responses of a record that say the same (two blanks, when blanks are kept)', async () => {
  const id = await newCampaign(t.app, admin);
  const record = (key: string, contents: string[]) =>
    JSON.stringify({ id: key, prompt: `Question ${key}?`, responses: contents.map((content, i) => ({ model: `m${i}`, content })) });
  const file = [record('same', ['Paris.', 'Paris.', 'Lyon.']), record('blanks', ['', ' \n', 'An answer.']), record('apart', ['a', 'b', 'c'])].join('\n');
  const res = await upload(t.app, admin, id, file, 'application/x-ndjson', '?emptyResponses=keep').expect(201);
  // same: m0-m2 and m1-m2 (not m0-m1); blanks: each blank against the answer; apart: all three pairs.
  expect(res.body).toMatchObject({ prompts: 3, responses: 9, comparisons: 2 + 2 + 3 });
  const pairs = await t.app.ctx.db.prisma.comparison.findMany({
    where: { campaignId: id },
    select: { prompt: { select: { key: true } }, responseA: { select: { content: true } }, responseB: { select: { content: true } } },
  });
  for (const { responseA, responseB } of pairs) expect(responseA.content.trim()).not.toBe(responseB.content.trim());
});
