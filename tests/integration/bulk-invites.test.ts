// Bulk invites: a list of emails (or people with names) for a campaign; each valid one gets its own link,
// bad and repeated ones are reported by 1-based line and skipped; each created invite is audited.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { createCampaign } from '../helpers/auth';

describe('bulk invites', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => t.close());
  const prisma = () => t.app.ctx.db.prisma;
  const bulk = (body: object) => client(t.app, admin).post('/api/invites/bulk').send(body);

  it('creates one link per valid email, reports bad and repeated lines, and each link joins the campaign', async () => {
    const campaign = await createCampaign(t.app);
    const a = `a-${randomUUID()}@juxta.test`;
    const b = `b-${randomUUID()}@juxta.test`;
    const res = await bulk({ campaignId: campaign.id, emails: [a, 'not an email', ` ${b.toUpperCase()} `, a, ''] }).expect(200);
    expect(res.body.invites.map((i: { line: number; email: string }) => [i.line, i.email])).toEqual([
      [1, a],
      [3, b],
    ]);
    expect(res.body.errors).toEqual([
      { line: 2, message: '"not an email" is not an email address' },
      { line: 4, message: `${a} is already on line 1` },
      { line: 5, message: 'no email on this line' },
    ]);
    expect(res.body.invites[0].url).toBe(`http://juxta.test/invite/${res.body.invites[0].token}`);
    const rows = await prisma().invite.findMany({ where: { campaignId: campaign.id } });
    expect(rows.map((r) => r.email).sort()).toEqual([a, b].sort());
    expect(await prisma().auditEvent.count({ where: { action: 'invite.create', campaignId: campaign.id, actor: admin.id } })).toBe(2);
    const accepted = await client(t.app).post(`/api/invites/${res.body.invites[1].token}/accept`).send({ name: 'Bea', password: 'a long enough password' }).expect(200);
    expect(accepted.body.campaigns.map((c: { id: string }) => c.id)).toEqual([campaign.id]);
  });

  it('takes people with names (CSV rows), keeping the name in the reply', async () => {
    const campaign = await createCampaign(t.app);
    const c = `c-${randomUUID()}@juxta.test`;
    const res = await bulk({ campaignId: campaign.id, people: [{ email: c, name: 'Cleo' }, { email: 'x@', name: 'Bad' }] }).expect(200);
    expect(res.body.invites).toMatchObject([{ line: 1, email: c, name: 'Cleo' }]);
    expect(res.body.errors).toEqual([{ line: 2, message: '"x@" is not an email address' }]);
  });

  it('refuses both lists at once, neither, an unknown campaign, raters; nothing is created', async () => {
    const campaign = await createCampaign(t.app);
    const e = `e-${randomUUID()}@juxta.test`;
    expect((await bulk({ campaignId: campaign.id, emails: [e], people: [{ email: e }] }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    await bulk({ campaignId: campaign.id }).expect(400);
    await bulk({ campaignId: campaign.id, emails: [] }).expect(400);
    await bulk({ campaignId: randomUUID(), emails: [e] }).expect(404);
    await client(t.app, await createUser(t.app)).post('/api/invites/bulk').send({ campaignId: campaign.id, emails: [e] }).expect(403);
    expect(await prisma().invite.count({ where: { campaignId: campaign.id } })).toBe(0);
  });
});
