// Text Postgres cannot store (a NUL character, an unpaired UTF-16 surrogate) is refused at the schema with
// a 400 naming the field, for every route: first the fields the attack report listed (each used to be a
// 500 with Postgres 22021, or a silent U+FFFD), then every route with a body, query or params schema,
// found from the route registry, so a route added later is covered by the same one rule.
import type { RouteOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { createCampaign } from '../helpers/auth';

const NUL = 'a\u0000b';
type Reply = { status: number; body: { error?: { code?: string; message?: string } } };
const LONE_SURROGATE = 'a\ud800b';

describe('request text Postgres cannot store', () => {
  let t: TestApp;
  let admin: TestUser;
  let rater: TestUser;
  let campaignId: string;
  const routes: RouteOptions[] = [];

  beforeAll(async () => {
    t = await startTestApp({ overrides: { onRoute: (route) => routes.push(route) } });
    campaignId = (await createCampaign(t.app)).id;
    admin = await createUser(t.app, 'ADMIN');
    rater = await createUser(t.app, 'RATER', [campaignId]);
  });
  afterAll(async () => t.close());

  const expectRefused = (res: Reply, field: string, what: RegExp) => {
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(field) });
    expect(res.body.error!.message).toMatch(what);
  };

  it.each([
    ['a NUL', NUL, /NUL character/],
    ['an unpaired surrogate', LONE_SURROGATE, /unpaired UTF-16 surrogate/],
  ])('%s in each field of the report answers 400 naming the field, and changes nothing', async (_name, bad, what) => {
    const before = {
      users: await t.app.ctx.db.prisma.user.count(),
      campaigns: await t.app.ctx.db.prisma.campaign.count(),
      tokens: await t.app.ctx.db.prisma.apiToken.count(),
    };
    const anonymous = client(t.app);
    const asAdmin = client(t.app, admin);
    const asRater = client(t.app, rater);
    const assignment = randomUUID();
    const invite = `jxi_${randomUUID()}`;
    const cases: [PromiseLike<Reply>, string][] = [
      [anonymous.post('/api/auth/login').send({ email: `x${bad}@juxta.test`, password: 'whatever it is' }), 'body.email'],
      [anonymous.post(`/api/invites/${invite}/accept`).send({ name: `Rita ${bad}`, password: 'a long enough password' }), 'body.name'],
      [anonymous.post(`/api/invites/${invite}/accept`).send({ name: 'Rita', password: `a long enough ${bad}` }), 'body.password'],
      [asRater.post(`/api/assignments/${assignment}/judgment`).send({ choice: 'left', timeMs: 1000, idempotencyKey: `key-${bad}-1234` }), 'body.idempotencyKey'],
      [asRater.post(`/api/assignments/${assignment}/flag`).send({ reason: 'other', target: 'both', note: bad }), 'body.note'],
      [asAdmin.post('/api/campaigns').send({ name: `Round ${bad}` }), 'body.name'],
      [asAdmin.post('/api/campaigns').send({ name: 'Round', instructions: `Read ${bad}` }), 'body.instructions'],
      [asAdmin.patch(`/api/campaigns/${campaignId}`).send({ name: `Round ${bad}` }), 'body.name'],
      [asAdmin.post('/api/tokens').send({ name: `ci ${bad}` }), 'body.name'],
      [asAdmin.post(`/api/campaigns/${campaignId}/raters/${rater.id}/exclude`).send({ reason: `spam ${bad}` }), 'body.reason'],
    ];
    // A URL cannot carry an unpaired surrogate (encodeURIComponent refuses one), only a NUL (%00).
    if (bad === NUL) {
      cases.push(
        [asAdmin.get(`/api/campaigns/${campaignId}/export?format=raw&models=${encodeURIComponent(`a,${bad}`)}`), 'querystring.models'],
        [asAdmin.get(`/api/campaigns/${campaignId}/export?format=trl&pairs=${encodeURIComponent(`a~${bad}`)}`), 'querystring.pairs'],
      );
    }
    for (const [pending, field] of cases) expectRefused(await pending, field, what);
    expect({
      users: await t.app.ctx.db.prisma.user.count(),
      campaigns: await t.app.ctx.db.prisma.campaign.count(),
      tokens: await t.app.ctx.db.prisma.apiToken.count(),
    }).toEqual(before);
    const excluded = await t.app.ctx.db.prisma.campaignMember.findFirst({ where: { campaignId, userId: rater.id } });
    expect(excluded?.excluded).toBe(false);
  });

  it('a NUL in an object key is refused too, nested or not', async () => {
    const res = await client(t.app, admin).post('/api/campaigns').send({ name: 'Round', design: { [`x${NUL}`]: 1 } });
    expectRefused(res, 'body.design', /key that contains a NUL/);
  });

  it('every route with a body, query or params schema refuses a NUL in it before its handler runs', async () => {
    // Fastify validates the params, then the body, then the querystring, and answers the first that fails: a route
    // with a body and a querystring schema is sent a body that passes here, so its querystring is what is checked.
    const validBody: Record<string, object> = { 'POST /api/campaigns/:id/generation-jobs': { endpointIds: [randomUUID()] } };
    const failures: string[] = [];
    const asAdmin = client(t.app, admin);
    for (const route of routes) {
      const schema = route.schema as { body?: unknown; querystring?: unknown; params?: unknown } | undefined;
      for (const method of [route.method].flat().filter((m) => m !== 'HEAD')) {
        const send = asAdmin[method.toLowerCase() as 'get'];
        // Parameters that pass their schema (uuids, or the review's numeric ids), so the part under test is reached.
        const filled = (id: string) => route.url.replace(/:(\w+)/g, (_m, name: string) => (name === 'token' ? `jxi_${randomUUID()}` : id));
        const withValidParams = async (make: (path: string) => Promise<Reply>) => {
          const res = await make(filled(randomUUID()));
          return res.status === 400 && /params\./.test(res.body.error?.message ?? '') ? make(filled('1')) : res;
        };
        const attempts: [string, () => Promise<Reply>][] = [];
        if (schema?.body) attempts.push(['body', () => withValidParams((path) => send(path).send({ [`k${NUL}`]: NUL }))]);
        if (schema?.querystring) {
          const body = schema.body ? validBody[`${method} ${route.url}`] : undefined;
          if (schema.body && !body) failures.push(`${method} ${route.url}: has a body and a querystring schema; give it a body that passes in validBody`);
          const withNulQuery = (path: string) => send(`${path}?${encodeURIComponent(`k${NUL}`)}=${encodeURIComponent(NUL)}`);
          attempts.push(['querystring', () => withValidParams((path) => (body ? withNulQuery(path).send(body) : withNulQuery(path)))]);
        }
        if (schema?.params && /:\w+/.test(route.url)) {
          const withNul = route.url.replace(/:(\w+)/g, () => encodeURIComponent(NUL));
          attempts.push(['params', () => send(withNul)]);
        }
        for (const [part, attempt] of attempts) {
          const res = await attempt();
          const refused = res.status === 400 && /NUL character/.test(res.body.error?.message ?? '') && res.body.error!.message!.includes(part);
          if (!refused) failures.push(`${method} ${route.url} (${part}): ${res.status} ${JSON.stringify(res.body).slice(0, 160)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(routes.filter((r) => (r.schema as { body?: unknown } | undefined)?.body).length).toBeGreaterThan(15);
  });
});
