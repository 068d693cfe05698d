// Ranking campaigns: the task type in the design (locked after the first import), OASST trees and other formats
// imported as ranking tasks of K (juxta-split-1), pairs for two-response prompts.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { newCampaign, upload } from './import-helpers';

let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await startTestApp();
  admin = await createUser(t.app, 'ADMIN');
});
afterAll(async () => t.close());

const oasst = readFileSync(new URL('../fixtures/import/oasst/en_100_tree.jsonl', import.meta.url));
const ranking = (size: number) => ({ design: { task: { type: 'ranking', size } } });
const counts = async (campaignId: string) => (await client(t.app, admin).get(`/api/campaigns/${campaignId}`).expect(200)).body.counts;

async function tasksOf(campaignId: string) {
  return t.app.ctx.db.prisma.comparison.findMany({
    where: { campaignId },
    select: { slots: true, responseAId: true, responseBId: true, referenceRanking: true, referenceChoice: true, referenceSource: true, target: true, promptId: true },
    orderBy: { id: 'asc' },
  });
}

describe('task type', () => {
  it('defaults to pairwise, takes ranking with K 3..9, and refuses other sizes', async () => {
    const pairwise = await client(t.app, admin).post('/api/campaigns').send({ name: 'p' }).expect(201);
    expect(pairwise.body.design.task).toEqual({ type: 'pairwise' });
    const ranked = await client(t.app, admin).post('/api/campaigns').send({ name: 'r', ...ranking(4) }).expect(201);
    expect(ranked.body.design.task).toEqual({ type: 'ranking', size: 4 });
    for (const size of [2, 10, 3.5]) await client(t.app, admin).post('/api/campaigns').send({ name: 'bad', ...ranking(size) }).expect(400);
  });

  it('may change until the first import, then answers 409 DESIGN_LOCKED and changes nothing', async () => {
    const id = await newCampaign(t.app, admin);
    await client(t.app, admin).patch(`/api/campaigns/${id}`).send(ranking(5)).expect(200);
    await client(t.app, admin).patch(`/api/campaigns/${id}`).send(ranking(4)).expect(200);
    const file = JSON.stringify({ id: 'q', prompt: 'Q?', responses: ['a', 'b', 'c'].map((model) => ({ model, content: `${model}!` })) });
    await upload(t.app, admin, id, file, 'application/x-ndjson').expect(201);
    for (const design of [{ task: { type: 'pairwise' } }, ranking(5)]) {
      const res = await client(t.app, admin).patch(`/api/campaigns/${id}`).send({ design, name: 'renamed' }).expect(409);
      expect(res.body.error.code).toBe('DESIGN_LOCKED');
      expect(res.body.error.message).toContain('ranking 4 responses');
    }
    const after = await client(t.app, admin).get(`/api/campaigns/${id}`).expect(200);
    expect(after.body.design.task).toEqual({ type: 'ranking', size: 4 });
    expect(after.body.name).not.toBe('renamed');
    // The rest of the design may still change (a new guideline version when judged).
    await client(t.app, admin).patch(`/api/campaigns/${id}`).send({ design: { ...ranking(4).design, scale: { allowTie: false } } }).expect(200);
  });
});

