// The flag review queue and its actions: flags dismissed or reopened, comparisons removed or restored,
// responses marked broken or not, adjudications; and the removed set as of a past time (exports).
// Lock order: Response, then Comparison rows in id order (the rater loop never locks a Response).
import { Params } from '../sql-params';
import { publishedImport } from './published-import';

export type FlagReason = 'HARMFUL' | 'BROKEN' | 'WRONG_LANGUAGE' | 'OTHER';

export interface FlagQueueFilter {
  campaignId: string;
  reason: FlagReason | null;
  /** open: not dismissed and its comparison still in; dismissed; actioned: its comparison is removed. null: all. */
  state: 'open' | 'dismissed' | 'actioned' | null;
  after: { at: Date; id: number } | null;
  limit: number;
}

export const REVIEW_SQL = {
  /** The campaign's flags with their comparison, rater and both responses, newest first, one keyset page after `after`. */
  flagQueue(r: FlagQueueFilter): { text: string; values: unknown[] } {
    const p = new Params();
    const where = [`f."campaignId" = ${p.add(r.campaignId, 'uuid')}`, publishedImport('c')];
    if (r.reason) where.push(`f.reason = ${p.add(r.reason, 'text')}::"FlagReason"`);
    if (r.state === 'open') where.push(`f."dismissedAt" IS NULL AND NOT c.removed`);
    if (r.state === 'dismissed') where.push(`f."dismissedAt" IS NOT NULL`);
    if (r.state === 'actioned') where.push(`c.removed`);
    if (r.after) where.push(`(f."createdAt", f.id) < (${p.add(r.after.at.toISOString(), 'timestamptz')}, ${p.add(r.after.id, 'int')})`);
    const text = `SELECT f.id, f."comparisonId", f."raterId", u.name AS "raterName", f.reason::text AS reason, f.target::text AS target, f.note,
       f."createdAt", f."dismissedAt", left(p.context -> -1 ->> 'content', 300) AS prompt, c.removed, c."removedAt",
       c."responseAId", ra.model AS "modelA", ra."brokenAt" AS "brokenA", c."responseBId", rb.model AS "modelB", rb."brokenAt" AS "brokenB"
     FROM "Flag" f JOIN "Comparison" c ON c.id = f."comparisonId" JOIN "User" u ON u.id = f."raterId"
     JOIN "Prompt" p ON p.id = c."promptId" JOIN "Response" ra ON ra.id = c."responseAId" JOIN "Response" rb ON rb.id = c."responseBId"
     WHERE ${where.join(' AND ')}
     ORDER BY f."createdAt" DESC, f.id DESC LIMIT ${p.add(r.limit, 'int')}`;
    return { text, values: p.values };
  },

  /** Locks flag $1 (int); returns id, campaignId, comparisonId, dismissedAt. */
  lockFlag: `SELECT id, "campaignId"::text AS "campaignId", "comparisonId", "dismissedAt" FROM "Flag" WHERE id = $1::int FOR UPDATE`,

  /** Sets flag $1's dismissedAt to $2 (timestamptz or null). */
  setFlagDismissed: `UPDATE "Flag" SET "dismissedAt" = $2::timestamptz WHERE id = $1::int`,

  /** Locks published comparison $1 (int); returns id, campaignId, removed, removedAt. */
  lockComparison: `SELECT c.id, c."campaignId"::text AS "campaignId", c.removed, c."removedAt" FROM "Comparison" c
     WHERE c.id = $1::int AND ${publishedImport('c')} FOR UPDATE OF c`,

  /** Locks published response $1 (int); returns id, campaignId, model, brokenAt. */
  lockResponse: `SELECT r.id, r."campaignId"::text AS "campaignId", r.model, r."brokenAt" FROM "Response" r
     WHERE r.id = $1::int AND ${publishedImport('r')} FOR UPDATE OF r`,

  /** Sets response $1's brokenAt to $2 (timestamptz or null). */
  setResponseBroken: `UPDATE "Response" SET "brokenAt" = $2::timestamptz WHERE id = $1::int`,

  /** Sets comparison $1's removedAt to $2 (timestamptz or null). */
  setComparisonRemovedAt: `UPDATE "Comparison" SET "removedAt" = $2::timestamptz WHERE id = $1::int`,

  /** Locks, in id order, every comparison holding response $1 (int); returns their ids. */
  lockComparisonsOfResponse: `SELECT id FROM "Comparison" WHERE "responseAId" = $1::int OR "responseBId" = $1::int ORDER BY id FOR UPDATE`,

  /**
   * Sets `removed` from its causes (removed directly, or either response broken) on comparisons $1 (int[]),
   * which the caller has locked; returns the ids whose state changed.
   */
  refreshRemoved: `
    UPDATE "Comparison" c SET removed = v.removed
    FROM (
      SELECT x.id, (x."removedAt" IS NOT NULL OR ra."brokenAt" IS NOT NULL OR rb."brokenAt" IS NOT NULL) AS removed
      FROM "Comparison" x JOIN "Response" ra ON ra.id = x."responseAId" JOIN "Response" rb ON rb.id = x."responseBId"
      WHERE x.id = ANY($1::int[])
    ) v
    WHERE c.id = v.id AND c.removed <> v.removed
    RETURNING c.id`,

  /**
   * Comparisons of campaign $1 that were out as of $2 (timestamptz): removed directly, or holding a response
   * marked broken, by the latest event of each at or before $2; ids in order.
   */
  removedAsOf: `
    WITH latest AS (
       SELECT DISTINCT ON ("comparisonId", "responseId") "comparisonId", "responseId", removed FROM "RemovalEvent"
       WHERE "campaignId" = $1::uuid AND "createdAt" <= $2::timestamptz
       ORDER BY "comparisonId", "responseId", "createdAt" DESC, id DESC
     ), broken AS (SELECT "responseId" AS id FROM latest WHERE removed AND "responseId" IS NOT NULL)
     SELECT "comparisonId" AS id FROM latest WHERE removed AND "comparisonId" IS NOT NULL
     UNION SELECT c.id FROM "Comparison" c JOIN broken b ON c."responseAId" = b.id
     UNION SELECT c.id FROM "Comparison" c JOIN broken b ON c."responseBId" = b.id
     ORDER BY 1`,

  /** Locks published comparison $1 (int) with what adjudicating it checks: the counts, its votes, dispute and current answer. */
  lockForAdjudication: `SELECT c.id, c."campaignId"::text AS "campaignId", c.removed, c."removedAt", c."isGold", c.target, c.submitted,
       (c."votesA" + c."votesB" + c."votesTie" + c."votesBothBad")::int AS votes, c.dispute, c."adjudicatedChoice"::text AS "adjudicatedChoice"
     FROM "Comparison" c WHERE c.id = $1::int AND ${publishedImport('c')} FOR UPDATE OF c`,

  /** Withdraws comparison $1's standing adjudication at $2 (timestamptz). */
  withdrawAdjudication: `UPDATE "Adjudication" SET "withdrawnAt" = $2::timestamptz WHERE "comparisonId" = $1::int AND "withdrawnAt" IS NULL`,

  /** Sets comparison $1's current adjudicated answer to $2 (A, B, TIE, BOTH_BAD, or null). */
  setAdjudicatedChoice: `UPDATE "Comparison" SET "adjudicatedChoice" = $2::text::"Choice" WHERE id = $1::int`,
} as const;
