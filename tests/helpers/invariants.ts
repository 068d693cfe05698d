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
