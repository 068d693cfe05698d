// Campaign join links through HTTP: the admin makes (and so replaces), reads and revokes the one link of a
// campaign; people join with a new account or an existing one after its password, never by email alone;
// the cap holds under concurrent joins; closed links say why; a reviewer cannot join as a rater; a form
// sent twice makes one account; every step is in the audit trail, written in the action's transaction.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../server/services/auth/secrets';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { createCampaign, createUserWithPassword, logIn, PASSWORD, sessionCookieOf } from '../helpers/auth';

describe('campaign join links', () => {
  let t: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    // Each person joins from their own address (the password routes are limited per address).
    t = await startTestApp({ env: { TRUST_PROXY: '1' } });
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => t?.close());

  const prisma = () => t.app.ctx.db.prisma;
  let address = 0;
  /** An anonymous browser at an address of its own. */
  const person = () => {
    const ip = `10.1.${Math.floor(++address / 250)}.${address % 250}`;
    const anon = client(t.app);
    return { get: (url: string) => anon.get(url).set('X-Forwarded-For', ip), post: (url: string) => anon.post(url).set('X-Forwarded-For', ip) };
  };
  const asAdmin = () => client(t.app, admin);

  async function makeLink(campaignId: string, maxUses: number, expiresInHours?: number) {
    const res = await asAdmin().post(`/api/campaigns/${campaignId}/join-link`).send({ maxUses, expiresInHours }).expect(201);
    const url = res.body.link.url as string;
    return { ...res.body.link, token: url.slice(url.lastIndexOf('/') + 1) } as { id: string; url: string; token: string; uses: number; maxUses: number; state: string };
  }
  const newAccount = (name = 'Jo Joiner') => ({ account: 'new', name, email: `join-${randomUUID()}@juxta.test`, password: PASSWORD });
  const usesOf = async (id: string) => (await prisma().campaignJoinLink.findUniqueOrThrow({ where: { id } })).uses;
  const isMember = async (campaignId: string, userId: string) => (await prisma().campaignMember.count({ where: { campaignId, userId } })) === 1;

  it('an admin makes the link, reads it with its counts, and a new link replaces the old one, which then says so', async () => {
    const campaign = await createCampaign(t.app);
    expect((await asAdmin().get(`/api/campaigns/${campaign.id}/join-link`).expect(200)).body).toEqual({ link: null });
    const first = await makeLink(campaign.id, 5, 48);
    expect(first.url).toBe(`http://juxta.test/join/${first.token}`);
    expect(first).toMatchObject({ state: 'open', uses: 0, maxUses: 5, createdBy: admin.email, revokedAt: null });
    const read = (await asAdmin().get(`/api/campaigns/${campaign.id}/join-link`).expect(200)).body.link;
    expect(read).toMatchObject({ id: first.id, url: first.url, state: 'open' });
    expect(Date.parse(read.expiresAt) - Date.parse(read.createdAt)).toBe(48 * 3_600_000);

    const info = await person().get(`/api/join/${first.token}`).expect(200);
    expect(info.body).toEqual({ campaign: { name: campaign.name }, expiresAt: read.expiresAt, usesLeft: 5 });

    const second = await makeLink(campaign.id, 2);
    expect(second.token).not.toBe(first.token);
    const old = await person().get(`/api/join/${first.token}`).expect(410);
    expect(old.body.error).toMatchObject({ code: 'JOIN_LINK_CLOSED', details: { state: 'replaced' } });
    expect(old.body.error.message).toContain('replaced by a newer one');
    await person().post(`/api/join/${first.token}`).send(newAccount()).expect(410);
    expect((await asAdmin().get(`/api/campaigns/${campaign.id}/join-link`).expect(200)).body.link.id).toBe(second.id);

    const events = await prisma().auditEvent.findMany({ where: { campaignId: campaign.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.action, e.actor, e.targetId])).toEqual([
      ['campaign.join-link.create', admin.id, first.id],
      ['campaign.join-link.create', admin.id, second.id],
    ]);
    expect(events[1]!.before).toMatchObject({ linkId: first.id, state: 'open' });
    // An audit summary never holds the token.
    expect(JSON.stringify(events.map((e) => [e.before, e.after]))).not.toContain(first.token);
  });

  it('a new person makes an account, joins, is logged in; the account and the join are audited as theirs', async () => {
    const campaign = await createCampaign(t.app);
    const link = await makeLink(campaign.id, 3);
    const body = newAccount('Nia New');
    const res = await person().post(`/api/join/${link.token}`).send(body).expect(200);
    expect(res.body.user).toMatchObject({ email: body.email, name: 'Nia New', role: 'RATER' });
    expect(res.body.campaignId).toBe(campaign.id);
    expect(res.body.campaigns).toEqual([{ id: campaign.id, name: campaign.name }]);
    const session = sessionCookieOf(res)!;
    await client(t.app, { ...admin, session }).get('/api/me').expect(200);
    expect(await usesOf(link.id)).toBe(1);
    // The account logs in with its password afterwards.
    await logIn(t.app, { id: res.body.user.id, email: body.email, role: 'RATER', password: PASSWORD });

    const events = await prisma().auditEvent.findMany({ where: { targetId: res.body.user.id }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.action, e.actor, e.via, e.campaignId])).toEqual([
      ['user.create', res.body.user.id, 'join-link', campaign.id],
      ['campaign.join-link.join', res.body.user.id, 'join-link', campaign.id],
    ]);
    expect(events[1]!.after).toEqual({ linkId: link.id, account: 'created', uses: 1, maxUses: 3 });
    expect(JSON.stringify(events.map((e) => [e.before, e.after]))).not.toMatch(/correct horse|jxj_/);
  });

  it('an existing account joins only with its password, never by email alone', async () => {
    const campaign = await createCampaign(t.app);
    const link = await makeLink(campaign.id, 5);
    const rater = await createUserWithPassword(t.app, 'RATER');

    const wrong = await person().post(`/api/join/${link.token}`).send({ account: 'existing', email: rater.email, password: 'not the password' }).expect(401);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    expect(sessionCookieOf(wrong)).toBeNull();
    // "New account" with an email that has one: refused unless the password is that account's.
    const taken = await person().post(`/api/join/${link.token}`).send({ account: 'new', name: 'Impostor', email: rater.email, password: 'another long password' }).expect(409);
    expect(taken.body.error.code).toBe('ACCOUNT_EXISTS');
    expect(sessionCookieOf(taken)).toBeNull();
    expect(await isMember(campaign.id, rater.id)).toBe(false);
    expect(await usesOf(link.id)).toBe(0);
    expect((await prisma().user.findUniqueOrThrow({ where: { id: rater.id } })).name).toBe('Test rater');

    const ok = await person().post(`/api/join/${link.token}`).send({ account: 'existing', email: rater.email.toUpperCase(), password: PASSWORD }).expect(200);
    expect(ok.body.user.id).toBe(rater.id);
    expect(await isMember(campaign.id, rater.id)).toBe(true);
    expect(await usesOf(link.id)).toBe(1);
    // Coming back through the link takes no second use.
    await person().post(`/api/join/${link.token}`).send({ account: 'existing', email: rater.email, password: PASSWORD }).expect(200);
    expect(await usesOf(link.id)).toBe(1);
    const join = await prisma().auditEvent.findMany({ where: { action: 'campaign.join-link.join', targetId: rater.id } });
    expect(join.map((e) => e.after)).toEqual([{ linkId: link.id, account: 'existing', uses: 1, maxUses: 5 }]);
  });

  it('holds the cap under concurrency: N + 5 people joining at once against a cap of N make exactly N members', async () => {
    const N = 5;
    const campaign = await createCampaign(t.app);
    const link = await makeLink(campaign.id, N);
    const bodies = Array.from({ length: N + 5 }, (_, i) => newAccount(`Racer ${i}`));
    const replies = await Promise.all(bodies.map((body) => person().post(`/api/join/${link.token}`).send(body)));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses, JSON.stringify(replies.map((r) => r.body.error?.code))).toEqual([...Array(N).fill(200), ...Array(5).fill(410)]);
    for (const refused of replies.filter((r) => r.status === 410)) {
      expect(refused.body.error.code).toBe('JOIN_LINK_USED_UP');
      expect(sessionCookieOf(refused)).toBeNull();
    }
    expect(await prisma().campaignMember.count({ where: { campaignId: campaign.id } })).toBe(N);
    expect(await usesOf(link.id)).toBe(N);
    // A refused join made no account either (one transaction).
    expect(await prisma().user.count({ where: { email: { in: bodies.map((b) => b.email) } } })).toBe(N);
    expect(await prisma().auditEvent.count({ where: { campaignId: campaign.id, action: 'campaign.join-link.join' } })).toBe(N);
    expect((await asAdmin().get(`/api/campaigns/${campaign.id}/join-link`).expect(200)).body.link).toMatchObject({ state: 'used-up', uses: N, maxUses: N });
  });

  it('a used-up, revoked or expired link says so, to the join page and to a join', async () => {
    const full = await createCampaign(t.app);
    const fullLink = await makeLink(full.id, 1);
    await person().post(`/api/join/${fullLink.token}`).send(newAccount()).expect(200);
    const usedUp = await person().get(`/api/join/${fullLink.token}`).expect(410);
    expect(usedUp.body.error.code).toBe('JOIN_LINK_USED_UP');
    expect(usedUp.body.error.message).toContain('used up');
    expect((await person().post(`/api/join/${fullLink.token}`).send(newAccount()).expect(410)).body.error.code).toBe('JOIN_LINK_USED_UP');

    const revokedCampaign = await createCampaign(t.app);
    const revokedLink = await makeLink(revokedCampaign.id, 10);
    const revoke = await asAdmin().delete(`/api/campaigns/${revokedCampaign.id}/join-link`).expect(200);
    expect(revoke.body.link).toMatchObject({ id: revokedLink.id, state: 'revoked' });
    expect(revoke.body.link.revokedAt).not.toBeNull();
    const revoked = await person().get(`/api/join/${revokedLink.token}`).expect(410);
    expect(revoked.body.error).toMatchObject({ code: 'JOIN_LINK_CLOSED', details: { state: 'revoked' } });
    expect((await person().post(`/api/join/${revokedLink.token}`).send(newAccount()).expect(410)).body.error.code).toBe('JOIN_LINK_CLOSED');
    await asAdmin().delete(`/api/campaigns/${revokedCampaign.id}/join-link`).expect(404);
    const revokeEvent = await prisma().auditEvent.findFirstOrThrow({ where: { campaignId: revokedCampaign.id, action: 'campaign.join-link.revoke' } });
    expect(revokeEvent).toMatchObject({ actor: admin.id, targetId: revokedLink.id });

    const lateCampaign = await createCampaign(t.app);
    const lateLink = await makeLink(lateCampaign.id, 10, 1);
    await prisma().campaignJoinLink.update({ where: { id: lateLink.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await person().get(`/api/join/${lateLink.token}`).expect(410)).body.error.code).toBe('JOIN_LINK_EXPIRED');
    expect((await person().post(`/api/join/${lateLink.token}`).send(newAccount()).expect(410)).body.error.code).toBe('JOIN_LINK_EXPIRED');
    expect((await asAdmin().get(`/api/campaigns/${lateCampaign.id}/join-link`).expect(200)).body.link.state).toBe('expired');

    expect((await person().get('/api/join/jxj_no-such-link').expect(404)).body.error.code).toBe('NOT_FOUND');
  });

  it("refuses a reviewer of the campaign as its rater, and takes no use", async () => {
    const campaign = await createCampaign(t.app);
    const link = await makeLink(campaign.id, 5);
    const reviewer = await createUserWithPassword(t.app, 'RATER');
    await asAdmin().post(`/api/campaigns/${campaign.id}/reviewers`).send({ userId: reviewer.id }).expect(200);
    const res = await person().post(`/api/join/${link.token}`).send({ account: 'existing', email: reviewer.email, password: PASSWORD }).expect(409);
    expect(res.body.error.code).toBe('RATER_REVIEWER_CONFLICT');
    expect(sessionCookieOf(res)).toBeNull();
    expect(await isMember(campaign.id, reviewer.id)).toBe(false);
    expect(await usesOf(link.id)).toBe(0);
  });

  it('the same new-account form sent twice at once (a double click) makes one account and takes one use', async () => {
    const campaign = await createCampaign(t.app);
    const link = await makeLink(campaign.id, 5);
    const body = newAccount('Dee Double');
    const browser = person();
    const replies = await Promise.all([browser.post(`/api/join/${link.token}`).send(body), browser.post(`/api/join/${link.token}`).send(body)]);
    expect(replies.map((r) => r.status)).toContain(200);
    for (const r of replies) expect([200, 409], JSON.stringify(r.body)).toContain(r.status);
    expect(await prisma().user.count({ where: { email: body.email } })).toBe(1);
    expect(await prisma().campaignMember.count({ where: { campaignId: campaign.id } })).toBe(1);
    expect(await usesOf(link.id)).toBe(1);
  });

  it("ends the session the browser held before joining (the cookie is replaced)", async () => {
    const campaign = await createCampaign(t.app);
    const link = await makeLink(campaign.id, 5);
    const someone = await createUser(t.app);
    const res = await client(t.app, someone).post(`/api/join/${link.token}`).set('X-Forwarded-For', '10.9.9.9').send(newAccount()).expect(200);
    expect(sessionCookieOf(res)).not.toBe(someone.session);
    const old = await prisma().session.findUniqueOrThrow({ where: { tokenHash: hashSecret(someone.session) } });
    expect(old.revokedAt).toBeInstanceOf(Date);
    await client(t.app, someone).get('/api/me').expect(401);
  });

  it('only a logged-in admin makes a link; raters see nothing of it', async () => {
    const campaign = await createCampaign(t.app);
    const rater = await createUser(t.app, 'RATER', [campaign.id]);
    await client(t.app, rater).post(`/api/campaigns/${campaign.id}/join-link`).send({ maxUses: 3 }).expect(403);
    await client(t.app, rater).get(`/api/campaigns/${campaign.id}/join-link`).expect(403);
    await asAdmin().post(`/api/campaigns/${randomUUID()}/join-link`).send({ maxUses: 3 }).expect(404);
    const bad = await asAdmin().post(`/api/campaigns/${campaign.id}/join-link`).send({ maxUses: 0 }).expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });
});
