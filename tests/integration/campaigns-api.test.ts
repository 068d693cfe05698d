// Campaigns through the API: defaults, counts of published rows only, guideline versions and re-targeting, the demo seed.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REVIEW_THRESHOLDS } from '../../server/contract/campaign';
import { seedDemo } from '../../server/services/demo/seed-demo';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { newCampaign, upload } from './import-helpers';

let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await startTestApp();
  admin = await createUser(t.app, 'ADMIN');
});
afterAll(async () => t.close());

const api = () => client(t.app, admin);
const record = (id: string, models: string[], gold?: object) =>
  JSON.stringify({ id, prompt: `prompt ${id}`, responses: models.map((m) => ({ model: m, content: `${m} on ${id}` })), ...(gold ? { gold } : {}) });

/** A judgment made by a rater on one comparison of the campaign, as the rater loop would store it. */
async function judge(campaignId: string, guidelineVersion: number) {
  const { prisma } = t.app.ctx.db;
  const rater = await createUser(t.app, 'RATER', [campaignId]);
  const comparison = await prisma.comparison.findFirstOrThrow({ where: { campaignId, isGold: false } });
  const assignment = await prisma.assignment.create({
    data: { campaignId, comparisonId: comparison.id, raterId: rater.id, leftIsA: true, guidelineVersion, expiresAt: new Date(Date.now() + 60_000), status: 'SUBMITTED' },
  });
  return prisma.judgment.create({
    data: {
      assignmentId: assignment.id,
      activeAssignmentId: assignment.id,
      campaignId,
      comparisonId: comparison.id,
      raterId: rater.id,
      choice: 'A',
      leftIsA: true,
      timeMs: 1000,
      idempotencyKey: assignment.id,
      guidelineVersion,
    },
  });
}

describe('create, list, view', () => {
  it('a name alone makes a campaign with the defaults, its own seed and guideline version 1', async () => {
    const res = await api().post('/api/campaigns').send({ name: '  Helpfulness round 1 ' }).expect(201);
    expect(res.body).toMatchObject({
      name: 'Helpfulness round 1',
      status: 'DRAFT',
      instructions: '',
      contentWarning: null,
      guidelineVersion: 1,
      votesPerComparison: 3,
      pairing: { kind: 'all' },
      design: { scale: { allowTie: true, allowBothBad: false, strengthLevels: [] }, criteria: [] },
      counts: { prompts: 0, awaitingResponses: 0, responses: 0, models: 0, comparisons: 0, gold: 0, referenceLabels: 0, rankingTasks: 0, judgments: 0 },
    });
    const other = await api().post('/api/campaigns').send({ name: 'other' }).expect(201);
    const rows = await t.app.ctx.db.prisma.campaign.findMany({ where: { id: { in: [res.body.id, other.body.id] } }, include: { guidelines: true } });
    expect(rows.map((r) => r.seed)).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/), expect.stringMatching(/^[0-9a-f]{32}$/)]);
    expect(rows[0]!.seed).not.toBe(rows[1]!.seed);
    expect(rows.map((r) => r.guidelines.map((g) => g.version))).toEqual([[1], [1]]);
  });

  it('refuses a campaign without a name, and anyone but an admin', async () => {
    const res = await api().post('/api/campaigns').send({ name: ' ' }).expect(400);
    expect(res.body.error.message).toMatch(/name/);
    await client(t.app, await createUser(t.app, 'RATER')).post('/api/campaigns').send({ name: 'x' }).expect(403);
    await client(t.app, null).get('/api/campaigns').expect(401);
  });

  it('lists campaigns with counts of published rows only, and answers 404 for an unknown id', async () => {
    const id = await newCampaign(t.app, admin);
    await upload(t.app, admin, id, [record('a', ['m1', 'm2', 'm3']), record('b', ['m1', 'm2'], { better: 'm2', worse: 'm1' })].join('\n'), 'application/x-ndjson').expect(201);
    const expected = { prompts: 2, awaitingResponses: 0, responses: 5, models: 3, comparisons: 3, gold: 1, referenceLabels: 0, rankingTasks: 0, judgments: 0 };
    // A running import's rows are invisible.
    const { prisma } = t.app.ctx.db;
    const running = await prisma.import.create({ data: { id: crypto.randomUUID(), campaignId: id, format: 'native' } });
    await prisma.prompt.create({ data: { campaignId: id, key: 'staged', context: [], importId: running.id } });

    const list = await api().get('/api/campaigns').expect(200);
    expect(list.body.campaigns.find((c: { id: string }) => c.id === id).counts).toEqual(expected);
    expect((await api().get(`/api/campaigns/${id}`).expect(200)).body.counts).toEqual(expected);
    expect((await api().get('/api/campaigns/6f0f4b8e-5d7a-4c1e-9f53-0a4a3c1d2e3f').expect(404)).body.error.code).toBe('NOT_FOUND');
    await api().get('/api/campaigns/not-a-uuid').expect(400);
  });
});

