// The stopping rule in GET /api/campaigns/:id/stats (settled or unsettled adjacent pairs, answered by settling or
// by budget, the estimate of judgments still needed), the leaderboard from the uniform arm alone, and a campaign
// pausing itself once answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshDuePriorities } from '../../server/services/selection/refresh-pair-priorities';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { seedStats, type StatsComparison, type StatsJudgment } from '../../testkit/factory';

/** `wins` of modelA and `losses` over as many one-judgment comparisons, judged by one rater. */
function games(modelA: string, modelB: string, wins: number, losses: number): { comparisons: StatsComparison[]; choices: ('A' | 'B')[] } {
  const comparisons = Array.from({ length: wins + losses }, () => ({ modelA, modelB }));
  return { comparisons, choices: comparisons.map((_, i) => (i < wins ? 'A' : 'B')) };
}

function spec(...groups: ReturnType<typeof games>[]) {
  const comparisons = groups.flatMap((g) => g.comparisons);
  const choices = groups.flatMap((g) => g.choices);
  const judgments: StatsJudgment[] = choices.map((choice, comparison) => ({ comparison, rater: 0, choice }));
  return { k: 1, comparisons, raters: 1, judgments };
}

describe('stopping rule', () => {
  let t: TestApp;
  let admin: TestUser;
  const stats = async (campaignId: string, query = '') =>
    (await client(t.app, admin).get(`/api/campaigns/${campaignId}/stats?rounds=300${query}`).expect(200)).body;
  // a over b and b over c clearly; a over c almost always.
  const clear = () => spec(games('a', 'b', 34, 6), games('b', 'c', 34, 6), games('a', 'c', 19, 1));

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
  });
  afterAll(async () => t.close());

  it('calls the campaign answered when every adjacent pair is settled', async () => {
    const s = await seedStats(t.app, clear());
    const { answer } = await stats(s.campaignId);
    expect(answer).toMatchObject({ arm: 'all', answered: 'settled', moreJudgments: 0, judgments: 100, spent: 100, budget: null, unrated: [] });
    expect(answer.pairs.map((p: { upper: string; lower: string; settled: boolean }) => [p.upper, p.lower, p.settled])).toEqual([
      ['a', 'b', true],
      ['b', 'c', true],
    ]);
    expect(answer.pairs[0].ci[0]).toBeGreaterThan(0);
  });

  it('leaves a close pair unsettled with an estimate, and calls it answered once the budget is spent', async () => {
    const s = await seedStats(t.app, spec(games('a', 'b', 34, 6), games('b', 'c', 11, 9), games('a', 'c', 19, 1)));
    const { answer } = await stats(s.campaignId);
    expect(answer.answered).toBeNull();
    const close = answer.pairs.find((p: { upper: string }) => p.upper === 'b' || p.upper === 'c');
    expect(close).toMatchObject({ settled: false });
    expect(close.ci[0]).toBeLessThanOrEqual(0);
    expect(answer.moreJudgments).toBeGreaterThan(0);

    await client(t.app, admin).patch(`/api/campaigns/${s.campaignId}`).send({ judgmentBudget: 60 }).expect(200);
    expect((await stats(s.campaignId)).answer).toMatchObject({ answered: 'budget', budget: 60, spent: 80 });
  });

  it('rests the leaderboard on the uniform arm alone when asked, leaving out what active selection picked', async () => {
    const s = await seedStats(t.app, clear());
    // A quarter of the judged assignments as if active selection had picked them.
    await t.app.ctx.db.prisma.$executeRawUnsafe(
      `UPDATE "Assignment" SET arm = 'active' WHERE id IN (SELECT id FROM "Assignment" WHERE "campaignId" = $1::uuid ORDER BY "comparisonId" LIMIT 25)`,
      s.campaignId,
    );
    const all = await stats(s.campaignId);
    const uniform = await stats(s.campaignId, '&arm=uniform');
    expect(all.answer).toMatchObject({ arm: 'all', judgments: 100, arms: { uniform: 75, control: 0, active: 25 } });
    expect(uniform.answer).toMatchObject({ arm: 'uniform', judgments: 75, spent: 100 });
    const judged = (board: { judgments: number }[]) => board.reduce((n, r) => n + r.judgments, 0) / 2;
    expect(judged(uniform.leaderboard)).toBe(75);
    expect(judged(all.leaderboard)).toBe(100);
  });

  it('says nothing is settled yet on a campaign without judgments', async () => {
    const created = await client(t.app, admin).post('/api/campaigns').send({ name: 'Empty' }).expect(201);
    expect((await stats(created.body.id)).answer).toMatchObject({ answered: null, pairs: [], unrated: [], moreJudgments: null, judgments: 0 });
  });

  it('refuses a bad stopping rule or arm without changing anything', async () => {
    const s = await seedStats(t.app, clear());
    for (const bad of [{ judgmentBudget: 0 }, { settleMargin: -1 }, { pauseWhenAnswered: 'yes' }]) {
      const res = await client(t.app, admin).patch(`/api/campaigns/${s.campaignId}`).send(bad).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const campaign = (await client(t.app, admin).get(`/api/campaigns/${s.campaignId}`).expect(200)).body;
    expect(campaign).toMatchObject({ judgmentBudget: null, settleMargin: 0, pauseWhenAnswered: false });
    expect((await client(t.app, admin).get(`/api/campaigns/${s.campaignId}/stats?arm=active`).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });

  it('pauses a campaign that asks for it once answered, and only that one', async () => {
    const answered = await seedStats(t.app, { ...clear(), status: 'ACTIVE' });
    const open = await seedStats(t.app, { ...spec(games('a', 'b', 11, 9)), status: 'ACTIVE' });
    for (const s of [answered, open]) await client(t.app, admin).patch(`/api/campaigns/${s.campaignId}`).send({ pauseWhenAnswered: true }).expect(200);
    await refreshDuePriorities(t.app.ctx);
    const status = async (id: string) => (await client(t.app, admin).get(`/api/campaigns/${id}`).expect(200)).body.status;
    expect(await status(answered.campaignId)).toBe('PAUSED');
    expect(await status(open.campaignId)).toBe('ACTIVE');
    const audit = await t.app.ctx.db.prisma.auditEvent.findFirst({ where: { campaignId: answered.campaignId, action: 'campaign.status' } });
    expect(audit).toMatchObject({ via: 'system' });
  });
});
