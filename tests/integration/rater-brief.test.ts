// GET /api/campaigns/:id/brief: a campaign's raters read its name, content warning, instructions and
// task design; everyone else (outsiders, excluded raters, admins who are not members) gets 403, and
// the brief names no model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { newCampaign, upload } from './import-helpers';

describe('campaign brief for raters', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => t.close());

  const design = {
    scale: { allowTie: true, allowBothBad: true, strengthLevels: ['Slightly better', 'Much better'] },
    criteria: [{ name: 'helpfulness', label: 'Which is more helpful?' }],
    rationale: { mode: 'optional', minLength: 0 },
  };
  const brief = (user: TestUser, campaignId: string) => client(t.app, user).get(`/api/campaigns/${campaignId}/brief`);

  it("shows a member the campaign's current guideline and nothing about its models", async () => {
    const campaignId = await newCampaign(t.app, admin, {
      instructions: '# Pick the better answer\nPrefer **honest** answers.',
      contentWarning: 'Some responses contain *violence*.',
      design,
    });
    const models = ['secret-model-alpha', 'secret-model-beta'];
    const record = JSON.stringify({ id: 'p1', prompt: 'Hello?', responses: models.map((model) => ({ model, content: `${model} says hi` })) });
    await upload(t.app, admin, campaignId, record, 'application/x-ndjson').expect(201);
    const rater = await createUser(t.app, 'RATER', [campaignId]);

    const res = await brief(rater, campaignId).expect(200);
    const campaign = (await client(t.app, admin).get(`/api/campaigns/${campaignId}`).expect(200)).body;
    expect(res.body).toEqual({
      name: campaign.name,
      instructions: '# Pick the better answer\nPrefer **honest** answers.',
      contentWarning: 'Some responses contain *violence*.',
      guidelineVersion: 1,
      design,
      hasComparisons: true,
      ranking: false,
    });
    for (const model of models) expect(res.text).not.toContain(model);
    const empty = await newCampaign(t.app, admin, {});
    const member = await createUser(t.app, 'RATER', [empty]);
    expect((await brief(member, empty).expect(200)).body.hasComparisons).toBe(false);
    // A ranking campaign says so: the page speaks of ranking tasks, not comparisons.
    const ranked = await newCampaign(t.app, admin, { design: { task: { type: 'ranking', size: 4 } } });
    const ranker = await createUser(t.app, 'RATER', [ranked]);
    expect((await brief(ranker, ranked).expect(200)).body.ranking).toBe(true);

    // An edit before any judgment keeps version 1 but shows the new text.
    await client(t.app, admin).patch(`/api/campaigns/${campaignId}`).send({ contentWarning: null, instructions: 'Shorter.' }).expect(200);
    expect((await brief(rater, campaignId).expect(200)).body).toMatchObject({ instructions: 'Shorter.', contentWarning: null });
  });

  it('refuses outsiders, excluded raters, non-member admins and unknown campaigns alike', async () => {
    const campaignId = await newCampaign(t.app, admin);
    const outsider = await createUser(t.app, 'RATER', [await newCampaign(t.app, admin)]);
    const excluded = await createUser(t.app, 'RATER', [campaignId]);
    await t.app.ctx.db.prisma.campaignMember.update({ where: { campaignId_userId: { campaignId, userId: excluded.id } }, data: { excluded: true } });
    const refusals = await Promise.all([
      brief(outsider, campaignId),
      brief(excluded, campaignId),
      brief(admin, campaignId),
      brief(outsider, '00000000-0000-4000-8000-000000000000'),
    ]);
    for (const res of refusals) expect([res.status, res.body.error.code]).toEqual([403, 'NOT_A_MEMBER']);
    await client(t.app).get(`/api/campaigns/${campaignId}/brief`).expect(401);
  });
});
