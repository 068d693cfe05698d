// What readiness (GET /api/health/ready) and GET /metrics read from the database: applied migrations,
// open leases, running imports. Each is cheap enough to run on every probe or scrape.
import type { Db } from '../handle';

/** Names of the migrations the database has applied (as `prisma migrate deploy` records them). */
export async function appliedMigrationNames(db: Db): Promise<string[]> {
  const rows = await db.prisma.$queryRaw<{ name: string }[]>`
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
export async function openLeasesByCampaign(db: Db, now: Date): Promise<OpenLeases[]> {
  return db.prisma.$queryRaw<OpenLeases[]>`
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

export async function runningImports(db: Db): Promise<RunningImport[]> {
  const rows = await db.prisma.import.findMany({
    where: { status: 'RUNNING' },
    select: { id: true, campaignId: true, phase: true, bytes: true, records: true },
  });
  return rows.map((r) => ({ ...r, bytes: Number(r.bytes) }));
}
