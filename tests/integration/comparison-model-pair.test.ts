// A comparison's model pair (modelA, modelB: responses A's and B's models, slots 0 and 1 of a ranking task) is set by
// every writer of comparisons: imports of pairs and of ranking tasks, generation jobs publishing pairs and ranking
// tasks, and the test factory. The explorer's model filters and the active claim read it instead of the responses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGenerationWorker, type GenerationWorker } from '../../server/services/generation/generation-worker';
import { startFakeChatServer, type FakeChatServer } from '../../testkit/fake-chat-server';
import { seedComparisons } from '../../testkit/factory';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { newCampaign, upload } from './import-helpers';

let t: TestApp;
let admin: TestUser;
/** A loopback chat server and the worker that calls it, for the generation case. */
let generation: { fake: FakeChatServer; worker: GenerationWorker };
beforeAll(async () => {
  t = await startTestApp({ env: { GENERATION_POLL_MS: '50' } });
  admin = await createUser(t.app, 'ADMIN');
  generation = { fake: await startFakeChatServer({ slowMs: 0 }), worker: startGenerationWorker(t.app.ctx) };
});
afterAll(async () => {
  await generation.worker.stop();
  await Promise.all([t.close(), generation.fake.close()]);
});

const ranking = (size: number) => ({ design: { task: { type: 'ranking', size } } });

/**
 * Every comparison of the campaign as (its pair columns, the models of the responses in slots 0 and 1 as the
 * responses say them), and how many slots it has. A pair's slots 0 and 1 are its responses A and B.
 */
async function pairsOf(campaignId: string) {
  const rows = await t.app.ctx.db.prisma.comparison.findMany({
    where: { campaignId },
    select: { modelA: true, modelB: true, slots: true, responseA: { select: { id: true, model: true } }, responseB: { select: { id: true, model: true } } },
    orderBy: { id: 'asc' },
  });
  for (const row of rows) if (row.slots.length > 0) expect(row.slots.slice(0, 2)).toEqual([row.responseA.id, row.responseB.id]);
  return rows.map((row) => ({ stored: [row.modelA, row.modelB], responses: [row.responseA.model, row.responseB.model], slots: row.slots.length }));
}

function expectPairsOfResponses(rows: Awaited<ReturnType<typeof pairsOf>>, count: number) {
  expect(rows).toHaveLength(count);
  for (const row of rows) expect(row.stored).toEqual(row.responses);
}

/** The unordered pairs, as "x|y" with x before y, with how many comparisons hold each. */
const pairCounts = (rows: Awaited<ReturnType<typeof pairsOf>>) =>
  rows.reduce<Record<string, number>>((acc, row) => {
    const key = [...row.stored].sort().join('|');
    acc[key] = (acc[key] ?? 0) + 1;
    return acc;
  }, {});

async function promptOnlyCampaign(prompts: string[], settings: Record<string, unknown> = {}): Promise<string> {
  const id = await newCampaign(t.app, admin, settings);
  await upload(t.app, admin, id, prompts.map((prompt, i) => JSON.stringify({ id: `p${i}`, prompt })).join('\n'), 'application/x-ndjson').expect(201);
  return id;
}

async function generate(campaignId: string, names: string[], samples: number): Promise<void> {
  const endpointIds: string[] = [];
  for (const name of names) {
    endpointIds.push((await client(t.app, admin).post('/api/model-endpoints').send({ name: `${name} ${campaignId}`, model: 'echo', baseUrl: generation.fake.url }).expect(201)).body.id);
  }
  const { id } = (await client(t.app, admin).post(`/api/campaigns/${campaignId}/generation-jobs`).send({ endpointIds, samples }).expect(201)).body;
  for (;;) {
    const job = (await client(t.app, admin).get(`/api/generation-jobs/${id}`).expect(200)).body;
    if (job.status === 'DONE') return expect(job.failed).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("a comparison's model pair", () => {
  it('is its responses A and B models after an import of pairs', async () => {
    const id = await newCampaign(t.app, admin);
    const file = ['q1', 'q2']
      .map((q) => JSON.stringify({ id: q, prompt: `${q}?`, responses: ['zeta', 'alpha', 'Mid'].map((model) => ({ model, content: `${model} on ${q}` })) }))
      .join('\n');
    await upload(t.app, admin, id, file, 'application/x-ndjson').expect(201);
    const rows = await pairsOf(id);
    expectPairsOfResponses(rows, 6);
    expect(pairCounts(rows)).toEqual({ 'Mid|alpha': 2, 'Mid|zeta': 2, 'alpha|zeta': 2 });
  });

  it('is the models of slots 0 and 1 after an import of ranking tasks', async () => {
    const id = await newCampaign(t.app, admin, ranking(3));
    const file = JSON.stringify({ id: 'q', prompt: 'Rank?', responses: ['a', 'b', 'c'].map((model) => ({ model, content: `${model}!` })) });
    await upload(t.app, admin, id, file, 'application/x-ndjson').expect(201);
    const rows = await pairsOf(id);
    expectPairsOfResponses(rows, 1);
    expect(rows[0]!.slots).toBe(3);
    expect(new Set(rows[0]!.stored).size).toBe(2);
  });

  it('is its responses models after a generation job publishes pairs and ranking tasks', async () => {
    const pairs = await promptOnlyCampaign(['Name a prime.', 'Why?']);
    await generate(pairs, ['Gen A', 'Gen B'], 2);
    const pairRows = await pairsOf(pairs);
    // Four responses a prompt (2 endpoints x 2 samples), all pairs: a sample against its sibling too.
    expectPairsOfResponses(pairRows, 12);
    expect(pairCounts(pairRows)).toEqual({ [`Gen A ${pairs}|Gen A ${pairs}`]: 2, [`Gen A ${pairs}|Gen B ${pairs}`]: 8, [`Gen B ${pairs}|Gen B ${pairs}`]: 2 });

    const ranked = await promptOnlyCampaign(['Rank me?'], ranking(4));
    await generate(ranked, ['Rank A', 'Rank B'], 2);
    const rankRows = await pairsOf(ranked);
    expectPairsOfResponses(rankRows, 1);
    expect(rankRows[0]!.slots).toBe(4);
  });

  it('is set by the test factory, for pairs and ranking tasks', async () => {
    for (const ranked of [false, true]) {
      const s = await seedComparisons(t.app.ctx.db.prisma, { prompts: 2, models: 3, ranking: ranked });
      expectPairsOfResponses(await pairsOf(s.campaignId), ranked ? 2 : 6);
    }
  });
});
