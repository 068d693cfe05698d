// Generation jobs end to end in one process: a prompt-only import, endpoints on a loopback chat completions
// server, the worker, retries (429 + Retry-After, 500, dropped streams), failures with the server's message,
// limits, empty and truncated outputs, pause/resume/cancel/retry-failed, and rating the published comparisons.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TGenerationJob, TGenerationJobPlan } from '../../server/contract/generation';
import { splitIntoRankingTasks } from '../../server/domain/ranking-split';
import { startGenerationWorker, type GenerationWorker } from '../../server/services/generation/generation-worker';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { startFakeChatServer, type FakeChatServer } from '../../testkit/fake-chat-server';
import { newCampaign, upload } from './import-helpers';

let t: TestApp;
let admin: TestUser;
let fake: FakeChatServer;
let worker: GenerationWorker;
beforeAll(async () => {
  fake = await startFakeChatServer({ slowMs: 150 });
  t = await startTestApp({
    env: { GENERATION_RETRY_BASE_MS: '20', GENERATION_POLL_MS: '50', GENERATION_MAX_ATTEMPTS: '3' },
  });
  admin = await createUser(t.app, 'ADMIN');
  worker = startGenerationWorker(t.app.ctx);
});
afterAll(async () => {
  await worker.stop();
  await t.close();
  await fake.close();
});

const api = () => client(t.app, admin);

async function endpoint(name: string, model: string, extra: Record<string, unknown> = {}): Promise<string> {
  return (await api().post('/api/model-endpoints').send({ name, model, baseUrl: fake.url, ...extra }).expect(201)).body.id;
}

async function promptOnlyCampaign(prompts: string[], settings: Record<string, unknown> = {}): Promise<string> {
  const id = await newCampaign(t.app, admin, settings);
  const file = prompts.map((prompt, i) => JSON.stringify({ id: `p${i}`, prompt })).join('\n');
  await upload(t.app, admin, id, file, 'application/x-ndjson').expect(201);
  return id;
}

