// Assertions on the rater loop's invariants (testkit/load/invariant-report.ts measures them).
import { expect } from 'vitest';
import type { PrismaClient } from '../../server/db/database';
import { measureInvariants } from '../../testkit/load/invariant-report';
import type { RunStats } from '../../testkit/load/simulated-rater';

/**
 * Asserts safety and liveness after a run: exactly k per comparison (or ranking task), nothing lost or doubled, leases
 * expired and reclaimed; for ranking tasks, every standing judgment ranks every slot once and card orders vary.
 */
export async function expectInvariants(prisma: PrismaClient, campaignId: string, comparisons: number, stats: RunStats, ranking = false): Promise<void> {
  const report = await measureInvariants(prisma, campaignId, stats.accepted);
  expect(report).toMatchObject({ overTarget: 0, notExactlyK: 0, counterDrift: 0, doubleJudged: 0, acceptedMissing: 0, openLeases: 0, sideOrders: 2, badRankings: 0 });
  if (ranking) expect(report.cardOrders).toBeGreaterThan(2);
  else expect(report.cardOrders).toBe(1);
  expect(stats.abandoned).toBeGreaterThan(0);
  expect(report.expiredLeases).toBeGreaterThan(0);
  expect(stats.accepted.length).toBeGreaterThanOrEqual(comparisons * 3);
}

/**
 * Waits until the background refresh has written the campaign's first priorities (at most `timeoutMs`): raters started
 * before it may finish the whole campaign uniformly, since a refresh every second is slower than a small test campaign.
 */
export async function waitForFirstPriorities(prisma: PrismaClient, campaignId: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await prisma.$queryRawUnsafe<{ at: Date | null }[]>(`SELECT "refreshedAt" AS at FROM "SelectionRefresh" WHERE "campaignId" = $1::uuid`, campaignId);
    if (row?.at) return;
    if (Date.now() > deadline) throw new Error(`no priorities written for campaign ${campaignId} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Asserts how an active campaign's assignments were picked: regular ones by priority and, at about the control
 * share, in the control arm (uniform fallback allowed while priorities were not yet written); gold always uniform.
 */
export async function expectActiveArms(prisma: PrismaClient, campaignId: string): Promise<void> {
  const rows = await prisma.$queryRawUnsafe<{ gold: boolean; arm: string; n: number }[]>(
    `SELECT c."isGold" AS gold, a.arm::text AS arm, count(*)::int AS n FROM "Assignment" a JOIN "Comparison" c ON c.id = a."comparisonId"
     WHERE a."campaignId" = $1::uuid GROUP BY 1, 2`,
    campaignId,
  );
  const count = (gold: boolean, arm: string) => rows.find((r) => r.gold === gold && r.arm === arm)?.n ?? 0;
  expect(count(false, 'active'), JSON.stringify(rows)).toBeGreaterThan(0);
  expect(count(false, 'control'), JSON.stringify(rows)).toBeGreaterThan(0);
  expect(count(true, 'active') + count(true, 'control'), JSON.stringify(rows)).toBe(0);
}
