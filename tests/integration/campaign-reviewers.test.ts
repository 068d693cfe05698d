// The per-campaign reviewer role: a rater account an admin lets into one campaign's explorer, flags and
// adjudication (and its exports only when allowed), never into its settings or another campaign, and never
// both a rater and a reviewer of the same campaign (checked, and guarded by the database for races).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { addJudgments, seedCampaign, type SeededCampaign } from '../../testkit/factory';

describe('campaign reviewers', () => {
  let t: TestApp;
  let admin: TestUser;
  let campaign: SeededCampaign;
  let other: SeededCampaign;
  let reviewer: TestUser;
  let flagId: number;

  const prisma = () => t.app.ctx.db.prisma;
  const as = (user: TestUser = admin) => client(t.app, user);
  const prompts = [{ context: [{ role: 'user' as const, content: 'Name three primes.' }], responses: [{ model: 'm1', content: '2, 3, 5' }, { model: 'm2', content: '2, 3, 4' }] }];

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
    campaign = await seedCampaign(t.app, { raters: 1, prompts });
    other = await seedCampaign(t.app, { raters: 1, prompts });
    const rater = campaign.raters[0]!;
    await addJudgments(t.app, campaign, [{ comparison: campaign.comparisons[0]!, rater, choice: 'A', createdAt: new Date(Date.now() - 60_000) }]);
    const assignment = await prisma().assignment.findFirstOrThrow({ where: { comparisonId: campaign.comparisons[0]!.id, raterId: rater.id } });
    flagId = (await prisma().flag.create({ data: { campaignId: campaign.id, assignmentId: assignment.id, comparisonId: campaign.comparisons[0]!.id, raterId: rater.id, reason: 'OTHER', target: 'BOTH' } })).id;
    reviewer = await createUser(t.app);
  });
  afterAll(async () => t.close());

  it('makes a rater account a reviewer, audited, and tells them on /api/me', async () => {
    const res = await as().post(`/api/campaigns/${campaign.id}/reviewers`).send({ userId: reviewer.id }).expect(200);
    expect(res.body).toMatchObject({ userId: reviewer.id, email: reviewer.email, canExport: false });
    const list = await as().get(`/api/campaigns/${campaign.id}/reviewers`).expect(200);
    expect(list.body.reviewers.map((r: { userId: string }) => r.userId)).toEqual([reviewer.id]);
    const me = await as(reviewer).get('/api/me').expect(200);
    expect(me.body.reviews).toEqual([{ id: campaign.id, name: expect.any(String), canExport: false }]);
    expect(me.body.campaigns).toEqual([]);
    const row = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'campaign.reviewer.add', targetId: reviewer.id } });
    expect(row).toMatchObject({ campaignId: campaign.id, actor: admin.id, after: { email: reviewer.email, canExport: false } });
  });

  it("lets the reviewer into that campaign's explorer, flags and adjudication, acting in their own name", async () => {
    const r = as(reviewer);
    const comparisonId = campaign.comparisons[0]!.id;
    await r.get(`/api/campaigns/${campaign.id}`).expect(200);
    expect((await r.get(`/api/campaigns/${campaign.id}/comparisons`).expect(200)).body.items.length).toBeGreaterThan(0);
    expect((await r.get(`/api/campaigns/${campaign.id}/flags`).expect(200)).body.items.map((f: { id: number }) => f.id)).toContain(flagId);
    await r.get(`/api/comparisons/${comparisonId}`).expect(200);
    await r.post(`/api/flags/${flagId}/dismiss`).send({ reason: 'fine' }).expect(200);
    await r.post(`/api/flags/${flagId}/reopen`).send({}).expect(200);
    const dismissal = await prisma().auditEvent.findFirstOrThrow({ where: { targetId: String(flagId), actor: reviewer.id }, orderBy: { id: 'asc' } });
    expect(dismissal.campaignId).toBe(campaign.id);
  });

  it('keeps the reviewer out of its settings, results, exports, rating, and every other campaign', async () => {
    const r = as(reviewer);
    const refused: [string, string][] = [
      ['patch', `/api/campaigns/${campaign.id}`],
      ['get', `/api/campaigns/${campaign.id}/stats`],
      ['get', `/api/campaigns/${campaign.id}/export/count?format=raw`],
      ['get', `/api/campaigns/${campaign.id}/members`],
      ['get', `/api/campaigns/${campaign.id}/reviewers`],
      ['get', '/api/campaigns'],
      ['get', `/api/campaigns/${other.id}`],
      ['get', `/api/campaigns/${other.id}/comparisons`],
      ['get', `/api/comparisons/${other.comparisons[0]!.id}`],
      ['post', `/api/comparisons/${other.comparisons[0]!.id}/remove`],
      ['get', `/api/campaigns/${campaign.id}/assignments/next`],
    ];
    for (const [method, url] of refused) {
      const res = await r[method as 'get'](url).send({ name: 'changed' });
      expect(res.status, `${method} ${url}`).toBe(403);
    }
    expect((await prisma().comparison.findUniqueOrThrow({ where: { id: other.comparisons[0]!.id } })).removedAt ?? null).toBeNull();
  });

  it('lets a reviewer export only once given the right, recorded as a change', async () => {
    await as().post(`/api/campaigns/${campaign.id}/reviewers`).send({ userId: reviewer.id, canExport: true }).expect(200);
    await as(reviewer).get(`/api/campaigns/${campaign.id}/export/count?format=raw`).expect(200);
    await as(reviewer).get(`/api/campaigns/${other.id}/export/count?format=raw`).expect(403);
    const change = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'campaign.reviewer.update', targetId: reviewer.id } });
    expect(change).toMatchObject({ before: { canExport: false }, after: { canExport: true } });
    expect((await as(reviewer).get('/api/me').expect(200)).body.reviews[0].canExport).toBe(true);
  });

  it('never makes one person both rater and reviewer of a campaign, nor an admin a reviewer; nothing is stored', async () => {
    const rater = campaign.raters[0]!;
    const asReviewer = await as().post(`/api/campaigns/${campaign.id}/reviewers`).send({ userId: rater.id }).expect(409);
    expect(asReviewer.body.error).toMatchObject({ code: 'RATER_REVIEWER_CONFLICT', message: expect.stringMatching(/both rate and review/) });
    const asRater = await as().post(`/api/campaigns/${campaign.id}/members`).send({ userId: reviewer.id }).expect(409);
    expect(asRater.body.error.code).toBe('RATER_REVIEWER_CONFLICT');
    expect((await as().post(`/api/campaigns/${campaign.id}/reviewers`).send({ userId: admin.id }).expect(409)).body.error.code).toBe('ALREADY_ADMIN');
    await as().post(`/api/campaigns/${campaign.id}/reviewers`).send({ userId: randomUUID() }).expect(404);
    await as().post(`/api/campaigns/${randomUUID()}/reviewers`).send({ userId: reviewer.id }).expect(404);
    // An invite into the campaign, accepted with the reviewer's account, is refused and stays unused.
    await prisma().user.update({ where: { id: reviewer.id }, data: { passwordHash: await (await import('../../server/services/auth/password')).hashPassword('a long reviewer password') } });
    const invite = (await as().post('/api/invites').send({ role: 'RATER', campaignId: campaign.id }).expect(201)).body;
    const accepted = await client(t.app).post(`/api/invites/${invite.token}/accept`).send({ name: 'R', email: reviewer.email, password: 'a long reviewer password' }).expect(409);
    expect(accepted.body.error.code).toBe('RATER_REVIEWER_CONFLICT');
    expect((await prisma().invite.findFirstOrThrow({ where: { campaignId: campaign.id, acceptedAt: null } })).acceptedById).toBeNull();
    expect(await prisma().campaignMember.count({ where: { campaignId: campaign.id, userId: reviewer.id } })).toBe(0);
    expect(await prisma().campaignReviewer.count({ where: { campaignId: campaign.id, userId: rater.id } })).toBe(0);
  });

  it('adding one person as rater and as reviewer at the same moment leaves exactly one of the two', async () => {
    for (let round = 0; round < 4; round++) {
      const person = await createUser(t.app);
      const [member, review] = await Promise.all([
        as().post(`/api/campaigns/${campaign.id}/members`).send({ userId: person.id }),
        as().post(`/api/campaigns/${campaign.id}/reviewers`).send({ userId: person.id }),
      ]);
      expect([member.status, review.status].sort(), JSON.stringify([member.body, review.body])).toEqual([200, 409]);
      const rows = (await prisma().campaignMember.count({ where: { campaignId: campaign.id, userId: person.id } })) +
        (await prisma().campaignReviewer.count({ where: { campaignId: campaign.id, userId: person.id } }));
      expect(rows).toBe(1);
    }
  });

  it('stops an account reviewing at once when removed, audited', async () => {
    await as().delete(`/api/campaigns/${campaign.id}/reviewers/${reviewer.id}`).expect(204);
    await as(reviewer).get(`/api/campaigns/${campaign.id}/comparisons`).expect(403);
    await as().delete(`/api/campaigns/${campaign.id}/reviewers/${reviewer.id}`).expect(404);
    const row = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'campaign.reviewer.remove', targetId: reviewer.id } });
    expect(row.before).toMatchObject({ email: reviewer.email, canExport: true });
    expect((await as(reviewer).get('/api/me').expect(200)).body.reviews).toEqual([]);
  });
});
