// Active selection's SQL: taking the due priority refreshes (one instance at a time, under an advisory lock)
// and writing a campaign's model-pair priorities in one statement. The claim reads them (rating.ts, claimByPriority).
import { publishedImport } from './published-import';

export const SELECTION_SQL = {
  /**
   * Takes the refreshes that are due: active campaigns with active selection or that pause when answered, whose
   * priorities are older than $2 (or missing) and that no
   * other instance took after $3. Under a transaction-level advisory lock tried without waiting, so while one
   * instance is deciding another takes nothing this round; the stamp (`claimedAt`) then keeps the others off until
   * the refresh is written or the stamp is older than $3 (its instance died). At most $4, least recent first.
   * $1 now, $2 due before, $3 stamps before this are lapsed, $4 limit. Returns the campaign ids taken.
   */
  takeDueRefreshes: `
    WITH lock AS (
      SELECT pg_try_advisory_xact_lock(hashtext('juxta:selection-refresh')) AS got
    ), due AS (
      SELECT c.id FROM "Campaign" c LEFT JOIN "SelectionRefresh" r ON r."campaignId" = c.id
      WHERE (SELECT got FROM lock) AND (c.selection = 'active' OR c."pauseWhenAnswered") AND c.status = 'ACTIVE' AND c."deletingAt" IS NULL
        AND (r."refreshedAt" IS NULL OR r."refreshedAt" <= $2::timestamptz)
        AND (r."claimedAt" IS NULL OR r."claimedAt" <= $3::timestamptz)
      ORDER BY r."refreshedAt" NULLS FIRST, c.id LIMIT $4::int
    )
    INSERT INTO "SelectionRefresh" ("campaignId", "claimedAt") SELECT id, $1::timestamptz FROM due
    ON CONFLICT ("campaignId") DO UPDATE SET "claimedAt" = EXCLUDED."claimedAt"
    RETURNING "campaignId" AS id`,

  /**
   * Replaces the campaign's priorities with the given rows (both orders of each pair) and stamps the refresh,
   * in one statement, so a claim sees the old set or the new one. $1 campaign, $2 model A (text[]),
   * $3 model B (text[]), $4 priority (float8[]), $5 now, $6 judgments they were computed from.
   */
  writePriorities: `
    WITH fresh AS (
      SELECT a, b, p FROM unnest($2::text[], $3::text[], $4::float8[]) t(a, b, p)
      UNION ALL SELECT b, a, p FROM unnest($2::text[], $3::text[], $4::float8[]) t(a, b, p)
    ), written AS (
      INSERT INTO "ModelPairPriority" ("campaignId", "modelA", "modelB", priority) SELECT $1::uuid, a, b, p FROM fresh
      ON CONFLICT ("campaignId", "modelA", "modelB") DO UPDATE SET priority = EXCLUDED.priority RETURNING 1
    ), gone AS (
      DELETE FROM "ModelPairPriority" x WHERE x."campaignId" = $1::uuid
        AND NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.a = x."modelA" AND fresh.b = x."modelB") RETURNING 1
    ), stamped AS (
      INSERT INTO "SelectionRefresh" ("campaignId", "refreshedAt", "claimedAt", judgments) VALUES ($1::uuid, $5::timestamptz, NULL, $6::int)
      ON CONFLICT ("campaignId") DO UPDATE SET "refreshedAt" = EXCLUDED."refreshedAt", "claimedAt" = NULL, judgments = EXCLUDED.judgments
      RETURNING 1
    )
    SELECT (SELECT count(*)::int FROM written) AS written, (SELECT count(*)::int FROM gone) AS removed, (SELECT count(*)::int FROM stamped) AS stamped`,

  /**
   * Open places per model pair (in the comparisons' A/B order; a ranking task counts as its slots 0 and 1, as the claim
   * reads it): k minus judgments and leases, over the regular comparisons a claim may still serve. A pair with none
   * is full and the rule answers its question through third models. Run by the background refresh only. $1 campaign.
   */
  openPlaces: `
    SELECT ra.model AS "modelA", rb.model AS "modelB", sum(greatest(c.target - c.submitted - c.leased, 0))::int AS open
    FROM "Comparison" c
    JOIN "Response" ra ON ra.id = c."responseAId"
    JOIN "Response" rb ON rb.id = c."responseBId"
    WHERE c."campaignId" = $1::uuid AND NOT c."isGold" AND NOT c.removed AND c."adjudicatedChoice" IS NULL AND ${publishedImport('c')}
    GROUP BY 1, 2`,

  /** The campaign's assignments by arm. $1 campaign. */
  armCounts: `SELECT a.arm::text AS arm, count(*)::int AS n FROM "Assignment" a WHERE a."campaignId" = $1::uuid GROUP BY 1`,

  /** (comparison, rater) of the campaign's judged assignments that active selection picked. $1 campaign. */
  activePicked: `SELECT a."comparisonId", a."raterId" FROM "Assignment" a WHERE a."campaignId" = $1::uuid AND a.arm = 'active' AND a.status = 'SUBMITTED'`,
} as const;
