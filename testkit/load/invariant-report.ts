// The rater loop's safety and liveness invariants, measured in SQL after a run of simulated raters
// (shared by the invariant tests and bench:soak, so it imports nothing from vitest).
import type { PrismaClient } from '../../server/db/database';
import { rankingText } from '../../server/db/sql/ranking-pairs';
import type { Accepted } from './simulated-rater';

export interface InvariantReport {
  /** Non-gold comparisons with more standing judgments than k (safety: must be 0). */
  overTarget: number;
  /** Non-gold comparisons without exactly k standing judgments (liveness: must be 0). */
  notExactlyK: number;
  /** Comparisons whose counters disagree with the rows (submitted vs standing judgments, leased vs open leases). */
  counterDrift: number;
  /** (comparison, rater) pairs with more than one standing judgment, or more than one assignment. */
  doubleJudged: number;
  /** Judgments answered 200 that are not stored. */
  acceptedMissing: number;
  expiredLeases: number;
  openLeases: number;
  sideOrders: number;
  /** Distinct card orders of ranking tasks' assignments (1 when there are only pairs: the empty order). */
  cardOrders: number;
  /**
   * Standing judgments of ranking tasks without a ranking, with one that does not place every slot once, or without
   * the copies the stats read (their assignment's card order, the ranking's text).
   */
  badRankings: number;
}

export async function measureInvariants(prisma: PrismaClient, campaignId: string, accepted: Accepted[]): Promise<InvariantReport> {
  const [row] = await prisma.$queryRawUnsafe<InvariantReport[]>(
    `WITH per AS (
       SELECT c.id, c.target, c.submitted, c.leased, c."isGold",
         (SELECT count(*) FROM "Judgment" j WHERE j."comparisonId" = c.id AND j."activeAssignmentId" IS NOT NULL) AS standing,
         (SELECT count(*) FROM "Assignment" a WHERE a."comparisonId" = c.id AND a.status = 'LEASED') AS open
       FROM "Comparison" c WHERE c."campaignId" = $1::uuid
     )
     SELECT
       (SELECT count(*)::int FROM per WHERE NOT "isGold" AND standing > target) AS "overTarget",
       (SELECT count(*)::int FROM per WHERE NOT "isGold" AND standing <> target) AS "notExactlyK",
       (SELECT count(*)::int FROM per WHERE submitted <> standing OR leased <> open) AS "counterDrift",
       (SELECT count(*)::int FROM (
          SELECT 1 FROM "Judgment" j WHERE j."campaignId" = $1::uuid AND j."activeAssignmentId" IS NOT NULL
          GROUP BY j."comparisonId", j."raterId" HAVING count(*) > 1
          UNION ALL
          SELECT 1 FROM "Assignment" a WHERE a."campaignId" = $1::uuid GROUP BY a."comparisonId", a."raterId" HAVING count(*) > 1) d) AS "doubleJudged",
       (SELECT count(*)::int FROM unnest($2::uuid[], $3::text[]) AS k(rater, key)
          WHERE NOT EXISTS (SELECT 1 FROM "Judgment" j WHERE j."raterId" = k.rater AND j."idempotencyKey" = k.key)) AS "acceptedMissing",
       (SELECT count(*)::int FROM "Assignment" WHERE "campaignId" = $1::uuid AND status = 'EXPIRED') AS "expiredLeases",
       (SELECT count(*)::int FROM "Assignment" WHERE "campaignId" = $1::uuid AND status = 'LEASED') AS "openLeases",
       (SELECT count(DISTINCT "leftIsA")::int FROM "Assignment" WHERE "campaignId" = $1::uuid) AS "sideOrders",
       (SELECT count(DISTINCT "shownOrder")::int FROM "Assignment" WHERE "campaignId" = $1::uuid) AS "cardOrders",
       (SELECT count(*)::int FROM "Judgment" j JOIN "Comparison" c ON c.id = j."comparisonId"
          WHERE j."campaignId" = $1::uuid AND cardinality(c.slots) > 0 AND j."activeAssignmentId" IS NOT NULL
            AND (j.ranking IS NULL OR (SELECT array_agg(s::int ORDER BY s::int) FROM jsonb_array_elements(j.ranking) g, jsonb_array_elements_text(g) s)
                 <> (SELECT array_agg(i - 1 ORDER BY i) FROM generate_series(1, cardinality(c.slots)) i)
              OR j."shownOrder" <> (SELECT a."shownOrder" FROM "Assignment" a WHERE a.id = j."assignmentId")
              OR j."rankingText" IS DISTINCT FROM ${rankingText('j.ranking')})) AS "badRankings"`,
    campaignId,
    accepted.map((a) => a.raterId),
    accepted.map((a) => a.idempotencyKey),
  );
  return row!;
}
