import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../server/services/auth/secrets';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { createCampaign, createUserWithPassword, ManualClock, PASSWORD, sessionCookieOf } from '../helpers/auth';

describe('invites', () => {
  let t: TestApp;
  let admin: TestUser;
  const clock = new ManualClock();
  beforeAll(async () => {
    t = await startTestApp({ overrides: { clock } });
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => t.close());

  const invite = async (body: Record<string, unknown>) => (await client(t.app, admin).post('/api/invites').send(body).expect(201)).body;
  const accept = (token: string, body: Record<string, unknown>) => client(t.app).post(`/api/invites/${token}/accept`).send(body);

  it('makes a link for a campaign; accepting creates the rater, joins the campaign and logs in', async () => {
    const campaign = await createCampaign(t.app);
    const email = `new-${campaign.id}@juxta.test`;
    const created = await invite({ role: 'RATER', email: email.toUpperCase(), campaignId: campaign.id, expiresInHours: 48 });
    expect(created.url).toBe(`http://juxta.test/invite/${created.token}`);
    expect(new Date(created.expiresAt).getTime() - clock.now().getTime()).toBe(48 * 3_600_000);
    const row = await t.app.ctx.db.prisma.invite.findUniqueOrThrow({ where: { tokenHash: hashSecret(created.token) } });
    expect(row).toMatchObject({ role: 'RATER', email, campaignId: campaign.id, createdById: admin.id, acceptedAt: null });

    const info = await client(t.app).get(`/api/invites/${created.token}`).expect(200);
    expect(info.body).toEqual({ role: 'RATER', email, name: null, campaignName: campaign.name, expiresAt: created.expiresAt, setup: false });

    const res = await accept(created.token, { name: 'New Rater', password: PASSWORD }).expect(200);
    expect(res.body.user).toMatchObject({ email, name: 'New Rater', role: 'RATER' });
    expect(res.body.campaigns).toEqual([{ id: campaign.id, name: campaign.name }]);
    const session = sessionCookieOf(res)!;
    const me = await client(t.app, { id: res.body.user.id, email, role: 'RATER', session }).get('/api/me').expect(200);
    expect(me.body.user.id).toBe(res.body.user.id);
    const accepted = await t.app.ctx.db.prisma.invite.findUniqueOrThrow({ where: { id: row.id } });
    expect(accepted.acceptedById).toBe(res.body.user.id);
    // The password works for a normal login afterwards.
    await client(t.app).post('/api/auth/login').send({ email, password: PASSWORD }).expect(200);
  });

  it('is single-use: of two concurrent accepts exactly one wins, and the link is dead afterwards', async () => {
    const { token } = await invite({ role: 'RATER' });
    const tag = crypto.randomUUID();
    const results = await Promise.all([0, 1, 2].map((i) => accept(token, { name: `Racer ${i}`, email: `racer-${i}-${tag}@juxta.test`, password: PASSWORD })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 410, 410]);
    expect(results.filter((r) => r.status === 410).every((r) => r.body.error.code === 'INVITE_USED')).toBe(true);
    const made = await t.app.ctx.db.prisma.user.count({ where: { email: { endsWith: `-${tag}@juxta.test` } } });
    expect(made).toBe(1);
    const again = await client(t.app).get(`/api/invites/${token}`).expect(410);
    expect(again.body.error.code).toBe('INVITE_USED');
  });

  it('expires', async () => {
    const { token } = await invite({ role: 'RATER', expiresInHours: 1 });
    clock.advanceMinutes(61);
    const info = await client(t.app).get(`/api/invites/${token}`).expect(410);
    expect(info.body.error.code).toBe('INVITE_EXPIRED');
    const res = await accept(token, { name: 'Late', email: `late-${token.slice(4, 12)}@juxta.test`, password: PASSWORD }).expect(410);
    expect(res.body.error.code).toBe('INVITE_EXPIRED');
  });

  it('answers 404 for an unknown link', async () => {
    await client(t.app).get('/api/invites/jxi_not-a-real-token').expect(404);
    await accept('jxi_not-a-real-token', { name: 'X', email: 'x@juxta.test', password: PASSWORD }).expect(404);
  });

  it('asks for an email when the invite names none, and ignores a different one when it does', async () => {
    const open = await invite({ role: 'RATER' });
    const missing = await accept(open.token, { name: 'No Email', password: PASSWORD }).expect(400);
    expect(missing.body.error.code).toBe('VALIDATION_FAILED');
    await client(t.app).get(`/api/invites/${open.token}`).expect(200); // not consumed
    const email = `named-${crypto.randomUUID()}@juxta.test`;
    const named = await invite({ role: 'RATER', email });
    const res = await accept(named.token, { name: 'Named', email: 'someone-else@juxta.test', password: PASSWORD }).expect(200);
    expect(res.body.user.email).toBe(email);
  });

  it('joins an existing account to the campaign after checking its password, without consuming the link on a wrong one', async () => {
    const existing = await createUserWithPassword(t.app);
    const campaign = await createCampaign(t.app);
    const { token } = await invite({ role: 'RATER', email: existing.email, campaignId: campaign.id });
    const wrong = await accept(token, { name: 'Ignored', password: 'not the right password' }).expect(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const res = await accept(token, { name: 'Ignored', password: PASSWORD }).expect(200);
    expect(res.body.user).toMatchObject({ id: existing.id, name: 'Test rater' });
    expect(res.body.campaigns).toEqual([{ id: campaign.id, name: campaign.name }]);
    expect(await t.app.ctx.db.prisma.user.count({ where: { email: existing.email } })).toBe(1);
  });

  it('only admins create invites, for campaigns that exist', async () => {
    const rater = await createUser(t.app);
    await client(t.app, rater).post('/api/invites').send({ role: 'RATER' }).expect(403);
    await client(t.app).post('/api/invites').send({ role: 'RATER' }).expect(401);
    await client(t.app, admin).post('/api/invites').send({ role: 'RATER', campaignId: crypto.randomUUID() }).expect(404);
    await client(t.app, admin).post('/api/invites').send({ role: 'OWNER' }).expect(400);
  });

  it('an admin invite makes an admin', async () => {
    const { token } = await invite({ role: 'ADMIN' });
    const res = await accept(token, { name: 'Second Admin', email: `admin2-${token.slice(4, 12)}@juxta.test`, password: PASSWORD }).expect(200);
    expect(res.body.user.role).toBe('ADMIN');
  });

  it('an admin adds an existing user, or themselves, to a campaign', async () => {
    const campaign = await createCampaign(t.app);
    const rater = await createUser(t.app);
    const res = await client(t.app, admin).post(`/api/campaigns/${campaign.id}/members`).send({ userId: rater.id }).expect(200);
    expect(res.body).toMatchObject({ campaignId: campaign.id, userId: rater.id, excluded: false });
    await client(t.app, admin).post(`/api/campaigns/${campaign.id}/members`).send({ userId: rater.id }).expect(200); // idempotent
    await client(t.app, admin).post(`/api/campaigns/${campaign.id}/members`).send({ userId: admin.id }).expect(200);
    const me = await client(t.app, admin).get('/api/me').expect(200);
    expect(me.body.campaigns.map((c: { id: string }) => c.id)).toContain(campaign.id);
    await client(t.app, admin).post(`/api/campaigns/${crypto.randomUUID()}/members`).send({ userId: rater.id }).expect(404);
    await client(t.app, admin).post(`/api/campaigns/${campaign.id}/members`).send({ userId: crypto.randomUUID() }).expect(404);
    await client(t.app, rater).post(`/api/campaigns/${campaign.id}/members`).send({ userId: rater.id }).expect(403);
  });
});
