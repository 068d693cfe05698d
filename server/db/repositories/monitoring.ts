// What readiness (GET /api/health/ready) and GET /metrics read from the database: applied migrations,
// open leases, running imports. Each is cheap enough to run on every probe or scrape.
import type { PrismaClient } from '../database';

/** Names of the migrations the database has applied (as `prisma migrate deploy` records them). */
export async function appliedMigrationNames(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ name: string }[]>`
    SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  return rows.map((r) => r.name);
}

export interface OpenLeases {
  campaignId: string;
  leases: number;
}

/**
 * Unexpired leases of each campaign that can hold any (ACTIVE or PAUSED): one range of the
 * (campaignId, status, expiresAt) index per campaign, so the cost follows the leases, not the judgments.
 */
export async function openLeasesByCampaign(prisma: PrismaClient, now: Date): Promise<OpenLeases[]> {
  return prisma.$queryRaw<OpenLeases[]>`
    SELECT c."id" AS "campaignId",
           (SELECT count(*)::int FROM "Assignment" a
             WHERE a."campaignId" = c."id" AND a."status" = 'LEASED' AND a."expiresAt" > ${now}) AS "leases"
      FROM "Campaign" c
     WHERE c."status" IN ('ACTIVE', 'PAUSED')`;
}

export interface RunningImport {
  id: string;
  campaignId: string;
  phase: string;
  bytes: number;
  records: number;
}

export async function runningImports(prisma: PrismaClient): Promise<RunningImport[]> {
  const rows = await prisma.import.findMany({
    where: { status: 'RUNNING' },
    select: { id: true, campaignId: true, phase: true, bytes: true, records: true },
  });
  return rows.map((r) => ({ ...r, bytes: Number(r.bytes) }));
}
