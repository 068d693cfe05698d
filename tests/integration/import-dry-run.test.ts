// ?dryRun=true: the whole file read and checked as an import would, nothing stored, the counts of what an
// import would add now, the first records as raters would meet them, and no import slot taken.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { newCampaign, upload } from './import-helpers';

let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await startTestApp();
  admin = await createUser(t.app, 'ADMIN');
});
afterAll(async () => t.close());

const ndjson = 'application/x-ndjson';
const record = (i: number, models = ['m1', 'm2', 'm3']) =>
  JSON.stringify({ id: `q${i}`, prompt: `Question ${i}?`, responses: models.map((m) => ({ model: m, content: `${m} answers ${i}` })) });

/** Every row that belongs to imports, whatever their state. */
async function allRows() {
  const { prisma } = t.app.ctx.db;
  return {
    imports: await prisma.import.count(),
    prompts: await prisma.prompt.count(),
    responses: await prisma.response.count(),
    comparisons: await prisma.comparison.count(),
    audit: await prisma.auditEvent.count(),
  };
}

it('stores nothing, and counts only what an import would add to what the campaign has', async () => {
  const campaignId = await newCampaign(t.app, admin);
  await upload(t.app, admin, campaignId, [record(1), record(2)].join('\n'), ndjson).expect(201);
  const before = await allRows();

  // Two known prompts (one with a new model's answer), two new ones, and a new one repeated in the file.
  const file = [record(1), record(2, ['m1', 'm2', 'm3', 'm4']), record(3), record(4), record(3), JSON.stringify({ id: 'same', prompt: 'x', responses: [{ model: 'a', content: 'y' }, { model: 'b', content: 'y' }] })].join('\n');
  const res = await upload(t.app, admin, campaignId, file, ndjson, '?dryRun=true&fileName=more.jsonl').expect(200);
  expect(res.body).toMatchObject({
    dryRun: true,
    format: 'native',
    fileName: 'more.jsonl',
    records: 5,
    prompts: 2,
    responses: 1 + 6,
    comparisons: 3 + 6,
    gold: 0,
    skipped: { identicalPair: 1 },
    skipReasons: [{ reason: 'identicalPair', count: 1, text: '1 record with two identical responses' }],
  });
  expect(res.body).not.toHaveProperty('importId');
  expect(await allRows()).toEqual(before);

  // The real import of the same file adds exactly what the dry run said.
  const real = await upload(t.app, admin, campaignId, file, ndjson).expect(201);
  for (const key of ['prompts', 'responses', 'comparisons', 'gold', 'records'] as const) expect(real.body[key], key).toBe(res.body[key]);
});

it('shows the first three records as raters would meet them: the conversation and two answers, no model', async () => {
  const campaignId = await newCampaign(t.app, admin);
  const res = await upload(t.app, admin, campaignId, [1, 2, 3, 4, 5].map((i) => record(i)).join('\n'), ndjson, '?dryRun=true').expect(200);
  expect(res.body.preview).toEqual([1, 2, 3].map((i) => ({ line: i, context: [{ role: 'user', content: `Question ${i}?` }], left: `m1 answers ${i}`, right: `m2 answers ${i}` })));
  expect(JSON.stringify(res.body.preview)).not.toMatch(/"model"/);
});

it('answers a bad file with the same 400 and line errors as an import, and stores nothing', async () => {
  const campaignId = await newCampaign(t.app, admin);
  const before = await allRows();
  const bad = [record(1), '{"prompt": "broken", ', record(3)].join('\n');
  const dry = await upload(t.app, admin, campaignId, bad, ndjson, '?dryRun=true').expect(400);
  const real = await upload(t.app, admin, campaignId, bad, ndjson).expect(400);
  expect(dry.body.error.code).toBe('IMPORT_INVALID');
  expect(dry.body.error.details).toEqual(real.body.error.details);
  expect((await allRows()).prompts).toBe(before.prompts);
});

it('does not take the import slot: it runs while an import into the campaign runs', async () => {
  const campaignId = await newCampaign(t.app, admin);
  await t.app.ctx.db.prisma.import.create({ data: { id: randomUUID(), campaignId, format: 'native' } });
  await upload(t.app, admin, campaignId, record(1), ndjson).expect(409);
  const res = await upload(t.app, admin, campaignId, record(1), ndjson, '?dryRun=true').expect(200);
  expect(res.body).toMatchObject({ dryRun: true, prompts: 1, comparisons: 3 });
  await client(t.app, admin).post(`/api/campaigns/${randomUUID()}/imports?dryRun=true`).set('content-type', ndjson).send(record(1)).expect(404);
});
