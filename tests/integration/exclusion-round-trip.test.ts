// Excluding a rater and including them again: recorded, reversible, and the comparison counters follow, so
// the affected comparisons reopen, never take more than k counted judgments at submission, and after the
// re-inclusion the stats use the k earliest judgments and report the surplus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, newSecret } from '../../server/services/auth/secrets';
import { client, createUser, startTestApp, type TestApp, type TestUser } from '../helpers/app';
import { everyoneJudges, seedStats, type SeededStats } from '../../testkit/factory';

describe('rater exclusion', () => {
  let t: TestApp;
  let admin: TestUser;
  let seeded: SeededStats;
  let leaseId: string;
  const K = 2;

  const counters = async () =>
    (await t.app.ctx.db.prisma.comparison.findMany({ where: { id: { in: seeded.comparisonIds } }, orderBy: { id: 'asc' }, select: { submitted: true, leased: true } }));
  const stats = async () => (await client(t.app, admin).get(`/api/campaigns/${seeded.campaignId}/stats?rounds=0`).expect(200)).body;
  const m1 = (body: { leaderboard: { model: string }[] }) => body.leaderboard.find((r) => r.model === 'm1');
  const setExcluded = (action: 'exclude' | 'include', raterId: string, body: object = {}) =>
    client(t.app, admin).post(`/api/campaigns/${seeded.campaignId}/raters/${raterId}/${action}`).send(body);

  /** Judges through the rater loop until nothing is left; every answer is a tie (the same on either side). */
  async function judgeAll(rater: TestUser): Promise<number> {
    const first = await client(t.app, rater).get(`/api/campaigns/${seeded.campaignId}/assignments/next?prefetch=0`);
    let queue = first.status === 200 ? first.body : null;
    let judged = 0;
    while (queue) {
      const { id } = queue.assignment;
      const res = await client(t.app, rater).post(`/api/assignments/${id}/judgment`).send({ choice: 'tie', timeMs: 9000, idempotencyKey: `tie-${id}` }).expect(200);
      judged++;
      // The invariant, checked at every submission: never more than k counted judgments.
      for (const c of await counters()) expect(c.submitted).toBeLessThanOrEqual(K);
      queue = res.body.next;
    }
    return judged;
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t.app, 'ADMIN');
    // Comparisons 0-2 are full: the bad rater said B first, the good rater A. Comparison 3 is open, and
    // the bad rater holds a lease on it.
    seeded = await seedStats(t.app, {
      k: K,
      comparisons: Array.from({ length: 4 }, () => ({ modelA: 'm1', modelB: 'm2' })),
      raters: ['Bad rater', 'Good rater'],
      judgments: everyoneJudges(3, 2, (_, r) => (r === 0 ? 'B' : 'A')),
    });
    const { prisma } = t.app.ctx.db;
    leaseId = (
      await prisma.assignment.create({
        data: { campaignId: seeded.campaignId, comparisonId: seeded.comparisonIds[3]!, raterId: seeded.raterIds[0]!, leftIsA: true, guidelineVersion: 1, expiresAt: new Date(Date.now() + 600_000) },
      })
    ).id;
    await prisma.comparison.update({ where: { id: seeded.comparisonIds[3]! }, data: { leased: 1 } });
  });
  afterAll(async () => t.close());

  it('excludes: records the event, reopens the comparisons, closes the leases, and the rater is turned away', async () => {
    const [bad] = seeded.raterIds;
    const res = await setExcluded('exclude', bad!, { reason: 'always picks B' }).expect(200);
    expect(res.body).toEqual({ raterId: bad, excluded: true, comparisonsAffected: 3, leasesClosed: 1 });
    expect(await counters()).toEqual([
      { submitted: 1, leased: 0 },
      { submitted: 1, leased: 0 },
      { submitted: 1, leased: 0 },
      { submitted: 0, leased: 0 },
    ]);
    const { prisma } = t.app.ctx.db;
    expect(await prisma.assignment.findUniqueOrThrow({ where: { id: leaseId } })).toMatchObject({ status: 'EXPIRED' });
    const events = await prisma.raterExclusion.findMany({ where: { campaignId: seeded.campaignId } });
    expect(events).toMatchObject([{ raterId: bad, excluded: true, actorId: admin.id, reason: 'always picks B' }]);
    expect(await prisma.campaignMember.findUniqueOrThrow({ where: { campaignId_userId: { campaignId: seeded.campaignId, userId: bad! } } })).toMatchObject({ excluded: true });
    // Asking again changes nothing and records nothing.
    expect((await setExcluded('exclude', bad!).expect(200)).body).toMatchObject({ excluded: true, comparisonsAffected: 0, leasesClosed: 0 });
    expect(await prisma.raterExclusion.count({ where: { campaignId: seeded.campaignId } })).toBe(1);

    const body = await stats();
    expect(body.raters.find((r: { id: string }) => r.id === bad)).toMatchObject({ excluded: true, judgments: 3 });
    expect(m1(body)).toMatchObject({ wins: 3, losses: 0, ties: 0 });
    expect(body.progress).toMatchObject({ judgments: 3, complete: 0 });

    // The rater loop turns the excluded rater away.
    const session = newSecret(t.app.ctx.random, 'jxs');
    await prisma.session.create({ data: { userId: bad!, tokenHash: hashSecret(session), expiresAt: new Date(Date.now() + 3_600_000) } });
    const turnedAway = await client(t.app, { id: bad!, email: '', role: 'RATER', session }).get(`/api/campaigns/${seeded.campaignId}/assignments/next`).expect(403);
    expect(turnedAway.body.error.code).toBe('NOT_A_MEMBER');
  });

  it('lets new raters fill the reopened comparisons up to k and no further', async () => {
    const judged = [];
    for (let i = 0; i < 2; i++) judged.push(await judgeAll(await createUser(t.app, 'RATER', [seeded.campaignId])));
    // One more judgment for each of comparisons 0-2, two for comparison 3.
    expect(judged.reduce((a, b) => a + b, 0)).toBe(5);
    expect(await counters()).toEqual(Array.from({ length: 4 }, () => ({ submitted: K, leased: 0 })));
    const body = await stats();
    expect(body.progress).toMatchObject({ judgments: 8, complete: 4, target: 8 });
    expect(body.surplus).toBe(0);
    expect(m1(body)).toMatchObject({ wins: 3, losses: 0, ties: 5 });
  });

  it('includes again: the counters count the judgments back, and stats use the k earliest and report the surplus', async () => {
    const [bad] = seeded.raterIds;
    const res = await setExcluded('include', bad!, { reason: 'reviewed: fine' }).expect(200);
    expect(res.body).toEqual({ raterId: bad, excluded: false, comparisonsAffected: 3, leasesClosed: 0 });
    expect((await counters()).map((c) => c.submitted)).toEqual([3, 3, 3, 2]);
    const body = await stats();
    // Comparisons 0-2 count their two earliest (bad B, good A); the new raters' ties there are surplus.
    expect(body.surplus).toBe(3);
    expect(m1(body)).toMatchObject({ wins: 3, losses: 3, ties: 2 });
    expect(body.progress).toMatchObject({ judgments: 8, complete: 4 });
    expect(body.raters.find((r: { id: string }) => r.id === bad)).toMatchObject({ excluded: false });
    const events = await t.app.ctx.db.prisma.raterExclusion.findMany({ where: { campaignId: seeded.campaignId }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.excluded)).toEqual([true, false]);
  });

  it('is for admins, and only for raters of the campaign', async () => {
    const rater = await createUser(t.app, 'RATER', [seeded.campaignId]);
    await client(t.app, rater).post(`/api/campaigns/${seeded.campaignId}/raters/${seeded.raterIds[1]}/exclude`).send({}).expect(403);
    const outsider = await createUser(t.app, 'RATER');
    const res = await setExcluded('exclude', outsider.id).expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});
