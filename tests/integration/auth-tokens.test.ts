import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../server/services/auth/secrets';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { createCampaign, ManualClock } from '../helpers/auth';

describe('API tokens', () => {
  let t: TestApp;
  let admin: TestUser;
  const clock = new ManualClock();
  beforeAll(async () => {
    t = await startTestApp({ overrides: { clock } });
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => t.close());

  const create = async (body: Record<string, unknown>) => (await client(t.app, admin).post('/api/tokens').send(body).expect(201)).body;

  it('shows the token once, stores only its hash and a short prefix, and authenticates scripts with it', async () => {
    const { token, apiToken } = await create({ name: 'export script', expiresInDays: 30 });
    expect(token).toMatch(/^jxt_[A-Za-z0-9_-]{43}$/);
    expect(apiToken).toMatchObject({ name: 'export script', prefix: token.slice(0, 12), revokedAt: null, lastUsedAt: null, owner: { id: admin.id, email: admin.email } });
    expect(new Date(apiToken.expiresAt).getTime() - clock.now().getTime()).toBe(30 * 86_400_000);
    const row = await t.app.ctx.db.prisma.apiToken.findUniqueOrThrow({ where: { id: apiToken.id } });
    expect(row.tokenHash).toBe(hashSecret(token));
    expect(JSON.stringify(row)).not.toContain(token.slice(12));

    const me = await client(t.app, null, token).get('/api/me').expect(200);
    expect(me.body.user.id).toBe(admin.id);
    const list = await client(t.app, admin).get('/api/tokens').expect(200);
    const listed = list.body.tokens.find((x: { id: string }) => x.id === apiToken.id);
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(token.slice(12));
  });

  it('writes without an Origin header and needs no cookie', async () => {
    const { token } = await create({ name: 'uploader' });
    await client(t.app, null, token).post('/api/invites').unset('Origin').send({ role: 'RATER' }).expect(201);
  });

  it('lists every admin’s tokens to every admin, with the owner', async () => {
    const other = await createUser(t.app, 'ADMIN');
    const mine = await create({ name: 'mine' });
    const theirs = (await client(t.app, other).post('/api/tokens').send({ name: 'theirs' }).expect(201)).body;
    const list = await client(t.app, admin).get('/api/tokens').expect(200);
    const ids = list.body.tokens.map((x: { id: string }) => x.id);
    expect(ids).toEqual(expect.arrayContaining([mine.apiToken.id, theirs.apiToken.id]));
    expect(list.body.tokens.find((x: { id: string }) => x.id === theirs.apiToken.id).owner.id).toBe(other.id);
    // Any admin can revoke a token that leaked.
    await client(t.app, admin).delete(`/api/tokens/${theirs.apiToken.id}`).expect(200);
    await client(t.app, null, theirs.token).get('/api/me').expect(401);
  });

  it('cannot mint more tokens, and raters cannot have any', async () => {
    const { token } = await create({ name: 'script' });
    const res = await client(t.app, null, token).post('/api/tokens').send({ name: 'child' }).expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    const rater = await createUser(t.app);
    await client(t.app, rater).post('/api/tokens').send({ name: 'nope' }).expect(403);
    await client(t.app, rater).get('/api/tokens').expect(403);
    // A token row of a rater (made behind the API's back) does not authenticate.
    const raw = `jxt_${crypto.randomUUID()}`;
    await t.app.ctx.db.prisma.apiToken.create({ data: { name: 'smuggled', tokenHash: hashSecret(raw), prefix: raw.slice(0, 12), userId: rater.id } });
    await client(t.app, null, raw).get('/api/me').expect(401);
  });

  it('rejects a malformed Authorization header instead of falling back to the cookie', async () => {
    const res = await client(t.app, admin).get('/api/me').set('Authorization', 'Basic abc').expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token request that grants nothing or more than it says, and stores nothing', async () => {
    const campaign = await createCampaign(t.app);
    const before = await t.app.ctx.db.prisma.apiToken.count();
    const refusals: [Record<string, unknown>, string][] = [
      [{ name: 'empty', scopes: [] }, 'scopes'],
      [{ name: 'unknown', scopes: ['export:write'] }, 'scopes'],
      [{ name: 'twice', scopes: ['stats:read', 'stats:read'] }, 'scopes'],
      [{ name: 'admin of one', scopes: ['admin'], campaignIds: [campaign.id] }, 'campaignIds'],
      [{ name: 'no campaigns', scopes: ['export:read'], campaignIds: [] }, 'campaignIds'],
      [{ name: 'ghost', scopes: ['export:read'], campaignIds: [crypto.randomUUID()] }, 'campaignIds'],
    ];
    for (const [body, field] of refusals) {
      const res = await client(t.app, admin).post('/api/tokens').send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body.error.details), JSON.stringify(body)).toContain(field);
    }
    expect(await t.app.ctx.db.prisma.apiToken.count()).toBe(before);
  });

  it('makes an admin token when no scopes are given, as before scopes existed', async () => {
    const { token, apiToken } = await create({ name: 'legacy script' });
    expect(apiToken).toMatchObject({ scopes: ['admin'], campaigns: null });
    await client(t.app, null, token).get('/api/users').expect(200);
  });

  it('gives a read-only export token for one campaign exactly that: its exports, nothing else', async () => {
    const [mine, other] = [await createCampaign(t.app), await createCampaign(t.app)];
    const { token, apiToken } = await create({ name: 'training pipeline', scopes: ['export:read'], campaignIds: [mine.id] });
    expect(apiToken).toMatchObject({ scopes: ['export:read'], campaigns: [{ id: mine.id, name: mine.name }] });

    const script = client(t.app, null, token);
    await script.get(`/api/campaigns/${mine.id}/export/count?format=raw`).expect(200);
    await script.get(`/api/campaigns/${mine.id}/export/card?format=raw`).expect(200);
    await script.get(`/api/campaigns/${mine.id}`).expect(200);
    await script.get('/api/me').expect(200);
    const elsewhere = await script.get(`/api/campaigns/${other.id}/export/count?format=raw`).expect(403);
    expect(elsewhere.body.error.code).toBe('INSUFFICIENT_SCOPE');
    for (const [method, url] of [
      ['get', `/api/campaigns/${mine.id}/stats`],
      ['patch', `/api/campaigns/${mine.id}`],
      ['post', '/api/invites'],
      ['get', '/api/tokens'],
      ['get', '/api/audit'],
    ] as const) {
      const res = await script[method](url).send({ status: 'PAUSED', role: 'RATER' });
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.body.error.code).toBe('INSUFFICIENT_SCOPE');
      expect(res.body.error.message).toMatch(/scope|campaign/);
    }
    // Nothing changed behind the refusals.
    expect((await t.app.ctx.db.prisma.campaign.findUniqueOrThrow({ where: { id: mine.id } })).status).toBe(mine.status);

    const listed = (await client(t.app, admin).get('/api/tokens').expect(200)).body.tokens.find((x: { id: string }) => x.id === apiToken.id);
    expect(listed).toMatchObject({ scopes: ['export:read'], campaigns: [{ id: mine.id, name: mine.name }] });
    const audit = await t.app.ctx.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'apitoken.create', targetId: apiToken.id } });
    expect(audit.after).toMatchObject({ scopes: ['export:read'], campaignIds: [mine.id] });
  });

  it('combines scopes: an import-and-stats token imports and reads results, but cannot export', async () => {
    const campaign = await createCampaign(t.app);
    const { token } = await create({ name: 'nightly', scopes: ['import:write', 'stats:read'] });
    const script = client(t.app, null, token);
    await script.get(`/api/campaigns/${campaign.id}/imports`).expect(200);
    await script.get(`/api/campaigns/${campaign.id}/stats`).expect(200);
    const res = await script.get(`/api/campaigns/${campaign.id}/export/count?format=raw`).expect(403);
    expect(res.body.error.details).toMatchObject({ needs: 'export:read', scopes: ['import:write', 'stats:read'] });
  });

  it('stops working once revoked or expired', async () => {
    const a = await create({ name: 'to revoke' });
    const b = await create({ name: 'short-lived', expiresInDays: 1 });
    await client(t.app, null, a.token).get('/api/tokens').expect(200);
    const revoked = await client(t.app, admin).delete(`/api/tokens/${a.apiToken.id}`).expect(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const res = await client(t.app, null, a.token).get('/api/tokens').expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    await client(t.app, admin).delete(`/api/tokens/${crypto.randomUUID()}`).expect(404);
    await client(t.app, null, b.token).get('/api/tokens').expect(200);
    // Last in the file: a day later the fixtures' sessions have gone idle too.
    clock.advanceMinutes(24 * 60 - 1);
    await client(t.app, null, b.token).get('/api/tokens').expect(200);
    clock.advanceMinutes(1);
    await client(t.app, null, b.token).get('/api/tokens').expect(401);
  });
});
