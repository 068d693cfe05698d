// What no API token may do, whatever its scopes (issue 12, finding 6): the attack was an admin token
// creating an admin invite, accepting it, and minting a token of its own; that account and token outlived
// the first token's revocation. Admin invites, new tokens and reactivating accounts need a person's session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_SCOPES } from '../../server/contract/api-tokens';
import { hashSecret, newSecret } from '../../server/services/auth/secrets';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';

describe('API tokens cannot make credentials that outlive them', () => {
  let t: TestApp;
  let admin: TestUser;
  /** A token with every scope there is: the rule holds whatever a token carries. */
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
    token = newSecret(t.app.ctx.random, 'jxt');
    await t.app.ctx.db.prisma.apiToken.create({
      data: { name: 'script', tokenHash: hashSecret(token), prefix: token.slice(0, 12), userId: admin.id, scopes: [...TOKEN_SCOPES] },
    });
  });
  afterAll(async () => t.close());

  const asToken = () => client(t.app, null, token);
  const refusedAsToken = (res: { status: number; body: { error?: { code?: string; message?: string } } }) => {
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/API tokens cannot do this, whatever their scopes/) });
  };

  it('the attack: a token cannot create an admin invite (nothing stored); a session can', async () => {
    const invites = await t.app.ctx.db.prisma.invite.count();
    refusedAsToken(await asToken().post('/api/invites').send({ role: 'ADMIN' }));
    refusedAsToken(await asToken().post('/api/invites').send({ role: 'ADMIN', email: 'new-admin@juxta.test', expiresInHours: 1 }));
    expect(await t.app.ctx.db.prisma.invite.count()).toBe(invites);
    await client(t.app, admin).post('/api/invites').send({ role: 'ADMIN' }).expect(201);
  });

  it('a token may still invite raters (scripts onboard raters)', async () => {
    await asToken().post('/api/invites').send({ role: 'RATER' }).expect(201);
    await asToken().post('/api/invites').send({}).expect(201);
  });

  it('a token cannot mint a token', async () => {
    const tokens = await t.app.ctx.db.prisma.apiToken.count();
    refusedAsToken(await asToken().post('/api/tokens').send({ name: 'second' }));
    expect(await t.app.ctx.db.prisma.apiToken.count()).toBe(tokens);
  });

  it('a token cannot reactivate an account; a session can', async () => {
    const rater = await createUser(t.app, 'RATER');
    await client(t.app, admin).post(`/api/users/${rater.id}/deactivate`).expect(200);
    refusedAsToken(await asToken().post(`/api/users/${rater.id}/activate`));
    expect((await t.app.ctx.db.prisma.user.findUniqueOrThrow({ where: { id: rater.id } })).active).toBe(false);
    await client(t.app, admin).post(`/api/users/${rater.id}/activate`).expect(200);
  });
});
