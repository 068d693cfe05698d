// The audit trail: every admin route (from Fastify's registry) writes its row when it succeeds, in its
// own transaction (a refused action writes none), never a secret; GET /api/audit filters and pages.
import { randomUUID } from 'node:crypto';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TAuditEvent, TAuditPage } from '../../server/contract/audit';
import { hashSecret, newSecret } from '../../server/services/auth/secrets';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { createCampaign } from '../helpers/auth';
import { seedComparisons } from '../../testkit/factory';
import { upload } from './import-helpers';

/** A successful call of one admin route, and the action its audit row must name. */
interface Recipe {
  action: string;
  call(): Promise<{ status: number; body: unknown }>;
}

/** Non-GET routes except the public and rater ones, plus export downloads (decided in issue 11). */
const AUDITED_GETS = new Set(['GET /api/campaigns/:id/export']);

describe('audit trail', () => {
  let t: TestApp;
  let admin: TestUser;
  const routes: RouteOptions[] = [];

  beforeAll(async () => {
    t = await startTestApp({ overrides: { onRoute: (route) => routes.push(route) } });
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => t.close());

  const prisma = () => t.app.ctx.db.prisma;
  const as = (user: TestUser | null = admin, bearer?: string) => client(t.app, user, bearer);
  const lastId = async () => (await prisma().auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } }))?.id ?? 0n;
  const rowsAfter = (id: bigint) => prisma().auditEvent.findMany({ where: { id: { gt: id } }, orderBy: { id: 'asc' } });
  const member = async () => {
    const campaign = await createCampaign(t.app);
    const rater = await createUser(t.app, 'RATER', [campaign.id]);
    return { campaign, rater };
  };
  /** A flag on a fresh comparison; its id. */
  const flagged = async () => {
    const seeded = await seedComparisons(prisma());
    const rater = await createUser(t.app, 'RATER', [seeded.campaignId]);
    const comparisonId = seeded.comparisonIds[0]!;
    const assignment = await prisma().assignment.create({
      data: { campaignId: seeded.campaignId, comparisonId, raterId: rater.id, leftIsA: true, guidelineVersion: 1, status: 'FLAGGED', expiresAt: new Date() },
    });
    return (await prisma().flag.create({ data: { campaignId: seeded.campaignId, assignmentId: assignment.id, comparisonId, raterId: rater.id, reason: 'BROKEN', target: 'A' } })).id;
  };
  /** A comparison with its k = 2 judgments in, one for each side; its id. */
  const disputed = async () => {
    const seeded = await seedComparisons(prisma(), { votes: 2 });
    const comparisonId = seeded.comparisonIds[0]!;
    for (const choice of ['A', 'B'] as const) {
      const rater = await createUser(t.app, 'RATER', [seeded.campaignId]);
      const assignment = await prisma().assignment.create({
        data: { campaignId: seeded.campaignId, comparisonId, raterId: rater.id, leftIsA: true, guidelineVersion: 1, status: 'SUBMITTED', expiresAt: new Date() },
      });
      await prisma().judgment.create({
        data: { assignmentId: assignment.id, activeAssignmentId: assignment.id, campaignId: seeded.campaignId, comparisonId, raterId: rater.id, choice, leftIsA: true, timeMs: 1000, idempotencyKey: randomUUID(), guidelineVersion: 1 },
      });
    }
    await prisma().comparison.update({ where: { id: comparisonId }, data: { submitted: 2 } });
    return comparisonId;
  };
  const nativeRecord = (n: number) => JSON.stringify({ id: `p${n}`, prompt: `question ${n}`, responses: [{ model: 'a', content: `x${n}` }, { model: 'b', content: `y${n}` }] });

  const endpointBody = () => ({ name: `endpoint ${randomUUID()}`, baseUrl: 'http://127.0.0.1:1/v1', model: 'm' });
  const newEndpoint = async () => (await as().post('/api/model-endpoints').send(endpointBody()).expect(201)).body.id as string;
  const jobSetup = async () => {
    const campaign = await createCampaign(t.app);
    await as().post(`/api/campaigns/${campaign.id}/imports`).set('content-type', 'application/x-ndjson').send(JSON.stringify({ prompt: 'awaiting' })).expect(201);
    return { campaignId: campaign.id, endpointId: await newEndpoint() };
  };
  const newJob = async () => {
    const { campaignId, endpointId } = await jobSetup();
    return (await as().post(`/api/campaigns/${campaignId}/generation-jobs`).send({ endpointIds: [endpointId] }).expect(201)).body.id as string;
  };
  const RECIPES: Record<string, Recipe> = {
    'POST /api/invites': { action: 'invite.create', call: () => as().post('/api/invites').send({ role: 'RATER' }) },
    'POST /api/invites/bulk': {
      action: 'invite.create',
      call: async () => as().post('/api/invites/bulk').send({ campaignId: (await createCampaign(t.app)).id, emails: [`bulk-${randomUUID()}@juxta.test`] }),
    },
    'DELETE /api/invites/:id': {
      action: 'invite.revoke',
      call: async () => {
        const { token } = (await as().post('/api/invites').send({ role: 'RATER' }).expect(201)).body as { token: string };
        const invite = await prisma().invite.findUniqueOrThrow({ where: { tokenHash: hashSecret(token) } });
        return as().delete(`/api/invites/${invite.id}`);
      },
    },
    'POST /api/tokens': { action: 'apitoken.create', call: () => as().post('/api/tokens').send({ name: 'audit test' }) },
    'DELETE /api/tokens/:id': {
      action: 'apitoken.revoke',
      call: async () => {
        const token = await prisma().apiToken.create({ data: { name: 'to revoke', tokenHash: randomUUID(), prefix: 'jxt_x', userId: admin.id } });
        return as().delete(`/api/tokens/${token.id}`);
      },
    },
    'POST /api/users/:id/deactivate': { action: 'user.deactivate', call: async () => as().post(`/api/users/${(await createUser(t.app)).id}/deactivate`).send({}) },
    'POST /api/users/:id/activate': {
      action: 'user.activate',
      call: async () => {
        const user = await createUser(t.app);
        await prisma().user.update({ where: { id: user.id }, data: { active: false } });
        return as().post(`/api/users/${user.id}/activate`).send({});
      },
    },
    'POST /api/users/:id/role': { action: 'user.role', call: async () => as().post(`/api/users/${(await createUser(t.app)).id}/role`).send({ role: 'ADMIN' }) },
    'POST /api/users/:id/password-reset': { action: 'user.password.reset-link', call: async () => as().post(`/api/users/${(await createUser(t.app)).id}/password-reset`) },
    'POST /api/campaigns/:id/members': {
      action: 'campaign.member.add',
      call: async () => as().post(`/api/campaigns/${(await createCampaign(t.app)).id}/members`).send({ userId: (await createUser(t.app)).id }),
    },
    'POST /api/campaigns/:id/reviewers': {
      action: 'campaign.reviewer.add',
      call: async () => as().post(`/api/campaigns/${(await createCampaign(t.app)).id}/reviewers`).send({ userId: (await createUser(t.app)).id }),
    },
    'DELETE /api/campaigns/:id/reviewers/:userId': {
      action: 'campaign.reviewer.remove',
      call: async () => {
        const [campaign, reviewer] = [await createCampaign(t.app), await createUser(t.app)];
        await prisma().campaignReviewer.create({ data: { campaignId: campaign.id, userId: reviewer.id } });
        return as().delete(`/api/campaigns/${campaign.id}/reviewers/${reviewer.id}`);
      },
    },
    'POST /api/campaigns/:id/join-link': {
      action: 'campaign.join-link.create',
      call: async () => as().post(`/api/campaigns/${(await createCampaign(t.app)).id}/join-link`).send({ maxUses: 3 }),
    },
    'DELETE /api/campaigns/:id/join-link': {
      action: 'campaign.join-link.revoke',
      call: async () => {
        const campaign = await createCampaign(t.app);
        await as().post(`/api/campaigns/${campaign.id}/join-link`).send({ maxUses: 3 }).expect(201);
        return as().delete(`/api/campaigns/${campaign.id}/join-link`);
      },
    },
    'POST /api/campaigns': { action: 'campaign.create', call: () => as().post('/api/campaigns').send({ name: 'Audited' }) },
    'PATCH /api/campaigns/:id': { action: 'campaign.update', call: async () => as().patch(`/api/campaigns/${(await createCampaign(t.app)).id}`).send({ name: 'Renamed' }) },
    'DELETE /api/campaigns/:id': { action: 'campaign.delete', call: async () => as().delete(`/api/campaigns/${(await createCampaign(t.app, 'ARCHIVED')).id}`) },
    'POST /api/campaigns/:id/imports': {
      action: 'import.publish',
      call: async () => upload(t.app, admin, (await createCampaign(t.app)).id, `${nativeRecord(1)}\n${nativeRecord(2)}\n`, 'application/x-ndjson'),
    },
    'POST /api/campaigns/:id/raters/:userId/exclude': {
      action: 'rater.exclude',
      call: async () => {
        const { campaign, rater } = await member();
        return as().post(`/api/campaigns/${campaign.id}/raters/${rater.id}/exclude`).send({ reason: 'too fast' });
      },
    },
    'POST /api/campaigns/:id/raters/:userId/include': {
      action: 'rater.include',
      call: async () => {
        const { campaign, rater } = await member();
        await prisma().campaignMember.update({ where: { campaignId_userId: { campaignId: campaign.id, userId: rater.id } }, data: { excluded: true } });
        return as().post(`/api/campaigns/${campaign.id}/raters/${rater.id}/include`).send({});
      },
    },
    'POST /api/flags/:id/dismiss': { action: 'flag.dismiss', call: async () => as().post(`/api/flags/${await flagged()}/dismiss`).send({ reason: 'fine' }) },
    'POST /api/flags/:id/reopen': {
      action: 'flag.reopen',
      call: async () => {
        const id = await flagged();
        await prisma().flag.update({ where: { id }, data: { dismissedAt: new Date() } });
        return as().post(`/api/flags/${id}/reopen`).send({});
      },
    },
    'POST /api/comparisons/:id/remove': {
      action: 'comparison.remove',
      call: async () => as().post(`/api/comparisons/${(await seedComparisons(prisma())).comparisonIds[0]}/remove`).send({ reason: 'off topic' }),
    },
    'POST /api/comparisons/:id/restore': {
      action: 'comparison.restore',
      call: async () => {
        const id = (await seedComparisons(prisma())).comparisonIds[0]!;
        await prisma().comparison.update({ where: { id }, data: { removedAt: new Date(), removed: true } });
        return as().post(`/api/comparisons/${id}/restore`).send({});
      },
    },
    'POST /api/responses/:id/mark-broken': {
      action: 'response.mark-broken',
      call: async () => as().post(`/api/responses/${(await seedComparisons(prisma())).responseIds[0]}/mark-broken`).send({ reason: 'truncated' }),
    },
    'POST /api/responses/:id/unmark-broken': {
      action: 'response.unmark-broken',
      call: async () => {
        const id = (await seedComparisons(prisma())).responseIds[0]!;
        await prisma().response.update({ where: { id }, data: { brokenAt: new Date() } });
        return as().post(`/api/responses/${id}/unmark-broken`).send({});
      },
    },
    'POST /api/model-endpoints': { action: 'model-endpoint.create', call: () => as().post('/api/model-endpoints').send(endpointBody()) },
    'PATCH /api/model-endpoints/:id': { action: 'model-endpoint.update', call: async () => as().patch(`/api/model-endpoints/${await newEndpoint()}`).send({ maxConcurrency: 2 }) },
    'DELETE /api/model-endpoints/:id': { action: 'model-endpoint.delete', call: async () => as().delete(`/api/model-endpoints/${await newEndpoint()}`) },
    // Port 1 on loopback refuses the connection: the test answers ok: false, and is recorded all the same.
    'POST /api/model-endpoints/:id/test': { action: 'model-endpoint.test', call: async () => as().post(`/api/model-endpoints/${await newEndpoint()}/test`).send({}) },
    'POST /api/campaigns/:id/generation-jobs': {
      action: 'generation-job.create',
      call: async () => {
        const { campaignId, endpointId } = await jobSetup();
        return as().post(`/api/campaigns/${campaignId}/generation-jobs`).send({ endpointIds: [endpointId] });
      },
    },
    'POST /api/generation-jobs/:id/pause': { action: 'generation-job.pause', call: async () => as().post(`/api/generation-jobs/${await newJob()}/pause`).send({}) },
    'POST /api/generation-jobs/:id/resume': {
      action: 'generation-job.resume',
      call: async () => {
        const id = await newJob();
        await prisma().generationJob.update({ where: { id }, data: { status: 'PAUSED' } });
        return as().post(`/api/generation-jobs/${id}/resume`).send({});
      },
    },
    'POST /api/generation-jobs/:id/cancel': { action: 'generation-job.cancel', call: async () => as().post(`/api/generation-jobs/${await newJob()}/cancel`).send({}) },
    'POST /api/generation-jobs/:id/retry-failed': {
      action: 'generation-job.retry-failed',
      call: async () => {
        const id = await newJob();
        await prisma().generationItem.updateMany({ where: { jobId: id }, data: { status: 'FAILED', lastError: 'x' } });
        return as().post(`/api/generation-jobs/${id}/retry-failed`).send({});
      },
    },
    'POST /api/comparisons/:id/adjudicate': {
      action: 'comparison.adjudicate',
      call: async () => as().post(`/api/comparisons/${await disputed()}/adjudicate`).send({ choice: 'A', note: 'A is right' }),
    },
    'POST /api/comparisons/:id/withdraw-adjudication': {
      action: 'comparison.withdraw-adjudication',
      call: async () => {
        const id = await disputed();
        await as().post(`/api/comparisons/${id}/adjudicate`).send({ choice: 'B' });
        return as().post(`/api/comparisons/${id}/withdraw-adjudication`).send({});
      },
    },
    'GET /api/campaigns/:id/export': { action: 'export.download', call: async () => as().get(`/api/campaigns/${(await createCampaign(t.app)).id}/export?format=raw`) },
  };

  /** "METHOD /path" of every admin route that must write an audit row. */
  const auditedRoutes = () =>
    routes
      .filter((r) => r.url.startsWith('/api/') && ['admin', 'reviewer', 'reviewer-export'].includes(r.config?.access ?? ''))
      .flatMap((r) => [r.method].flat().map((method) => `${method} ${r.url}`))
      .filter((key) => !/^(GET|HEAD) /.test(key) || AUDITED_GETS.has(key));

  it('every admin route of the registry has a recipe here, and writes its audit row when it succeeds', async () => {
    const keys = auditedRoutes();
    expect(keys.length).toBeGreaterThan(8);
    const missing = keys.filter((key) => !RECIPES[key]);
    expect(missing, 'add a successful call of these routes to RECIPES in tests/integration/audit-trail.test.ts').toEqual([]);
    const failures: string[] = [];
    for (const key of keys) {
      const recipe = RECIPES[key]!;
      const before = await lastId();
      const res = await recipe.call();
      if (res.status >= 300) {
        failures.push(`${key}: the recipe failed with ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        continue;
      }
      const rows = await rowsAfter(before);
      const mine = rows.filter((row) => row.action === recipe.action && row.actor === admin.id && row.actorEmail === admin.email && row.via === 'session');
      if (mine.length !== 1) failures.push(`${key}: expected one ${recipe.action} row by the admin, found ${JSON.stringify(rows.map((r) => r.action))}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('a refused or failed action writes no row', async () => {
    const before = await lastId();
    const { campaign } = await member();
    const stranger = await createUser(t.app);
    await as().post(`/api/campaigns/${campaign.id}/raters/${stranger.id}/exclude`).send({}).expect(404);
    await as().post(`/api/users/${admin.id}/deactivate`).send({}).expect(409);
    await as().delete(`/api/tokens/${randomUUID()}`).expect(404);
    await upload(t.app, admin, campaign.id, '{"prompt": "p", "responses": [false]}\n', 'application/x-ndjson').expect(400);
    await as(stranger).post('/api/campaigns').send({ name: 'not an admin' }).expect(403);
    expect(await rowsAfter(before)).toEqual([]);
  });

  it('rolls its row back with an action that fails after writing it (one transaction, not two)', async () => {
    const { campaign, rater } = await member();
    // A failure at commit, after the action and its audit row were both written: a deferred constraint
    // trigger on the action's own table that refuses the change. Were the row written apart, it would stay.
    await prisma().$executeRawUnsafe(`CREATE FUNCTION juxta_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
    await prisma().$executeRawUnsafe(`CREATE CONSTRAINT TRIGGER juxta_test_refuse_campaign AFTER UPDATE ON "Campaign" DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (NEW.name LIKE 'refused %') EXECUTE FUNCTION juxta_test_refuse()`);
    await prisma().$executeRawUnsafe(`CREATE CONSTRAINT TRIGGER juxta_test_refuse_member AFTER UPDATE ON "CampaignMember" DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (NEW.excluded) EXECUTE FUNCTION juxta_test_refuse()`);
    try {
      const before = await lastId();
      const rename = await as().patch(`/api/campaigns/${campaign.id}`).send({ name: 'refused rename' });
      const exclusion = await as().post(`/api/campaigns/${campaign.id}/raters/${rater.id}/exclude`).send({});
      // A failure at COMMIT is a failure on both databases (PGlite's adapter once answered 200: pglite-adapter.ts).
      expect([rename.status, exclusion.status]).toEqual([500, 500]);
      expect(await rowsAfter(before)).toEqual([]);
      expect((await prisma().campaign.findUniqueOrThrow({ where: { id: campaign.id } })).name).toBe(campaign.name);
      expect(await prisma().raterExclusion.count({ where: { campaignId: campaign.id } })).toBe(0);
      // The same actions without the failure write their rows: the triggers above were what refused them.
      await as().patch(`/api/campaigns/${campaign.id}`).send({ name: `renamed ${randomUUID()}` }).expect(200);
      expect((await rowsAfter(before)).map((row) => row.action)).toEqual(['campaign.update']);
    } finally {
      await prisma().$executeRawUnsafe('DROP TRIGGER juxta_test_refuse_campaign ON "Campaign"');
      await prisma().$executeRawUnsafe('DROP TRIGGER juxta_test_refuse_member ON "CampaignMember"');
      await prisma().$executeRawUnsafe('DROP FUNCTION juxta_test_refuse()');
    }
  });

  it('records the target, the campaign and the before/after summary of a change, and the token an action came through', async () => {
    const created = (await as().post('/api/campaigns').send({ name: 'Before', status: 'ACTIVE' }).expect(201)).body as { id: string };
    const before = await lastId();
    await as().patch(`/api/campaigns/${created.id}`).send({ status: 'PAUSED' }).expect(200);
    const token = newSecret(t.app.ctx.random, 'jxt');
    const tokenRow = await prisma().apiToken.create({ data: { name: 'script', tokenHash: hashSecret(token), prefix: token.slice(0, 12), userId: admin.id, scopes: ['campaigns:write'] } });
    await as(null, token).patch(`/api/campaigns/${created.id}`).send({ name: 'After', votesPerComparison: 5 }).expect(200);
    const [status, update] = await rowsAfter(before);
    expect(status).toMatchObject({ action: 'campaign.status', targetType: 'campaign', targetId: created.id, campaignId: created.id });
    expect(status!.before).toMatchObject({ status: 'ACTIVE' });
    expect(status!.after).toMatchObject({ status: 'PAUSED' });
    expect(update).toMatchObject({ action: 'campaign.update', via: `token:${tokenRow.id}`, actor: admin.id });
    expect(update!.before).toMatchObject({ name: 'Before', votesPerComparison: 3 });
    expect(update!.after).toMatchObject({ name: 'After', votesPerComparison: 5 });
  });

  it('never stores a secret: the invite and API tokens handed out appear in no audit row', async () => {
    const before = await lastId();
    const invite = (await as().post('/api/invites').send({ role: 'ADMIN', email: 'new-admin@juxta.test' }).expect(201)).body as { token: string };
    const apiToken = (await as().post('/api/tokens').send({ name: 'ci', expiresInDays: 30 }).expect(201)).body as { token: string; apiToken: { id: string } };
    const rows = await rowsAfter(before);
    const text = JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    expect(rows.map((r) => r.action)).toEqual(['invite.create', 'apitoken.create']);
    expect(text).not.toContain(invite.token);
    expect(text).not.toContain(apiToken.token);
    expect(text).not.toContain(hashSecret(invite.token));
    expect(text).not.toContain(hashSecret(apiToken.token));
    expect(rows[1]).toMatchObject({ targetType: 'apitoken', targetId: apiToken.apiToken.id });
    expect(rows[0]!.after).toMatchObject({ role: 'ADMIN', email: 'new-admin@juxta.test' });
  });

  it('records an export download with its query and asOf, and keeps the row after the campaign is gone', async () => {
    const campaign = await createCampaign(t.app);
    const before = await lastId();
    const res = await as().get(`/api/campaigns/${campaign.id}/export?format=trl&asOf=2026-12-01T00:00:00.000Z`).expect(200);
    await prisma().campaign.delete({ where: { id: campaign.id } });
    const [row] = await rowsAfter(before);
    expect(row).toMatchObject({ action: 'export.download', campaignId: campaign.id });
    expect(row!.after).toMatchObject({ query: { format: 'trl' }, asOf: '2026-12-01T00:00:00.000Z' });
    expect(res.headers['content-disposition']).toContain((row!.after as { fileName: string }).fileName);
  });

  describe('GET /api/audit', () => {
    const list = (query: Record<string, string>) => as().get(`/api/audit?${new URLSearchParams(query)}`);

    it('filters by actor, action (exact or area), target and time, newest first, in keyset pages', async () => {
      const other = await createUser(t.app, 'ADMIN');
      const start = new Date().toISOString();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(((await as(other).post('/api/campaigns').send({ name: `Paged ${i}` }).expect(201)).body as { id: string }).id);
      await as(other).patch(`/api/campaigns/${ids[0]}`).send({ name: 'Paged renamed' }).expect(200);

      const mine = (await list({ actor: other.id, limit: '2' }).expect(200)).body as TAuditPage;
      expect(mine.items.map((e) => e.action)).toEqual(['campaign.update', 'campaign.create']);
      const seen: TAuditEvent[] = [...mine.items];
      let cursor = mine.nextCursor;
      while (cursor) {
        const page = (await list({ actor: other.id, limit: '2', cursor }).expect(200)).body as TAuditPage;
        seen.push(...page.items);
        cursor = page.nextCursor;
      }
      expect(seen).toHaveLength(6);
      expect(new Set(seen.map((e) => e.id)).size).toBe(6);
      expect(seen.map((e) => BigInt(e.id))).toEqual([...seen.map((e) => BigInt(e.id))].sort((a, b) => (a > b ? -1 : 1)));
      expect(seen.slice(1).map((e) => e.targetId)).toEqual([...ids].reverse());

      const creates = (await list({ actor: other.id, action: 'campaign.create' }).expect(200)).body as TAuditPage;
      expect(creates.items).toHaveLength(5);
      const area = (await list({ actor: other.id, action: 'campaign.' }).expect(200)).body as TAuditPage;
      expect(area.items).toHaveLength(6);
      const target = (await list({ targetType: 'campaign', targetId: ids[0]! }).expect(200)).body as TAuditPage;
      expect(target.items.map((e) => e.action)).toEqual(['campaign.update', 'campaign.create']);
      const future = (await list({ actor: other.id, from: new Date(Date.now() + 3_600_000).toISOString() }).expect(200)).body as TAuditPage;
      expect(future).toEqual({ items: [], nextCursor: null });
      const window = (await list({ actor: other.id, from: start, to: new Date(Date.now() + 1000).toISOString() }).expect(200)).body as TAuditPage;
      expect(window.items).toHaveLength(6);
    });

    it('answers bad filters with a 400 that names the field, and only admins', async () => {
      const bad: Record<string, string>[] = [{ from: 'yesterday' }, { cursor: 'abc' }, { limit: '0' }, { campaignId: 'nope' }, { from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' }];
      for (const query of bad) {
        const res = await list(query).expect(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
        expect(JSON.stringify(res.body.error)).toContain(Object.keys(query)[0]);
      }
      const rater = await createUser(t.app);
      await as(rater).get('/api/audit').expect(403);
      await as(null).get('/api/audit').expect(401);
    });
  });
});
