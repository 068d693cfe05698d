// The claim's bounds (ClaimFloor, migration `claim_floor`): a claim looks only from the floor (no comparison below it
// has room) to the campaign's last comparison. These are the edges the bounds introduce: every writer that gives a
// comparison room again, or adds one, must bring the floor back down (the triggers do, whatever the writer), or that
// comparison is never served. Each case fills the campaign first, so the floor has passed every comparison.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../server/services/context';
import { claimNextAssignment } from '../../server/services/rating/claim-next-assignment';
import { seedComparisons } from '../../testkit/factory';
import { createUser, startTestApp, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

const NOW = new Date('2026-05-04T10:00:00Z');
const ctx = (): ServiceContext => ({ ...t.app.ctx, clock: { now: () => NOW }, random: { ...t.app.ctx.random, float: () => 0.9 } });

/** A new rater of the campaign claims one comparison: its id, or null when nothing was leased. */
async function claimAsNewRater(campaignId: string): Promise<number | null> {
  const rater = await createUser(t.app, 'RATER', [campaignId]);
  const queue = await claimNextAssignment(ctx(), rater.id, campaignId, { prefetch: false, explainInactive: true });
  const id = queue.next?.assignment.id;
  if (!id) return null;
  return (await t.app.ctx.db.prisma.assignment.findUniqueOrThrow({ where: { id }, select: { comparisonId: true } })).comparisonId;
}

/** Claims by new raters until nothing is left; the comparisons leased, in order. */
async function claimAll(campaignId: string): Promise<number[]> {
  const leased: number[] = [];
  for (let id = await claimAsNewRater(campaignId); id !== null; id = await claimAsNewRater(campaignId)) leased.push(id);
  return leased;
}

const floorOf = async (campaignId: string) => t.app.ctx.db.prisma.claimFloor.findUniqueOrThrow({ where: { campaignId } });

/** One judgment wanted per comparison, so one claim fills one; every comparison leased, the floor past the last. */
async function filledCampaign(options: { campaignId?: string } = {}) {
  const s = await seedComparisons(t.app.ctx.db.prisma, { prompts: 3, models: 3, votes: 1, leaseSeconds: 60, ...options });
  expect(await claimAll(s.campaignId)).toEqual(expect.arrayContaining(s.comparisonIds));
  const floor = await floorOf(s.campaignId);
  expect(floor.floorId).toBe(floor.lastId + 1);
  return s;
}

describe('claim floor', () => {
  it('serves comparisons in id order and raises the floor past those filled', async () => {
    const s = await seedComparisons(t.app.ctx.db.prisma, { prompts: 3, models: 3, votes: 1, leaseSeconds: 60 });
    const leased = await claimAll(s.campaignId);
    expect(leased).toEqual([...s.comparisonIds].sort((a, b) => a - b));
    const floor = await floorOf(s.campaignId);
    expect([floor.firstId, floor.lastId, floor.floorId]).toEqual([Math.min(...s.comparisonIds), Math.max(...s.comparisonIds), Math.max(...s.comparisonIds) + 1]);
  });

  it('claims again a comparison whose lease expired below the floor', async () => {
    const s = await filledCampaign();
    const lowest = Math.min(...s.comparisonIds);
    await t.app.ctx.db.prisma.assignment.updateMany({ where: { comparisonId: lowest }, data: { expiresAt: new Date(NOW.getTime() - 1000) } });
    // The claim's own first statement expires the lease; its claim statement must see the place come back.
    expect(await claimAsNewRater(s.campaignId)).toBe(lowest);
    expect(await claimAsNewRater(s.campaignId)).toBeNull();
  });

  it('claims again a comparison removed and restored, un-adjudicated, given a higher target or a judgment back', async () => {
    const s = await seedComparisons(t.app.ctx.db.prisma, { prompts: 3, models: 3, votes: 1, leaseSeconds: 60 });
    const [removed, adjudicated, ...rest] = [...s.comparisonIds].sort((a, b) => a - b);
    const prisma = t.app.ctx.db.prisma;
    await prisma.comparison.update({ where: { id: removed! }, data: { removed: true } });
    await prisma.comparison.update({ where: { id: adjudicated! }, data: { adjudicatedChoice: 'A' } });
    expect(await claimAll(s.campaignId)).toEqual(rest);
    expect((await floorOf(s.campaignId)).floorId).toBe(Math.max(...rest) + 1);

    await prisma.comparison.update({ where: { id: removed! }, data: { removed: false } });
    expect(await claimAsNewRater(s.campaignId)).toBe(removed);
    await prisma.comparison.update({ where: { id: adjudicated! }, data: { adjudicatedChoice: null } });
    expect(await claimAsNewRater(s.campaignId)).toBe(adjudicated);
    expect(await claimAsNewRater(s.campaignId)).toBeNull();

    // A raised target (k from 1 to 2) on every comparison at once, then one judgment taken back (an exclusion's count).
    await prisma.comparison.updateMany({ where: { campaignId: s.campaignId }, data: { target: 2 } });
    expect((await claimAll(s.campaignId)).sort((a, b) => a - b)).toEqual([...s.comparisonIds].sort((a, b) => a - b));
    await prisma.comparison.update({ where: { id: rest[1]! }, data: { leased: { decrement: 1 } } });
    expect(await claimAsNewRater(s.campaignId)).toBe(rest[1]);
  });

  it('serves a new import into the campaign, one published later, one whose ids fall between another campaign, and one that committed late', async () => {
    const prisma = t.app.ctx.db.prisma;
    // An id taken before the campaign filled, as by an import into it that commits after others with higher ids.
    const [{ id: late }] = await prisma.$queryRaw<{ id: number }[]>`SELECT nextval(pg_get_serial_sequence('"Comparison"', 'id'))::int AS id`;
    const s = await filledCampaign();
    const other = await seedComparisons(prisma, { prompts: 1, models: 3, votes: 1 });
    const added = await seedComparisons(prisma, { campaignId: s.campaignId, prompts: 1, models: 3, votes: 1 });
    const staged = await seedComparisons(prisma, { campaignId: s.campaignId, prompts: 1, models: 3, votes: 1, importStatus: 'RUNNING' });
    expect(await claimAll(s.campaignId)).toEqual([...added.comparisonIds].sort((a, b) => a - b));
    await prisma.import.update({ where: { id: staged.importId }, data: { status: 'PUBLISHED' } });
    expect(await claimAll(s.campaignId)).toEqual([...staged.comparisonIds].sort((a, b) => a - b));
    // The other campaign's comparisons lie inside this one's id range and were never served here.
    expect(await claimAll(other.campaignId)).toHaveLength(other.comparisonIds.length);

    const last = await seedComparisons(prisma, { campaignId: s.campaignId, prompts: 1, models: 3, votes: 1 });
    const moved = await prisma.comparison.delete({ where: { id: last.comparisonIds[0]! } });
    await prisma.comparison.create({ data: { ...moved, id: late, slots: [], referenceRanking: undefined, goldRanking: undefined } });
    expect(late).toBeLessThan((await floorOf(s.campaignId)).floorId);
    expect(await claimAll(s.campaignId)).toEqual([late, ...last.comparisonIds.slice(1).sort((a, b) => a - b)]);
  });
});