describe('editing', () => {
  it('changes only the fields given', async () => {
    const id = await newCampaign(t.app, admin, { instructions: 'Be careful', votesPerComparison: 5 });
    const res = await api().patch(`/api/campaigns/${id}`).send({ name: 'Renamed' }).expect(200);
    expect(res.body).toMatchObject({ name: 'Renamed', instructions: 'Be careful', votesPerComparison: 5, guidelineVersion: 1, notes: [] });
    await api().patch(`/api/campaigns/${id}`).send({}).expect(400);
    await api().patch('/api/campaigns/6f0f4b8e-5d7a-4c1e-9f53-0a4a3c1d2e3f').send({ name: 'x' }).expect(404);
  });

  it('keeps review thresholds per campaign, storing only those that differ from the defaults', async () => {
    const id = await newCampaign(t.app, admin);
    expect((await api().get(`/api/campaigns/${id}`).expect(200)).body.reviewThresholds).toEqual(DEFAULT_REVIEW_THRESHOLDS);
    const changed = { ...DEFAULT_REVIEW_THRESHOLDS, minAgreement: 0.6, floorPerCharMs: 2.5 };
    const res = await api().patch(`/api/campaigns/${id}`).send({ reviewThresholds: changed }).expect(200);
    expect(res.body).toMatchObject({ reviewThresholds: changed, guidelineVersion: 1, notes: [] });
    const stored = await t.app.ctx.db.prisma.campaign.findUniqueOrThrow({ where: { id }, select: { reviewThresholds: true } });
    expect(stored.reviewThresholds).toEqual({ minAgreement: 0.6, floorPerCharMs: 2.5 });
    // Back to the defaults: nothing stored, so later changes of the defaults apply to it again.
    await api().patch(`/api/campaigns/${id}`).send({ reviewThresholds: DEFAULT_REVIEW_THRESHOLDS }).expect(200);
    expect((await t.app.ctx.db.prisma.campaign.findUniqueOrThrow({ where: { id } })).reviewThresholds).toEqual({});
    const created = await api().post('/api/campaigns').send({ name: 'strict', reviewThresholds: { ...DEFAULT_REVIEW_THRESHOLDS, minimumJudgments: 50 } }).expect(201);
    expect(created.body.reviewThresholds.minimumJudgments).toBe(50);
  });

  it('refuses review thresholds out of range or incomplete, naming the field, and changes nothing', async () => {
    const id = await newCampaign(t.app, admin);
    const { minGoldAccuracy: _left, ...missing } = DEFAULT_REVIEW_THRESHOLDS;
    for (const [bad, field] of [
      [{ ...DEFAULT_REVIEW_THRESHOLDS, minAgreement: 1.5 }, 'minAgreement'],
      [{ ...DEFAULT_REVIEW_THRESHOLDS, maxSideBiasPValue: 0 }, 'maxSideBiasPValue'],
      [{ ...DEFAULT_REVIEW_THRESHOLDS, minimumJudgments: 2.5 }, 'minimumJudgments'],
      [{ ...DEFAULT_REVIEW_THRESHOLDS, floorBaseMs: '2000' }, 'floorBaseMs'],
      [missing, 'minGoldAccuracy'],
    ] as const) {
      const res = await api().patch(`/api/campaigns/${id}`).send({ reviewThresholds: bad }).expect(400);
      expect(JSON.stringify(res.body.error)).toContain(field);
    }
    expect((await api().get(`/api/campaigns/${id}`).expect(200)).body.reviewThresholds).toEqual(DEFAULT_REVIEW_THRESHOLDS);
  });

  it('edits guideline version 1 in place while nobody has judged', async () => {
    const id = await newCampaign(t.app, admin);
    const design = { scale: { allowTie: false, allowBothBad: false, strengthLevels: ['Slightly better', 'Much better'] } };
    const res = await api().patch(`/api/campaigns/${id}`).send({ design, instructions: 'New text' }).expect(200);
    expect(res.body).toMatchObject({ guidelineVersion: 1, design, notes: [] });
    const guidelines = await t.app.ctx.db.prisma.campaignGuideline.findMany({ where: { campaignId: id } });
    expect(guidelines).toMatchObject([{ version: 1, instructions: 'New text', design: { scale: design.scale } }]);
  });

  it('starts a new guideline version once judgments exist, leaving old judgments on theirs', async () => {
    const id = await newCampaign(t.app, admin, { instructions: 'Version one' });
    await upload(t.app, admin, id, record('p', ['a', 'b']), 'application/x-ndjson').expect(201);
    const judgment = await judge(id, 1);

    // Same instructions again: nothing changes.
    expect((await api().patch(`/api/campaigns/${id}`).send({ instructions: 'Version one' }).expect(200)).body.guidelineVersion).toBe(1);
    const res = await api().patch(`/api/campaigns/${id}`).send({ instructions: 'Version two' }).expect(200);
    expect(res.body).toMatchObject({ guidelineVersion: 2, instructions: 'Version two', counts: { judgments: 1 } });
    expect(res.body.notes.join(' ')).toMatch(/version 2/);
    // Nobody judged under version 2 yet: the next edit stays on it.
    expect((await api().patch(`/api/campaigns/${id}`).send({ contentWarning: 'Offensive text' }).expect(200)).body.guidelineVersion).toBe(2);

    const { prisma } = t.app.ctx.db;
    const guidelines = await prisma.campaignGuideline.findMany({ where: { campaignId: id }, orderBy: { version: 'asc' } });
    expect(guidelines.map((g) => [g.version, g.instructions, g.contentWarning])).toEqual([
      [1, 'Version one', null],
      [2, 'Version two', 'Offensive text'],
    ]);
    expect((await prisma.judgment.findUniqueOrThrow({ where: { id: judgment.id } })).guidelineVersion).toBe(1);
  });

  it('a new k re-targets the non-gold comparisons and says so', async () => {
    const id = await newCampaign(t.app, admin);
    await upload(t.app, admin, id, [record('x', ['a', 'b', 'c']), record('y', ['a', 'b'], { tie: ['a', 'b'] })].join('\n'), 'application/x-ndjson').expect(201);
    const res = await api().patch(`/api/campaigns/${id}`).send({ votesPerComparison: 7 }).expect(200);
    expect(res.body.notes.join(' ')).toMatch(/^3 comparisons now want 7 judgments/);
    const targets = await t.app.ctx.db.prisma.comparison.findMany({ where: { campaignId: id }, select: { isGold: true, target: true, goldChoice: true } });
    expect(targets.filter((c) => !c.isGold).map((c) => c.target)).toEqual([7, 7, 7]);
    expect(targets.filter((c) => c.isGold)).toEqual([{ isGold: true, target: 0, goldChoice: 'TIE' }]);
  });
});

