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

  /**
   * Items per status of every generation job not finished (QUEUED, RUNNING or PAUSED): one range of the
   * (jobId, status) index per job, so finished jobs, however many items they had, cost nothing. No parameters.
   */
  unfinishedGenerationJobs: `
    SELECT j."id" AS "jobId", j."campaignId", j."status"::text AS "jobStatus", i."status"::text AS "itemStatus", count(*)::int AS "items"
      FROM "GenerationJob" j JOIN "GenerationItem" i ON i."jobId" = j."id"
     WHERE j."status" IN ('QUEUED', 'RUNNING', 'PAUSED')
     GROUP BY j."id", j."campaignId", j."status", i."status"`,
} as const;
