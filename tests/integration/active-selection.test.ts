// Active pair selection through the claim: the campaign setting, claims steered by the model-pair priorities,
// the control arm and the stale fallback recorded per assignment, and the background refresh taken by one
// instance at a time. Both databases (the advisory lock held elsewhere: Postgres only, PGlite is one process).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFullPairs, writePairPriorities } from '../../server/db/repositories/selection';
import { SELECTION_SQL } from '../../server/db/sql/selection';
import { refreshDuePriorities } from '../../server/services/selection/refresh-pair-priorities';
import { client, createUser, startTestApp, type TestApp } from '../helpers/app';
import { seedComparisons, type SeededComparisons } from '../../testkit/factory';

describe('active pair selection', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  /** The model pair (sorted) and arm of every assignment of the campaign. */
  const assignments = async (campaignId: string) =>
    t.app.ctx.db.prisma.$queryRawUnsafe<{ pair: string; arm: string }[]>(
      `SELECT least(ra.model, rb.model) || ' ' || greatest(ra.model, rb.model) AS pair, a.arm::text AS arm
       FROM "Assignment" a JOIN "Comparison" c ON c.id = a."comparisonId"
       JOIN "Response" ra ON ra.id = c."responseAId" JOIN "Response" rb ON rb.id = c."responseBId"
       WHERE a."campaignId" = $1::uuid`,
      campaignId,
    );

  /** Five raters each take their two leases. */
  const claimAsFiveRaters = async (s: SeededComparisons) => {
    for (let i = 0; i < 5; i++) {
      const rater = await createUser(t.app, 'RATER', [s.campaignId]);
      await client(t.app, rater).get(`/api/campaigns/${s.campaignId}/assignments/next`).expect(200);
    }
  };

  /** Only the pair of models 0 and 1 has weight; every other pair next to none. */
  const favourFirstPair = async (s: SeededComparisons, at = new Date()) => {
    const [m0, m1, ...rest] = s.models;
    const others = [m0!, m1!, ...rest].flatMap((a, i, all) => all.slice(i + 1).map((b) => ({ modelA: a, modelB: b, priority: 1e-12 })));
    const rows = others.map((r) => (r.modelA === m0 && r.modelB === m1 ? { ...r, priority: 1 } : r));
    await writePairPriorities(t.app.ctx.db, s.campaignId, rows, at, 0);
  };

  it('is a campaign setting with a control share, and refuses bad values without changing anything', async () => {
    const admin = await createUser(t.app, 'ADMIN');
    const created = await client(t.app, admin).post('/api/campaigns').send({ name: `Active ${randomUUID()}`, selection: 'active' }).expect(201);
    expect(created.body).toMatchObject({ selection: 'active', controlShare: 0.2 });
    const id = created.body.id as string;
    for (const bad of [{ controlShare: 1.5 }, { controlShare: -0.1 }, { selection: 'sometimes' }]) {
      const res = await client(t.app, admin).patch(`/api/campaigns/${id}`).send(bad).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const patched = await client(t.app, admin).patch(`/api/campaigns/${id}`).send({ selection: 'uniform', controlShare: 0.5 }).expect(200);
    expect(patched.body).toMatchObject({ selection: 'uniform', controlShare: 0.5 });
    const defaults = await client(t.app, admin).post('/api/campaigns').send({ name: `Uniform ${randomUUID()}` }).expect(201);
    expect(defaults.body).toMatchObject({ selection: 'uniform', controlShare: 0.2 });
  });

  it('serves the pairs the priorities favour, recorded as the active arm', async () => {
    const s = await seedComparisons(t.app.ctx.db.prisma, { prompts: 6, models: 4, votes: 3, selection: 'active', controlShare: 0 });
    await favourFirstPair(s);
    await claimAsFiveRaters(s);
    const rows = await assignments(s.campaignId);
    expect(rows).toHaveLength(10);
    const favoured = [s.models[0]!, s.models[1]!].sort().join(' ');
    expect(rows.every((r) => r.pair === favoured && r.arm === 'active'), JSON.stringify(rows)).toBe(true);
  });

  it('keeps the control share uniform, and falls back to uniform when the priorities are stale or missing', async () => {
    const prisma = t.app.ctx.db.prisma;
    const control = await seedComparisons(prisma, { prompts: 3, models: 4, selection: 'active', controlShare: 1 });
    await favourFirstPair(control);
    await claimAsFiveRaters(control);
    expect(new Set((await assignments(control.campaignId)).map((r) => r.arm))).toEqual(new Set(['control']));

    const stale = await seedComparisons(prisma, { prompts: 3, models: 4, selection: 'active', controlShare: 0 });
    await favourFirstPair(stale, new Date(Date.now() - (t.app.ctx.config.selection.staleSeconds + 1) * 1000));
    const missing = await seedComparisons(prisma, { prompts: 3, models: 4, selection: 'active', controlShare: 0 });
    for (const s of [stale, missing]) {
      await claimAsFiveRaters(s);
      const rows = await assignments(s.campaignId);
      expect(new Set(rows.map((r) => r.arm))).toEqual(new Set(['uniform']));
      // In id order: the first prompt's pairs first, whatever their models.
      expect(new Set(rows.map((r) => r.pair)).size).toBeGreaterThan(1);
    }
  });

  it('refreshes the priorities of due active campaigns from their judgments, once per interval', async () => {
    const prisma = t.app.ctx.db.prisma;
    const s = await seedComparisons(prisma, { prompts: 4, models: 3, votes: 2, selection: 'active' });
    const uniform = await seedComparisons(prisma, { prompts: 2, models: 3 });
    for (let i = 0; i < 3; i++) {
      const rater = await createUser(t.app, 'RATER', [s.campaignId]);
      let queue = (await client(t.app, rater).get(`/api/campaigns/${s.campaignId}/assignments/next?prefetch=0`).expect(200)).body;
      for (let n = 0; n < 6 && queue; n++) {
        const choice = n % 3 === 0 ? 'right' : 'left';
        const res = await client(t.app, rater).post(`/api/assignments/${queue.assignment.id}/judgment`).send({ choice, timeMs: 3000, idempotencyKey: randomUUID() }).expect(200);
        queue = res.body.next;
      }
    }
    // Other tests' active campaigns are due too; this one must be among those refreshed.
    expect(await refreshDuePriorities(t.app.ctx)).toBeGreaterThanOrEqual(1);
    const refresh = await prisma.selectionRefresh.findUnique({ where: { campaignId: s.campaignId } });
    expect(refresh).toMatchObject({ claimedAt: null, judgments: await prisma.judgment.count({ where: { campaignId: s.campaignId } }) });
    expect(refresh!.judgments).toBeGreaterThan(10);
    const priorities = await prisma.modelPairPriority.findMany({ where: { campaignId: s.campaignId } });
    // Three models, three pairs, each stored in both orders.
    expect(priorities).toHaveLength(6);
    expect(priorities.every((p) => p.priority > 0 && p.priority <= 1)).toBe(true);
    expect(await prisma.selectionRefresh.findUnique({ where: { campaignId: uniform.campaignId } })).toBeNull();
    // Not due again within the interval.
    const before = refresh!.refreshedAt!.getTime();
    await refreshDuePriorities(t.app.ctx);
    expect((await prisma.selectionRefresh.findUnique({ where: { campaignId: s.campaignId } }))!.refreshedAt!.getTime()).toBe(before);
  });

  it('tells the refresh which model pairs have no open place left (leases count; a pair with no comparison is full)', async () => {
    const s = await seedComparisons(t.app.ctx.db.prisma, { prompts: 1, models: 3, votes: 1, selection: 'active' });
    const [m0, m1, m2] = s.models as [string, string, string];
    expect([(await readFullPairs(t.app.ctx.db, s.campaignId))(m0, m1), (await readFullPairs(t.app.ctx.db, s.campaignId))(m1, m2)]).toEqual([false, false]);
    // No priorities yet: the claim is in id order, so it leases the first comparison, models 0 and 1.
    const rater = await createUser(t.app, 'RATER', [s.campaignId]);
    await client(t.app, rater).get(`/api/campaigns/${s.campaignId}/assignments/next?prefetch=0`).expect(200);
    const full = await readFullPairs(t.app.ctx.db, s.campaignId);
    expect([full(m0, m1), full(m1, m0), full(m0, m2), full(m1, m2), full(m0, 'not-in-the-campaign')]).toEqual([true, true, false, false, true]);
  });

  it('lets no instance take a refresh that another took and has not finished', async () => {
    const prisma = t.app.ctx.db.prisma;
    const s = await seedComparisons(prisma, { prompts: 2, models: 3, selection: 'active' });
    const now = new Date();
    const take = () => t.app.ctx.db.sql.query<{ id: string }>(SELECTION_SQL.takeDueRefreshes, [now, now, new Date(now.getTime() - 60_000), 1000]);
    expect((await take()).map((r) => r.id)).toContain(s.campaignId);
    expect((await take()).map((r) => r.id)).not.toContain(s.campaignId);
  });

  it.skipIf(!process.env.DATABASE_URL)('takes nothing while another instance holds the advisory lock', async () => {
    const s = await seedComparisons(t.app.ctx.db.prisma, { prompts: 2, models: 3, selection: 'active' });
    const now = new Date();
    const taken = await t.app.ctx.db.transaction(async (tx) => {
      await tx.sql.execute(`SELECT pg_advisory_xact_lock(hashtext('juxta:selection-refresh'))`, []);
      // Outside the transaction: another connection, as another instance would be.
      return t.app.ctx.db.sql.query<{ id: string }>(SELECTION_SQL.takeDueRefreshes, [now, now, now, 1000]);
    });
    expect(taken).toEqual([]);
    expect((await refreshDuePriorities(t.app.ctx)) >= 1).toBe(true);
    expect(await t.app.ctx.db.prisma.selectionRefresh.findUnique({ where: { campaignId: s.campaignId } })).not.toBeNull();
  });
});