describe('the demo campaign', () => {
  const dir = path.join(__dirname, '../../prisma/demo/vicuna-eval-2023');
  const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));

  it('is seeded once into an empty database, with the first admin as a member', async () => {
    const fresh = await startTestApp();
    try {
      const ctx = { ...fresh.app.ctx, config: { ...fresh.app.ctx.config, demo: true } };
      const first = await createUser(fresh.app, 'ADMIN');
      const printed = await seedDemo(ctx);
      expect(printed).toEqual([expect.stringMatching(/^Demo campaign .*http:\/\/juxta\.test\/campaigns\/[0-9a-f-]{36}$/)]);
      expect(await seedDemo(ctx)).toEqual([]);

      const answers = readdirSync(`${dir}/answer`).flatMap((name) => lines(`${dir}/answer/${name}`));
      const questions = lines(`${dir}/question.jsonl`);
      const usable = questions.filter((q) => !answers.some((a) => a.question_id === q.question_id && !a.text.trim())).length;
      const campaigns = await client(fresh.app, first).get('/api/campaigns').expect(200);
      expect(campaigns.body.campaigns).toHaveLength(1);
      expect(campaigns.body.campaigns[0]).toMatchObject({
        name: 'Demo: Vicuna eval (80 questions x 5 models)',
        counts: { prompts: usable, responses: usable * 5, models: 5, comparisons: usable * 10 },
      });
      const members = await fresh.app.ctx.db.prisma.campaignMember.findMany({ select: { userId: true } });
      expect(members).toEqual([{ userId: first.id }]);
    } finally {
      await fresh.close();
    }
  });
});