async function waitFor(jobId: string, done: (job: TGenerationJob) => boolean): Promise<TGenerationJob> {
  for (;;) {
    const job = (await api().get(`/api/generation-jobs/${jobId}`).expect(200)).body as TGenerationJob;
    if (done(job)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const plan = async (campaignId: string, body: Record<string, unknown>) =>
  (await api().post(`/api/campaigns/${campaignId}/generation-jobs?dryRun=true`).send(body).expect(200)).body as TGenerationJobPlan;

const finished = (job: TGenerationJob) => job.status === 'DONE' || job.status === 'CANCELLED';
const counts = async (id: string) => (await api().get(`/api/campaigns/${id}`).expect(200)).body.counts;

describe('a generation job', () => {
  it('answers every prompt x endpoint x sample once, publishes per prompt, and raters see no model', async () => {
    const campaignId = await promptOnlyCampaign(['Name a prime.', 'Why is the sky blue?', 'Write a haiku about rain.']);
    const a = await endpoint('Policy A', 'slow', { maxConcurrency: 2, params: { temperature: 0.7, seed: 11, systemPrompt: 'Be brief.' } });
    const b = await endpoint('Policy B', 'echo', { stream: true });
    // The dry run says beforehand what the job makes, by the rule its publication applies.
    const expected = { prompts: 3, requests: 12, responsesPerPrompt: { min: 4, max: 4 }, pairing: { kind: 'all' }, tasksPerPrompt: { min: 6, max: 6 }, tasks: 18, large: false };
    expect(await plan(campaignId, { endpointIds: [a, b], samples: 2 })).toMatchObject(expected);
    const { id } = (await api().post(`/api/campaigns/${campaignId}/generation-jobs`).send({ endpointIds: [a, b], samples: 2 }).expect(201)).body;
    const job = await waitFor(id, finished);
    expect(job).toMatchObject({ status: 'DONE', total: 12, done: 12, failed: 0, prompts: 3, promptsPublished: 3, failures: [] });
    expect(job.tokensIn).toBeGreaterThan(0);
    expect(job.tokensOut).toBeGreaterThan(0);
    // Four responses per prompt (2 endpoints x 2 samples), all pairs: 6 comparisons each, samples of one endpoint included.
    expect(await counts(campaignId)).toMatchObject({ prompts: 3, awaitingResponses: 0, responses: 12, models: 2, comparisons: 18 });
    // The concurrency limit held, and the endpoint's defaults were sent.
    expect(fake.maxInFlight.get('slow')).toBeLessThanOrEqual(2);
    const sent = fake.received.filter((r) => r.model === 'slow');
    expect(sent).toHaveLength(6);
    expect(sent[0]!.body).toMatchObject({ temperature: 0.7, seed: 11, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user' }] });
    // Each item stored exactly once, with its metadata.
    const { prisma } = t.app.ctx.db;
    const responses = await prisma.response.findMany({ where: { campaignId } });
    expect(new Set(responses.map((r) => r.key)).size).toBe(12);
    const meta = responses.find((r) => r.model === 'Policy A')!.metadata as { generation: Record<string, unknown> };
    expect(meta.generation).toMatchObject({ endpoint: 'Policy A', model: 'slow', params: { temperature: 0.7, seed: 11 }, finishReason: 'stop', truncated: false });

    // A rater gets the comparisons, blind to models, endpoints and metadata; stats handle same-model pairs.
    await api().patch(`/api/campaigns/${campaignId}`).send({ contentWarningReviewed: true }).expect(200);
    await api().patch(`/api/campaigns/${campaignId}`).send({ status: 'ACTIVE' }).expect(200);
    const rater = await createUser(t.app, 'RATER', [campaignId]);
    const next = await client(t.app, rater).get(`/api/campaigns/${campaignId}/assignments/next`).expect(200);
    expect(next.text).not.toMatch(/Policy A|Policy B|generation|finishReason|"slow"/);
    const { assignment } = next.body;
    expect(JSON.stringify(assignment)).toContain('Answer');
    const judged = await client(t.app, rater)
      .post(`/api/assignments/${assignment.id}/judgment`)
      .send({ choice: 'left', timeMs: 4000, idempotencyKey: randomUUID() })
      .expect(200);
    expect(judged.text).not.toMatch(/Policy A|Policy B|generation|finishReason|"slow"|temperature/);
    await api().get(`/api/campaigns/${campaignId}/stats`).expect(200);

    // Exports say which endpoint, model id and parameters produced each response: raw lines per response, the card for every format.
    // The default asOf trails the clock by a second (DEFAULT_AS_OF_LAG_MS): ask for the file as of now, judgment included.
    const asOf = encodeURIComponent(new Date().toISOString());
    const raw = (await api().get(`/api/campaigns/${campaignId}/export?format=raw&asOf=${asOf}`).expect(200)).text.trim().split('\n').map((l) => JSON.parse(l));
    expect(raw).toHaveLength(1);
    const sides = [raw[0].response_a, raw[0].response_b] as { model: string; generation: Record<string, unknown> }[];
    const cardRows = {
      'Policy A': '| Policy A | slow | `{"seed":11,"systemPrompt":"Be brief.","temperature":0.7}` |',
      'Policy B': '| Policy B | echo | `{}` |',
    };
    for (const side of sides) {
      const expected = side.model === 'Policy A'
        ? { endpoint: 'Policy A', model: 'slow', params: { temperature: 0.7, seed: 11, systemPrompt: 'Be brief.' } }
        : { endpoint: 'Policy B', model: 'echo', params: {} };
      expect(side.generation).toMatchObject({ ...expected, finish_reason: 'stop', truncated: false });
      expect([0, 1]).toContain(side.generation.sample);
    }
    // The card names the generators of the responses in the file (the one judged pair's, here).
    for (const format of ['raw', 'trl']) {
      const card = (await api().get(`/api/campaigns/${campaignId}/export/card?format=${format}&asOf=${asOf}${format === 'raw' ? '' : '&minJudgments=1'}`).expect(200)).text;
      expect(card).toContain('## Generated responses');
      for (const [model, row] of Object.entries(cardRows)) {
        if (sides.some((s) => s.model === model)) expect(card).toContain(row);
        else expect(card).not.toContain(row);
      }
    }
  });

  it('retries 429 (after Retry-After), 500 and dropped streams; a 400 or a wrong content type fails the item with the reason', async () => {
    const campaignId = await promptOnlyCampaign(['One?', 'Two?']);
    const ids = await Promise.all([
      endpoint('Limited', 'rate-limited'),
      endpoint('Flaky', 'flaky'),
      endpoint('Dropper', 'drop', { stream: true }),
      endpoint('Rejecter', 'reject'),
      endpoint('Nginx', 'html'),
    ]);
    const { id } = (await api().post(`/api/campaigns/${campaignId}/generation-jobs`).send({ endpointIds: ids, samples: 1 }).expect(201)).body;
    const job = await waitFor(id, finished);
    expect(job).toMatchObject({ status: 'DONE', total: 10, done: 6, failed: 4 });
    const messages = job.failures.map((f) => `${f.endpoint}: ${f.message}`).sort();
    expect(messages).toEqual([
      expect.stringMatching(/^Nginx: .*text\/html, not application\/json/),
      expect.stringMatching(/^Nginx: .*text\/html, not application\/json/),
      expect.stringMatching(/^Rejecter: 400 This model does not exist/),
      expect.stringMatching(/^Rejecter: 400 This model does not exist/),
    ]);
    const items = await t.app.ctx.db.prisma.generationItem.findMany({ where: { jobId: id }, include: { endpoint: true } });
    for (const item of items.filter((i) => ['Limited', 'Flaky', 'Dropper'].includes(i.endpoint.name))) expect(item.attempts, item.endpoint.name).toBe(2);
    for (const item of items.filter((i) => i.endpoint.name === 'Rejecter')) expect(item.attempts).toBe(1);
    // Retry-After: 1 was honoured: the second request of a prompt came no sooner than a second after the first.
    const limited = fake.received.filter((r) => r.model === 'rate-limited');
    for (const prompt of ['One?', 'Two?']) {
      const [first, second] = limited.filter((r) => r.prompt === prompt);
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
    }
    // Three responses per prompt: published, with all pairs.
    expect(await counts(campaignId)).toMatchObject({ responses: 6, comparisons: 6 });

    // Retry failed: they fail again (the server still refuses), counted afresh.
    const retried = await api().post(`/api/generation-jobs/${id}/retry-failed`).send({}).expect(200);
    expect(retried.body.status).toBe('RUNNING');
    expect(await waitFor(id, finished)).toMatchObject({ status: 'DONE', done: 6, failed: 4 });
  });

  it("sends the job's parameters over the endpoint's defaults; a server that never answers times out, is retried, then fails the item", async () => {
    const campaignId = await promptOnlyCampaign(['Over?']);
    const tuned = await endpoint(`Tuned ${Math.random()}`, 'echo-tuned', { params: { temperature: 0.7, maxTokens: 400, seed: 1, stop: ['END'] } });
    const mute = await endpoint(`Mute ${Math.random()}`, 'stuck', { timeoutSeconds: 1 });
    const { id } = (
      await api()
        .post(`/api/campaigns/${campaignId}/generation-jobs`)
        .send({ endpointIds: [tuned, mute], params: { temperature: 0.1, seed: 42, systemPrompt: 'Answer in French.' } })
        .expect(201)
    ).body;
    const job = await waitFor(id, finished);
    expect(job).toMatchObject({ status: 'DONE', total: 2, done: 1, failed: 1, params: { temperature: 0.1, seed: 42 } });
    // Field by field: the job's temperature, seed and system prompt; the endpoint's max tokens and stop.
    const [sent] = fake.received.filter((r) => r.model === 'echo-tuned');
    expect(sent!.body).toMatchObject({ temperature: 0.1, seed: 42, max_tokens: 400, stop: ['END'], messages: [{ role: 'system', content: 'Answer in French.' }, { role: 'user', content: 'Over?' }] });
    // GENERATION_MAX_ATTEMPTS is 3 here: three requests, each cut at the endpoint's 1 s timeout.
    expect(fake.received.filter((r) => r.model === 'stuck' && r.prompt === 'Over?')).toHaveLength(3);
    expect(job.failures).toEqual([expect.objectContaining({ attempts: 3, message: 'gave up after 3 attempts: no complete answer within 1 s' })]);
  });

  it('holds requests per minute across the window, and pause, resume and cancel do what they say', async () => {
    const campaignId = await promptOnlyCampaign(['a?', 'b?', 'c?', 'd?', 'e?', 'f?']);
    const paced = await endpoint('Paced', 'echo-paced', { requestsPerMinute: 3 });
    const { id } = (await api().post(`/api/campaigns/${campaignId}/generation-jobs`).send({ endpointIds: [paced] }).expect(201)).body;
    await waitFor(id, (j) => j.done === 3);
    await new Promise((r) => setTimeout(r, 600)); // several polls: nothing more may go out this minute
    expect(fake.received.filter((r) => r.model === 'echo-paced')).toHaveLength(3);
    expect((await api().post(`/api/generation-jobs/${id}/pause`).send({}).expect(200)).body.status).toBe('PAUSED');
    expect((await api().post(`/api/generation-jobs/${id}/pause`).send({}).expect(409)).body.error.code).toBe('GENERATION_JOB_STATE');
    expect((await api().post(`/api/generation-jobs/${id}/resume`).send({}).expect(200)).body.status).toBe('RUNNING');
    const cancelled = (await api().post(`/api/generation-jobs/${id}/cancel`).send({}).expect(200)).body;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', done: 3 });
    // Prompts with one response (one endpoint, one sample) are not published: nothing to compare.
    expect(await counts(campaignId)).toMatchObject({ responses: 0, awaitingResponses: 6 });
    await api().post(`/api/generation-jobs/${id}/resume`).send({}).expect(409);
  });

  it('leaves out of a new job the prompts a running or paused job already answers (a second click generates nothing twice)', async () => {
    const campaignId = await promptOnlyCampaign(['one?', 'two?', 'three?']);
    const e = await endpoint(`Held ${Math.random()}`, 'slow');
    // Every job here must still be open when it is paused or cancelled: at 150 ms an answer, a job of one or
    // four items could finish first on a loaded machine (a 409 on cancel, seen once at load 8).
    const slowMs = fake.slowMs;
    fake.slowMs = 30_000;
    try {
      const prompts = (await t.app.ctx.db.prisma.prompt.findMany({ where: { campaignId }, orderBy: { id: 'asc' } })).map((p) => p.id);
      const jobs = () => api().post(`/api/campaigns/${campaignId}/generation-jobs`);
      // A job for the first prompt, paused at once: it stays open.
      const first = (await jobs().send({ endpointIds: [e], samples: 2, promptIds: [prompts[0]] }).expect(201)).body.id as string;
      await api().post(`/api/generation-jobs/${first}/pause`).send({}).expect(200);
      // The next job covers the two others only; a third finds none left and says why.
      const second = (await jobs().send({ endpointIds: [e], samples: 2 }).expect(201)).body.id as string;
      await api().post(`/api/generation-jobs/${second}/pause`).send({}).expect(200);
      expect((await api().get(`/api/generation-jobs/${second}`).expect(200)).body).toMatchObject({ total: 4, prompts: 2 });
      const refused = (await jobs().send({ endpointIds: [e], samples: 2 }).expect(400)).body.error.message as string;
      expect(refused).toContain('already in a job that is running or paused');
      expect(await t.app.ctx.db.prisma.generationJob.count({ where: { campaignId } })).toBe(2);
      // Named prompts are answered again on purpose; a cancelled job's prompts await a new one.
      await jobs().send({ endpointIds: [e], samples: 1, promptIds: [prompts[0]] }).expect(201);
      await api().post(`/api/generation-jobs/${second}/cancel`).send({}).expect(200);
      const third = (await jobs().send({ endpointIds: [e], samples: 2 }).expect(201)).body.id as string;
      expect((await api().get(`/api/generation-jobs/${third}`).expect(200)).body).toMatchObject({ total: 4, prompts: 2 });
      for (const job of await t.app.ctx.db.prisma.generationJob.findMany({ where: { campaignId, status: { in: ['QUEUED', 'RUNNING', 'PAUSED'] } } })) {
        await api().post(`/api/generation-jobs/${job.id}/cancel`).send({}).expect(200);
      }
    } finally {
      fake.slowMs = slowMs;
    }
  });

  it('counts empty outputs (skipped by default) and keeps truncated ones marked, or excludes them when asked', async () => {
    const campaignId = await promptOnlyCampaign(['x?', 'y?']);
    const [empty, cut, fine] = await Promise.all([endpoint('Silent', 'empty'), endpoint('Cut', 'length'), endpoint('Fine', 'echo')]);
    const first = (await api().post(`/api/campaigns/${campaignId}/generation-jobs`).send({ endpointIds: [empty, cut, fine] }).expect(201)).body.id;
    expect(await waitFor(first, finished)).toMatchObject({ done: 6, failed: 0, skipped: { empty: 2, truncated: 0 }, truncatedKept: 2 });
    expect(await counts(campaignId)).toMatchObject({ responses: 4, comparisons: 2 });
    const cutResponse = await t.app.ctx.db.prisma.response.findFirstOrThrow({ where: { campaignId, model: 'Cut' } });
    expect((cutResponse.metadata as { generation: { truncated: boolean } }).generation.truncated).toBe(true);

    const again = (
      await api()
        .post(`/api/campaigns/${campaignId}/generation-jobs`)
        .send({ endpointIds: [empty, cut], promptIds: (await t.app.ctx.db.prisma.prompt.findMany({ where: { campaignId } })).map((p) => p.id), emptyResponses: 'keep', truncated: 'exclude' })
        .expect(201)
    ).body.id;
    expect(await waitFor(again, finished)).toMatchObject({ done: 4, skipped: { empty: 0, truncated: 2 } });
    // The kept empty outputs join each prompt's earlier responses and are compared with them.
    expect(await counts(campaignId)).toMatchObject({ responses: 6 });
  });

  it('holds the per-prompt response cap (IMPORT_MAX_RESPONSES_PER_PROMPT, 200 here) over endpoints x samples and what a prompt has or awaits', async () => {
    // A sample of pairs: 200 responses to one prompt would make 19,900 pairs.
    const campaignId = await promptOnlyCampaign(['capped?'], { pairing: { kind: 'sample', perPrompt: 10 } });
    const endpoints = await Promise.all([0, 1, 2, 3].map((i) => endpoint(`Cap ${i} ${Math.random()}`, 'echo', { maxConcurrency: 64 })));
    const jobs = () => t.app.ctx.db.prisma.generationJob.count({ where: { campaignId } });
    const over = await api().post(`/api/campaigns/${campaignId}/generation-jobs`).send({ endpointIds: endpoints, samples: 51 }).expect(400);
    expect(over.body.error.message).toMatch(/204 responses per prompt \(4 endpoints x 51 samples\) would exceed the limit of 200 .*IMPORT_MAX_RESPONSES_PER_PROMPT/);
    expect(over.body.error.details).toMatchObject({ limit: 200, perPrompt: 204 });
    expect(await jobs()).toBe(0);
    // Exactly at the cap is allowed; then the prompt is full, whether its items are open or answered.
    const full = (await api().post(`/api/campaigns/${campaignId}/generation-jobs`).send({ endpointIds: endpoints, samples: 50 }).expect(201)).body.id;
    const promptIds = (await t.app.ctx.db.prisma.prompt.findMany({ where: { campaignId } })).map((p) => p.id);
    const more = { endpointIds: [endpoints[0]], promptIds };
    const refused = await api().post(`/api/campaigns/${campaignId}/generation-jobs`).send(more).expect(400);
    expect(refused.body.error.message).toMatch(/on top of up to 200 .*limit of 200 .*IMPORT_MAX_RESPONSES_PER_PROMPT/);
    expect(await waitFor(full, finished)).toMatchObject({ status: 'DONE', done: 200 });
    await api().post(`/api/campaigns/${campaignId}/generation-jobs`).send(more).expect(400);
    expect(await jobs()).toBe(1);
  }, 240_000);

  it('makes ranking tasks in a ranking campaign as an import would (juxta-split-1), pairs for two responses, and a rater ranks them', async () => {
    const campaignId = await promptOnlyCampaign(['Rank me?', 'And me?'], { design: { task: { type: 'ranking', size: 4 } } });
    const [a, b] = await Promise.all([endpoint('Ranked A', 'echo'), endpoint('Ranked B', 'echo', { stream: true })]);
    expect(await plan(campaignId, { endpointIds: [a, b], samples: 3 })).toMatchObject({ taskType: 'ranking', tasksPerPrompt: { min: 2, max: 2 }, tasks: 4 });
    const { id } = (await api().post(`/api/campaigns/${campaignId}/generation-jobs`).send({ endpointIds: [a, b], samples: 3 }).expect(201)).body;
    expect(await waitFor(id, finished)).toMatchObject({ status: 'DONE', done: 12, failed: 0, promptsPublished: 2 });
    // Six responses per prompt cut into two tasks of 4, in the import's slot order: all six ranked, two of them twice.
    const { prisma } = t.app.ctx.db;
    const campaign = await prisma.campaign.findUniqueOrThrow({ where: { id: campaignId } });
    const prompts = await prisma.prompt.findMany({ where: { campaignId }, include: { responses: true, comparisons: { orderBy: { id: 'asc' } } } });
    for (const prompt of prompts) {
      expect(prompt.responses).toHaveLength(6);
      const expected = splitIntoRankingTasks(prompt.responses, 4, `${campaign.seed}:${prompt.key}`).map((task) => task.map((r) => r.id));
      expect(expected).toHaveLength(2);
      const byFirstSlot = (x: number[], y: number[]) => x[0]! - y[0]!;
      expect(prompt.comparisons.map((c) => c.slots).sort(byFirstSlot)).toEqual(expected.sort(byFirstSlot));
      for (const c of prompt.comparisons) expect([c.responseAId, c.responseBId, c.target]).toEqual([c.slots[0], c.slots[1], campaign.votesPerComparison]);
    }
    expect(await counts(campaignId)).toMatchObject({ responses: 12, comparisons: 4, rankingTasks: 4 });

    // A rater is shown four responses, blind to endpoints, and ranks them.
    await api().patch(`/api/campaigns/${campaignId}`).send({ contentWarningReviewed: true, status: 'ACTIVE' }).expect(200);
    const rater = await createUser(t.app, 'RATER', [campaignId]);
    const next = await client(t.app, rater).get(`/api/campaigns/${campaignId}/assignments/next`).expect(200);
    expect(next.text).not.toMatch(/Ranked A|Ranked B|generation|finishReason/);
    const { assignment } = next.body;
    expect(assignment.responses).toHaveLength(4);
    await client(t.app, rater)
      .post(`/api/assignments/${assignment.id}/judgment`)
      .send({ ranking: [[0], [1], [2, 3]], timeMs: 4000, idempotencyKey: randomUUID() })
      .expect(200);

    // Two responses per prompt make a pair in a ranking campaign, as in an import.
    const two = await promptOnlyCampaign(['Just two?'], { design: { task: { type: 'ranking', size: 4 } } });
    expect(await plan(two, { endpointIds: [a, b] })).toMatchObject({ tasksPerPrompt: { min: 1, max: 1 }, tasks: 1 });
    const pairJob = (await api().post(`/api/campaigns/${two}/generation-jobs`).send({ endpointIds: [a, b] }).expect(201)).body.id;
    await waitFor(pairJob, finished);
    expect(await counts(two)).toMatchObject({ responses: 2, comparisons: 1, rankingTasks: 0 });
  });

  it('answers a dry run with the comparisons per prompt its pairing rule makes, large past 50 a prompt, and stores nothing', async () => {
    // 17 endpoints x 3 samples: 51 responses a prompt, 1,275 pairs each under all pairs (the case that went unwarned).
    const campaignId = await promptOnlyCampaign(['Wide one?', 'Wide two?']);
    const endpoints = await Promise.all(Array.from({ length: 17 }, (_, i) => endpoint(`Wide ${i} ${Math.random()}`, 'echo')));
    const wide = { endpointIds: endpoints, samples: 3 };
    expect(await plan(campaignId, wide)).toEqual({
      dryRun: true,
      prompts: 2,
      requests: 102,
      newResponsesPerPrompt: 51,
      responsesPerPrompt: { min: 51, max: 51 },
      taskType: 'pairwise',
      pairing: { kind: 'all' },
      tasksPerPrompt: { min: 1275, max: 1275 },
      tasks: 2550,
      votesPerComparison: 3,
      large: true,
      largeAbove: 50,
    });
    expect(await t.app.ctx.db.prisma.generationJob.count({ where: { campaignId } })).toBe(0);
    // Ten responses (45 pairs) is not large; eleven (55) is.
    expect(await plan(campaignId, { endpointIds: endpoints.slice(0, 10) })).toMatchObject({ tasksPerPrompt: { max: 45 }, large: false });
    expect(await plan(campaignId, { endpointIds: endpoints.slice(0, 11) })).toMatchObject({ tasksPerPrompt: { max: 55 }, large: true });
    // The campaign's rule decides: a sample of 20 pairs a prompt.
    await api().patch(`/api/campaigns/${campaignId}`).send({ pairing: { kind: 'sample', perPrompt: 20 } }).expect(200);
    expect(await plan(campaignId, wide)).toMatchObject({ pairing: { kind: 'sample', perPrompt: 20 }, tasksPerPrompt: { min: 20, max: 20 }, tasks: 40, large: false });
    // Refused as the job would be (the per-prompt cap), and admins only.
    const over = await api().post(`/api/campaigns/${campaignId}/generation-jobs?dryRun=true`).send({ endpointIds: endpoints.slice(0, 4), samples: 51 }).expect(400);
    expect(over.body.error.message).toMatch(/204 responses per prompt .*IMPORT_MAX_RESPONSES_PER_PROMPT/);
    const rater = await createUser(t.app, 'RATER', [campaignId]);
    await client(t.app, rater).post(`/api/campaigns/${campaignId}/generation-jobs?dryRun=true`).send(wide).expect(403);
    expect(await t.app.ctx.db.prisma.generationJob.count({ where: { campaignId } })).toBe(0);
  });

  it('refuses bad requests and changes nothing', async () => {
    const campaignId = await promptOnlyCampaign(['q?']);
    const e = await endpoint(`E ${Math.random()}`, 'echo');
    const bad = [
      { endpointIds: [] },
      { endpointIds: [e], samples: 0 },
      { endpointIds: [e], samples: 65 },
      { endpointIds: ['6f0f4b8e-5d7a-4c1e-9f53-0a4a3c1d2e3f'] },
      { endpointIds: [e], promptIds: [999_999] },
      { endpointIds: [e], params: { temperature: 9 } },
    ];
    for (const body of bad) expect((await api().post(`/api/campaigns/${campaignId}/generation-jobs`).send(body)).status, JSON.stringify(body)).toBe(400);
    expect(await t.app.ctx.db.prisma.generationJob.count({ where: { campaignId } })).toBe(0);
    const other = await newCampaign(t.app, admin);
    expect((await api().post(`/api/campaigns/${other}/generation-jobs`).send({ endpointIds: [e] }).expect(400)).body.error.message).toContain('No prompt');
    await api().get('/api/generation-jobs/6f0f4b8e-5d7a-4c1e-9f53-0a4a3c1d2e3f').expect(404);
  });
});

describe('a prompt left with one response by a job', () => {
  // Job 1 (two endpoints, one refusing with a 400) settles the prompt with one response: too few to publish.
  async function stranded(refuses = 'reject') {
    const campaignId = await promptOnlyCampaign(['Stranded?']);
    const good = await endpoint(`Good ${Math.random()}`, 'echo');
    const bad = await endpoint(`Bad ${Math.random()}`, refuses);
    const first = (await api().post(`/api/campaigns/${campaignId}/generation-jobs`).send({ endpointIds: [good, bad], samples: 1 }).expect(201)).body.id as string;
    expect(await waitFor(first, finished)).toMatchObject({ status: 'DONE', done: 1, failed: 1, promptsPublished: 0 });
    expect(await counts(campaignId)).toMatchObject({ awaitingResponses: 1, responses: 0, comparisons: 0 });
    const [prompt] = await t.app.ctx.db.prisma.prompt.findMany({ where: { campaignId } });
    return { campaignId, first, promptId: prompt!.id };
  }
  const stored = (campaignId: string) => t.app.ctx.db.prisma.response.count({ where: { campaignId } });

  it('is answered by a default job, which publishes its response with the new one', async () => {
    const { campaignId } = await stranded();
    const other = await endpoint(`Other ${Math.random()}`, 'echo');
    const second = (await api().post(`/api/campaigns/${campaignId}/generation-jobs`).send({ endpointIds: [other], samples: 1 }).expect(201)).body.id as string;
    expect(await waitFor(second, finished)).toMatchObject({ status: 'DONE', done: 1, promptsPublished: 1 });
    expect(await counts(campaignId)).toMatchObject({ awaitingResponses: 0, responses: 2, comparisons: 1 });
    expect(await stored(campaignId)).toBe(2);
  });

  it('is answered by a job listing it, all responses compared by the pairing rule', async () => {
    const { campaignId, promptId } = await stranded();
    const other = await endpoint(`Other ${Math.random()}`, 'echo');
    // The response job 1 left counts: three responses, three pairs, all new.
    expect(await plan(campaignId, { endpointIds: [other], samples: 2, promptIds: [promptId] })).toMatchObject({ responsesPerPrompt: { min: 3, max: 3 }, tasks: 3 });
    const second = (await api().post(`/api/campaigns/${campaignId}/generation-jobs`).send({ endpointIds: [other], samples: 2, promptIds: [promptId] }).expect(201)).body.id as string;
    expect(await waitFor(second, finished)).toMatchObject({ status: 'DONE', done: 2, promptsPublished: 1 });
    // Three responses, all pairs: three comparisons, none twice.
    expect(await counts(campaignId)).toMatchObject({ awaitingResponses: 0, responses: 3, comparisons: 3 });
    expect(await stored(campaignId)).toBe(3);
    const pairs = await t.app.ctx.db.prisma.comparison.findMany({ where: { campaignId } });
    expect(new Set(pairs.map((c) => [c.responseAId, c.responseBId].sort().join())).size).toBe(3);
  });

  it("is published by retrying job 1's failed item, answered the second time", async () => {
    const { campaignId, first } = await stranded('reject-once');
    await api().post(`/api/generation-jobs/${first}/retry-failed`).send({}).expect(200);
    expect(await waitFor(first, finished)).toMatchObject({ status: 'DONE', done: 2, failed: 0, promptsPublished: 1 });
    expect(await counts(campaignId)).toMatchObject({ awaitingResponses: 0, responses: 2, comparisons: 1 });
    expect(await stored(campaignId)).toBe(2);
  });
});