describe('importing into a ranking campaign', () => {
  it('imports the 100 OASST trees as 212 prompts: pairs for K = 2, tasks of up to 4, the published rank as reference', async () => {
    const id = await newCampaign(t.app, admin, ranking(4));
    const res = await upload(t.app, admin, id, oasst, 'application/x-ndjson').expect(201);
    // Tasks: 57 pairs, 117 of 3, 27 of 4, and the 5-, 6-, 8- and 9-response prompts cut into 2, 2, 2 and 3 tasks of 4.
    expect(res.body).toMatchObject({ format: 'oasst', records: 212, prompts: 212, responses: 641, comparisons: 57 + 117 + 27 + 3 * 2 + 6 * 2 + 2 + 3, gold: 0 });
    expect(res.body.skipped).toEqual({ unrankedReplies: 42 });
    expect(res.body.skipReasons[0].text).toBe('42 records with replies of which fewer than two are ranked (OASST)');
    expect(await counts(id)).toMatchObject({ prompts: 212, responses: 641, comparisons: 224, rankingTasks: 167, referenceLabels: 224 });

    const tasks = await tasksOf(id);
    const sizes: Record<number, number> = {};
    for (const task of tasks) sizes[task.slots.length] = (sizes[task.slots.length] ?? 0) + 1;
    expect(sizes).toEqual({ 0: 57, 3: 117, 4: 27 + 6 + 12 + 2 + 3 });
    for (const task of tasks.filter((x) => x.slots.length > 0)) {
      expect([task.responseAId, task.responseBId]).toEqual(task.slots.slice(0, 2));
      expect(task.target).toBe(3);
      expect(task.referenceSource).toBe('oasst');
      expect((task.referenceRanking as number[][]).flat().sort()).toEqual([...task.slots.keys()]);
    }
    // Each reference ranking orders the task's slots by their replies' published rank.
    const responses = new Map(
      (await t.app.ctx.db.prisma.response.findMany({ where: { campaignId: id }, select: { id: true, metadata: true } })).map((r) => [r.id, (r.metadata as { rank: number }).rank]),
    );
    for (const task of tasks.filter((x) => x.slots.length > 0)) {
      const bySlotRank = [...task.slots.keys()].sort((x, y) => responses.get(task.slots[x]!)! - responses.get(task.slots[y]!)!);
      expect((task.referenceRanking as number[][]).flat()).toEqual(bySlotRank);
    }
    // A pair carries the ranking as a reference choice.
    const pair = tasks.find((x) => x.slots.length === 0)!;
    expect(pair.referenceChoice).toBe(responses.get(pair.responseAId)! < responses.get(pair.responseBId)! ? 'A' : 'B');
    // The multi-turn context is stored with the prompt.
    const deep = await t.app.ctx.db.prisma.prompt.count({ where: { campaignId: id, context: { path: ['2'], not: 'null' } } });
    expect(deep).toBeGreaterThan(0);

    const again = await upload(t.app, admin, id, oasst, 'application/x-ndjson').expect(201);
    expect(again.body).toMatchObject({ prompts: 0, responses: 0, comparisons: 0 });
  });

  it('feeds every other format too: native records of 10 responses become 3 tasks of 4 covering all ten; pair formats stay pairs', async () => {
    const id = await newCampaign(t.app, admin, ranking(4));
    const ten = JSON.stringify({ id: 'ten', prompt: 'Ten?', responses: Array.from({ length: 10 }, (_, i) => ({ model: `m${i % 4}`, content: `answer ${i}` })) });
    const two = JSON.stringify({ id: 'two', prompt: 'Two?', responses: [{ model: 'a', content: 'x' }, { model: 'b', content: 'y' }] });
    const res = await upload(t.app, admin, id, [ten, two].join('\n'), 'application/x-ndjson').expect(201);
    expect(res.body).toMatchObject({ prompts: 2, responses: 12, comparisons: 4 });
    const tasks = await tasksOf(id);
    expect(tasks.map((x) => x.slots.length).sort()).toEqual([0, 4, 4, 4]);
    expect(new Set(tasks.flatMap((x) => x.slots)).size).toBe(10);

    const csv = 'id,prompt,response_1,model_1,response_2,model_2,response_3,model_3\nc1,Hi?,one,a,two,b,three,c\n';
    const fromCsv = await upload(t.app, admin, id, csv, 'text/csv').expect(201);
    expect(fromCsv.body).toMatchObject({ format: 'csv', comparisons: 1 });
    const hh = JSON.stringify({ chosen: '\n\nHuman: Hey\n\nAssistant: Hello!', rejected: '\n\nHuman: Hey\n\nAssistant: Go away.' });
    const fromHh = await upload(t.app, admin, id, hh, 'application/x-ndjson').expect(201);
    expect(fromHh.body).toMatchObject({ format: 'hh-rlhf', comparisons: 1 });
    expect((await counts(id)).rankingTasks).toBe(4);
  });

  it('a pairwise campaign reads the same OASST file as all pairs of each prompt', async () => {
    const id = await newCampaign(t.app, admin);
    const res = await upload(t.app, admin, id, oasst, 'application/x-ndjson').expect(201);
    // sum of C(K,2) over the 212 prompts.
    expect(res.body).toMatchObject({ prompts: 212, responses: 641, comparisons: 57 * 1 + 117 * 3 + 27 * 6 + 3 * 10 + 6 * 15 + 28 + 36 });
    expect(await counts(id)).toMatchObject({ rankingTasks: 0, referenceLabels: res.body.comparisons });
  });
});
