// Bulk invites: a list of emails (or people with names) for a campaign; each valid one gets its own link,
// bad and repeated ones, people already in the campaign and people invited already are reported by 1-based
// line and skipped; each created invite is audited; a list over the cap is refused whole; the same list
// sent twice at once creates each invite once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_INVITE_MAX_LINES, type TBulkInviteResponse } from '../../server/contract/invites';
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
  const bulk = (body: object, as: TestUser = admin) => client(t.app, as).post('/api/invites/bulk').send(body);
  const fresh = (tag: string) => `${tag}-${randomUUID()}@juxta.test`;

  it('creates one link per valid email, reports bad and repeated lines, and each link joins the campaign', async () => {
    const campaign = await createCampaign(t.app);
    const a = fresh('a');
    const b = fresh('b');
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
    const audit = await prisma().auditEvent.findMany({ where: { action: 'invite.create', campaignId: campaign.id } });
    expect(audit.map((row) => [row.actor, row.via, row.targetType])).toEqual([
      [admin.id, 'session', 'invite'],
      [admin.id, 'session', 'invite'],
    ]);
    expect(audit.map((row) => row.targetId).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(JSON.stringify(audit.map((row) => [row.before, row.after]))).not.toContain(res.body.invites[0].token);
    const accepted = await client(t.app).post(`/api/invites/${res.body.invites[1].token}/accept`).send({ name: 'Bea', password: 'a long enough password' }).expect(200);
    expect(accepted.body.campaigns.map((c: { id: string }) => c.id)).toEqual([campaign.id]);
  });

  it('takes people with names (CSV rows) and stores the name, which the link then shows to prefill the form', async () => {
    const campaign = await createCampaign(t.app);
    const c = fresh('c');
    const d = fresh('d');
    const res = await bulk({ campaignId: campaign.id, people: [{ email: c, name: 'Cleo Dupont' }, { email: 'x@', name: 'Bad' }, { email: d }] }).expect(200);
    expect(res.body.invites).toMatchObject([
      { line: 1, email: c, name: 'Cleo Dupont' },
      { line: 3, email: d, name: null },
    ]);
    expect(res.body.errors).toEqual([{ line: 2, message: '"x@" is not an email address' }]);
    const info = await client(t.app).get(`/api/invites/${res.body.invites[0].token}`).expect(200);
    expect(info.body).toMatchObject({ email: c, name: 'Cleo Dupont', campaignName: campaign.name });
    expect((await client(t.app).get(`/api/invites/${res.body.invites[1].token}`).expect(200)).body.name).toBeNull();
  });

  it("names the lines of the admin's own file when the people carry them (past a header and blank lines)", async () => {
    const campaign = await createCampaign(t.app);
    const e = fresh('e');
    const people = [{ email: e, name: 'Eve', line: 2 }, { email: 'nope', line: 4 }, { email: e.toUpperCase(), line: 7 }];
    const res = await bulk({ campaignId: campaign.id, people }).expect(200);
    expect(res.body.invites).toMatchObject([{ line: 2, email: e, name: 'Eve' }]);
    expect(res.body.errors).toEqual([
      { line: 4, message: '"nope" is not an email address' },
      { line: 7, message: `${e} is already on line 2` },
    ]);
  });

  it('reports people who already rate or review the campaign, or hold an open invite to it; expired, revoked and other campaigns do not count', async () => {
    const campaign = await createCampaign(t.app);
    const other = await createCampaign(t.app);
    const rater = await createUser(t.app, 'RATER', [campaign.id]);
    const reviewer = await createUser(t.app);
    await prisma().campaignReviewer.create({ data: { campaignId: campaign.id, userId: reviewer.id } });
    const elsewhere = await createUser(t.app, 'RATER', [other.id]);
    const [pending, expired, revoked, invitedElsewhere] = [fresh('pending'), fresh('expired'), fresh('revoked'), fresh('elsewhere')];
    const single = async (email: string, campaignId = campaign.id) =>
      (await client(t.app, admin).post('/api/invites').send({ role: 'RATER', email, campaignId }).expect(201)).body as { token: string };
    await single(pending);
    await single(expired);
    await prisma().invite.updateMany({ where: { email: expired }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await single(revoked);
    await prisma().invite.updateMany({ where: { email: revoked }, data: { revokedAt: new Date() } });
    await single(invitedElsewhere, other.id);

    const list = [rater.email, reviewer.email.toUpperCase(), pending, expired, revoked, invitedElsewhere, elsewhere.email];
    const res = await bulk({ campaignId: campaign.id, emails: list }).expect(200);
    expect(res.body.errors).toEqual([
      { line: 1, message: `${rater.email} is already a rater of this campaign` },
      { line: 2, message: `${reviewer.email} reviews this campaign, so cannot rate it` },
      { line: 3, message: `${pending} has an invite to this campaign already; revoke it first to send a new one` },
    ]);
    expect(res.body.invites.map((i: { line: number }) => i.line)).toEqual([4, 5, 6, 7]);
    // Sent again, the same list creates nothing more: every line is now invited (or in the campaign).
    const again = (await bulk({ campaignId: campaign.id, emails: list }).expect(200)).body as TBulkInviteResponse;
    expect(again.invites).toEqual([]);
    expect(again.errors.map((e) => e.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('creates each invite once when the same list is sent twice at once (a double click)', async () => {
    const campaign = await createCampaign(t.app);
    const emails = Array.from({ length: 20 }, (_, i) => fresh(`twice${i}`));
    const replies = await Promise.all([bulk({ campaignId: campaign.id, emails }), bulk({ campaignId: campaign.id, emails })]);
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    const bodies = replies.map((r) => r.body as TBulkInviteResponse);
    expect(bodies.map((b) => b.invites.length).sort((x, y) => x - y)).toEqual([0, 20]);
    expect(bodies.map((b) => b.errors.length).sort((x, y) => x - y)).toEqual([0, 20]);
    expect(await prisma().invite.count({ where: { campaignId: campaign.id } })).toBe(20);
    expect(await prisma().auditEvent.count({ where: { action: 'invite.create', campaignId: campaign.id } })).toBe(20);
  });

  it(`takes ${BULK_INVITE_MAX_LINES} lines, and refuses one more whole with a 413 that says to split the list`, async () => {
    const campaign = await createCampaign(t.app);
    const tag = randomUUID();
    const emails = Array.from({ length: BULK_INVITE_MAX_LINES + 1 }, (_, i) => `cap-${i}-${tag}@juxta.test`);
    const refused = await bulk({ campaignId: campaign.id, emails }).expect(413);
    expect(refused.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { lines: BULK_INVITE_MAX_LINES + 1, maxLines: BULK_INVITE_MAX_LINES } });
    expect(refused.body.error.message).toContain(`Split it into lists of ${BULK_INVITE_MAX_LINES} lines or fewer`);
    const people = await bulk({ campaignId: campaign.id, people: emails.map((email) => ({ email })) }).expect(413);
    expect(people.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await prisma().invite.count({ where: { campaignId: campaign.id } })).toBe(0);

    const res = await bulk({ campaignId: campaign.id, emails: emails.slice(0, BULK_INVITE_MAX_LINES) }).expect(200);
    expect(res.body.invites).toHaveLength(BULK_INVITE_MAX_LINES);
    expect(new Set(res.body.invites.map((i: { token: string }) => i.token)).size).toBe(BULK_INVITE_MAX_LINES);
    expect(await prisma().invite.count({ where: { campaignId: campaign.id } })).toBe(BULK_INVITE_MAX_LINES);
    expect(await prisma().auditEvent.count({ where: { action: 'invite.create', campaignId: campaign.id } })).toBe(BULK_INVITE_MAX_LINES);
  }, 120_000);

  it('refuses both lists at once, neither, an unknown campaign, raters and reviewers; nothing is created', async () => {
    const campaign = await createCampaign(t.app);
    const e = fresh('e');
    expect((await bulk({ campaignId: campaign.id, emails: [e], people: [{ email: e }] }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    await bulk({ campaignId: campaign.id }).expect(400);
    await bulk({ campaignId: campaign.id, emails: [] }).expect(400);
    expect((await bulk({ campaignId: randomUUID(), emails: [e] }).expect(404)).body.error.code).toBe('NOT_FOUND');
    await bulk({ campaignId: campaign.id, emails: [e] }, await createUser(t.app, 'RATER', [campaign.id])).expect(403);
    const reviewer = await createUser(t.app);
    await prisma().campaignReviewer.create({ data: { campaignId: campaign.id, userId: reviewer.id } });
    await bulk({ campaignId: campaign.id, emails: [e] }, reviewer).expect(403);
    expect(await prisma().invite.count({ where: { campaignId: campaign.id } })).toBe(0);
    expect(await prisma().auditEvent.count({ where: { campaignId: campaign.id } })).toBe(0);
  });
});
