// Pending invites: listed per campaign and for everyone (who made each, created, expiry, uses), newest first
// in keyset pages; revoking one closes its link at once and is audited; used, revoked and expired links say
// so; accepting an invite is recorded in the audit trail.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TInviteListItem, TInvitePage } from '../../server/contract/invites';
import { hashSecret } from '../../server/services/auth/secrets';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { createCampaign, createUserWithPassword, ManualClock, PASSWORD } from '../helpers/auth';

describe('pending invites', () => {
  let t: TestApp;
  let admin: TestUser;
  const clock = new ManualClock();
  beforeAll(async () => {
    t = await startTestApp({ overrides: { clock } });
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => t.close());

  const prisma = () => t.app.ctx.db.prisma;
  const as = (user: TestUser | null = admin) => client(t.app, user);
  const list = async (query: Record<string, string>) => (await as().get(`/api/invites?${new URLSearchParams(query)}`).expect(200)).body as TInvitePage;
  const invite = async (body: Record<string, unknown>, by = admin) => {
    const { token } = (await as(by).post('/api/invites').send({ role: 'RATER', ...body }).expect(201)).body as { token: string };
    const row = await prisma().invite.findUniqueOrThrow({ where: { tokenHash: hashSecret(token) } });
    clock.advanceMs(1); // the next invite is newer
    return { token, id: row.id };
  };
  const accept = (token: string, body: Record<string, unknown>) => as(null).post(`/api/invites/${token}/accept`).send(body);
  const fresh = (tag: string) => `${tag}-${randomUUID()}@juxta.test`;

  it('lists the open invites of a campaign and of everyone, with who made them, expiry and uses; used, expired and revoked ones with state=all', async () => {
    const campaign = await createCampaign(t.app);
    const other = await createCampaign(t.app);
    const second = await createUser(t.app, 'ADMIN');
    const emails = { open: fresh('open'), used: fresh('used'), expired: fresh('expired'), revoked: fresh('revoked'), elsewhere: fresh('elsewhere') };
    const expiring = await invite({ email: emails.expired, campaignId: campaign.id, expiresInHours: 1 });
    clock.advanceMinutes(61);
    const open = await invite({ email: emails.open, campaignId: campaign.id, expiresInHours: 24 }, second);
    const used = await invite({ email: emails.used, campaignId: campaign.id });
    await accept(used.token, { name: 'User', password: PASSWORD }).expect(200);
    const revoked = await invite({ email: emails.revoked, campaignId: campaign.id });
    await as().delete(`/api/invites/${revoked.id}`).expect(200);
    const elsewhere = await invite({ email: emails.elsewhere, campaignId: other.id });

    const pending = await list({ campaignId: campaign.id });
    expect(pending.nextCursor).toBeNull();
    expect(pending.items).toHaveLength(1);
    const item = pending.items[0]!;
    expect(item).toMatchObject({
      id: open.id,
      email: emails.open,
      role: 'RATER',
      campaign: { id: campaign.id, name: campaign.name },
      createdBy: { id: second.id, email: second.email },
      state: 'PENDING',
      uses: 0,
      maxUses: 1,
      acceptedAt: null,
      revokedAt: null,
    });
    expect(Date.parse(item.expiresAt) - Date.parse(item.createdAt)).toBe(24 * 3_600_000);
    expect(JSON.stringify(item)).not.toContain(open.token);

    const all = await list({ campaignId: campaign.id, state: 'all' });
    const stateOf = (id: string) => all.items.find((i) => i.id === id);
    expect(all.items.map((i) => i.id)).toEqual([revoked.id, used.id, open.id, expiring.id]);
    expect(stateOf(used.id)).toMatchObject({ state: 'USED', uses: 1, acceptedBy: { email: emails.used } });
    expect(stateOf(revoked.id)!.state).toBe('REVOKED');
    expect(stateOf(revoked.id)!.revokedAt).not.toBeNull();
    expect(stateOf(expiring.id)!.state).toBe('EXPIRED');

    // Everyone's: this campaign's open one and the other campaign's, not the closed ones.
    const everyone: TInviteListItem[] = [];
    let cursor: string | null = null;
    do {
      const page = await list({ limit: '200', ...(cursor ? { cursor } : {}) });
      everyone.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const ids = everyone.map((i) => i.id);
    expect(ids).toContain(open.id);
    expect(ids).toContain(elsewhere.id);
    for (const closed of [used.id, revoked.id, expiring.id]) expect(ids).not.toContain(closed);
    expect(everyone.every((i) => i.state === 'PENDING')).toBe(true);
  });

  it('pages newest first by keyset, each invite once, including invites made in the same instant (bulk)', async () => {
    const campaign = await createCampaign(t.app);
    const single = await invite({ email: fresh('first'), campaignId: campaign.id });
    const bulk = await as().post('/api/invites/bulk').send({ campaignId: campaign.id, emails: Array.from({ length: 6 }, (_, i) => fresh(`p${i}`)) }).expect(200);
    const seen: TInviteListItem[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list({ campaignId: campaign.id, limit: '4', ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(7);
    expect(new Set(seen.map((i) => i.id)).size).toBe(7);
    expect(seen[6]!.id).toBe(single.id);
    expect(new Set(seen.slice(0, 6).map((i) => i.email))).toEqual(new Set(bulk.body.invites.map((i: { email: string }) => i.email)));
  });

  it('revokes at once: the link then says so, cannot be accepted, and the revocation is audited once', async () => {
    const campaign = await createCampaign(t.app);
    const email = fresh('withdrawn');
    const { token, id } = await invite({ email, campaignId: campaign.id });
    await as(null).get(`/api/invites/${token}`).expect(200);
    const res = await as().delete(`/api/invites/${id}`).expect(200);
    expect(res.body).toMatchObject({ id, state: 'REVOKED', email });

    const info = await as(null).get(`/api/invites/${token}`).expect(410);
    expect(info.body.error.code).toBe('INVITE_REVOKED');
    expect(info.body.error.message).toContain('log in');
    const accepted = await accept(token, { name: 'Too late', password: PASSWORD }).expect(410);
    expect(accepted.body.error.code).toBe('INVITE_REVOKED');
    expect(await prisma().user.count({ where: { email } })).toBe(0);

    const audit = await prisma().auditEvent.findMany({ where: { action: 'invite.revoke', targetId: id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: admin.id, via: 'session', targetType: 'invite', campaignId: campaign.id });
    expect(audit[0]!.after).toMatchObject({ email, campaignId: campaign.id });

    // Twice: refused, nothing more recorded.
    expect((await as().delete(`/api/invites/${id}`).expect(410)).body.error.code).toBe('INVITE_REVOKED');
    expect(await prisma().auditEvent.count({ where: { action: 'invite.revoke', targetId: id } })).toBe(1);
    // Freed: the same email can be invited again.
    const again = await as().post('/api/invites/bulk').send({ campaignId: campaign.id, emails: [email] }).expect(200);
    expect(again.body.invites).toHaveLength(1);
  });

  it('refuses to revoke a used invite, an unknown one, and to raters and reviewers', async () => {
    const campaign = await createCampaign(t.app);
    const used = await invite({ email: fresh('used'), campaignId: campaign.id });
    await accept(used.token, { name: 'Used', password: PASSWORD }).expect(200);
    const refused = await as().delete(`/api/invites/${used.id}`).expect(410);
    expect(refused.body.error.code).toBe('INVITE_USED');
    expect((await prisma().invite.findUniqueOrThrow({ where: { id: used.id } })).revokedAt).toBeNull();
    await as().delete(`/api/invites/${randomUUID()}`).expect(404);

    const open = await invite({ email: fresh('open'), campaignId: campaign.id });
    const rater = await createUser(t.app, 'RATER', [campaign.id]);
    const reviewer = await createUser(t.app);
    await prisma().campaignReviewer.create({ data: { campaignId: campaign.id, userId: reviewer.id } });
    for (const caller of [rater, reviewer]) {
      await as(caller).delete(`/api/invites/${open.id}`).expect(403);
      await as(caller).get(`/api/invites?campaignId=${campaign.id}`).expect(403);
    }
    await as(null).get('/api/invites').expect(401);
    expect((await prisma().invite.findUniqueOrThrow({ where: { id: open.id } })).revokedAt).toBeNull();
    expect(await prisma().auditEvent.count({ where: { action: 'invite.revoke', campaignId: campaign.id } })).toBe(0);
  });

  it('says plainly that a used or expired link is used or expired', async () => {
    const used = await invite({ email: fresh('once') });
    await accept(used.token, { name: 'Once', password: PASSWORD }).expect(200);
    expect((await as(null).get(`/api/invites/${used.token}`).expect(410)).body.error).toMatchObject({ code: 'INVITE_USED', message: expect.stringContaining('already used') });
    const expiring = await invite({ email: fresh('late'), expiresInHours: 1 });
    clock.advanceMinutes(61);
    expect((await as(null).get(`/api/invites/${expiring.token}`).expect(410)).body.error).toMatchObject({ code: 'INVITE_EXPIRED', message: expect.stringContaining('expired') });
  });

  it('answers bad filters with a 400 naming the field', async () => {
    const bad: Record<string, string>[] = [{ cursor: 'abc' }, { campaignId: 'nope' }, { limit: '0' }, { limit: '201' }, { state: 'used' }];
    for (const query of bad) {
      const res = await as().get(`/api/invites?${new URLSearchParams(query)}`).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body.error)).toContain(Object.keys(query)[0]);
    }
  });

  it('records accepting an invite in the audit trail, by the account that accepted it, new or existing', async () => {
    const campaign = await createCampaign(t.app);
    const email = fresh('joiner');
    const created = await invite({ email, campaignId: campaign.id });
    const res = await accept(created.token, { name: 'Joiner', password: PASSWORD }).expect(200);
    const row = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'invite.accept', targetId: created.id } });
    expect(row).toMatchObject({ actor: res.body.user.id, actorEmail: email, via: 'invite-link', targetType: 'invite', campaignId: campaign.id });
    expect(row.after).toMatchObject({ userId: res.body.user.id, email, role: 'RATER', account: 'new' });

    const existing = await createUserWithPassword(t.app);
    const joined = await invite({ email: existing.email, campaignId: campaign.id });
    await accept(joined.token, { name: 'ignored', password: PASSWORD }).expect(200);
    const second = await prisma().auditEvent.findFirstOrThrow({ where: { action: 'invite.accept', targetId: joined.id } });
    expect(second).toMatchObject({ actor: existing.id, via: 'invite-link' });
    expect(second.after).toMatchObject({ account: 'existing' });

    // A refused accept (wrong password for the existing account) records nothing.
    const refusedInvite = await invite({ email: existing.email, campaignId: (await createCampaign(t.app)).id });
    await accept(refusedInvite.token, { name: 'x', password: 'a wrong but long password' }).expect(401);
    expect(await prisma().auditEvent.count({ where: { action: 'invite.accept', targetId: refusedInvite.id } })).toBe(0);
  });
});
