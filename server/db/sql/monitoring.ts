// What readiness (GET /api/health/ready) and GET /metrics read: cheap enough to run on every probe or scrape. No locks.

export const MONITORING_SQL = {
  /** Names of the migrations the database has applied (as `prisma migrate deploy` records them). */
  appliedMigrations: `SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,

  /**
   * Unexpired leases (at $1, timestamptz) of each campaign that can hold any (ACTIVE or PAUSED): one range of
   * the (campaignId, status, expiresAt) index per campaign, so the cost follows the leases, not the judgments.
   */
  openLeasesByCampaign: `
    SELECT c."id" AS "campaignId",
           (SELECT count(*)::int FROM "Assignment" a
             WHERE a."campaignId" = c."id" AND a."status" = 'LEASED' AND a."expiresAt" > $1::timestamptz) AS "leases"
      FROM "Campaign" c
     WHERE c."status" IN ('ACTIVE', 'PAUSED')`,
} as const;
