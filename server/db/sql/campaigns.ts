// Campaigns' SQL: row locks that make edits (and import starts) queue up, k re-targeting, and the counts
// the campaign list shows.
import { publishedImport } from './published-import';

const countOf = (table: string, what = 'count(*)', where = '') =>
  `(SELECT ${what}::int FROM "${table}" x WHERE x."campaignId" = c."id"${where} AND ${publishedImport('x')})`;

export const CAMPAIGN_SQL = {
  /** Takes the campaign's row lock until the transaction ends. $1 campaign. */
  lock: `SELECT id FROM "Campaign" WHERE id = $1::uuid FOR UPDATE`,

  /** Takes the demo seed's lock until the transaction ends, so two instances starting together do not both seed. */
  lockDemoSeed: `SELECT pg_advisory_xact_lock(hashtext('juxta:demo-seed'))`,

  /** Sets k on every non-gold comparison of the campaign that has another. $1 campaign, $2 k. */
  retarget: `UPDATE "Comparison" SET target = $2::int WHERE "campaignId" = $1::uuid AND NOT "isGold" AND target <> $2::int`,

  /** Up to $2 of campaign $1's rows of one table, by "id" or (composite keys) by ctid. */
  deleteRowsBatch: (table: string, key: 'id' | 'ctid') =>
    `DELETE FROM "${table}" WHERE ${key} IN (SELECT ${key} FROM "${table}" WHERE "campaignId" = $1::uuid LIMIT $2::int)`,

  /** The campaign row $1 once its delete started (the cascade catches any table added later). */
  deleteRow: `DELETE FROM "Campaign" WHERE id = $1::uuid AND "deletingAt" IS NOT NULL`,

  /**
   * Counts of each campaign in $1 (uuid[]), every row filtered on its import being published;
   * `awaitingResponses`: prompts with no published response yet (prompt-only imports); `referenceLabels`:
   * comparisons with a reference label (or ranking) from the file; `rankingTasks`: comparisons with more than two slots.
   */
  counts: `
    SELECT c.id,
      ${countOf('Prompt')} AS prompts,
      ${countOf('Prompt', 'count(*)', ` AND NOT EXISTS (SELECT 1 FROM "Response" y WHERE y."promptId" = x."id" AND ${publishedImport('y')})`)} AS "awaitingResponses",
      ${countOf('Response')} AS responses,
      ${countOf('Response', 'count(DISTINCT x."model")')} AS models,
      ${countOf('Comparison', 'count(*)', ' AND NOT x."isGold"')} AS comparisons,
      ${countOf('Comparison', 'count(*)', ' AND x."isGold"')} AS gold,
      ${countOf('Comparison', 'count(*)', ' AND (x."referenceChoice" IS NOT NULL OR x."referenceRanking" IS NOT NULL)')} AS "referenceLabels",
      ${countOf('Comparison', 'count(*)', ' AND NOT x."isGold" AND cardinality(x.slots) > 0')} AS "rankingTasks",
      (SELECT count(*)::int FROM "Judgment" x WHERE x."campaignId" = c.id AND x."undoneAt" IS NULL) AS judgments
    FROM "Campaign" c
    WHERE c.id = ANY($1::uuid[])`,
} as const;
