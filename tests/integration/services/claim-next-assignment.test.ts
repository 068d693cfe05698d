// Claiming the next comparison, called as a service (no HTTP) with a scripted clock and randomness: who may
// claim, how many leases, what a paused campaign still shows, why nothing is left, side order and gold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../../server/services/context';
import { claimNextAssignment } from '../../../server/services/rating/claim-next-assignment';
import { seedComparisons } from '../../../testkit/factory';
import { createUser, startTestApp, type TestApp } from '../../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const NOW = new Date('2026-05-04T10:00:00Z');

/** The app's context with a fixed clock and these draws from random.float (then 0.9: right side, no gold). */
function ctxWith(draws: number[] = [], now = NOW): ServiceContext {
  const queue = [...draws];
  return { ...t.app.ctx, clock: { now: () => now }, random: { ...t.app.ctx.random, float: () => queue.shift() ?? 0.9 } };
}

function claim(ctx: ServiceContext, raterId: string, campaignId: string, options: { prefetch?: boolean; explainInactive?: boolean } = {}) {
  return claimNextAssignment(ctx, raterId, campaignId, { prefetch: options.prefetch ?? true, explainInactive: options.explainInactive ?? true });
}

const leasesOf = (raterId: string) =>
  t.app.ctx.db.prisma.assignment.findMany({ where: { raterId, status: 'LEASED' }, orderBy: { issuedAt: 'asc' }, select: { id: true, comparisonId: true, leftIsA: true } });

describe('claimNextAssignment', () => {
  it('refuses strangers and excluded raters with NOT_A_MEMBER, and leases them nothing', async () => {
    const s = await seedComparisons(t.app.ctx.db.prisma);
    const stranger = await createUser(t.app, 'RATER');
    await expect(claim(ctxWith(), stranger.id, s.campaignId)).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
    const excluded = await createUser(t.app, 'RATER', [s.campaignId]);
    await t.app.ctx.db.prisma.campaignMember.update({ where: { campaignId_userId: { campaignId: s.campaignId, userId: excluded.id } }, data: { excluded: true } });
    await expect(claim(ctxWith(), excluded.id, s.campaignId)).rejects.toMatchObject({ code: 'NOT_A_MEMBER' });
    expect([...(await leasesOf(stranger.id)), ...(await leasesOf(excluded.id))]).toEqual([]);
  });

  it('leases two with prefetch and one without; a second call answers the open leases again', async () => {
    const s = await seedComparisons(t.app.ctx.db.prisma);
    const [a, b] = [await createUser(t.app, 'RATER', [s.campaignId]), await createUser(t.app, 'RATER', [s.campaignId])];
    const first = await claim(ctxWith(), a.id, s.campaignId);
    expect(first.next?.assignment.id).toBeDefined();
    expect(first.next?.next?.id).toBeDefined();
    expect(first.next?.next?.id).not.toBe(first.next?.assignment.id);
    const again = await claim(ctxWith(), a.id, s.campaignId);
    expect([again.next?.assignment.id, again.next?.next?.id]).toEqual([first.next?.assignment.id, first.next?.next?.id]);
    expect(await leasesOf(a.id)).toHaveLength(2);

    const single = await claim(ctxWith(), b.id, s.campaignId, { prefetch: false });
    expect(single.next?.assignment.id).toBeDefined();
    expect(single.next?.next).toBeNull();
    expect(await leasesOf(b.id)).toHaveLength(1);
  });

  it('draws each side order from the context: below one half shows A on the left', async () => {
    const s = await seedComparisons(t.app.ctx.db.prisma);
    const rater = await createUser(t.app, 'RATER', [s.campaignId]);
    await claim(ctxWith([0.2, 0.7]), rater.id, s.campaignId);
    expect((await leasesOf(rater.id)).map((l) => l.leftIsA)).toEqual([true, false]);
  });

  it('in a paused campaign shows the open lease but leases nothing new; with none open it explains, or just stops', async () => {
    const s = await seedComparisons(t.app.ctx.db.prisma);
    const [holder, other] = [await createUser(t.app, 'RATER', [s.campaignId]), await createUser(t.app, 'RATER', [s.campaignId])];
    const held = await claim(ctxWith(), holder.id, s.campaignId, { prefetch: false });
    await t.app.ctx.db.prisma.campaign.update({ where: { id: s.campaignId }, data: { status: 'PAUSED' } });

    const paused = await claim(ctxWith(), holder.id, s.campaignId);
    expect(paused.next?.assignment.id).toBe(held.next?.assignment.id);
    expect(paused.next?.next).toBeNull();
    expect(paused.next?.stop).toBe('CAMPAIGN_NOT_ACTIVE');
    expect(await leasesOf(holder.id)).toHaveLength(1);

    await expect(claim(ctxWith(), other.id, s.campaignId)).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_ACTIVE' });
    expect(await claim(ctxWith(), other.id, s.campaignId, { explainInactive: false })).toEqual({ next: null, stop: 'CAMPAIGN_NOT_ACTIVE' });
  });

  it('says why nothing more is leased: the cap, all leased (with the wait), or done', async () => {
    const { prisma } = t.app.ctx.db;
    const capped = await seedComparisons(prisma, { maxJudgmentsPerRater: 1 });
    const r1 = await createUser(t.app, 'RATER', [capped.campaignId]);
    const one = await claim(ctxWith(), r1.id, capped.campaignId);
    expect(one.next?.next).toBeNull();
    expect(one.next?.stop).toBe('CAP_REACHED');

    // One comparison (one prompt, two models), k = 1, held by someone else for the campaign's 600 s lease.
    const single = await seedComparisons(prisma, { prompts: 1, models: 2, votes: 1 });
    const [holder, waiting] = [await createUser(t.app, 'RATER', [single.campaignId]), await createUser(t.app, 'RATER', [single.campaignId])];
    await claim(ctxWith(), holder.id, single.campaignId);
    expect(await claim(ctxWith(), waiting.id, single.campaignId)).toEqual({ next: null, stop: 'ALL_LEASED', retryAfterSeconds: 600 });

    const empty = await seedComparisons(prisma, { prompts: 0 });
    const r2 = await createUser(t.app, 'RATER', [empty.campaignId]);
    expect(await claim(ctxWith(), r2.id, empty.campaignId)).toEqual({ next: null, stop: 'DONE' });
  });

  it('serves gold at the drawn rate, each gold item once per rater, then regular work', async () => {
    const s = await seedComparisons(t.app.ctx.db.prisma, { gold: 1, goldRate: 0.5 });
    const rater = await createUser(t.app, 'RATER', [s.campaignId]);
    // Draws per claim: side, then gold (below the rate: gold). Both claims want gold; only one gold item exists.
    await claim(ctxWith([0.9, 0.1, 0.9, 0.1]), rater.id, s.campaignId);
    const leases = await leasesOf(rater.id);
    expect(leases.map((l) => s.goldIds.includes(l.comparisonId))).toEqual([true, false]);
  });
});
