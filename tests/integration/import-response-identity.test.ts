// Response identity is (prompt, external id or sample index): samples of one model are distinct responses,
// and prompt-only files (native without responses, CSV with only a prompt column) import prompts awaiting responses.
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

const counts = async (campaignId: string) => (await client(t.app, admin).get(`/api/campaigns/${campaignId}`).expect(200)).body.counts;

describe('prompt-only imports', () => {
  it('native records with no responses (prompt or messages) become prompts awaiting responses', async () => {
    const id = await newCampaign(t.app, admin);
    const file = [
      JSON.stringify({ id: 'p1', prompt: 'Name a prime.' }),
      JSON.stringify({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Why is the sky blue?' }] }),
      JSON.stringify({ id: 'p3', prompt: 'Answered', responses: [{ model: 'a', content: 'x' }, { model: 'b', content: 'y' }] }),
      JSON.stringify({ id: 'p4', prompt: '   ' }),
    ].join('\n');
    const res = await upload(t.app, admin, id, file, 'application/x-ndjson').expect(201);
    expect(res.body).toMatchObject({ prompts: 3, responses: 2, comparisons: 1, skipped: { emptyPrompt: 1 } });
    expect(await counts(id)).toMatchObject({ prompts: 3, awaitingResponses: 2, responses: 2, comparisons: 1 });
  });

  it('a CSV with only a prompt column (and an id) imports prompts; one response pair column is still refused', async () => {
    const id = await newCampaign(t.app, admin);
    const res = await upload(t.app, admin, id, 'id,prompt,topic\nq1,"Hello, world?",greeting\nq2,Second,\n', 'text/csv').expect(201);
    expect(res.body).toMatchObject({ prompts: 2, responses: 0, comparisons: 0 });
    expect(await counts(id)).toMatchObject({ prompts: 2, awaitingResponses: 2 });
    const bad = await upload(t.app, admin, id, 'prompt,response_1,model_1\nq,r,m\n', 'text/csv').expect(400);
    expect(bad.body.error.message).toContain('or none, for prompts awaiting responses');
    expect(await counts(id)).toMatchObject({ prompts: 2 });
  });
});

describe('response identity', () => {
  it('two samples of one model are two responses, compared with each other; importing the file again adds nothing', async () => {
    const id = await newCampaign(t.app, admin);
    const file = JSON.stringify({
      id: 'q',
      prompt: 'Write a haiku.',
      responses: [
        { model: 'policy', content: 'first sample' },
        { model: 'policy', content: 'second sample' },
        { model: 'base', content: 'base answer' },
      ],
    });
    const first = await upload(t.app, admin, id, file, 'application/x-ndjson').expect(201);
    expect(first.body).toMatchObject({ prompts: 1, responses: 3, comparisons: 3 });
    const again = await upload(t.app, admin, id, file, 'application/x-ndjson').expect(201);
    expect(again.body).toMatchObject({ prompts: 0, responses: 0, comparisons: 0 });
    const keys = await t.app.ctx.db.prisma.response.findMany({ where: { campaignId: id }, select: { key: true }, orderBy: { key: 'asc' } });
    expect(keys.map((k) => k.key)).toEqual(['model:base#0', 'model:policy#0', 'model:policy#1']);
    expect(await counts(id)).toMatchObject({ responses: 3, models: 2, comparisons: 3 });
  });

  it('responses with ids are keyed by id; a second file adds another model to the same prompts', async () => {
    const id = await newCampaign(t.app, admin);
    const record = (models: string[]) =>
      JSON.stringify({ id: 'q', prompt: 'Q?', responses: models.map((model) => ({ model, id: `r-${model}`, content: `${model} says hi` })) });
    await upload(t.app, admin, id, record(['a', 'b']), 'application/x-ndjson').expect(201);
    const second = await upload(t.app, admin, id, record(['a', 'b', 'c']), 'application/x-ndjson').expect(201);
    expect(second.body).toMatchObject({ prompts: 0, responses: 1, comparisons: 2 });
    const dup = JSON.stringify({ id: 'z', prompt: 'Q?', responses: [{ model: 'a', id: 'same', content: '1' }, { model: 'b', id: 'same', content: '2' }] });
    const skipped = await upload(t.app, admin, id, [dup, record(['a', 'b'])].join('\n'), 'application/x-ndjson').expect(201);
    expect(skipped.body.skipped).toEqual({ duplicateResponseId: 1 });
  });

  it('a record naming responses by model (gold) with two responses of one model is skipped as duplicateModel', async () => {
    const id = await newCampaign(t.app, admin);
    const gold = JSON.stringify({ prompt: 'Q', responses: [{ model: 'a', content: '1' }, { model: 'a', content: '2' }, { model: 'b', content: '3' }], gold: { better: 'a', worse: 'b' } });
    const ok = JSON.stringify({ prompt: 'R', responses: [{ model: 'a', content: '1' }, { model: 'b', content: '2' }] });
    const res = await upload(t.app, admin, id, [gold, ok].join('\n'), 'application/x-ndjson').expect(201);
    expect(res.body.skipped).toEqual({ duplicateModel: 1 });
  });
});
