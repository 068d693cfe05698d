// GET /api/campaigns/:id/members: the raters an admin sees on the Raters tab, however they joined,
// with their account state (deactivated) and their exclusion (set on the stats page).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { createCampaign, PASSWORD } from '../helpers/auth';

describe('campaign members', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => t.close());

  const members = async (campaignId: string) => (await client(t.app, admin).get(`/api/campaigns/${campaignId}/members`).expect(200)).body.members;

  it('lists whoever accepted an invite and whoever an admin added, in joining order, with their state', async () => {
    const campaign = await createCampaign(t.app);
    const other = await createCampaign(t.app);
    await createUser(t.app, 'RATER', [other.id]); // a rater of another campaign is not listed
    expect(await members(campaign.id)).toEqual([]);

    const { token } = (await client(t.app, admin).post('/api/invites').send({ role: 'RATER', campaignId: campaign.id }).expect(201)).body;
    const email = `invited-${crypto.randomUUID()}@juxta.test`;
    const accepted = await client(t.app).post(`/api/invites/${token}/accept`).send({ name: 'Invited Rater', email, password: PASSWORD }).expect(200);
    const invitedId: string = accepted.body.user.id;
    const [invited] = await members(campaign.id);
    expect(invited).toEqual({ userId: invitedId, email, name: 'Invited Rater', role: 'RATER', active: true, excluded: false, joinedAt: expect.any(String) });
    const row = await t.app.ctx.db.prisma.campaignMember.findUniqueOrThrow({ where: { campaignId_userId: { campaignId: campaign.id, userId: invitedId } } });
    expect(invited.joinedAt).toBe(row.joinedAt.toISOString());

    await client(t.app, admin).post(`/api/campaigns/${campaign.id}/members`).send({ userId: admin.id }).expect(200);
    await client(t.app, admin).post(`/api/campaigns/${campaign.id}/raters/${invitedId}/exclude`).send({ reason: 'clicks at random' }).expect(200);
    await client(t.app, admin).post(`/api/users/${invitedId}/deactivate`).expect(200);

    const listed = await members(campaign.id);
    expect(listed.map((m: { userId: string }) => m.userId)).toEqual([invitedId, admin.id]);
    expect(listed[0]).toMatchObject({ active: false, excluded: true });
    expect(listed[1]).toMatchObject({ email: admin.email, role: 'ADMIN', active: true, excluded: false });
  });

  it('answers 404 for an unknown campaign', async () => {
    const res = await client(t.app, admin).get(`/api/campaigns/${crypto.randomUUID()}/members`).expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
